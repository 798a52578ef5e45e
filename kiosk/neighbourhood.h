/* The neighbourhood as the screens see it: the streets to draw, the places with their
 * walking times from the kiosk (at a resident's pace and in 长辈模式), the directory's
 * search and the route to a place. The core builds it from the store (the imported map,
 * the platform's services) and replaces it whole when they change; a screen holds one
 * with kiosk_core_neighbourhood() and lets it go with kiosk_neighbourhood_put(). It never
 * changes while held, so the UI reads it without a lock. */
#ifndef KIOSK_NEIGHBOURHOOD_H
#define KIOSK_NEIGHBOURHOOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kiosk_core;

enum kiosk_open { KIOSK_HOURS_UNKNOWN, KIOSK_OPEN, KIOSK_CLOSED };

struct kiosk_place {
	char id[64], name_zh[128], name_en[128], category[32];
	char address[160], phone[32], hours[128], description[256];
	double lat, lon;
	double metres;          /* walked from the kiosk; < 0: no path reaches it */
	double seconds;         /* at 1.2 m/s; < 0: unreachable */
	double seconds_elderly; /* at 0.9 m/s */
};

/* A street segment: its ends, its kind (0 footway/path/steps, 1 residential/service,
 * 2 larger roads), and the walk from the kiosk to its nearer end at 1 m/s (< 0: none). */
struct kiosk_segment {
	double lat0, lon0, lat1, lon1;
	uint8_t kind;
	float cost0, cost1; /* at its two ends */
	int name;           /* index into names, -1 = unnamed */
};

struct kiosk_neighbourhood {
	double kiosk_lat, kiosk_lon;
	double min_lat, min_lon, max_lat, max_lon; /* what there is to show */
	size_t nplaces;
	const struct kiosk_place *places; /* nearest first */
	size_t nsegments;
	const struct kiosk_segment *segments;
	size_t nnames;
	const char *const *names;    /* street names (name:zh, else name) */
	const char *const *names_en; /* the same in English (name:en), "" when the map has none */
	/* whom the map's data is credited to, shown with it ("© OpenStreetMap contributors"
	 * for OSM's data, a file's own statement for other data); "" for none */
	char attribution[128];
	/* private */
	void *priv;
	int refs;
};

/* Any thread: the current one (NULL before the first is built); hold it, then put it. */
const struct kiosk_neighbourhood *kiosk_core_neighbourhood(struct kiosk_core *core);
void kiosk_neighbourhood_put(const struct kiosk_neighbourhood *nb);

/* One screen's thread only (it uses the neighbourhood's own room): places matching query
 * (hanzi, pinyin, initials, English), category (NULL/"" any), open now at local time t
 * (NULL: no filter), best first; their indices into places, at most max; how many. */
struct tm;
int kiosk_neighbourhood_search(const struct kiosk_neighbourhood *nb, const char *query,
			       const char *category, const struct tm *open_at, int *out, int max);
/* Is place i open at local time t? */
enum kiosk_open kiosk_neighbourhood_open(const struct kiosk_neighbourhood *nb, size_t i,
					 const struct tm *t);
/* The quarter-hour life circle from the kiosk: is a place of category within 15 minutes'
 * walk at a resident's pace (1.2 m/s)? The residents' 服务指南 says 本社区15分钟内：有 or
 * 无 for the category they look at (the whole map's figures are the coverage report's). */
#define KIOSK_LIFE_CIRCLE_S (15 * 60)
bool kiosk_neighbourhood_in_circle(const struct kiosk_neighbourhood *nb,
				   const char *category);
/* Place i's opening hours in words ("周一至周五 09:00–17:00；周六、周日 休息", "Daily
 * 08:00–18:00"); false and out empty when its opening_hours is missing or not understood. */
bool kiosk_neighbourhood_hours_words(const struct kiosk_neighbourhood *nb, size_t i, bool en,
				     char *out, size_t len);
/* Place i's address with its street named as the map names it in English ("Changshou Road
 * 130" for "长寿路 130"); as it is when no street of the map starts it. */
void kiosk_neighbourhood_address_en(const struct kiosk_neighbourhood *nb, size_t i, char *out,
				    size_t len);
/* The walk from the kiosk to place i as points (lat, lon pairs), at most max; how many
 * (0 when it cannot be reached). */
int kiosk_neighbourhood_route(const struct kiosk_neighbourhood *nb, size_t i,
			      double (*pts)[2], int max);

/* The walk to place i in words, one step a line and the arrival last ("沿长寿路向东走约200米\n
 * 到和平街路口右转，走约150米\n到达王师傅修鞋，在您右手边"), with the streets named as the map
 * names them in that language; how many lines (0 and out empty when nothing reaches it). */
int kiosk_neighbourhood_directions(const struct kiosk_neighbourhood *nb, size_t i, bool en,
				   char *out, size_t len);

/* The raster base map (an MBTiles file in $.map.mbtiles), one screen's thread only:
 * zooms it has (false when there is none), and the tile at XYZ z/x/y (y from the north, as
 * web maps count; the file's TMS rows are flipped here) as its image bytes (PNG or JPEG),
 * valid until the next call; false when the file has no such tile. */
bool kiosk_neighbourhood_tile_zooms(const struct kiosk_neighbourhood *nb, int *minz, int *maxz);
bool kiosk_neighbourhood_tile(const struct kiosk_neighbourhood *nb, int z, int x, int y,
			      const void **data, size_t *len);

/* The categories in the directory's order: code, Chinese and English names; NULL past
 * the last. */
bool kiosk_category(int i, const char **code, const char **zh, const char **en);

#endif
