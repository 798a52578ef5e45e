/* An LRU cache of rendered text textures, bounded in bytes.
 *
 * Rendering CJK text with SDL_ttf is slow (each glyph rasterised per call), and a screen
 * redraws the same strings every frame; the cache turns that into a texture copy. Keyed
 * by (text, pixel size, colour, bold). */
#ifndef KIOSK_SCREENS_TEXTCACHE_H
#define KIOSK_SCREENS_TEXTCACHE_H

#include "screens/ui/font.h"

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct ui_textcache;

/* *out owned by the caller; textures belong to ren and die with the cache. */
int ui_textcache_new(SDL_Renderer *ren, struct ui_font_set *fonts, size_t max_bytes,
		     struct ui_textcache **out);
void ui_textcache_free(struct ui_textcache *tc);

/* Returns a texture owned by the cache, valid until the next ui_textcache_get() call,
 * with its size in *w, *h; NULL for empty text or when rendering failed (logged once). */
SDL_Texture *ui_textcache_get(struct ui_textcache *tc, const char *text, int px, SDL_Color c,
			      bool bold, int *w, int *h);

/* For tests and the benchmark. */
size_t ui_textcache_bytes(const struct ui_textcache *tc);
unsigned long ui_textcache_hits(const struct ui_textcache *tc);
unsigned long ui_textcache_misses(const struct ui_textcache *tc);

#endif
