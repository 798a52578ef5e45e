/* The touch UI's shared state and toolkit entry points.
 *
 * Screens draw in immediate mode on a reference canvas (1080×1920 portrait or 1920×1080
 * landscape) that SDL scales to the panel. Every interactive thing a screen draws is
 * registered as a widget with a stable id, so taps, tests and scripts find it by id. */
#ifndef KIOSK_SCREENS_UI_H
#define KIOSK_SCREENS_UI_H

#include "kiosk/core.h"

#include <SDL.h>
#include <stdbool.h>

#define UI_REF_W 1080
#define UI_REF_H 1920
#define UI_MAX_WIDGETS 64
#define UI_NAV_DEPTH 8

enum ui_lang { UI_ZH, UI_EN };

struct ui_widget {
	char id[32];
	char label[64]; /* the visible text, so scripts can tap by label */
	SDL_Rect r;     /* reference-canvas coordinates */
};

struct ui_font_set; /* screens/font.h */
struct ui_textcache; /* screens/textcache.h */
struct screen;      /* screens/screen.h */

struct ui {
	SDL_Window *win;
	SDL_Renderer *ren;
	int w, h; /* canvas size: 1080×1920 or 1920×1080 */
	bool landscape;
	struct ui_font_set *fonts;
	struct ui_textcache *texts;
	struct kiosk_core *core;
	struct kiosk_snapshot snap;
	const struct kiosk_config *cfg;
	char assets[512]; /* folder with i18n/, icons/ */

	/* session state: wiped on return home after idle */
	enum ui_lang lang;
	bool elderly;

	/* navigation */
	const struct screen *stack[UI_NAV_DEPTH];
	int depth;
	char arg[64]; /* argument of the current screen (e.g. which entry a placeholder is for) */

	/* widgets drawn in the last frame, for hit testing */
	struct ui_widget widgets[UI_MAX_WIDGETS];
	int nwidgets;
	char pressed[32]; /* id under the finger, drawn pressed */

	/* every text drawn in the last frame, '\n'-separated, for scripts and tests */
	char seen[8192];
	size_t seen_len;

	/* scripts run on a virtual clock: `wait` moves this offset instead of sleeping */
	int64_t clock_offset_ms;

	bool dirty;
	bool quit;
};

/* Wall-clock time as the UI sees it (UTC epoch ms, plus the script's virtual offset). */
int64_t ui_now_ms(const struct ui *ui);

/* Marks the screen for redraw: nothing is drawn while nothing changed. */
static inline void ui_dirty(struct ui *ui)
{
	ui->dirty = true;
}

/* Font size scaled for 长辈模式 (×1.4). */
int ui_text_px(const struct ui *ui, int px);

#endif
