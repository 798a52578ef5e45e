#include "kiosk/coverage_report.h"
#include "kiosk/assets.h"
#include "kiosk/geo/model.h"
#include "kiosk/store/homes.h"
#include "kiosk/store/wishes.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void kiosk_coverage_standard_path(const char *assets, char *out, size_t n)
{
	kiosk_asset_path(assets, "coverage/standard.json", out, n);
}

/* The services and the street graph of st: what the report and the heat map walk. */
static int load(struct kiosk_store *st, struct kiosk_service **s, size_t *n, struct geo_graph **g)
{
	*s = NULL;
	*n = 0;
	*g = NULL;
	struct kiosk_map_data d;
	int rc = kiosk_service_all(st, s, n);
	if (rc == KIOSK_OK && (rc = kiosk_map_load(st, &d)) == KIOSK_OK) {
		rc = geo_graph_new(&d, g);
		kiosk_map_data_free(&d);
	}
	return rc;
}

int kiosk_coverage_report(struct kiosk_store *st, const char *standard_path, double lat,
			  double lon, int64_t now_ms, struct kiosk_coverage_report *out, char *why,
			  size_t wlen)
{
	return kiosk_coverage_report_cancellable(st, standard_path, lat, lon, now_ms, NULL, out,
						 why, wlen);
}

int kiosk_coverage_report_cancellable(struct kiosk_store *st, const char *standard_path,
				      double lat, double lon, int64_t now_ms,
				      const struct geo_cancel *cancel,
				      struct kiosk_coverage_report *out, char *why, size_t wlen)
{
	memset(out, 0, sizeof *out);
	int rc = geo_standard_load(standard_path, &out->std, why, wlen);
	if (rc)
		return rc;
	struct kiosk_wish wishes[64];
	size_t nw = 0;
	struct kiosk_service *s = NULL;
	size_t n = 0;
	struct geo_graph *g = NULL;
	struct kiosk_map_home *homes = NULL;
	struct geo_snap *snaps = NULL;
	size_t nh = 0;
	rc = kiosk_wishes_since(st, now_ms - KIOSK_WISH_WINDOW_MS, wishes, 64, &nw);
	if (rc == KIOSK_OK)
		rc = load(st, &s, &n, &g);
	if (rc == KIOSK_OK)
		rc = kiosk_map_homes(st, &homes, &nh);
	if (rc == KIOSK_OK)
		rc = geo_coverage_snap_homes(g, homes, nh, &snaps, &out->homes_off_street);
	if (rc == KIOSK_OK)
		rc = geo_coverage_items(g, s, n, snaps, nh, &out->std, lat, lon, cancel, out->rows);
	if (rc == KIOSK_OK) {
		geo_coverage_wishes(&out->std, wishes, nw, out->rows);
		out->ngaps = geo_coverage_gaps(&out->std, out->rows, out->gaps);
		out->residences = nh ? nh : geo_graph_nodes(g);
		out->rule = kiosk_coverage_rule(homes, nh);
		/* as the map screen credits it: a map imported before credits were kept came
		 * from OSM XML */
		char src[16];
		if (kiosk_map_info(st, "attribution", out->attribution, sizeof out->attribution) &&
		    kiosk_map_info(st, "source", src, sizeof src) == KIOSK_OK)
			snprintf(out->attribution, sizeof out->attribution, "%s", GEO_OSM_CREDIT);
	} else if (rc == KIOSK_ENOENT) {
		snprintf(why, wlen, "no street map imported: nothing to measure");
	} else if (rc == KIOSK_ESTATE) {
		snprintf(why, wlen, "stopped");
	} else {
		snprintf(why, wlen, "%s", kiosk_strerror(rc));
	}
	geo_graph_free(g);
	kiosk_free(s);
	kiosk_free(homes);
	kiosk_free(snaps);
	return rc;
}

const char *kiosk_coverage_rule(const struct kiosk_map_home *homes, size_t n)
{
	bool building = false, land = false;
	for (size_t i = 0; i < n; i++)
		*(homes[i].kind == KIOSK_HOME_LAND ? &land : &building) = true;
	return building && land ? "buildings_and_land"
	       : building	? "buildings"
	       : land		? "land"
				: "street_nodes";
}

const char *kiosk_coverage_rule_words(const char *rule)
{
	if (strcmp(rule, "buildings") == 0)
		return "one a residential building";
	if (strcmp(rule, "land") == 0)
		return "residential land sampled every 50 m (the map has no residential buildings)";
	if (strcmp(rule, "buildings_and_land") == 0)
		return "one a residential building, and residential land without them sampled every"
		       " 50 m";
	return "every street node counts as one: the map says nothing of where people live";
}

static void minutes(cJSON *o, const char *key, double s)
{
	if (s < 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, round(s / 6) / 10);
}

