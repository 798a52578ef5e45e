/* Inside the core: building the neighbourhood the screens read. */
#ifndef KIOSK_NEIGHBOURHOOD_INT_H
#define KIOSK_NEIGHBOURHOOD_INT_H

#include "kiosk/neighbourhood.h"
#include "kiosk/store/store.h"

/* From the store's map and services, walking from (lat, lon); *out holds one reference. */
int kiosk_neighbourhood_build(struct kiosk_store *st, double lat, double lon,
			      struct kiosk_neighbourhood **out);
/* Opens an MBTiles file (read-only) for the base map; a file that is missing or not
 * MBTiles is logged and left out (the streets are drawn all the same). */
void kiosk_neighbourhood_tiles(struct kiosk_neighbourhood *nb, const char *mbtiles);
/* The walk to place i as steps (the words' source, for tests and the bench). KIOSK_ENOENT
 * when nothing reaches it. */
struct geo_directions;
int kiosk_neighbourhood_steps(const struct kiosk_neighbourhood *nb, size_t i,
			      struct geo_directions *out);
/* One more holder. */
void kiosk_neighbourhood_hold(const struct kiosk_neighbourhood *nb);

#endif
