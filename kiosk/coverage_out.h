/* The coverage report written for people: a CSV for a spreadsheet, the report.coverage
 * JSON, a PNG heat map (minutes to the nearest place of one item along every street, one
 * hue, the residences outside its minutes marked), or one self-contained HTML page with
 * the table, 补什么 and that map — for a community worker to take to a meeting. */
#ifndef KIOSK_COVERAGE_OUT_H
#define KIOSK_COVERAGE_OUT_H

#include "kiosk/coverage_report.h"

#include <stddef.h>
#include <stdint.h>

#define KIOSK_HEAT_PX 800 /* the heat map's longer side */

/* Writes the report to path, its kind by its ending (.csv .json .png .html), whole or not
 * at all (a file beside it, renamed over). heat: the map for .png and .html (NULL: the
 * page has no map). KIOSK_EINVAL for another ending, KIOSK_EIO when it cannot be written,
 * with why naming the path; KIOSK_ENOMEM. */
int kiosk_coverage_write(const char *path, const struct kiosk_coverage_report *r,
			 const struct kiosk_coverage_heat *heat, int64_t now_ms, char *why,
			 size_t wlen);

/* The heat map as a PNG in memory (*out, *len; kiosk_free it). */
int kiosk_coverage_png(const struct kiosk_coverage_heat *heat, unsigned char **out,
		       size_t *len);

#endif
