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
#define UI_MAX_WIDGETS 96
#define UI_MAX_FILLS 256
#define UI_MAX_TEXTS 160
#define UI_MAX_FIGURES 32
#define UI_NAV_DEPTH 8

enum ui_lang { UI_ZH, UI_EN };

enum ui_role { UI_ROLE_BUTTON, UI_ROLE_TOGGLE, UI_ROLE_KEY, UI_ROLE_FIELD };

struct ui_widget {
	char id[32];
	char label[64]; /* the visible text, so scripts can tap by label */
	SDL_Rect r;     /* reference-canvas coordinates */
	enum ui_role role;
	bool disabled;  /* shown (and found by scripts) but taps do nothing */
};

/* What was drawn, kept per frame for the accessibility report: filled areas (to find the
 * background behind a text) and texts with their size and colour. */
struct ui_fillrec {
	SDL_Rect r;
	SDL_Color c;
};
struct ui_textrec {
	SDL_Rect r;
	int px;
	SDL_Color fg;
	char text[48];
	bool hidden; /* covered by a toast drawn later */
	/* Did it fit? cut: ended in "…"; overflow: wider than the box it was given even at
	 * the smallest size allowed (ui.a11y fails either on a resident screen). */
	bool cut, overflow;
};

/* A modal dialog over the current screen: only its buttons take taps. */
struct ui_dialog {
	bool open;
	char title_key[32];
	char body[256];    /* already translated */
	char btn_id[2][32];
	char btn_key[2][32]; /* "" = no second button */
};

struct ui_font_set; /* screens/ui/font.h */
struct ui_textcache; /* screens/ui/textcache.h */
struct ui_sound;     /* screens/sound.h */
struct screen;      /* screens/screen.h */
struct ui_scroll;   /* screens/ui/scroll.h */

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
	/* a screen entered and not yet left: one covered by another (ui_nav_cover) stays
	 * live underneath, with its argument kept */
	bool live[UI_NAV_DEPTH];
	/* the next screens drawn ahead (warm.c): from which screen, for which language and
	 * mode, the next one, the pass's end */
	const struct screen *warm_from;
	int warm_key, warm_next;
	int64_t warm_done_ms;
	char live_arg[UI_NAV_DEPTH][64];
	char arg[64]; /* argument of the current screen (e.g. which entry a placeholder is for) */

	/* widgets drawn in the last frame, for hit testing */
	struct ui_widget widgets[UI_MAX_WIDGETS];
	int nwidgets;
	int modal_from; /* with a dialog open, only widgets from this index take taps */
	struct ui_scroll *scroll; /* the scrolling area drawn last frame (owned by the screen) */
	/* a panning area (the map) drawn last frame: drags inside it move it, two fingers
	 * pinch it; the screen takes dx, dy and zoom and clears them */
	struct {
		SDL_Rect view;
		bool active, dragging;
		int moved, last_x, last_y;
		int dx, dy;
		double zoom; /* pinch: relative change, 0 = none */
	} pan;
	/* a handwriting pad drawn last frame: a finger down in it draws a stroke into hw
	 * (opened on first use; NULL with hw_tried: no model, no handwriting); strokes counts
	 * the strokes finished, for the screen to recognise them again */
	struct {
		SDL_Rect area;
		bool active, drawing;
		unsigned long strokes;
	} sketch;
	struct ui_hw *hw;
	bool hw_tried;
	char pressed[32]; /* id under the finger, drawn pressed */
	struct ui_fillrec fills[UI_MAX_FILLS];
	int nfills;
	struct ui_textrec textrecs[UI_MAX_TEXTS];
	int ntexts;
	int texts_from; /* with a dialog open, the texts drawn on top of it start here */
	/* pictures drawn (icons, QR codes, the locker map, progress): with widgets and texts
	 * they tell the report how much of the screen's height carries something */
	SDL_Rect figures[UI_MAX_FIGURES];
	int nfigures;
	int content_y; /* where the screen's own area starts, below the header and status */
	/* what extra content this frame shows ("notice": the operator's message on home), so
	 * the report compares a control's size between modes with the same content */
	char variant[16];

	struct ui_dialog dialog;
	char toast[160]; /* translated text shown at the bottom until toast_until */
	int64_t toast_until;

	/* scans (screens/scan.c): the place last told to the core and when; the last scan
	 * said (a refusal's toast) and taken by a screen */
	char scan_sent[16];
	int64_t scan_sent_ms;
	uint32_t scan_seen, scan_taken;
	uint32_t scan_handoff; /* a scan taken on one screen for the next (home → 取件) */

	/* idle: the session ends after the timeout, with a 10 s countdown first */
	int64_t last_input_ms;
	int64_t gave_back_ms; /* the heap's free pages last given back (app.c) */
	int64_t countdown_until; /* 0 = no countdown */
	int64_t last_touch_ms;   /* the last touch or key, whatever the screen */

	/* maintenance entry: a 5 s press on the top-left corner */
	int64_t hold_since; /* 0 = not holding */
	char operator_id[32]; /* logged-in operator; "" = none */
	int exit_code;        /* set by the maintenance menu's exit / restart */

	FILE *a11y; /* --a11y-report: one JSON line per screen state visited */
	char a11y_seen[16384];

	/* every text drawn in the last frame, '\n'-separated, for scripts and tests */
	char seen[8192];
	size_t seen_len;
	char qr_seen[2048]; /* what the frame's QR codes hold, for scripts (expect-qr) */

	/* scripts run on a virtual clock: `wait` moves this offset instead of sleeping, and
	 * with virtual_base_ms set (scripts) real time does not move it at all */
	int64_t clock_offset_ms;
	int64_t virtual_base_ms;

	int64_t started_mono; /* kiosk_mono_ms() when the UI opened, for the cold-start figure */
	unsigned long frames;
	bool driver_waits;       /* the video driver can sleep until an event (X11, Wayland) */
	struct ui_sound *sound; /* NULL: clicks and speech off (screens/sound.h) */
	struct ui_speech *speech; /* NULL: $.ui.speech off */
	const char *spoken_key;   /* the instruction last spoken on this screen */
	/* 遇到问题 tapped: the problems the step offered (static keys) and where it was */
	const char *const *problems;
	char problem_where[16];
	char spoken[4096];        /* what was said, one per line (scripts check it) */
	unsigned long said;       /* utterances asked for */
	bool dirty;
	bool animating; /* something moves (spinner, countdown): keep drawing */
	bool hurry;     /* a frame drew part of what it shows (map tiles): the next one at once */
	bool waiting;   /* … or lacks what it asked for on another thread (base-map tiles),
			 * which wakes the UI when it comes (ui_app_wake); scripts wait for it */
	bool quit;
};

