#include "kiosk/geo/build.h"
#include "kiosk/geo/category.h"
#include "kiosk/geo/homes.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Node positions by id: open addressing, grown at half full. */
struct pos {
	int64_t id;
	double lat, lon;
	bool used, crossing;
};

struct kept_way {
	int64_t id;
	int64_t *refs;
	int nrefs;
	char kind[24], name[96], name_en[96];
	unsigned flags;
};

/* A place on a way: its centre is known only once its nodes are. */
struct way_place {
	int64_t *refs;
	int nrefs;
	struct kiosk_service s;
};

/* A residential building or residential land, placed once its nodes are known. */
struct home_way {
	int64_t *refs;
	int nrefs;
	bool land;
};

struct geo_build {
	struct pos *pos;
	size_t cap, n;
	struct kept_way *ways;
	size_t nways, capways;
	struct way_place *wplaces;
	size_t nwplaces, capwplaces;
	struct kiosk_service *pois;
	size_t npois, cappois;
	struct home_way *hways;
	size_t nhways, caphways;
	struct kiosk_map_home *homes; /* the buildings first, then the land's samples */
	size_t nhomes, caphomes;
	int64_t skipped[GEO_SKIP_COUNT];
};

double geo_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double r = M_PI / 180;
	double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
	return 6371008.8 * 2 * atan2(sqrt(a), sqrt(1 - a));
}

static size_t slot(const struct geo_build *b, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h >> 17) & (b->cap - 1);
	while (b->pos[i].used && b->pos[i].id != id)
		i = (i + 1) & (b->cap - 1);
	return i;
}

static const struct pos *find(const struct geo_build *b, int64_t id)
{
	if (!b->cap)
		return NULL;
	size_t i = slot(b, id);
	return b->pos[i].used ? &b->pos[i] : NULL;
}

static int rehash(struct geo_build *b)
{
	size_t ncap = b->cap ? b->cap * 2 : 1024;
	struct pos *old = b->pos;
	size_t ocap = b->cap;
	b->pos = kiosk_calloc(ncap, sizeof *b->pos);
	if (!b->pos) {
		b->pos = old;
		return KIOSK_ENOMEM;
	}
	b->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].used)
			b->pos[slot(b, old[i].id)] = old[i];
	kiosk_free(old);
	return KIOSK_OK;
}

int geo_build_new(struct geo_build **out)
{
	*out = kiosk_calloc(1, sizeof **out);
	return *out ? KIOSK_OK : KIOSK_ENOMEM;
}

void geo_build_free(struct geo_build *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nways; i++)
		kiosk_free(b->ways[i].refs);
	for (size_t i = 0; i < b->nwplaces; i++)
		kiosk_free(b->wplaces[i].refs);
	for (size_t i = 0; i < b->nhways; i++)
		kiosk_free(b->hways[i].refs);
	kiosk_free(b->hways);
	kiosk_free(b->homes);
	kiosk_free(b->ways);
	kiosk_free(b->wplaces);
	kiosk_free(b->pos);
	kiosk_free(b->pois);
	kiosk_free(b);
}

void geo_build_skip(struct geo_build *b, enum geo_skip why)
{
	if ((unsigned)why < GEO_SKIP_COUNT)
		b->skipped[why]++;
}

/* A value that says something: NULL for none, empty, or only blanks. */
static const char *text_of(const char *v)
{
	for (const char *p = v; p && *p; p++)
		if (*p != ' ' && *p != '\t')
			return v;
	return NULL;
}

/* Control bytes in a name or an address would break a line on screen: spaces instead. */
static void plain(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			*s = ' ';
}

void geo_text_line(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= cap) {
		n = cap - 1;
		while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
	plain(dst);
}

/* A place from tags, or why not: names are name:zh, then name; English name:en, then
 * name. Returns 1 for a place, 0 for none (skip counted when it looked like one). */
