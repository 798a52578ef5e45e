/* Finding and opening the CJK font.
 *
 * We ask fontconfig for lang=zh-cn and open the exact face it names: Noto CJK ships as a
 * .ttc whose face 0 is Japanese, and Japanese glyph forms look wrong to Chinese readers.
 * One face per weight is opened on first use and kept until ui_fonts_free(); its size is
 * set on each ui_font_get(). */
#ifndef KIOSK_SCREENS_FONT_H
#define KIOSK_SCREENS_FONT_H

#include "kiosk/caches.h"
#include "kiosk/errors.h"
#include <SDL_ttf.h>
#include <stdbool.h>
#include <stdint.h>

struct ui_font_set;

struct ui_font_face {
	char file[512];
	int index;
};

/* Finds a regular (and, if present, bold) face covering simplified Chinese. When path is
 * not empty it is used as given with index. Returns KIOSK_OK, or KIOSK_ENOFONT with a
 * message already logged. */
int ui_font_find(const char *path, int index, struct ui_font_face *regular,
		 struct ui_font_face *bold);

/* *out owned by the caller, freed with ui_fonts_free(). */
int ui_fonts_new(const struct ui_font_face *regular, const struct ui_font_face *bold,
		 struct ui_font_set **out);
void ui_fonts_free(struct ui_font_set *fs);
/* Borrowed from the set and set to px, valid until the next ui_font_get() of the same
 * weight; NULL if the face cannot be opened or set at that size. */
TTF_Font *ui_font_get(struct ui_font_set *fs, int px, bool bold);
/* Once no text was measured or drawn for KIOSK_CACHE_FONT_QUIET_MS, unmaps the pages of
 * the font files read (they stay in the page cache; the next glyph read maps its page
 * again, a minor fault): strings once drawn live in the text cache, and a 20 MB CJK
 * file's touched pages would otherwise count as the kiosk's own memory through the night.
 * Quiet, not at once: the next screen's texts read the same tables again. Returns whether
 * pages are still held (the caller wakes again to give them back). UI thread. */
bool ui_fonts_tick(struct ui_font_set *fs, int64_t now_ms);
/* Gives the pages back now (ui_fonts_tick's quiet spell; the bench, between screens). */
void ui_fonts_give_back(struct ui_font_set *fs);
/* How many times a face changed size: the cost of sharing one face, for the bench. */
unsigned long ui_fonts_resizes(const struct ui_font_set *fs);
/* The faces open and their bound (bytes not counted: FreeType's own). */
void ui_fonts_stat(const struct ui_font_set *fs, struct kiosk_cache_stat *out);

#endif
