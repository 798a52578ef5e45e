/* 一刻钟达标 as the maintenance page shows it: the report's table and 补什么, and the heat of
 * one item — every street by the minutes from its ends to the nearest place, the residents
 * with their minutes, the item's places, the kiosk — in metres from the map's south-west
 * corner (floats: a neighbourhood is a few km, a float a millimetre there). Built whole on
 * the core's worker (kiosk_coverage_view_build: a walk per item, up to a second on a large
 * map), then never changed: the UI reads it without a lock while it holds it. */
#ifndef KIOSK_COVERAGE_VIEW_H
#define KIOSK_COVERAGE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* (self-contained: the screens see this header, not the report's or the store's) */
#define KIOSK_COVERAGE_ITEMS 24 /* GEO_STD_MAX_ITEMS */

/* One row of the table: an item of the standard over the whole map. */
struct kiosk_coverage_item {
	char id[24], name_zh[48], name_en[64];
	int minutes;
	bool basic;       /* 基础保障类, else 品质提升类 */
	size_t places;    /* 0: "本图内没有", and no minutes */
	double share;     /* residents within its minutes */
	double p50_s, p90_s, from_kiosk_s; /* < 0: none */
	long wishes;      /* residents' wishes here, 30 days */
};

struct kiosk_heat_seg {
	float x0, y0, x1, y1; /* metres east, north */
	float s0, s1;         /* seconds to the nearest place from each end; < 0 none */
};

struct kiosk_heat_point {
	float x, y;
	float s; /* seconds to the nearest place (residents); < 0 none */
};

struct kiosk_coverage_view {
	int nitems;
	struct kiosk_coverage_item items[KIOSK_COVERAGE_ITEMS];
	int gaps[KIOSK_COVERAGE_ITEMS], ngaps; /* 补什么: indices into items, first first */
	size_t residences, residences_off_street;
	char rule[24]; /* kiosk_coverage_rule's: "buildings", "land", … */
	int64_t generated_ms;           /* UTC */
	int item;                       /* the heat's item (an index into items) */
	double threshold_s;             /* its minutes */
	float w_m, h_m;                 /* the map's extent */
	float kiosk_x, kiosk_y;
	size_t nsegs, nres, nplaces;
	const struct kiosk_heat_seg *segs;
	const struct kiosk_heat_point *res;    /* the residents counted (homes, or street nodes) */
	const struct kiosk_heat_point *places; /* the item's places */
	/* private */
	int refs;
};

/* The view of st's map and services by the standard in standard_path, from (lat, lon), the
 * heat of item (an index into the standard; < 0 or past its end: the first to add, else
 * the first item); cancel as kiosk_coverage_report_cancellable's (NULL: none). *out has
 * one reference (kiosk_coverage_view_put). Errors as kiosk_coverage_report's, with why. */
struct kiosk_store;
struct geo_cancel;
int kiosk_coverage_view_build(struct kiosk_store *st, const char *standard_path, double lat,
			      double lon, int item, int64_t now_ms,
			      const struct geo_cancel *cancel, struct kiosk_coverage_view **out,
			      char *why, size_t wlen);
/* Any thread: the view the core holds for the maintenance page (KIOSK_CMD_COVERAGE), held
 * for the caller (NULL: none yet), or another holder; let go (freed with the last). */
struct kiosk_core;
const struct kiosk_coverage_view *kiosk_core_coverage(struct kiosk_core *core);
void kiosk_coverage_view_hold(const struct kiosk_coverage_view *v);
void kiosk_coverage_view_put(const struct kiosk_coverage_view *v);

/* The heat's colour for s seconds to the nearest place, the item's minutes threshold
 * seconds: one hue, dark near a place and lighter towards the minutes; grey beyond them or
 * with no path (s < 0) — the "outside" the report counts. The PNG heat map and the
 * maintenance page draw the same. */
void kiosk_coverage_shade(double s, double threshold, unsigned char c[3]);
/* The index of the item with this id, or -1. */
int kiosk_coverage_find(const struct kiosk_coverage_view *v, const char *id);

#endif