static int place_of(struct geo_build *b, const char *prefix, int64_t id,
		    const struct geo_tag *tags, int ntags, struct kiosk_service *s)
{
	const struct geo_category *c = geo_category_of(tags, ntags);
	const char *name = text_of(geo_tag_get(tags, ntags, "name"));
	const char *zh = text_of(geo_tag_get(tags, ntags, "name:zh"));
	const char *en = text_of(geo_tag_get(tags, ntags, "name:en"));
	if (!c) {
		/* only what looks like a place is worth a count */
		if (name && (geo_tag_get(tags, ntags, "shop") || geo_tag_get(tags, ntags, "amenity") ||
			     geo_tag_get(tags, ntags, "craft")))
			geo_build_skip(b, GEO_SKIP_NO_CATEGORY);
		return 0;
	}
	if (!zh && !name) {
		geo_build_skip(b, GEO_SKIP_NO_NAME);
		return 0;
	}
	memset(s, 0, sizeof *s);
	snprintf(s->id, sizeof s->id, "%s%lld", prefix, (long long)id);
	snprintf(s->name_zh, sizeof s->name_zh, "%s", zh ? zh : name);
	snprintf(s->name_en, sizeof s->name_en, "%s", en ? en : name ? name : zh);
	snprintf(s->category, sizeof s->category, "%s", c->code);
	const char *street = geo_tag_get(tags, ntags, "addr:street");
	const char *num = geo_tag_get(tags, ntags, "addr:housenumber");
	const char *full = geo_tag_get(tags, ntags, "addr:full");
	if (full)
		snprintf(s->address, sizeof s->address, "%s", full);
	else if (street)
		snprintf(s->address, sizeof s->address, "%s%s%s", street, num ? " " : "",
			 num ? num : "");
	const char *phone = geo_tag_get(tags, ntags, "phone");
	if (!phone)
		phone = geo_tag_get(tags, ntags, "contact:phone");
	snprintf(s->phone, sizeof s->phone, "%s", phone ? phone : "");
	const char *oh = geo_tag_get(tags, ntags, "opening_hours");
	snprintf(s->opening_hours, sizeof s->opening_hours, "%s", oh ? oh : "");
	const char *d = geo_tag_get(tags, ntags, "description");
	snprintf(s->description, sizeof s->description, "%s", d ? d : "");
	char *fields[] = {s->name_zh, s->name_en, s->address, s->phone, s->opening_hours,
			  s->description};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		plain(fields[i]);
	return 1;
}

int geo_build_node(struct geo_build *b, int64_t id, double lat, double lon,
		   const struct geo_tag *tags, int ntags)
{
	if (!isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 || fabs(lon) > 180) {
		geo_build_skip(b, GEO_SKIP_BAD_COORDS);
		return KIOSK_OK;
	}
	if ((b->n + 1) * 2 > b->cap && rehash(b))
		return KIOSK_ENOMEM;
	size_t i = slot(b, id);
	if (!b->pos[i].used)
		b->n++;
	const char *hw = geo_tag_get(tags, ntags, "highway");
	b->pos[i] = (struct pos){id, lat, lon, true,
				 (hw && strcmp(hw, "crossing") == 0) ||
					 geo_tag_get(tags, ntags, "crossing") != NULL};
	if (ntags && geo_home_building(tags, ntags)) { /* a house mapped as a point */
		if (kiosk_grow((void **)&b->homes, &b->caphomes, b->nhomes, sizeof *b->homes))
			return KIOSK_ENOMEM;
		b->homes[b->nhomes++] = (struct kiosk_map_home){lat, lon, KIOSK_HOME_BUILDING};
	}
	struct kiosk_service s;
	if (ntags && place_of(b, "osm-n", id, tags, ntags, &s)) {
		if (kiosk_grow((void **)&b->pois, &b->cappois, b->npois, sizeof *b->pois))
			return KIOSK_ENOMEM;
		s.lat = lat;
		s.lon = lon;
		b->pois[b->npois++] = s;
	}
	return KIOSK_OK;
}

bool geo_walkable(const struct geo_tag *tags, int ntags)
{
	static const char *const no[] = {"motorway", "motorway_link", "trunk",	   "trunk_link",
					 "construction", "proposed",    "raceway", "bus_guideway",
					 "abandoned",    "platform",    NULL};
	const char *hw = geo_tag_get(tags, ntags, "highway");
	if (!hw)
		return false;
	const char *foot = geo_tag_get(tags, ntags, "foot");
	bool foot_yes = foot && (strcmp(foot, "yes") == 0 || strcmp(foot, "designated") == 0 ||
				 strcmp(foot, "permissive") == 0);
	if (foot && strcmp(foot, "no") == 0)
		return false;
	const char *access = geo_tag_get(tags, ntags, "access");
	if (access && (strcmp(access, "no") == 0 || strcmp(access, "private") == 0) && !foot_yes)
		return false;
	for (int i = 0; no[i]; i++)
		if (strcmp(hw, no[i]) == 0)
			return foot_yes && strncmp(hw, "trunk", 5) == 0; /* a trunk with a footway */
	return true;
}

static int64_t *copy_refs(const int64_t *refs, int n)
{
	int64_t *r = kiosk_malloc((size_t)(n ? n : 1) * sizeof *r);
	if (r && n)
		memcpy(r, refs, (size_t)n * sizeof *r);
	return r;
}

