/* An LRU cache of rendered text textures, bounded in entries and bytes (kiosk/caches.h),
 * and dropping what was not drawn for a minute.
 *
 * Rendering CJK text with SDL_ttf is slow (each glyph rasterised per call), and a screen
 * redraws the same strings every frame; the cache turns that into a texture copy. Keyed
 * by (text, pixel size, colour, bold). */
#ifndef KIOSK_SCREENS_TEXTCACHE_H
#define KIOSK_SCREENS_TEXTCACHE_H

#include "screens/ui/font.h"
#include "kiosk/caches.h"

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

/* At the start of each frame: the UI's time now (ui_now_ms), which entries drawn in the
 * frame are stamped with; entries not drawn for KIOSK_CACHE_TEXT_IDLE_MS are dropped. */
void ui_textcache_frame(struct ui_textcache *tc, int64_t now_ms);
/* The size text would have, without rendering it (kept in a table of sizes apart from the
 * textures): true and *w, *h; false for empty text or a font that failed. */
bool ui_textcache_size(struct ui_textcache *tc, const char *text, int px, bool bold, int *w,
			int *h);
/* Its fill and bounds: the textures, then the sizes. */
void ui_textcache_stat(const struct ui_textcache *tc, struct kiosk_cache_stat out[2]);

/* For tests and the benchmark. */
size_t ui_textcache_bytes(const struct ui_textcache *tc);
unsigned long ui_textcache_hits(const struct ui_textcache *tc);
unsigned long ui_textcache_misses(const struct ui_textcache *tc);

#endif
