/* A neighbourhood read from a map file, before it goes into the store: the walkable street
 * graph (nodes, edges with length and kind) and the places of the categories we list.
 * Built whole in memory from an OSM XML or GeoJSON file, and written in one transaction
 * (kiosk_map_replace), so a broken file changes nothing. */
#ifndef KIOSK_GEO_MODEL_H
#define KIOSK_GEO_MODEL_H

#include "kiosk/geo/osm.h"
#include "kiosk/store/homes.h"
#include "kiosk/store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEO_ATTRIBUTION_MAX 128
#define GEO_OSM_CREDIT "© OpenStreetMap contributors"

struct geo_model {
	struct kiosk_map_node *nodes; /* those the edges use */
	size_t nnodes;
	struct kiosk_map_edge *edges;
	size_t nedges;
	struct kiosk_service *pois;
	size_t npois;
	struct kiosk_map_home *homes; /* where people live (homes.h) */
	size_t nhomes;
	int64_t ways;                      /* walkable ways read */
	int64_t skipped[GEO_SKIP_COUNT];   /* elements left out, by reason */
	/* whom the map's data is credited to on screen: "© OpenStreetMap contributors" for
	 * OpenStreetMap's data, the file's own statement for other data, "" when a GeoJSON
	 * file names no source */
	char attribution[GEO_ATTRIBUTION_MAX];
};

/* From OSM XML (plain; the file reader unzips). KIOSK_EPARSE with why for a broken file;
 * *m is empty then. Owned by the caller: geo_model_free. */
int geo_model_from_osm(const char *buf, size_t len, struct geo_model *m, char *why, size_t wlen);
/* From GeoJSON: a FeatureCollection of LineStrings (properties.highway: streets, as OSM's
 * tags) and Points (properties as OSM tags: places). */
int geo_model_from_geojson(const char *buf, size_t len, struct geo_model *m, char *why,
			   size_t wlen);
void geo_model_free(struct geo_model *m);
/* The credit for a file's data from what it states (its copyright; NULL or "" when
 * silent), into out: a statement naming OpenStreetMap is OSM's credit in the form its
 * licence asks for; another statement is kept (control bytes as spaces, cut at a
 * character to fit); silence is OSM's credit for OSM XML (the format its data comes in)
 * and none for GeoJSON. */
void geo_attribution(const char *stated, bool osm_xml, char out[GEO_ATTRIBUTION_MAX]);

/* Reads a map file — .osm (gzip or plain) or GeoJSON, told apart by their first bytes —
 * and replaces the store's map and imported places with it, in one transaction. At most
 * max_bytes of it are read, unpacked (0: GEO_IMPORT_MAX_DEFAULT; a GeoJSON is read whole,
 * so it is held to the smaller of that and 16 MiB). *m keeps the counts (the caller frees
 * it). KIOSK_EPARSE / KIOSK_EIO / KIOSK_ENOENT / KIOSK_ENOSPACE with why. */
int geo_import_file(struct kiosk_store *st, const char *path, size_t max_bytes,
		    struct geo_model *m, char *why, size_t wlen);
/* Its two halves: the file read into *m (no store: the slow part, for a worker thread;
 * the same limits and errors), and *m written as the store's map (one transaction; path's
 * last part kept as its source). */
int geo_model_read_file(const char *path, size_t max_bytes, struct geo_model *m, char *why,
			size_t wlen);
int geo_model_store(struct kiosk_store *st, const struct geo_model *m, const char *path,
		    char *why, size_t wlen);

/* Is a way with these tags one a pedestrian may use? (motorways and foot=no are not) */
bool geo_walkable(const struct geo_tag *tags, int ntags);

#endif