int geo_build_way(struct geo_build *b, int64_t id, const int64_t *refs, int nrefs,
		  const struct geo_tag *tags, int ntags)
{
	const char *hw = geo_tag_get(tags, ntags, "highway");
	if (hw && nrefs >= 2) {
		if (!geo_walkable(tags, ntags)) {
			geo_build_skip(b, GEO_SKIP_NOT_WALKABLE);
		} else {
			if (kiosk_grow((void **)&b->ways, &b->capways, b->nways, sizeof *b->ways))
				return KIOSK_ENOMEM;
			struct kept_way *w = &b->ways[b->nways];
			memset(w, 0, sizeof *w);
			if (!(w->refs = copy_refs(refs, nrefs)))
				return KIOSK_ENOMEM;
			w->id = id;
			w->nrefs = nrefs;
			snprintf(w->kind, sizeof w->kind, "%s", hw);
			const char *zh = text_of(geo_tag_get(tags, ntags, "name:zh"));
			const char *name = text_of(geo_tag_get(tags, ntags, "name"));
			const char *en = text_of(geo_tag_get(tags, ntags, "name:en"));
			geo_text_line(w->name, sizeof w->name, zh ? zh : name);
			geo_text_line(w->name_en, sizeof w->name_en, en);
			const char *fw = geo_tag_get(tags, ntags, "footway");
			w->flags = (strcmp(hw, "steps") == 0 ? KIOSK_EDGE_STEPS : 0) |
				   ((fw && strcmp(fw, "crossing") == 0) ? KIOSK_EDGE_CROSSING : 0);
			b->nways++;
		}
	}
	bool land = nrefs >= 4 && refs[0] == refs[nrefs - 1] && geo_home_land(tags, ntags);
	if (nrefs >= 1 && (land || geo_home_building(tags, ntags))) {
		if (kiosk_grow((void **)&b->hways, &b->caphways, b->nhways, sizeof *b->hways))
			return KIOSK_ENOMEM;
		struct home_way *h = &b->hways[b->nhways];
		if (!(h->refs = copy_refs(refs, nrefs)))
			return KIOSK_ENOMEM;
		h->nrefs = nrefs;
		h->land = land;
		b->nhways++;
	}
	struct kiosk_service s;
	if (nrefs >= 1 && place_of(b, "osm-w", id, tags, ntags, &s)) {
		if (kiosk_grow((void **)&b->wplaces, &b->capwplaces, b->nwplaces, sizeof *b->wplaces))
			return KIOSK_ENOMEM;
		struct way_place *p = &b->wplaces[b->nwplaces];
		if (!(p->refs = copy_refs(refs, nrefs)))
			return KIOSK_ENOMEM;
		p->nrefs = nrefs;
		p->s = s;
		b->nwplaces++;
	}
	return KIOSK_OK;
}

/* The buildings at their known nodes' mean, then the land that holds none of them
 * sampled (homes.c). A shape none of whose nodes the file has is left out. */
static int finish_homes(struct geo_build *b)
{
	size_t nland = 0, npts = 0;
	for (size_t i = 0; i < b->nhways; i++)
		if (b->hways[i].land) {
			nland++;
			npts += (size_t)b->hways[i].nrefs;
		}
	for (size_t i = 0; i < b->nhways; i++) {
		const struct home_way *h = &b->hways[i];
		double lat = 0, lon = 0;
		int known = 0;
		for (int k = 0; !h->land && k < h->nrefs; k++) {
			const struct pos *q = find(b, h->refs[k]);
			if (q && !(k == h->nrefs - 1 && h->nrefs > 1 && h->refs[0] == h->refs[k])) {
				lat += q->lat;
				lon += q->lon;
				known++;
			}
		}
		if (known) {
			if (kiosk_grow((void **)&b->homes, &b->caphomes, b->nhomes, sizeof *b->homes))
				return KIOSK_ENOMEM;
			b->homes[b->nhomes++] =
				(struct kiosk_map_home){lat / known, lon / known, KIOSK_HOME_BUILDING};
		}
	}
	if (!nland)
		return KIOSK_OK;
	struct geo_ring *rings = kiosk_calloc(nland, sizeof *rings);
	double(*pts)[2] = kiosk_calloc(npts, sizeof *pts);
	int rc = rings && pts ? KIOSK_OK : KIOSK_ENOMEM;
	size_t nr = 0, at = 0;
	for (size_t i = 0; rc == KIOSK_OK && i < b->nhways; i++) {
		const struct home_way *h = &b->hways[i];
		if (!h->land)
			continue;
		int known = 0;
		for (int k = 0; k < h->nrefs; k++) {
			const struct pos *q = find(b, h->refs[k]);
			if (q) {
				pts[at + (size_t)known][0] = q->lat;
				pts[at + (size_t)known][1] = q->lon;
				known++;
			}
		}
		if (known < h->nrefs) { /* cut by the file's edge: its shape is not known */
			b->skipped[GEO_SKIP_MISSING_NODE]++;
			continue;
		}
		rings[nr++] = (struct geo_ring){(const double(*)[2])(pts + at), known};
		at += (size_t)known;
	}
	if (rc == KIOSK_OK)
		rc = geo_homes_of_land(b->homes, b->nhomes, rings, nr, &b->homes, &b->nhomes,
				       &b->caphomes);
	kiosk_free(rings);
	kiosk_free(pts);
	return rc;
}

