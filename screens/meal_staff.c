/* 助餐 at the canteen's end: staff log in (operator role canteen, their id and PIN) and
 * serve tickets — scanned (the ticket's QR) or typed (its number). Each is served once:
 * the second time says 已取过 plainly, as do another day's ticket, a cancelled one and a
 * number that is no ticket. What was served is the core's word (meal.served), never the
 * screen's. Leaving logs the staff out. */
#include "screens/meal.h"
#include "screens/scan.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/draw.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static struct {
	enum { STAFF_ID, STAFF_PIN, SERVE } st;
	char id[12], pin[12], number[12];
	bool asking;
	uint32_t req;
	char msg[200];
	bool good; /* the last word is a ticket served */
} k;

static void staff_enter(struct ui *ui)
{
	(void)ui;
	memset(&k, 0, sizeof k);
}

static void staff_leave(struct ui *ui)
{
	(void)ui;
	memset(&k, 0, sizeof k); /* the PIN typed goes with it */
}

static void ask(struct ui *ui, struct kiosk_cmd *cmd)
{
	k.msg[0] = '\0';
	k.asking = kiosk_core_submit(ui->core, cmd, &k.req) == KIOSK_OK;
	memset(cmd, 0, sizeof *cmd);
}

static int staff_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	if (strcmp(ev->id, "nav.back") == 0) { /* staff go: logged out with the session */
		ui_nav_home(ui, true);
		return 1;
	}
	char *buf = k.st == STAFF_ID ? k.id : k.st == STAFF_PIN ? k.pin : k.number;
	size_t cap = k.st == SERVE ? 9 : sizeof k.id;
	if (ui_edit(buf, cap, ev->id)) {
		if (k.st != SERVE)
			k.msg[0] = '\0';
		return 1;
	}
	if (strcmp(ev->id, "key.ok") != 0 || k.asking)
		return 0;
	if (k.st == STAFF_ID) {
		k.st = k.id[0] ? STAFF_PIN : STAFF_ID;
		return 1;
	}
	struct kiosk_cmd cmd = {.type = k.st == STAFF_PIN ? KIOSK_CMD_MEAL_LOGIN
							  : KIOSK_CMD_MEAL_SERVE};
	if (k.st == STAFF_PIN) {
		snprintf(cmd.u.login.id, sizeof cmd.u.login.id, "%s", k.id);
		snprintf(cmd.u.login.pin, sizeof cmd.u.login.pin, "%s", k.pin);
		memset(k.pin, 0, sizeof k.pin);
	} else {
		snprintf(cmd.u.meal.number, sizeof cmd.u.meal.number, "%s", k.number);
	}
	ask(ui, &cmd);
	return 1;
}

/* What a serve came to, in the staff's words. */
static void said(struct ui *ui, const struct kiosk_result *r)
{
	const struct kiosk_meal_view *v = ui_meal_find(ui, r->u.meal.meal);
	k.good = r->rc == KIOSK_OK;
	if (r->rc == KIOSK_OK)
		snprintf(k.msg, sizeof k.msg, "%s %s ×%d（%s）", ui_tr(ui, "meal.served"),
			 v ? ui_meal_name(ui, v) : r->u.meal.meal, r->u.meal.portions,
			 r->u.meal.number);
	else
		snprintf(k.msg, sizeof k.msg, "%s",
			 ui_tr(ui, r->rc == KIOSK_EEXIST	? "meal.served_already"
				   : r->rc == KIOSK_EEXPIRED ? "meal.not_today"
				   : r->rc == KIOSK_ESTATE	? "meal.ticket_void"
				   : r->rc == KIOSK_ENOENT	? "meal.no_such_ticket"
							: "meal.number_eight"));
	memset(k.number, 0, sizeof k.number);
}

static void staff_tick(struct ui *ui)
{
	struct kiosk_result r;
	uint32_t req;
	if (k.st == SERVE && !k.asking && ui_scan_taken(ui, "meal_serve", &req)) {
		k.asking = true;
		k.req = req;
	}
	if (!k.asking || !kiosk_core_result(ui->core, k.req, &r))
		return;
	k.asking = false;
	ui_dirty(ui);
	if (k.st == STAFF_PIN) {
		if (r.rc == KIOSK_OK) {
			k.st = SERVE;
			k.msg[0] = '\0';
		} else {
			k.st = STAFF_ID;
			memset(k.id, 0, sizeof k.id);
			snprintf(k.msg, sizeof k.msg, "%s",
				 ui_tr(ui, r.rc == KIOSK_ELOCKED ? "meal.staff_locked" : "maint.denied"));
		}
		return;
	}
	if (r.type == KIOSK_CMD_SCAN_AT && r.rc != KIOSK_OK) {
		k.good = false;
		snprintf(k.msg, sizeof k.msg, "%s", ui_tr(ui, "meal.not_a_ticket"));
		return;
	}
	said(ui, &r);
}

static void staff_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 16);
	ui_text_fit(ui, ui_tr(ui, "meal.staff_title"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 20);
	ui_button(ui, "nav.back", bottom, k.st == SERVE ? "meal.staff_done" : "nav.back",
		  UI_C_MUTED);
	if (k.st == SERVE && k.msg[0]) { /* the last ticket's word, large */
		int mp = ui_text_px(ui, 44);
		SDL_Rect mr = ui_take_top(&rest, ui_label_height(ui, k.msg, mp, true, rest.w) + 24, 12);
		ui_fill_round(ui, mr, 16, k.good ? (SDL_Color){0xE3, 0xF1, 0xEC, 0xFF}
						 : (SDL_Color){0xFB, 0xE9, 0xE7, 0xFF});
		ui_label(ui, k.msg, mp, k.good ? UI_C_HEADER : UI_C_ALERT, true, ui_inset(mr, 12),
			 true);
	}
	const char *prompt = k.st == STAFF_ID	 ? "meal.staff_id"
			     : k.st == STAFF_PIN ? "meal.staff_pin"
						 : "meal.serve_prompt";
	ui_meal_draw_typing(ui, rest, prompt, "meal.field",
			    k.st == STAFF_ID ? k.id : k.st == STAFF_PIN ? k.pin : k.number,
			    k.st == STAFF_PIN ? UI_FIELD_SECRET : UI_FIELD_PLAIN,
			    k.st == SERVE ? "" : k.msg);
}

static const char *staff_scan_place(const struct ui *ui)
{
	(void)ui;
	return k.st == SERVE ? "meal_serve" : NULL;
}

const struct screen ui_screen_meal_staff = {
	.name = "meal_staff",
	.flags = UI_SCREEN_OPERATOR,
	.enter = staff_enter,
	.leave = staff_leave,
	.event = staff_event,
	.draw = staff_draw,
	.tick = staff_tick,
	.busy = NULL,
	.scan_place = staff_scan_place,
};
