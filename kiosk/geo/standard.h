/* The quarter-hour standard as data (assets/coverage/standard.json, the operator's to
 * change): each item — what a resident should find, within how many minutes' walk, its
 * tier (基础保障类 basic / 品质提升类 quality) and which of our place categories count for
 * it — and the programme's groups (一店一早, 一菜一修, 一老一小) of items. Outside bytes:
 * every field checked, the first error named by its path, nothing half-read. */
#ifndef KIOSK_GEO_STANDARD_H
#define KIOSK_GEO_STANDARD_H

#include <stddef.h>

#define GEO_STD_MAX_ITEMS 24
#define GEO_STD_MAX_CATS 12  /* categories per item */
#define GEO_STD_MAX_GROUPS 6
#define GEO_STD_MAX_GROUP_ITEMS 4

enum geo_std_tier { GEO_STD_BASIC, GEO_STD_QUALITY };

struct geo_std_item {
	char id[24];
	char name_zh[48], name_en[64];
	int minutes; /* 1..60 */
	enum geo_std_tier tier;
	int ncats;
	char cats[GEO_STD_MAX_CATS][24]; /* kiosk/geo/category.h codes */
};

struct geo_std_group {
	char name_zh[48], name_en[64];
	int nitems;
	int items[GEO_STD_MAX_GROUP_ITEMS]; /* indices into the standard's items */
};

struct geo_standard {
	int nitems, ngroups;
	struct geo_std_item items[GEO_STD_MAX_ITEMS];
	struct geo_std_group groups[GEO_STD_MAX_GROUPS];
};

/* Parses the standard from len bytes of JSON into *out (untouched on failure).
 * KIOSK_EPARSE with why naming the path ("$.items[2].minutes: expected an integer 1..60"). */
int geo_standard_parse(const char *text, size_t len, struct geo_standard *out, char *why,
		       size_t wlen);
/* The same from a file (at most 64 KiB); KIOSK_EIO / KIOSK_ENOENT naming the file. */
int geo_standard_load(const char *path, struct geo_standard *out, char *why, size_t wlen);
/* The item with this id, or -1. */
int geo_standard_find(const struct geo_standard *s, const char *id);

#endif