int geo_build_finish(struct geo_build *b, struct geo_model *m)
{
	memset(m, 0, sizeof *m);
	int rc = KIOSK_OK;
	size_t capn = 0, cape = 0;
	/* which nodes the edges use: marked in the position table (crossing keeps its bit) */
	bool *usedn = b->cap ? kiosk_calloc(b->cap, sizeof *usedn) : NULL;
	if (b->cap && !usedn)
		return KIOSK_ENOMEM;
	for (size_t w = 0; rc == KIOSK_OK && w < b->nways; w++) {
		const struct kept_way *kw = &b->ways[w];
		bool missing = false;
		for (int i = 0; i + 1 < kw->nrefs && rc == KIOSK_OK; i++) {
			const struct pos *p = find(b, kw->refs[i]), *q = find(b, kw->refs[i + 1]);
			if (!p || !q) {
				missing = true;
				continue;
			}
			if (p->id == q->id)
				continue;
			if ((rc = kiosk_grow((void **)&m->edges, &cape, m->nedges, sizeof *m->edges)))
				break;
			struct kiosk_map_edge *e = &m->edges[m->nedges++];
			memset(e, 0, sizeof *e);
			e->a = p->id;
			e->b = q->id;
			e->length_m = geo_distance_m(p->lat, p->lon, q->lat, q->lon);
			snprintf(e->kind, sizeof e->kind, "%s", kw->kind);
			memcpy(e->name, kw->name, sizeof e->name);
			memcpy(e->name_en, kw->name_en, sizeof e->name_en);
			e->flags = kw->flags | ((p->crossing || q->crossing) &&
							strcmp(kw->kind, "footway") == 0
						? KIOSK_EDGE_CROSSING
						: 0);
			usedn[p - b->pos] = usedn[q - b->pos] = true;
		}
		if (missing)
			b->skipped[GEO_SKIP_MISSING_NODE]++;
		m->ways++;
	}
	for (size_t i = 0; rc == KIOSK_OK && i < b->cap; i++) {
		if (!usedn[i])
			continue;
		if ((rc = kiosk_grow((void **)&m->nodes, &capn, m->nnodes, sizeof *m->nodes)))
			break;
		m->nodes[m->nnodes++] = (struct kiosk_map_node){b->pos[i].id, b->pos[i].lat,
								 b->pos[i].lon};
	}
	kiosk_free(usedn);
	/* places on ways: at the mean of their known nodes */
	for (size_t i = 0; rc == KIOSK_OK && i < b->nwplaces; i++) {
		struct way_place *p = &b->wplaces[i];
		double lat = 0, lon = 0;
		int known = 0;
		for (int k = 0; k < p->nrefs; k++) {
			const struct pos *q = find(b, p->refs[k]);
			if (q) {
				lat += q->lat;
				lon += q->lon;
				known++;
			}
		}
		if (!known) {
			b->skipped[GEO_SKIP_MISSING_NODE]++;
			continue;
		}
		if ((rc = kiosk_grow((void **)&b->pois, &b->cappois, b->npois, sizeof *b->pois)))
			break;
		p->s.lat = lat / known;
		p->s.lon = lon / known;
		b->pois[b->npois++] = p->s;
	}
	if (rc == KIOSK_OK)
		rc = finish_homes(b);
	if (rc) {
		geo_model_free(m);
		return rc;
	}
	m->homes = b->homes;
	m->nhomes = b->nhomes;
	b->homes = NULL;
	b->nhomes = b->caphomes = 0;
	m->pois = b->pois;
	m->npois = b->npois;
	b->pois = NULL;
	b->npois = b->cappois = 0;
	memcpy(m->skipped, b->skipped, sizeof m->skipped);
	return KIOSK_OK;
}
