/* The service directory's search: what a resident types on the letter keyboard or in
 * hanzi finds services by Chinese name (substring), full pinyin ("xiuche"), pinyin
 * initials ("xc"), both mixed ("xiuc"), every reading of a polyphone counted ("yh" finds
 * 银行), or English name; the whole name first, then the Chinese name's matches (from
 * its start or inside) by walking time, then the English name's by walking time. Built once
 * for a set of services; a search is a pass over compact arrays (no allocation). */
#ifndef KIOSK_DIRECTORY_SEARCH_H
#define KIOSK_DIRECTORY_SEARCH_H

#include "kiosk/directory/hours.h"
#include "kiosk/store/store.h"

#include <stddef.h>
#include <time.h>

struct dir_index; /* opaque */

/* Indexes n services (borrowed: they must outlive the index). seconds (may be NULL): the
 * walking time to each, GEO_UNREACHABLE (-1) where no path is; copied. */
int dir_index_new(const struct kiosk_service *s, size_t n, const double *seconds,
		  struct dir_index **out);
void dir_index_free(struct dir_index *ix);
/* Whether each is open at local time t (opening_hours), for the open-now filter. */
void dir_index_set_time(struct dir_index *ix, const struct tm *t);
enum dir_open dir_index_open(const struct dir_index *ix, size_t i);
double dir_index_seconds(const struct dir_index *ix, size_t i);

/* How well a service matched: lower is better. */
enum dir_quality {
	DIR_Q_EXACT,   /* the whole name */
	DIR_Q_PREFIX,  /* from the name's start (hanzi, pinyin or initials) */
	DIR_Q_INSIDE,  /* from inside the name */
	DIR_Q_ENGLISH, /* the English name */
	DIR_Q_NONE,
};
struct dir_hit {
	size_t i; /* index into the services */
	enum dir_quality q;
};
struct dir_filter {
	const char *category; /* NULL or "" = any */
	bool open_now;        /* only those open (at dir_index_set_time's time) */
};
/* Up to max hits, best first; how many. An empty query lists all, nearest first. Uses
 * room in the index, and remembers this search's matches: a next query that extends this
 * one (one more letter typed) looks at those alone. One search at a time per index. */
int dir_search(struct dir_index *ix, const char *query, const struct dir_filter *f,
	       struct dir_hit *out, int max);

#endif
