/* Screens are registered like drivers: one const ops table each, listed in one
 * NULL-terminated table (screens.c), found by name. */
#ifndef KIOSK_SCREENS_SCREEN_H
#define KIOSK_SCREENS_SCREEN_H

#include "screens/ui.h"
#include "kiosk/caches.h"

enum ui_event_type {
	UI_EV_TAP, /* a widget was tapped (press and release on it) */
};

struct ui_event {
	enum ui_event_type type;
	const char *id; /* the widget; borrowed for the call */
};

/* Is ev a widget of the group (the id's prefix, "size.") and which one: true and *index
 * (0 … n-1) for "size.2"; false for any other id, a number out of range, or anything but
 * digits after the prefix. Widgets of a group are made with ids "<group><index>". */
bool ui_event_index(const struct ui_event *ev, const char *group, int n, int *index);

enum ui_screen_flags {
	UI_SCREEN_OPERATOR = 1, /* maintenance: not for residents (a11y rules, status bar) */
	UI_SCREEN_NO_IDLE = 2,  /* never times out (kept for screens mid-payment / door) */
	UI_SCREEN_NO_ELDERLY = 4, /* not reachable in 长辈模式 (the couriers' screens) */
	UI_SCREEN_ELDERLY_ONLY = 8, /* only in 长辈模式 (更多, behind its four large entries) */
	UI_SCREEN_TROUBLE = 16, /* doors, payments or codes are handled here: every state must
				 * offer 遇到问题 (its problems op; the a11y check holds it) */
};

struct screen {
	const char *name; /* stable, used by scripts: expect-screen <name> */
	unsigned flags;   /* enum ui_screen_flags */
	int idle_s;       /* idle timeout on this screen; 0 = the configured one */
	/* Called when the screen becomes current (pushed, or uncovered by a pop). Optional. */
	void (*enter)(struct ui *ui);
	/* Called when it stops being current. Optional. */
	void (*leave)(struct ui *ui);
	/* Called for each input event; returns 1 if it handled it (0 lets the shell act, e.g.
	 * nav.back). */
	int (*event)(struct ui *ui, const struct ui_event *ev);
	/* Draws the whole screen below the shell's status bar; registers its widgets. */
	void (*draw)(struct ui *ui, SDL_Rect area);
	/* Called every loop turn and when a core result arrives (to pick up a request's
	 * outcome). Optional. */
	void (*tick)(struct ui *ui);
	/* True while a payment or a door operation is in progress: the idle timeout waits.
	 * Optional. */
	bool (*busy)(const struct ui *ui);
	/* Widgets besides nav.back that lead a resident on or away (NULL-terminated; may be
	 * NULL): "finish" on a receipt, help where something failed. The a11y check fails a
	 * resident screen state that shows neither: no dead ends. */
	const char *const *exits;
	/* The spoken instruction (a string key) for the screen as it stands, or NULL. Said on
	 * entering and on each new step in 长辈模式, and by the speaker button. Optional. */
	const char *(*speech)(const struct ui *ui);
	/* What the speaker button says when the screen holds more than its instruction (the
	 * walk to a chosen place, step by step): true with the words in out; false says the
	 * instruction. Optional. */
	bool (*say)(const struct ui *ui, char *out, size_t len);
	/* The problems a person may meet at this step, as string keys "problem.<code>" (the
	 * code one of KIOSK_PROBLEMS; a screen may word it its own way, "problem.courier.
	 * parcel_missing"), NULL-terminated; NULL: none here. While it returns some, the
	 * header shows 遇到问题 in one place on every screen; a tap offers them, and the one
	 * chosen is a help call about this step. Optional. */
	const char *const *(*problems)(const struct ui *ui);
	/* Where a scan goes on this screen as it stands (KIOSK_CMD_SCAN_AT's places: "pickup",
	 * "courier_login", "deposit", "send"), or NULL: the screen takes no scan now. The core
	 * routes a scan there to its flow; the screen picks the request up (ui_scan_taken).
	 * Optional. */
	const char *(*scan_place)(const struct ui *ui);
	/* What the screen keeps between frames, each cache's fill and bounds (kiosk/caches.h)
	 * into out; how many written (at most max). Optional. */
	int (*caches)(struct kiosk_cache_stat *out, int max);
};

extern const struct screen ui_screen_home;
extern const struct screen ui_screen_placeholder;
extern const struct screen ui_screen_help;
extern const struct screen ui_screen_service;
extern const struct screen ui_screen_rating;
extern const struct screen ui_screen_maint_login;
extern const struct screen ui_screen_maint_menu;
extern const struct screen ui_screen_maint_logs;
extern const struct screen ui_screen_maint_sync;
extern const struct screen ui_screen_maint_coverage;
extern const struct screen ui_screen_pickup;
extern const struct screen ui_screen_courier;
extern const struct screen ui_screen_send;
extern const struct screen ui_screen_shop;
extern const struct screen ui_screen_maint_stock;
extern const struct screen ui_screen_maint_devices;
extern const struct screen ui_screen_maint_lockers;
extern const struct screen ui_screen_directory;
extern const struct screen ui_screen_map;
extern const struct screen ui_screen_more;
extern const struct screen ui_screen_meal;

/* The registration table, NULL-terminated. */
extern const struct screen *const ui_screens[];

/* NULL when no screen has that name. */
const struct screen *ui_screen_find(const char *name);

/* Navigation. push with an argument (copied, may be NULL); KIOSK_ENOSPACE when the stack
 * is full (logged; the current screen stays). */
int ui_nav_push(struct ui *ui, const struct screen *s, const char *arg);
void ui_nav_back(struct ui *ui);
/* Pushes s over the current screen without leaving it (遇到问题 at a door: the door's step
 * is still under way, and back returns to it as it was, not entered afresh). */
int ui_nav_cover(struct ui *ui, const struct screen *s, const char *arg);
/* Back to home, and wipe the session (language and 长辈模式 return to the defaults, the
 * operator is logged out, dialogs close). */
void ui_nav_home(struct ui *ui, bool wipe_session);
const struct screen *ui_nav_current(const struct ui *ui);

#endif
