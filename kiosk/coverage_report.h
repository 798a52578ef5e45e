/* 一刻钟达标, the coverage report (docs/coverage.md) of a store's map and services by the
 * standard, with the residents' wishes of the last 30 days: for `kioskctl report coverage`
 * and for the report.coverage event the core sends after each map import and once a week
 * (core_coverage.c). Reads only: any connection, a read-only one too; slow on a large map
 * (a walk per item), so never on the core loop or the UI thread. */
#ifndef KIOSK_COVERAGE_REPORT_H
#define KIOSK_COVERAGE_REPORT_H

#include "kiosk/geo/coverage.h"
#include "kiosk/geo/standard.h"
#include "kiosk/store/homes.h"
#include "kiosk/store/store.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#define KIOSK_WISH_WINDOW_MS (30LL * 86400 * 1000)

struct kiosk_coverage_report {
	struct geo_standard std;
	struct geo_coverage_row rows[GEO_STD_MAX_ITEMS]; /* std.nitems, in its order */
	int gaps[GEO_STD_MAX_ITEMS], ngaps;               /* 补什么, first first */
	size_t residences;       /* counted */
	size_t homes_off_street; /* of them, no street near: beyond every threshold */
	const char *rule;        /* how they were placed: kiosk_coverage_rule's (static) */
	char attribution[128];   /* whom the map's data is credited to ("" none stated) */
};

/* How the residents were placed, for the report: "buildings" (residential buildings),
 * "land" (residential land sampled), "buildings_and_land", or "street_nodes" (the map says
 * nothing of where people live: every street node counts). docs/coverage.md. */
const char *kiosk_coverage_rule(const struct kiosk_map_home *homes, size_t n);
/* The rule in words, for a reader of the report (English; static). */
const char *kiosk_coverage_rule_words(const char *rule);

/* The standard's file: under assets (the config's ui.assets) when given, else the
 * installed one, else the source tree's (a build in place). */
void kiosk_coverage_standard_path(const char *assets, char *out, size_t n);
/* The report of st's map and services by the standard in standard_path, from (lat, lon),
 * the wishes counted back from now_ms. *out filled; on failure why says what (the
 * standard's fault by its path, "no street map imported") and the error: KIOSK_EPARSE,
 * KIOSK_ENOENT, KIOSK_EIO, KIOSK_ENOMEM, KIOSK_EDB. */
int kiosk_coverage_report(struct kiosk_store *st, const char *standard_path, double lat,
			  double lon, int64_t now_ms, struct kiosk_coverage_report *out, char *why,
			  size_t wlen);
/* The same, asking cancel between the items' walks (KIOSK_ESTATE, "stopped", when it says
 * stop): the core's worker stops within one walk when the core stops. */
int kiosk_coverage_report_cancellable(struct kiosk_store *st, const char *standard_path,
				      double lat, double lon, int64_t now_ms,
				      const struct geo_cancel *cancel,
				      struct kiosk_coverage_report *out, char *why, size_t wlen);
/* The report.coverage event's data (PLATFORM-API.md): generated_at, residences, rule,
 * categories[] (category, threshold_min, tier, places, places_off_map, covered_share,
 * p50_min, p90_min, from_kiosk_min — null where the map has no place — wishes_30d) and
 * gaps[] (补什么, ids). The caller owns it; NULL when out of memory. */
cJSON *kiosk_coverage_json(const struct kiosk_coverage_report *r, int64_t now_ms);

/* The heat map's data: the streets, and for one item the walk from every street node to
 * its nearest place (seconds at a resident's pace; < 0 where no path reaches one). */
struct kiosk_coverage_heat {
	struct geo_graph *g; /* owned */
	double *seconds;     /* one a node of g; owned */
	int item;            /* in the report's standard */
	double threshold_s;
	double kiosk_lat, kiosk_lon;
	struct geo_snap *places; /* the item's places on the streets; owned */
	size_t nplaces;
	/* where people live (none: every street node counts) and the walk from each to the
	 * nearest place (< 0 where no path is); owned */
	struct kiosk_map_home *homes;
	double *home_seconds;
	size_t nhomes;
};
/* The heat of item (an index into std) over st's map, from (lat, lon). KIOSK_ENOENT with no
 * street map; KIOSK_EINVAL for an item out of range; KIOSK_ENOMEM, KIOSK_EDB. */
int kiosk_coverage_heat(struct kiosk_store *st, const struct geo_standard *std, int item,
			double lat, double lon, struct kiosk_coverage_heat *out);
void kiosk_coverage_heat_free(struct kiosk_coverage_heat *h);

#endif
