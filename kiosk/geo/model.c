/* Map files into a model, and a model into the store. */
#include "kiosk/geo/build.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

/* A GeoJSON is parsed whole (cJSON takes ~10x its text): a neighbourhood's is well under
 * 1 MB; a million points would be 60 MB and more, and is refused naming this. */
#define GEOJSON_MAX (16u << 20)

void geo_model_free(struct geo_model *m)
{
	kiosk_free(m->nodes);
	kiosk_free(m->edges);
	kiosk_free(m->pois);
	kiosk_free(m->homes);
	memset(m, 0, sizeof *m);
}

void geo_attribution(const char *stated, bool osm_xml, char out[GEO_ATTRIBUTION_MAX])
{
	out[0] = '\0';
	while (stated && (*stated == ' ' || *stated == '\t'))
		stated++;
	if (!stated || !*stated) {
		if (osm_xml)
			snprintf(out, GEO_ATTRIBUTION_MAX, "%s", GEO_OSM_CREDIT);
		return;
	}
	if (strcasestr(stated, "openstreetmap")) {
		snprintf(out, GEO_ATTRIBUTION_MAX, "%s", GEO_OSM_CREDIT);
		return;
	}
	geo_text_line(out, GEO_ATTRIBUTION_MAX, stated);
	for (size_t n = strlen(out); n && out[n - 1] == ' ';)
		out[--n] = '\0';
}

/* ---- OSM XML ---- */

struct osm_ctx {
	struct geo_build *b;
	int rc;
};

static void on_node(void *arg, int64_t id, double lat, double lon, const struct geo_tag *tags,
		    int ntags)
{
	struct osm_ctx *x = arg;
	if (x->rc == KIOSK_OK)
		x->rc = geo_build_node(x->b, id, lat, lon, tags, ntags);
}

static void on_way(void *arg, int64_t id, const int64_t *refs, int nrefs,
		   const struct geo_tag *tags, int ntags)
{
	struct osm_ctx *x = arg;
	if (x->rc == KIOSK_OK)
		x->rc = geo_build_way(x->b, id, refs, nrefs, tags, ntags);
}

/* Reads with parse (a buffer or a file), then builds. */
static int from_osm(int (*parse)(const void *src, size_t len, struct geo_osm_cb *cb, char *why,
				 size_t wlen),
		    const void *src, size_t len, struct geo_model *m, char *why, size_t wlen)
{
	memset(m, 0, sizeof *m);
	struct osm_ctx x = {0};
	int rc = geo_build_new(&x.b);
	if (rc)
		return rc;
	struct geo_osm_cb cb = {.node = on_node, .way = on_way, .arg = &x};
	rc = parse(src, len, &cb, why, wlen);
	if (rc == KIOSK_OK && x.rc)
		snprintf(why, wlen, "%s", kiosk_strerror(rc = x.rc));
	if (rc == KIOSK_OK)
		rc = geo_build_finish(x.b, m);
	if (rc == KIOSK_OK) {
		for (int i = 0; i < GEO_SKIP_COUNT; i++)
			m->skipped[i] += cb.skipped[i];
		geo_attribution(cb.copyright, true, m->attribution);
	}
	geo_build_free(x.b);
	return rc;
}

static int parse_buf(const void *src, size_t len, struct geo_osm_cb *cb, char *why, size_t wlen)
{
	return geo_osm_parse(src, len, cb, why, wlen);
}

/* (len: the most to read) */
static int parse_file(const void *src, size_t len, struct geo_osm_cb *cb, char *why, size_t wlen)
{
	return geo_osm_parse_file(src, len, cb, why, wlen);
}

int geo_model_from_osm(const char *buf, size_t len, struct geo_model *m, char *why, size_t wlen)
{
	return from_osm(parse_buf, buf, len, m, why, wlen);
}

/* ---- GeoJSON ---- */

/* Properties as OSM tags: string values only (others are not tags). */
static int props(const cJSON *p, struct geo_tag *tags, int max)
{
	int n = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, p)
	{
		if (n < max && cJSON_IsString(v) && v->string && strlen(v->string) <= GEO_OSM_MAX_TEXT &&
		    strlen(v->valuestring) <= GEO_OSM_MAX_TEXT)
			tags[n++] = (struct geo_tag){v->string, v->valuestring};
	}
	return n;
}

static bool point_of(const cJSON *c, double *lat, double *lon)
{
	const cJSON *x = cJSON_GetArrayItem(c, 0), *y = cJSON_GetArrayItem(c, 1);
	if (!cJSON_IsArray(c) || !cJSON_IsNumber(x) || !cJSON_IsNumber(y))
		return false;
	*lon = x->valuedouble;
	*lat = y->valuedouble;
	return isfinite(*lat) && isfinite(*lon) && fabs(*lat) <= 90 && fabs(*lon) <= 180;
}

/* GeoJSON has no node ids: a position is one node wherever lines meet at it (to 1e-7°),
 * numbered from the top of the id range down so they never meet OSM's. */
