/* OpenStreetMap XML (`.osm`, what openstreetmap.org's Export gives, optionally gzipped),
 * read as a stream with expat: each node and way is handed over with its tags as it ends,
 * so a large file is never held whole. Outside bytes: every limit is checked, and a broken
 * file is an error naming its line, never a crash. */
#ifndef KIOSK_GEO_OSM_H
#define KIOSK_GEO_OSM_H

#include <stddef.h>
#include <stdint.h>

#define GEO_OSM_MAX_TAGS 64    /* an element with more is skipped ("too many tags") */
#define GEO_OSM_MAX_TEXT 255   /* a key or value longer is skipped ("tag too long") */
#define GEO_OSM_MAX_REFS 2000  /* a way with more nodes is skipped ("too many nodes") */

struct geo_tag {
	const char *k, *v;
};

/* Why elements were left out, counted. */
enum geo_skip {
	GEO_SKIP_TOO_MANY_TAGS,
	GEO_SKIP_TAG_TOO_LONG,
	GEO_SKIP_TOO_MANY_NODES,
	GEO_SKIP_BAD_COORDS,      /* a node without a valid lat/lon */
	GEO_SKIP_MISSING_NODE,    /* a way naming a node the file does not have */
	GEO_SKIP_NOT_WALKABLE,    /* a highway a pedestrian may not use (motorway, foot=no …) */
	GEO_SKIP_NO_CATEGORY,     /* a named shop or amenity we do not list */
	GEO_SKIP_NO_NAME,         /* a place of a category we list, without a name */
	GEO_SKIP_RELATION,        /* relations are not used */
	GEO_SKIP_BAD_FEATURE,     /* GeoJSON: a feature of a shape or with fields we cannot use */
	GEO_SKIP_COUNT
};
const char *geo_skip_name(enum geo_skip s);

struct geo_osm_cb {
	/* tags are borrowed for the call */
	void (*node)(void *arg, int64_t id, double lat, double lon, const struct geo_tag *tags,
		     int ntags);
	void (*way)(void *arg, int64_t id, const int64_t *refs, int nrefs,
		    const struct geo_tag *tags, int ntags);
	void *arg;
	int64_t skipped[GEO_SKIP_COUNT]; /* filled by the reader */
	/* the root's copyright statement (<osm copyright="…">, as openstreetmap.org's export
	 * writes it), "" when the file has none; filled by the reader */
	char copyright[GEO_OSM_MAX_TEXT + 1];
};

/* Parses an OSM XML buffer. KIOSK_EPARSE with why ("line 12: mismatched tag") for a file
 * that is not well-formed XML or not <osm>; the callbacks may have run for what came
 * before (the caller writes nothing until the whole file is read). */
int geo_osm_parse(const char *buf, size_t len, struct geo_osm_cb *cb, char *why, size_t wlen);
/* A map file is read up to this many bytes (unpacked) unless told otherwise: a
 * neighbourhood is a few MB, and a city's extract would take minutes and a GB of memory. */
#define GEO_IMPORT_MAX_DEFAULT ((size_t)200 << 20)

/* The same from a file, gzip or plain (zlib tells them apart), at most max_bytes of it
 * unpacked (0: GEO_IMPORT_MAX_DEFAULT). KIOSK_EIO naming the OS reason when it cannot be
 * read; KIOSK_ENOSPACE naming the limit (and the config key that sets it) past it. */
int geo_osm_parse_file(const char *path, size_t max_bytes, struct geo_osm_cb *cb, char *why,
		       size_t wlen);

/* The value of key k among tags, or NULL. */
const char *geo_tag_get(const struct geo_tag *tags, int n, const char *k);

#endif
