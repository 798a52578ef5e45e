/* Rendered texts in two LRU caches, each bounded in entries and bytes (kiosk/caches.h).
 *
 * Rendering CJK text with SDL_ttf is slow (each glyph shaped and rasterised per call), and
 * a screen redraws the same strings every frame. A text is rasterised once into its
 * coverage, a byte a pixel, keyed by (text, pixel size, bold) and kept a minute after its
 * last use; a texture in a colour, keyed by (text, size, colour, bold), is made from it in
 * microseconds and kept only while drawn. So the texts of many screens are kept ready
 * (drawn ahead at rest, warm.c) in a quarter of the memory their textures would take. */
#ifndef KIOSK_SCREENS_TEXTCACHE_H
#define KIOSK_SCREENS_TEXTCACHE_H

#include "screens/ui/font.h"
#include "kiosk/caches.h"

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct ui_textcache;

/* *out owned by the caller; textures belong to ren and die with the cache. max_bytes
 * bounds the textures, coverage_bytes the coverage. */
int ui_textcache_new(SDL_Renderer *ren, struct ui_font_set *fonts, size_t max_bytes,
		     size_t coverage_bytes, struct ui_textcache **out);
void ui_textcache_free(struct ui_textcache *tc);

/* Returns a texture owned by the cache, valid until the next ui_textcache_get() call,
 * with its size in *w, *h; NULL for empty text or when rendering failed (logged once) —
 * and, while warming, always, with the size set (the text rasterised, no texture made). */
SDL_Texture *ui_textcache_get(struct ui_textcache *tc, const char *text, int px, SDL_Color c,
			      bool bold, int *w, int *h);

/* At the start of each frame: the UI's time now (ui_now_ms), which entries drawn in the
 * frame are stamped with; textures not drawn for KIOSK_CACHE_TEXTURE_IDLE_MS, and
 * coverage not used for KIOSK_CACHE_TEXT_IDLE_MS, are dropped. */
void ui_textcache_frame(struct ui_textcache *tc, int64_t now_ms);
/* Whether any texture is kept (the loop wakes to trim them at rest). */
bool ui_textcache_holds_textures(const struct ui_textcache *tc);
/* Screens drawn ahead, never shown (warm.c): texts are rasterised, no texture is made. */
void ui_textcache_warming(struct ui_textcache *tc, bool on);
/* The size text would have, without rendering it (kept in a table of sizes apart from the
 * textures): true and *w, *h; false for empty text or a font that failed. */
bool ui_textcache_size(struct ui_textcache *tc, const char *text, int px, bool bold, int *w,
			int *h);
/* Its fill and bounds: the textures, the sizes, then the coverage. */
void ui_textcache_stat(const struct ui_textcache *tc, struct kiosk_cache_stat out[3]);

/* For tests and the benchmark: bytes of textures and coverage; misses are texts
 * rasterised. */
size_t ui_textcache_bytes(const struct ui_textcache *tc);
unsigned long ui_textcache_hits(const struct ui_textcache *tc);
unsigned long ui_textcache_misses(const struct ui_textcache *tc);

#endif
