#include "kiosk/geo/osm.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

const char *geo_skip_name(enum geo_skip s)
{
	static const char *const names[GEO_SKIP_COUNT] = {
		"too many tags",	"tag too long",	      "too many nodes",
		"no valid position",	"missing node",	      "not walkable",
		"no category we list", "no name",	      "relation (not used)",
		"unusable feature",
	};
	return (unsigned)s < GEO_SKIP_COUNT ? names[s] : "?";
}

const char *geo_tag_get(const struct geo_tag *tags, int n, const char *k)
{
	for (int i = 0; i < n; i++)
		if (strcmp(tags[i].k, k) == 0)
			return tags[i].v;
	return NULL;
}

/* The element being read: its tags (copied: expat's strings live for one callback) and,
 * for a way, its node references. */
struct reader {
	struct geo_osm_cb *cb;
	XML_Parser p;
	enum { NONE, NODE, WAY, RELATION } in;
	bool bad_element; /* a limit was passed: skipped at its end */
	enum geo_skip why;
	bool saw_osm;
	int64_t id;
	double lat, lon;
	bool has_pos;
	int ntags;
	struct geo_tag tags[GEO_OSM_MAX_TAGS];
	char text[GEO_OSM_MAX_TAGS][2][GEO_OSM_MAX_TEXT + 1];
	int nrefs;
	int64_t refs[GEO_OSM_MAX_REFS];
};

static const char *attr(const XML_Char **a, const char *name)
{
	for (int i = 0; a[i]; i += 2)
		if (strcmp(a[i], name) == 0)
			return a[i + 1];
	return NULL;
}

