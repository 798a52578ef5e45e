/* The raster base map's tiles ($.map.mbtiles), read from the file and decoded on a thread
 * of their own: an SQL lookup and a PNG or JPEG decode cost 1–5 ms a tile, and a pan that
 * reveals a row of them would hold the finger's frame for tens of milliseconds. A frame
 * draws the tiles that are in and asks for the rest; each one that arrives wakes the UI
 * (ui_app_wake) for a frame with it. The newest ask is read first: the view the resident
 * is looking at now, not the one a fast pan left behind.
 *
 * UI thread only, except the reader inside. The neighbourhood given to map_tiles_open()
 * must outlive map_tiles_close(): its tile lookup is used by the reader alone. */
#ifndef KIOSK_SCREENS_MAP_TILES_H
#define KIOSK_SCREENS_MAP_TILES_H

#include "screens/ui.h"
#include "kiosk/caches.h"

struct kiosk_neighbourhood;

/* Starts the reader when nb has a base map; without one, every get says NULL. */
void map_tiles_open(const struct kiosk_neighbourhood *nb);
/* Stops and joins the reader, frees every tile. Safe when not open. */
void map_tiles_close(void);
/* Takes in what the reader finished (at the start of a frame): the tiles that came in
 * with an image, z/x/y each into in[] (at most max); how many. */
int map_tiles_collect(struct ui *ui, int (*in)[3], int max);
/* Tile z/x/y (XYZ, y from the north) as a texture owned here, valid until the next
 * map_tiles_collect() or map_tiles_close(); NULL when it is not in yet (it is asked for)
 * or the file has no such tile. */
SDL_Texture *map_tiles_get(struct ui *ui, int z, int x, int y);
/* Tiles asked for and not in yet (scripts wait for them before they look). */
int map_tiles_waiting(void);
/* The decoded tiles held and their bound. */
void map_tiles_stat(struct kiosk_cache_stat *out);

#endif