/* Wall-clock time as the UI sees it (UTC epoch ms, plus the script's virtual offset). */
int64_t ui_now_ms(const struct ui *ui);
/* The compartment of that id in the current snapshot; NULL when there is none. Points into
 * ui->snap: valid until the next snapshot is taken. */
const struct kiosk_compartment_view *ui_compartment(const struct ui *ui, const char *id);
/* Whether that compartment's door was last read open (false when unknown). */
bool ui_door_open(const struct ui *ui, const char *id);
/* … and open longer than the core allows (it raised door.left_open): said plainly. */
bool ui_door_left_open(const struct ui *ui, const char *id);

/* Marks the screen for redraw: nothing is drawn while nothing changed. */
static inline void ui_dirty(struct ui *ui)
{
	ui->dirty = true;
}

/* Font size scaled for 长辈模式 (×1.4, rounded up). */
int ui_text_px(const struct ui *ui, int px);
/* Smallest text allowed: 28 px, 40 px in 长辈模式. */
int ui_min_text(const struct ui *ui);
/* Shows a translated message at the bottom for a few seconds. */
void ui_toast(struct ui *ui, const char *key);
/* The same with words already made (a count filled in). */
void ui_toast_text(struct ui *ui, const char *text);
/* Opens the modal dialog (btn2 may be NULL). body is shown as given. */
void ui_dialog_open(struct ui *ui, const char *title_key, const char *body, const char *btn1_id,
		    const char *btn1_key, const char *btn2_id, const char *btn2_key);
void ui_dialog_close(struct ui *ui);

#endif
