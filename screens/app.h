/* The UI application: window, renderer, fonts, the screen stack and the UI thread's event
 * loop. Runs on the main thread (SDL requires it). */
#ifndef KIOSK_SCREENS_APP_H
#define KIOSK_SCREENS_APP_H

#include "kiosk/config.h"
#include "kiosk/core.h"

#include <stdbool.h>

struct ui;

struct ui_app_opts {
	const struct kiosk_config *cfg; /* borrowed; must outlive the app */
	bool headless;                  /* SDL dummy video driver + software renderer */
	bool landscape;                 /* overrides cfg->ui_orientation when set */
	int64_t started_mono;           /* process start (kiosk_mono_ms), for cold start */
};

/* Opens video, window, renderer and fonts. Returns KIOSK_OK, or KIOSK_ENODISPLAY /
 * KIOSK_ENOFONT / another kiosk_err with the reason logged. *out owned by the caller,
 * closed with ui_app_close(). */
int ui_app_open(const struct ui_app_opts *opts, struct ui **out);

/* The core's notify callback: safe to call from the core thread. arg is the struct ui. */
void ui_app_notify(void *arg, enum kiosk_note note);
/* A frame, soon: for a screen's own thread when what it fetched is in. Any thread. */
void ui_app_wake(void);

/* Runs the UI until SDL_QUIT (window closed, SIGINT, SIGTERM) or the maintenance menu's
 * exit. Returns the process exit code the operator chose (0, or 64 = exit to desktop). */
int ui_app_run(struct ui *ui, struct kiosk_core *core);

/* Draws the current screen once (after waiting up to wait_ms for the core's first
 * snapshot) and writes it as PNG. Returns KIOSK_OK or KIOSK_EIO (logged). */
int ui_app_screenshot(struct ui *ui, struct kiosk_core *core, int wait_ms, const char *png);

void ui_app_close(struct ui *ui);
/* The UI's caches (kiosk/caches.h): text, icons, font faces and each screen's own, with
 * their fill and bounds, into out; how many written (at most max). UI thread. */
struct kiosk_cache_stat;
int ui_app_caches(const struct ui *ui, struct kiosk_cache_stat *out, int max);
/* The assets folder the UI found (i18n/, icons/, demo/). */
const char *ui_app_assets(const struct ui *ui);

/* Pieces of the loop, for the script runner (screens/ui/script.c). */
/* Sends HELLO and waits up to wait_ms for the core's first snapshot. */
int ui_app_wait_snapshot(struct ui *ui, struct kiosk_core *core, int wait_ms);
/* Handles every pending event, for up to wait_ms of real time. */
void ui_app_pump(struct ui *ui, struct kiosk_core *core, int wait_ms);
/* Draws the current screen (and records its widgets and texts); does not present. */
void ui_app_frame(struct ui *ui);
/* Idle countdown, maintenance corner, toasts, the screen's tick. Every loop turn. */
void ui_app_tick(struct ui *ui);
/* The UI time (ui_now_ms) of the next thing due by the clock alone — the idle countdown's
 * start or end, a toast's end, the maintenance corner's hold — or -1 when none is. Scripts
 * step their virtual clock through these in order. */
int64_t ui_app_next_deadline(const struct ui *ui);
/* A finger or the mouse moving while pressed (drags a scrolling list). */
void ui_app_motion(struct ui *ui, int x, int y);
/* The hardware back key (Esc, Android back): one screen back, except while the screen has
 * a door operation in progress. */
void ui_app_back_key(struct ui *ui);
/* A press (down) or release at canvas coordinates: what a finger or mouse does. */
void ui_app_pointer(struct ui *ui, bool down, int x, int y);
/* Writes what the renderer holds now as PNG. KIOSK_OK or KIOSK_EIO (logged). */
int ui_app_save_png(struct ui *ui, const char *png);

#endif
