/* Finding and opening the CJK font.
 *
 * We ask fontconfig for lang=zh-cn and open the exact face it names: Noto CJK ships as a
 * .ttc whose face 0 is Japanese, and Japanese glyph forms look wrong to Chinese readers.
 * Fonts are opened per pixel size on first use and kept until ui_fonts_free(). */
#ifndef KIOSK_SCREENS_FONT_H
#define KIOSK_SCREENS_FONT_H

#include "kiosk/errors.h"
#include <SDL_ttf.h>
#include <stdbool.h>

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
/* Borrowed from the set; NULL if the face cannot be opened at that size. */
TTF_Font *ui_font_get(struct ui_font_set *fs, int px, bool bold);

#endif