static int64_t node_id(double lat, double lon)
{
	int64_t a = (int64_t)llround((lat + 90) * 1e7), o = (int64_t)llround((lon + 180) * 1e7);
	return -(a * 3600000001LL + o) - 1;
}

static int line(struct geo_build *b, const cJSON *coords, int64_t id, const struct geo_tag *tags,
		int ntags)
{
	int n = cJSON_GetArraySize(coords);
	if (n < 2 || n > GEO_OSM_MAX_REFS) {
		geo_build_skip(b, n < 2 ? GEO_SKIP_BAD_FEATURE : GEO_SKIP_TOO_MANY_NODES);
		return KIOSK_OK;
	}
	int64_t *refs = kiosk_malloc((size_t)n * sizeof *refs);
	if (!refs)
		return KIOSK_ENOMEM;
	int rc = KIOSK_OK, k = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, coords)
	{
		double lat, lon;
		if (!point_of(c, &lat, &lon)) {
			geo_build_skip(b, GEO_SKIP_BAD_COORDS);
			kiosk_free(refs);
			return KIOSK_OK;
		}
		refs[k] = node_id(lat, lon);
		if ((rc = geo_build_node(b, refs[k], lat, lon, NULL, 0)))
			break;
		k++;
	}
	if (rc == KIOSK_OK)
		rc = geo_build_way(b, id, refs, k, tags, ntags);
	kiosk_free(refs);
	return rc;
}

int geo_model_from_geojson(const char *buf, size_t len, struct geo_model *m, char *why,
			   size_t wlen)
{
	memset(m, 0, sizeof *m);
	cJSON *j = cJSON_ParseWithLength(buf, len);
	const cJSON *feats = cJSON_GetObjectItemCaseSensitive(j, "features");
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "type"));
	if (!j || !type || strcmp(type, "FeatureCollection") != 0 || !cJSON_IsArray(feats)) {
		snprintf(why, wlen, "%s", !j ? "not JSON" : "not a GeoJSON FeatureCollection");
		cJSON_Delete(j);
		return KIOSK_EPARSE;
	}
	struct geo_build *b;
	int rc = geo_build_new(&b);
	if (rc) {
		cJSON_Delete(j);
		return rc;
	}
	int64_t seq = 0;
	const cJSON *f;
	cJSON_ArrayForEach(f, feats)
	{
		struct geo_tag tags[GEO_OSM_MAX_TAGS];
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(f, "geometry");
		const char *gt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "type"));
		const cJSON *coords = cJSON_GetObjectItemCaseSensitive(g, "coordinates");
		int ntags = props(cJSON_GetObjectItemCaseSensitive(f, "properties"), tags,
				  GEO_OSM_MAX_TAGS);
		seq++;
		if (!gt || !coords) {
			geo_build_skip(b, GEO_SKIP_BAD_FEATURE);
		} else if (strcmp(gt, "Point") == 0) {
			double lat, lon;
			if (!point_of(coords, &lat, &lon))
				geo_build_skip(b, GEO_SKIP_BAD_COORDS);
			else /* its own id: a place, not a street's node */
				rc = geo_build_node(b, seq, lat, lon, tags, ntags);
		} else if (strcmp(gt, "LineString") == 0) {
			rc = line(b, coords, seq, tags, ntags);
		} else if (strcmp(gt, "MultiLineString") == 0) {
			const cJSON *part;
			cJSON_ArrayForEach(part, coords)
			{
				if (rc == KIOSK_OK)
					rc = line(b, part, seq, tags, ntags);
			}
		} else {
			geo_build_skip(b, GEO_SKIP_BAD_FEATURE);
		}
		if (rc)
			break;
	}
	/* overpass-turbo writes "copyright" at the top; others "attribution" */
	const char *stated =
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "copyright"));
	if (!stated)
		stated = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "attribution"));
	char credit[GEO_ATTRIBUTION_MAX];
	geo_attribution(stated, false, credit);
	cJSON_Delete(j);
	if (rc == KIOSK_OK)
		rc = geo_build_finish(b, m);
	if (rc == KIOSK_OK)
		memcpy(m->attribution, credit, sizeof credit);
	geo_build_free(b);
	/* GeoJSON places have no OSM id: "osm-n<seq>" would mislead */
	for (size_t i = 0; rc == KIOSK_OK && i < m->npois; i++)
		if (strncmp(m->pois[i].id, "osm-n", 5) == 0) {
			char id[KIOSK_ID_MAX];
			snprintf(id, sizeof id, "geo-%s", m->pois[i].id + 5);
			memcpy(m->pois[i].id, id, sizeof id);
		}
	if (rc && rc != KIOSK_ENOMEM)
		snprintf(why, wlen, "%s", kiosk_strerror(rc));
	return rc;
}

/* ---- a file into the store ---- */

