/* What a map draws that does not move with the finger's every frame (the base map, the
 * streets coloured by walking time), drawn once into square tiles of screen pixels and
 * kept while the resident pans: a frame then copies tiles. The ring of tiles just outside
 * the view is drawn ahead, a couple in each frame that drew none, so a steady pan finds
 * its next tiles ready instead of drawing a whole row in one frame. On the software renderer this is the difference between re-rasterising
 * every street each frame and copying pixels. */
#ifndef KIOSK_SCREENS_MAP_LAYER_H
#define KIOSK_SCREENS_MAP_LAYER_H

#include "screens/ui.h"
#include "kiosk/caches.h"

#define MAP_LAYER_TILE KIOSK_CACHE_MAP_TILE_PX /* pixels a side */

/* Draws tile (tx, ty) into the current render target, whose pixel (0, 0) is the map's
 * pixel (tx, ty) × MAP_LAYER_TILE. */
typedef void (*map_layer_tile_fn)(struct ui *ui, int tx, int ty, void *arg);

/* Fills view (screen pixels) from tiles, the map's pixel (0, 0) being at screen (ox, oy).
 * Tiles drawn under another gen are drawn again (a zoom, another pace, another map).
 * Fresh tiles are drawn within a few milliseconds a frame: what is left of the view shows
 * the caller's background, and ui->hurry asks the next frame at once.
 * false when it cannot (no render targets, a view too large for the cache): nothing was
 * drawn, and the caller draws directly. */
bool map_layer_draw(struct ui *ui, SDL_Rect view, int ox, int oy, unsigned long gen,
		    map_layer_tile_fn draw, void *arg);
/* Tiles under r (the map's pixels) are drawn again, each still shown until it is: what
 * is under them changed (a base-map tile came in). */
void map_layer_refresh(SDL_Rect r);
/* Frees the tiles (leaving the screen). */
void map_layer_drop(void);
/* The tiles held and their bounds. */
void map_layer_stat(struct kiosk_cache_stat *out);

#endif