static bool parse_i64(const char *s, int64_t *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool parse_deg(const char *s, double lim, double *out)
{
	if (!s || !*s)
		return false;
	char *end;
	double v = strtod(s, &end);
	if (*end || !isfinite(v) || fabs(v) > lim)
		return false;
	*out = v;
	return true;
}

static void skip(struct reader *r, enum geo_skip why)
{
	if (!r->bad_element) {
		r->bad_element = true;
		r->why = why;
	}
}

static void on_start(void *arg, const XML_Char *name, const XML_Char **a)
{
	struct reader *r = arg;
	if (strcmp(name, "osm") == 0) {
		r->saw_osm = true;
		const char *c = attr(a, "copyright");
		if (c && strlen(c) <= GEO_OSM_MAX_TEXT)
			snprintf(r->cb->copyright, sizeof r->cb->copyright, "%s", c);
		return;
	}
	if (strcmp(name, "node") == 0 || strcmp(name, "way") == 0) {
		r->in = name[0] == 'n' ? NODE : WAY;
		r->bad_element = false;
		r->ntags = r->nrefs = 0;
		r->has_pos = false;
		if (!parse_i64(attr(a, "id"), &r->id))
			skip(r, GEO_SKIP_BAD_COORDS);
		if (r->in == NODE) {
			r->has_pos = parse_deg(attr(a, "lat"), 90, &r->lat) &&
				     parse_deg(attr(a, "lon"), 180, &r->lon);
			if (!r->has_pos)
				skip(r, GEO_SKIP_BAD_COORDS);
		}
		return;
	}
	if (strcmp(name, "relation") == 0) {
		r->in = RELATION;
		return;
	}
	if (r->in == NONE || r->in == RELATION)
		return;
	if (strcmp(name, "tag") == 0) {
		const char *k = attr(a, "k"), *v = attr(a, "v");
		if (!k || !v)
			return;
		if (strlen(k) > GEO_OSM_MAX_TEXT || strlen(v) > GEO_OSM_MAX_TEXT) {
			skip(r, GEO_SKIP_TAG_TOO_LONG);
			return;
		}
		if (r->ntags == GEO_OSM_MAX_TAGS) {
			skip(r, GEO_SKIP_TOO_MANY_TAGS);
			return;
		}
		char(*t)[GEO_OSM_MAX_TEXT + 1] = r->text[r->ntags];
		snprintf(t[0], sizeof t[0], "%s", k);
		snprintf(t[1], sizeof t[1], "%s", v);
		r->tags[r->ntags++] = (struct geo_tag){t[0], t[1]};
		return;
	}
	if (strcmp(name, "nd") == 0 && r->in == WAY) {
		int64_t ref;
		if (!parse_i64(attr(a, "ref"), &ref)) {
			skip(r, GEO_SKIP_MISSING_NODE);
			return;
		}
		if (r->nrefs == GEO_OSM_MAX_REFS) {
			skip(r, GEO_SKIP_TOO_MANY_NODES);
			return;
		}
		r->refs[r->nrefs++] = ref;
	}
}

static void on_end(void *arg, const XML_Char *name)
{
	struct reader *r = arg;
	bool node = strcmp(name, "node") == 0, way = strcmp(name, "way") == 0;
	if (strcmp(name, "relation") == 0) {
		r->cb->skipped[GEO_SKIP_RELATION]++;
		r->in = NONE;
		return;
	}
	if (!node && !way)
		return;
	if (r->bad_element)
		r->cb->skipped[r->why]++;
	else if (node && r->cb->node)
		r->cb->node(r->cb->arg, r->id, r->lat, r->lon, r->tags, r->ntags);
	else if (way && r->cb->way)
		r->cb->way(r->cb->arg, r->id, r->refs, r->nrefs, r->tags, r->ntags);
	r->in = NONE;
}

/* One reader for buffers and files: feed chunks, then the end. */
static int reader_new(struct reader **out, struct geo_osm_cb *cb)
{
	struct reader *r = kiosk_calloc(1, sizeof *r);
	if (!r)
		return KIOSK_ENOMEM;
	r->p = XML_ParserCreate("UTF-8");
	if (!r->p) {
		kiosk_free(r);
		return KIOSK_ENOMEM;
	}
	memset(cb->skipped, 0, sizeof cb->skipped);
	cb->copyright[0] = '\0';
	r->cb = cb;
	XML_SetUserData(r->p, r);
	XML_SetElementHandler(r->p, on_start, on_end);
	*out = r;
	return KIOSK_OK;
}

static int feed(struct reader *r, const char *buf, size_t len, bool last, char *why, size_t wlen)
{
	if (XML_Parse(r->p, buf, (int)len, last) == XML_STATUS_ERROR) {
		snprintf(why, wlen, "line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(r->p),
			 XML_ErrorString(XML_GetErrorCode(r->p)));
		return KIOSK_EPARSE;
	}
	if (last && !r->saw_osm) {
		snprintf(why, wlen, "not OpenStreetMap XML (no <osm> element)");
		return KIOSK_EPARSE;
	}
	return KIOSK_OK;
}

static void reader_free(struct reader *r)
{
	if (!r)
		return;
	XML_ParserFree(r->p);
	kiosk_free(r);
}

int geo_osm_parse(const char *buf, size_t len, struct geo_osm_cb *cb, char *why, size_t wlen)
{
	struct reader *r;
	int rc = reader_new(&r, cb);
	if (rc)
		return rc;
	/* expat takes int lengths: feed in pieces */
	while (rc == KIOSK_OK && len > (1u << 20)) {
		rc = feed(r, buf, 1u << 20, false, why, wlen);
		buf += 1u << 20;
		len -= 1u << 20;
	}
	if (rc == KIOSK_OK)
		rc = feed(r, buf, len, true, why, wlen);
	reader_free(r);
	return rc;
}

int geo_osm_parse_file(const char *path, size_t max_bytes, struct geo_osm_cb *cb, char *why,
		       size_t wlen)
{
	size_t total = 0, max = max_bytes ? max_bytes : GEO_IMPORT_MAX_DEFAULT;
	gzFile f = gzopen(path, "rb");
	if (!f) {
		snprintf(why, wlen, "%s: %s", path, strerror(errno ? errno : ENOENT));
		return errno == ENOENT ? KIOSK_ENOENT : KIOSK_EIO;
	}
	struct reader *r;
	int rc = reader_new(&r, cb);
	if (rc)
		goto out_file;
	enum { CHUNK = 64 * 1024 };
	char *buf = kiosk_malloc(CHUNK);
	if (!buf) {
		rc = KIOSK_ENOMEM;
		reader_free(r);
		goto out_file;
	}
	for (;;) {
		int n = gzread(f, buf, CHUNK);
		if (n < 0) {
			int e;
			snprintf(why, wlen, "%s: %s", path, gzerror(f, &e));
			rc = KIOSK_EIO;
			break;
		}
		total += (size_t)n;
		if (total > max) { /* counted unpacked: a small .gz may hold a large file */
			snprintf(why, wlen,
				 "%s: larger than %zu MB unpacked (map.max_mb): cut the area, or raise "
				 "the limit",
				 path, max >> 20);
			rc = KIOSK_ENOSPACE;
			break;
		}
		rc = feed(r, buf, (size_t)n, n == 0, why, wlen);
		if (rc || n == 0)
			break;
	}
	kiosk_free(buf);
	reader_free(r);
out_file:
	gzclose(f);
	return rc;
}
