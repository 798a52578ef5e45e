/* Our service categories (the life circle's: 便利店, 菜市场, 早餐, 配钥匙 …) and how OSM tags
 * map onto them. The table is documented in docs/categories.md; this file is the truth. */
#ifndef KIOSK_GEO_CATEGORY_H
#define KIOSK_GEO_CATEGORY_H

#include "kiosk/geo/osm.h"

struct geo_category {
	const char *code;    /* "key", stored with the service */
	const char *zh, *en; /* 配钥匙 / Key cutting */
};

/* Every category, in the order the directory shows them; ended by {NULL}. */
extern const struct geo_category geo_categories[];
/* The category named by code, or NULL. */
const struct geo_category *geo_category_find(const char *code);
/* The category OSM tags put a place in, or NULL when we do not list it. The first rule of
 * the table that matches wins (craft=key_cutter before shop=…). */
const struct geo_category *geo_category_of(const struct geo_tag *tags, int ntags);

#endif
