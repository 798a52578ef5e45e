#include "screens/warm.h"
#include "screens/app.h"
#include "screens/screen.h"
#include "screens/ui/textcache.h"
#include "kiosk/caches.h"

#include <string.h>

#define QUIET_MS 1500 /* nobody touched for this long: a step may run */
#define AGAIN_MS (KIOSK_CACHE_TEXT_IDLE_MS / 2)

/* What a screen opens next, drawn ahead while it stands quiet: home's tiles (what a
 * resident opens most last, so it is the last out of a full text cache), and the
 * operator's pages behind the login (all of them do not fit in the cache at once). */
static const char *const from_home[] = {"maint_login", "placeholder", "more",    "rating",
					"help",        "courier",     "service", "directory",
					"pickup",      "map"};
static const char *const from_login[] = {"maint_lockers", "maint_sync", "maint_logs",
					 "maint_menu"};

static int next_of(const struct screen *s, const char *const **list)
{
	if (s == &ui_screen_home) {
		*list = from_home;
		return (int)(sizeof from_home / sizeof from_home[0]);
	}
	if (s == &ui_screen_maint_login) {
		*list = from_login;
		return (int)(sizeof from_login / sizeof from_login[0]);
	}
	return 0;
}

/* Screen s drawn once above the current one, and the current one drawn again. */
static void rehearse(struct ui *ui, const struct screen *s)
{
	char arg[sizeof ui->arg];
	int d = ui->depth;
	memcpy(arg, ui->arg, sizeof arg);
	ui->arg[0] = '\0';
	ui->stack[d] = s;
	ui->depth = d + 1;
	ui->live[d] = true;
	if (s->enter)
		s->enter(ui);
	ui_textcache_warming(ui->texts, true); /* its texts rasterised, no texture made */
	ui_app_frame(ui);
	ui_textcache_warming(ui->texts, false);
	if (s->leave)
		s->leave(ui);
	ui->live[d] = false;
	ui->stack[d] = NULL;
	ui->depth = d;
	memcpy(ui->arg, arg, sizeof arg);
	ui_app_frame(ui); /* the current screen's own targets again, before any tap is read */
	ui_dirty(ui);
}

bool ui_warm_step(struct ui *ui, int64_t now_ms)
{
	const struct screen *cur = ui_nav_current(ui);
	const char *const *list = NULL;
	int n = ui->depth < UI_NAV_DEPTH ? next_of(cur, &list) : 0;
	int key = (int)ui->lang * 2 + ui->elderly;
	if (cur != ui->warm_from || key != ui->warm_key) {
		/* another screen (a visit: what it drew may have pushed the rest out of the
		 * cache), another language or mode: from the start */
		ui->warm_from = cur;
		ui->warm_key = key;
		ui->warm_next = 0;
	} else if (ui->warm_next >= n && now_ms - ui->warm_done_ms >= AGAIN_MS) {
		ui->warm_next = 0;
	}
	if (ui->warm_next >= n)
		return false;
	if (ui->dialog.open || ui->operator_id[0] || ui->quit ||
	    now_ms - ui->last_touch_ms < QUIET_MS)
		return true; /* not now: when it is quiet again */
	const struct screen *s = ui_screen_find(list[ui->warm_next++]);
	if (s)
		rehearse(ui, s);
	if (ui->warm_next >= n)
		ui->warm_done_ms = now_ms;
	return ui->warm_next < n;
}
