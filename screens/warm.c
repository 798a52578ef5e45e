#include "screens/warm.h"
#include "screens/app.h"
#include "screens/screen.h"
#include "kiosk/caches.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

#define QUIET_MS 1500 /* nobody touched for this long: a step may run */
#define AGAIN_MS (KIOSK_CACHE_TEXT_IDLE_MS / 2)

/* Home's next screens, and the operator's first ones: those residents use most last, so
 * that when the text cache is full it is the operator's pages that go first. */
static const char *const next[] = {"maint_lockers", "maint_menu", "maint_login", "placeholder",
				   "more",	    "rating",	  "help",	 "courier",
				   "service",	    "directory",  "pickup",	 "map"};
#define NNEXT ((int)(sizeof next / sizeof next[0]))

static void rehearse(struct ui *ui, const struct screen *s)
{
	char arg[sizeof ui->arg];
	memcpy(arg, ui->arg, sizeof arg);
	ui->arg[0] = '\0';
	ui->stack[1] = s;
	ui->depth = 2;
	ui->live[1] = true;
	if (s->enter)
		s->enter(ui);
	ui_app_frame(ui);
	if (s->leave)
		s->leave(ui);
	ui->live[1] = false;
	ui->stack[1] = NULL;
	ui->depth = 1;
	memcpy(ui->arg, arg, sizeof arg);
	ui_app_frame(ui); /* home's own targets again, before any tap is read */
	ui_dirty(ui);
}

bool ui_warm_step(struct ui *ui, int64_t now_ms)
{
	int key = (int)ui->lang * 2 + ui->elderly;
	if (ui->depth > 1) { /* someone is using it: again once they are gone */
		ui->warm_next = 0;
		return false;
	}
	if (key != ui->warm_key) { /* another language or mode: its own texts */
		ui->warm_key = key;
		ui->warm_next = 0;
	} else if (ui->warm_next >= NNEXT && now_ms - ui->warm_done_ms >= AGAIN_MS) {
		ui->warm_next = 0;
	}
	if (ui->warm_next >= NNEXT)
		return false;
	if (ui->depth != 1 || ui->dialog.open || ui->operator_id[0] || ui->quit ||
	    now_ms - ui->last_touch_ms < QUIET_MS)
		return true; /* not now: when home is quiet again */
	const struct screen *s = ui_screen_find(next[ui->warm_next++]);
	if (s)
		rehearse(ui, s);
	if (ui->warm_next >= NNEXT)
		ui->warm_done_ms = now_ms;
	return ui->warm_next < NNEXT;
}
