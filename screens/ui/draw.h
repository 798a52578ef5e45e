/* Drawing primitives on the reference canvas. */
#ifndef KIOSK_SCREENS_DRAW_H
#define KIOSK_SCREENS_DRAW_H

#include "screens/ui.h"

enum ui_align { UI_ALIGN_LEFT, UI_ALIGN_CENTER, UI_ALIGN_RIGHT };

/* The palette: every text/background pair used on resident screens is ≥ 4.5:1. */
#define UI_C_BG ((SDL_Color){0xF4, 0xF1, 0xEA, 0xFF})
#define UI_C_INK ((SDL_Color){0x1B, 0x1F, 0x24, 0xFF})
#define UI_C_MUTED ((SDL_Color){0x4A, 0x50, 0x58, 0xFF})
#define UI_C_WHITE ((SDL_Color){0xFF, 0xFF, 0xFF, 0xFF})
#define UI_C_HEADER ((SDL_Color){0x0B, 0x4F, 0x4A, 0xFF})
#define UI_C_PANEL ((SDL_Color){0xFF, 0xFF, 0xFF, 0xFF})
/* what went wrong or needs doing now (a refusal, an open door, the help button) */
#define UI_C_ALERT ((SDL_Color){0xB0, 0x22, 0x22, 0xFF})
/* A control that cannot be used now: a light fill with dark grey words, so it reads as
 * "not now" next to the dark, filled ones (it once looked like 返回 beside it). */
#define UI_C_DISABLED ((SDL_Color){0xD9, 0xD6, 0xCF, 0xFF})
#define UI_C_DISABLED_INK ((SDL_Color){0x4A, 0x50, 0x58, 0xFF})

void ui_fill(struct ui *ui, SDL_Rect r, SDL_Color c);
void ui_fill_round(struct ui *ui, SDL_Rect r, int radius, SDL_Color c);
/* A thick line a→b, w wide, as two triangles into v (6 vertices) for SDL_RenderGeometry:
 * streets drawn by the thousand in one call. */
void ui_quad(SDL_Vertex *v, float x0, float y0, float x1, float y1, float w, SDL_Color c);
/* Draws one line of text with its top at y, aligned on x. Returns the line height (0 for
 * empty text). */
int ui_text(struct ui *ui, const char *s, int px, SDL_Color c, bool bold, int x, int y,
	    enum ui_align align);
/* Width and height the text would take; 0×0 when empty or unrenderable. */
void ui_text_size(struct ui *ui, const char *s, int px, bool bold, int *w, int *h);
/* Draws text centred in r, shrinking the size down to min_px until it fits the width. */
void ui_text_fit(struct ui *ui, const char *s, int px, int min_px, SDL_Color c, bool bold,
		 SDL_Rect r);
SDL_Color ui_darken(SDL_Color c, int pct);

/* Text along a line through (cx, cy) at angle (radians, y down; reading left to right,
 * so within ±90°), bold, on a band of bg: a street's name along its street. Chinese
 * characters stand upright one after another along the line, as maps here write street
 * names; other text is turned with the line. Nothing is drawn for text it cannot lay out
 * (empty, or more than 24 characters to stand up). */
void ui_text_along(struct ui *ui, const char *s, int px, SDL_Color fg, SDL_Color bg, float cx,
		   float cy, float angle);
/* Its length along the line (0: it would not be drawn). */
float ui_text_along_len(struct ui *ui, const char *s, int px, float angle);
/* The boxes it would cover on screen (one per upright character, or squares along turned
 * text), at most max; how many. For keeping labels off each other and off pins. */
int ui_text_along_boxes(struct ui *ui, const char *s, int px, float cx, float cy, float angle,
			SDL_Rect *out, int max);

#endif