/* The first bytes, unzipped: '<' is XML, '{' GeoJSON. */
static int sniff(const char *path, char *first, char *why, size_t wlen)
{
	gzFile f = gzopen(path, "rb");
	if (!f) {
		int e = errno ? errno : ENOENT;
		snprintf(why, wlen, "%s: %s", path, strerror(e));
		return e == ENOENT ? KIOSK_ENOENT : KIOSK_EIO;
	}
	char buf[256];
	int n = gzread(f, buf, sizeof buf);
	gzclose(f);
	*first = 0;
	for (int i = 0; i < n; i++)
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t' &&
		    (unsigned char)buf[i] != 0xEF && (unsigned char)buf[i] != 0xBB &&
		    (unsigned char)buf[i] != 0xBF) {
			*first = buf[i];
			break;
		}
	if (*first != '<' && *first != '{') {
		snprintf(why, wlen, "%s: neither OpenStreetMap XML nor GeoJSON", path);
		return KIOSK_EPARSE;
	}
	return KIOSK_OK;
}

/* The whole file, unzipped, at most the smaller of max_bytes (0: the default) and
 * GEOJSON_MAX bytes. */
static int slurp(const char *path, size_t max_bytes, char **out, size_t *len, char *why,
		 size_t wlen)
{
	size_t max = max_bytes ? max_bytes : GEO_IMPORT_MAX_DEFAULT;
	if (max > GEOJSON_MAX)
		max = GEOJSON_MAX;
	gzFile f = gzopen(path, "rb");
	if (!f) {
		snprintf(why, wlen, "%s: %s", path, strerror(errno ? errno : EIO));
		return KIOSK_EIO;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = kiosk_malloc(cap);
	int rc = buf ? KIOSK_OK : KIOSK_ENOMEM;
	/* room for one byte past the limit, to know it was passed (unpacked: a small .gz may
	 * hold a large file) */
	while (rc == KIOSK_OK && n <= max) {
		if (n == cap) {
			size_t grow = cap * 2 < max + 1 ? cap * 2 : max + 1;
			char *p = kiosk_realloc(buf, grow);
			if (!p) {
				rc = KIOSK_ENOMEM;
				break;
			}
			buf = p;
			cap = grow;
		}
		int k = gzread(f, buf + n, (unsigned)(cap - n));
		if (k < 0) {
			int e;
			snprintf(why, wlen, "%s: %s", path, gzerror(f, &e));
			rc = KIOSK_EIO;
		} else if (k == 0) {
			break;
		}
		n += (size_t)(k > 0 ? k : 0);
	}
	if (rc == KIOSK_OK && n > max) {
		snprintf(why, wlen,
			 "%s: larger than %zu MB unpacked (map.max_mb; a GeoJSON at most %u): cut the"
			 " area, or raise the limit",
			 path, max >> 20, GEOJSON_MAX >> 20);
		rc = KIOSK_ENOSPACE;
	}
	gzclose(f);
	if (rc) {
		kiosk_free(buf);
		return rc;
	}
	*out = buf;
	*len = n;
	return KIOSK_OK;
}

int geo_model_read_file(const char *path, size_t max_bytes, struct geo_model *m, char *why,
			size_t wlen)
{
	memset(m, 0, sizeof *m);
	char first;
	int rc = sniff(path, &first, why, wlen);
	if (rc)
		return rc;
	if (first == '<') {
		rc = from_osm(parse_file, path, max_bytes, m, why, wlen);
	} else {
		char *buf;
		size_t len;
		rc = slurp(path, max_bytes, &buf, &len, why, wlen);
		if (rc == KIOSK_OK) {
			rc = geo_model_from_geojson(buf, len, m, why, wlen);
			kiosk_free(buf);
		}
	}
	if (rc == KIOSK_OK && !m->nedges && !m->npois) {
		snprintf(why, wlen, "%s: no walkable street and no place we list", path);
		rc = KIOSK_ENOENT;
	}
	return rc;
}

int geo_model_store(struct kiosk_store *st, const struct geo_model *m, const char *path,
		    char *why, size_t wlen)
{
	struct kiosk_map_data d = {.nodes = m->nodes,
				   .nnodes = m->nnodes,
				   .edges = m->edges,
				   .nedges = m->nedges,
				   .pois = m->pois,
				   .npois = m->npois,
				   .attribution = m->attribution,
				   .homes = m->homes,
				   .nhomes = m->nhomes};
	const char *base = strrchr(path, '/');
	int rc = kiosk_map_replace(st, &d, base ? base + 1 : path);
	if (rc)
		snprintf(why, wlen, "the store refused the map: %s", kiosk_strerror(rc));
	else
		KLOG_INFO("geo", "event=map_imported file=%s nodes=%zu edges=%zu places=%zu homes=%zu",
			  base ? base + 1 : path, m->nnodes, m->nedges, m->npois, m->nhomes);
	return rc;
}

int geo_import_file(struct kiosk_store *st, const char *path, size_t max_bytes,
		    struct geo_model *m, char *why, size_t wlen)
{
	int rc = geo_model_read_file(path, max_bytes, m, why, wlen);
	return rc ? rc : geo_model_store(st, m, path, why, wlen);
}
