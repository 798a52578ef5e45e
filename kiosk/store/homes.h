/* Where people live, as the map says (docs/coverage.md): the points the coverage report
 * counts residents at. Imported with the streets (kiosk_map_data.homes, kiosk_map_replace)
 * and replaced with them; read here. */
#ifndef KIOSK_STORE_HOMES_H
#define KIOSK_STORE_HOMES_H

#include "kiosk/store/store.h"

#include <stddef.h>

enum kiosk_home_kind {
	KIOSK_HOME_BUILDING = 0, /* a residential building, at its nodes' mean */
	KIOSK_HOME_LAND = 1,     /* a point of residential land with no such building on it */
};

struct kiosk_map_home {
	double lat, lon;
	enum kiosk_home_kind kind;
};

/* Every home of the stored map into *out (the caller's: kiosk_free), their number into *n
 * (0 and NULL when the map says nothing of where people live). Any connection, a
 * read-only one too. KIOSK_EDB, KIOSK_ENOMEM. */
int kiosk_map_homes(struct kiosk_store *st, struct kiosk_map_home **out, size_t *n);

#endif