cJSON *kiosk_coverage_json(const struct kiosk_coverage_report *r, int64_t now_ms)
{
	cJSON *j = cJSON_CreateObject();
	char at[32];
	kiosk_format_utc(now_ms, at, sizeof at);
	cJSON_AddStringToObject(j, "generated_at", at);
	cJSON_AddNumberToObject(j, "residences", (double)r->residences);
	cJSON_AddStringToObject(j, "rule", r->rule ? r->rule : "");
	cJSON_AddNumberToObject(j, "residences_off_street", (double)r->homes_off_street);
	cJSON *cats = cJSON_AddArrayToObject(j, "categories");
	for (int i = 0; cats && i < r->std.nitems; i++) {
		const struct geo_std_item *it = &r->std.items[i];
		const struct geo_coverage_row *row = &r->rows[i];
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "category", it->id);
		cJSON_AddNumberToObject(c, "threshold_min", it->minutes);
		cJSON_AddStringToObject(c, "tier", it->tier == GEO_STD_BASIC ? "basic" : "quality");
		cJSON_AddNumberToObject(c, "places", (double)row->c.places);
		cJSON_AddNumberToObject(c, "places_off_map", (double)row->off_map);
		cJSON_AddNumberToObject(c, "covered_share", round(row->c.share * 1000) / 1000);
		minutes(c, "p50_min", row->c.p50_s);
		minutes(c, "p90_min", row->c.p90_s);
		minutes(c, "from_kiosk_min", row->c.from_kiosk_s);
		cJSON_AddNumberToObject(c, "wishes_30d", (double)row->wishes);
		cJSON_AddItemToArray(cats, c);
	}
	cJSON *gaps = cJSON_AddArrayToObject(j, "gaps");
	for (int k = 0; gaps && k < r->ngaps; k++)
		cJSON_AddItemToArray(gaps, cJSON_CreateString(r->std.items[r->gaps[k]].id));
	if (!cats || !gaps || !cJSON_GetObjectItem(j, "generated_at")) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int kiosk_coverage_heat(struct kiosk_store *st, const struct geo_standard *std, int item,
			double lat, double lon, struct kiosk_coverage_heat *out)
{
	memset(out, 0, sizeof *out);
	if (item < 0 || item >= std->nitems)
		return KIOSK_EINVAL;
	out->item = item;
	out->threshold_s = std->items[item].minutes * 60.0;
	out->kiosk_lat = lat;
	out->kiosk_lon = lon;
	struct kiosk_service *s;
	size_t n;
	int rc = load(st, &s, &n, &out->g);
	if (rc == KIOSK_OK && (!out->g || !geo_graph_nodes(out->g)))
		rc = KIOSK_ENOENT;
	struct geo_coverage_work *w = NULL;
	if (rc == KIOSK_OK) {
		out->seconds = kiosk_malloc(geo_graph_nodes(out->g) * sizeof *out->seconds);
		out->places = kiosk_malloc((n ? n : 1) * sizeof *out->places);
		rc = out->seconds && out->places ? geo_coverage_work_new(out->g, &w) : KIOSK_ENOMEM;
	}
	const struct geo_std_item *it = &std->items[item];
	for (size_t k = 0; rc == KIOSK_OK && k < n; k++)
		for (int c = 0; c < it->ncats; c++)
			if (strcmp(it->cats[c], s[k].category) == 0 &&
			    geo_snap(out->g, s[k].lat, s[k].lon, &out->places[out->nplaces]) ==
				    KIOSK_OK) {
				out->nplaces++;
				break;
			}
	struct geo_snap *snaps = NULL;
	size_t off;
	if (rc == KIOSK_OK)
		rc = kiosk_map_homes(st, &out->homes, &out->nhomes);
	if (rc == KIOSK_OK)
		rc = geo_coverage_snap_homes(out->g, out->homes, out->nhomes, &snaps, &off);
	if (rc == KIOSK_OK && out->nhomes &&
	    !(out->home_seconds = kiosk_malloc(out->nhomes * sizeof *out->home_seconds)))
		rc = KIOSK_ENOMEM;
	struct geo_coverage cov;
	if (rc == KIOSK_OK)
		rc = geo_coverage_of(out->g, w, out->places, out->nplaces, snaps, out->nhomes, NULL,
				     GEO_SPEED, out->threshold_s, &cov, out->home_seconds);
	if (rc == KIOSK_OK)
		geo_coverage_node_seconds(out->g, w, GEO_SPEED, out->seconds);
	kiosk_free(snaps);
	geo_coverage_work_free(w);
	kiosk_free(s);
	if (rc)
		kiosk_coverage_heat_free(out);
	return rc;
}

void kiosk_coverage_heat_free(struct kiosk_coverage_heat *h)
{
	geo_graph_free(h->g);
	kiosk_free(h->seconds);
	kiosk_free(h->places);
	kiosk_free(h->homes);
	kiosk_free(h->home_seconds);
	memset(h, 0, sizeof *h);
}
