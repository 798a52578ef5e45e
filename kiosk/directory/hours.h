/* OSM `opening_hours`, the common subset: rules separated by ';', each days and hours —
 * "Mo-Fr 08:00-18:00", "Sa,Su 09:00-12:00,14:00-17:00", "Su off", "24/7", hours alone for
 * every day, hours past midnight ("22:00-02:00"). A later rule replaces an earlier one for
 * the days it names, as in OSM. Anything else (holidays, months, weeks, sunrise, comments)
 * makes the whole value "hours unknown": never a guess. */
#ifndef KIOSK_DIRECTORY_HOURS_H
#define KIOSK_DIRECTORY_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum dir_open { DIR_HOURS_UNKNOWN, DIR_OPEN, DIR_CLOSED };

/* A week of opening, minute by minute (1 = open). */
struct dir_hours {
	bool known;
	unsigned char week[7][1440 / 8]; /* Monday first, bit per minute */
};

/* Parses spec (NULL or "" = unknown). Returns true when it was understood. */
bool dir_hours_parse(const char *spec, struct dir_hours *out);
/* Open at local time t (tm_wday: Sunday 0 as in C). */
enum dir_open dir_hours_at(const struct dir_hours *h, const struct tm *t);
/* The same, parsing spec each time. */
enum dir_open dir_hours_open(const char *spec, const struct tm *t);
/* spec in words a resident reads, Chinese or English: days with the same hours grouped,
 * "周一至周五 09:00–17:00；周六、周日 休息", "Daily 08:00–18:00", "Mon–Sun 18:00–02:00".
 * false (out empty) when spec is not understood: the raw value is never shown instead. */
bool dir_hours_words(const char *spec, bool en, char *out, size_t len);

#endif
