/* 取件 Pick up: the 8-digit code on a keypad, wrong-code and lockout messages with the
 * wait, the overdue fee paid by QR (the core's payment service; the door opens when the
 * platform says paid), then the door opens and the screen says which one. From there the screen
 * follows the core's pickup phase (kiosk_session_view): it holds no rule of its own about
 * the door, the fee or what is inside — it asks, and shows what the core decided. */
#include "screens/ui/draw.h"
#include "screens/ui/image.h"
#include "screens/locker_map.h"
#include "screens/pay_panel.h"
#include "screens/screen.h"
#include "screens/scan.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>


static struct {
	/* the screen's own steps: typing, asking, and showing the core's phase */
	enum { ENTER, CHECKING, FEE, PAYING, REQUESTING, FOLLOW, STUCK } st;
	char code[12];
	char comp[16];
	int64_t fee;
	char fee_why[200]; /* why that much: stored hours, the free hours, the rate */
	uint32_t req;
	char msg[200]; /* the last refusal, translated */
	int64_t locked_until; /* ui_now_ms when the lockout ends; 0 = none seen */
} p;

static void pickup_enter(struct ui *ui)
{
	memset(&p, 0, sizeof p);
	/* a lockout from wrong codes typed before: shown at once, the keypad greyed, with
	 * the time it ends (not after one more try) */
	if (ui->snap.session.pickup_locked_until_ms > ui_now_ms(ui))
		p.locked_until = ui->snap.session.pickup_locked_until_ms;
	if (ui->scan_handoff) { /* a pickup QR scanned at home: its check is under way */
		p.req = ui->scan_handoff;
		ui->scan_handoff = 0;
		p.st = CHECKING;
	}
}

static void pickup_leave(struct ui *ui)
{
	(void)ui;
	memset(p.code, 0, sizeof p.code); /* the code does not outlive the screen */
}

/* The core's pickup phase, while this screen follows it. */
static enum kiosk_pickup_phase phase(const struct ui *ui)
{
	return p.st == FOLLOW ? ui->snap.session.pickup : KIOSK_PICKUP_NONE;
}

static int pickup_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	if (p.st == ENTER && ui_edit(p.code, 9, ev->id)) {
		p.msg[0] = '\0';
		return 1;
	}
	if (p.st == ENTER && strcmp(ev->id, "key.ok") == 0) {
		if (strlen(p.code) != 8) {
			snprintf(p.msg, sizeof p.msg, "%s", ui_tr(ui, "pickup.eight"));
			return 1;
		}
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_PICKUP_CHECK};
		snprintf(cmd.u.code.digits, sizeof cmd.u.code.digits, "%s", p.code);
		if (kiosk_core_submit(ui->core, &cmd, &p.req) == KIOSK_OK)
			p.st = CHECKING;
		memset(p.code, 0, sizeof p.code);
		memset(&cmd, 0, sizeof cmd);
		return 1;
	}
	if (strcmp(ev->id, "pickup.courier") == 0)
		return ui_nav_push(ui, &ui_screen_courier, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "pickup.done") == 0 || strcmp(ev->id, "pickup.rate") == 0)
		return ui_nav_push(ui, &ui_screen_rating, "pickup") == KIOSK_OK;
	if (strcmp(ev->id, "pickup.finish") == 0) {
		ui_nav_home(ui, true);
		return 1;
	}
	/* The fee: a QR from the core's payment service, or giving it up. */
	if (strcmp(ev->id, "pickup.pay") == 0 &&
	    (p.st == FEE || (p.st == PAYING && ui_pay_failed(ui))) &&
	    kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_PAY_FEE},
			      &p.req) == KIOSK_OK) {
		p.st = PAYING;
		p.msg[0] = '\0';
		return 1;
	}
	if (strcmp(ev->id, "pickup.pay_cancel") == 0 && p.st == PAYING) {
		kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_PAY_CANCEL},
				  NULL);
		p.st = FEE;
		return 1;
	}
	if (strcmp(ev->id, "pickup.reopen") == 0 && phase(ui) == KIOSK_PICKUP_LEFT_INSIDE &&
	    kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_REOPEN},
			      &p.req) == KIOSK_OK) {
		p.st = REQUESTING;
		return 1;
	}
	return 0;
}

/* Money that explains itself: "已存放30小时，免费18小时，之后每12小时0.50元" (and what was
 * paid already), from the core's answer. */
static void fee_reason(struct ui *ui, const struct kiosk_result *r)
{
	char rate[32], paid[32] = "", paid_line[64] = "";
	ui_money(r->u.pickup.block_fen, rate, sizeof rate);
	if (r->u.pickup.paid_fen > 0) {
		ui_money(r->u.pickup.paid_fen, paid, sizeof paid);
		snprintf(paid_line, sizeof paid_line, "%s%s", ui_tr(ui, "fee.paid"), paid);
	}
	snprintf(p.fee_why, sizeof p.fee_why, "%s%d%s%s%d%s%s%d%s%s%s", ui_tr(ui, "fee.stored"),
		 r->u.pickup.stored_h, ui_tr(ui, "fee.h"), ui_tr(ui, "fee.free"),
		 r->u.pickup.free_h, ui_tr(ui, "fee.h"), ui_tr(ui, "fee.then"),
		 r->u.pickup.block_h, ui_tr(ui, "fee.per"), rate, paid_line);
}

/* A pickup QR shown to the scanner while the code is asked for: checked as if typed. */
static const char *pickup_scan_place(const struct ui *ui)
{
	(void)ui;
	return p.st == ENTER && !p.locked_until ? "pickup" : NULL;
}

static void pickup_tick(struct ui *ui)
{
	if (p.st == ENTER && ui_scan_taken(ui, "pickup", &p.req)) {
		memset(p.code, 0, sizeof p.code);
		p.msg[0] = '\0';
		p.st = CHECKING;
		ui_dirty(ui);
	}
	if (p.locked_until && ui_now_ms(ui) >= p.locked_until) {
		p.locked_until = 0;
		ui_dirty(ui);
	}
	struct kiosk_result r;
	if (p.st == PAYING) {
		/* Paid: the core opens the door; the screen follows it from here. */
		enum kiosk_pickup_phase ph = ui->snap.session.pickup;
		if (ph == KIOSK_PICKUP_OPENING || ph == KIOSK_PICKUP_OPEN || ph == KIOSK_PICKUP_STUCK) {
			p.st = FOLLOW;
			ui_dirty(ui);
		}
		if (kiosk_core_result(ui->core, p.req, &r) && r.rc != KIOSK_OK) {
			/* refused before any QR: said on the fee screen */
			p.st = FEE;
			snprintf(p.msg, sizeof p.msg, "%s",
				 ui_tr(ui, r.rc == KIOSK_ENOTSUP ? "pickup.fee_no_link" : "pay.failed"));
			ui_dirty(ui);
		}
		return;
	}
	if ((p.st != CHECKING && p.st != REQUESTING) || !kiosk_core_result(ui->core, p.req, &r))
		return;
	ui_dirty(ui);
	if (p.st == CHECKING) {
		if (r.rc == KIOSK_OK) {
			snprintf(p.comp, sizeof p.comp, "%s", r.u.pickup.compartment);
			p.fee = r.u.pickup.owed_fen;
			if (p.fee > 0) {
				fee_reason(ui, &r);
				p.st = FEE;
				return;
			}
			p.st = kiosk_core_submit(ui->core,
						 &(const struct kiosk_cmd){.type = KIOSK_CMD_PICKUP_OPEN},
						 &p.req) == KIOSK_OK
				       ? REQUESTING
				       : STUCK;
			return;
		}
		p.st = ENTER;
		memset(p.code, 0, sizeof p.code); /* the next try starts from an empty field */
		if (r.rc == KIOSK_ELOCKED) {
			/* the keypad goes grey, and the screen says when it comes back */
			p.locked_until = ui_now_ms(ui) + r.u.pickup.wait_s * 1000;
			p.msg[0] = '\0';
		} else if (r.rc == KIOSK_EPARSE) { /* a scan that is no pickup code */
			snprintf(p.msg, sizeof p.msg, "%s", ui_tr(ui, "pickup.scan_unknown"));
		} else if (r.rc == KIOSK_EDENIED) {
			char n[16], left[120];
			snprintf(n, sizeof n, "%d", r.u.pickup.tries_left);
			ui_tr_with(ui, "pickup.tries_left", n, left, sizeof left);
			snprintf(p.msg, sizeof p.msg, "%s%s", ui_tr(ui, "pickup.wrong"), left);
		} else /* the store cannot answer (a full disk): one answer for every code */
			snprintf(p.msg, sizeof p.msg, "%s",
				 ui_tr(ui, r.rc == KIOSK_EDISKFULL ? "err.disk_full" : "pickup.paused"));
		return;
	}
	/* The door's outcome is in the session now; a request refused outright is stuck. */
	p.st = r.rc == KIOSK_OK || r.rc == KIOSK_EDEVICE || r.rc == KIOSK_ETIMEDOUT ||
			       r.rc == KIOSK_EPROTO
		       ? FOLLOW
		       : STUCK;
}

/* What the code entry says under the field: the lockout and when it ends, or the last
 * refusal with the tries left ("" for nothing). */
static const char *entry_message(struct ui *ui, char *buf, size_t n)
{
	if (p.locked_until) {
		time_t at = (time_t)((p.locked_until + 59999) / 60000 * 60); /* the minute it ends */
		struct tm tm;
		char hm[8];
		localtime_r(&at, &tm);
		strftime(hm, sizeof hm, "%H:%M", &tm);
		ui_tr_with(ui, "pickup.locked_until", hm, buf, n);
		return buf;
	}
	return p.msg;
}

/* The door that did not open, by its number; 遇到问题 above tells the staff which, and
 * back leaves (nothing was taken). */
static void draw_stuck(struct ui *ui, SDL_Rect in, SDL_Rect rest)
{
	char title[96];
	if (p.comp[0])
		ui_tr_with(ui, "door.did_not_open", p.comp, title, sizeof title);
	else
		snprintf(title, sizeof title, "%s", ui_tr(ui, "pickup.stuck_title"));
	ui_message(ui, in, "alert.svg", title, UI_C_ALERT, ui_tr(ui, "pickup.stuck_body"),
		   UI_C_INK, false);
	ui_button(ui, "nav.back", rest, "nav.back", UI_C_MUTED);
}

static void draw_done(struct ui *ui, SDL_Rect in, SDL_Rect rest)
{
	ui_message(ui, in, "ok.svg", ui_tr(ui, "pickup.done_title"), UI_C_HEADER,
		   ui_tr(ui, "pickup.done_body"), UI_C_INK, false);
	ui_button(ui, "pickup.rate", ui_grid_cell(rest, 2, 1, 20, 0), "pickup.rate", UI_C_MUTED);
	ui_button(ui, "pickup.finish", ui_grid_cell(rest, 2, 1, 20, 1), "pickup.finish",
		  UI_C_HEADER);
}

static void pickup_draw(struct ui *ui, SDL_Rect area)
{
	bool entering = p.st == ENTER || p.st == CHECKING;
	/* 长辈模式 keys grow, never shrink: tighter margins pay for the larger type. */
	int gap = entering && ui->elderly ? 8 : 16;
	SDL_Rect rest = ui_inset(area, entering && ui->elderly ? 24 : 40);
	int ch = ui_control_h(ui);
	/* 长辈模式 gives the keypad the height: the instruction is the title. */
	if (!(entering && ui->elderly)) {
		SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 16);
		ui_text_fit(ui, ui_tr(ui, "home.pickup"), ui_text_px(ui, 56), 40, UI_C_INK, true,
			    t);
	}
	if (entering) {
		int hp = ui_text_px(ui, 36);
		SDL_Rect hint = ui_take_top(&rest, hp + 12, gap - 4);
		ui_text_fit(ui, ui_tr(ui, "pickup.hint"), hp, ui->elderly ? 40 : 28,
			    ui->elderly ? UI_C_INK : UI_C_MUTED, ui->elderly, hint);
		ui_field(ui, "pickup.code", ui_take_top(&rest, ch, gap), p.code, UI_FIELD_PLAIN,
			 p.st == ENTER && !p.locked_until, "pickup.placeholder");
		/* two lines kept for what the kiosk says, more when it needs them (长辈模式 in
		 * English): a refusal, the tries left and the lockout's end are never cut */
		char said[200];
		const char *text = p.st == CHECKING ? "" : entry_message(ui, said, sizeof said);
		int mp = ui_text_px(ui, 34), mh = mp * 2 + gap;
		if (text[0]) {
			int need = ui_label_height(ui, text, mp, true, rest.w);
			mh = need > mh ? need : mh;
		}
		SDL_Rect msg = ui_take_top(&rest, mh, gap);
		if (p.st == CHECKING)
			ui_spinner(ui, msg);
		else if (text[0])
			ui_label(ui, text, mp, UI_C_ALERT, true, msg, true);
		else if (ui->snap.dev[KIOSK_DEV_LOCK] == KIOSK_DEVSTATE_FAULT)
			/* Said before the code is typed: a board may be silent (others work). */
			ui_label(ui, ui_tr(ui, "pickup.locker_fault"), mp, UI_C_ALERT, true, msg, true);
		SDL_Rect bottom = ui_take_bottom(&rest, ch, gap + 4);
		if (ui->elderly) { /* the couriers' entrance is not a resident's choice */
			ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		} else {
			/* the couriers' entrance: there, but smaller than the resident's own */
			SDL_Rect back = bottom, courier = bottom;
			back.w = bottom.w * 2 / 3 - 10;
			courier.x = back.x + back.w + 20;
			courier.w = bottom.x + bottom.w - courier.x;
			courier.h = bottom.h * 3 / 4;
			courier.y = bottom.y + bottom.h - courier.h;
			ui_button(ui, "nav.back", back, "nav.back", UI_C_MUTED);
			ui_button(ui, "pickup.courier", courier, "pickup.courier",
				  (SDL_Color){0x2F, 0x4F, 0x6F, 0xFF});
		}
		ui_keypad_state(ui, rest, UI_KEYPAD_DIGITS, "pickup.open", !p.locked_until);
		return;
	}
	SDL_Rect panel = ui_take_top(&rest, rest.h - ch - 32, 32);
	ui_fill_round(ui, panel, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(panel, 48);
	if (p.st == PAYING) {
		ui_pay_panel(ui, in);
		/* (遇到问题 is above, at every step) */
		if (ui_pay_failed(ui)) { /* nothing taken: try again, or give up */
			ui_button(ui, "nav.back", ui_grid_cell(rest, 2, 1, 20, 0), "pickup.not_now",
				  UI_C_MUTED);
			ui_button(ui, "pickup.pay", ui_grid_cell(rest, 2, 1, 20, 1), "pay.retry",
				  UI_C_HEADER);
		} else if (ui->snap.session.pay != KIOSK_PAY_PAID) {
			ui_button(ui, "pickup.pay_cancel", rest, "pickup.pay_cancel", UI_C_MUTED);
		} /* paid: the door is on its way */
		return;
	}
	if (p.st == FEE) {
		/* The amount in large type: what is owed is what the resident looks for. */
		char amount[32];
		ui_money(p.fee, amount, sizeof amount);
		/* Without a platform there is nobody to pay: said, and help at hand. */
		bool link = ui->snap.net != KIOSK_NET_NONE;
		const char *body = p.msg[0] ? p.msg
				   : ui_tr(ui, link ? "pickup.fee_body" : "pickup.fee_no_link");
		int tp = ui_text_px(ui, 52), ap = ui_text_px(ui, 120), bp = ui_text_px(ui, 36);
		struct ui_item it[] = {{140, 300},
				       {tp + 16, 0},
				       {ap + 24, 0},
				       {ui_label_height(ui, p.fee_why, bp, false, in.w), 0},
				       {ui_label_height(ui, body, bp, false, in.w), 0}};
		SDL_Rect r[5];
		ui_column(in, 24, it, 5, r);
		ui_image(ui, "fee.svg", r[0]);
		ui_text_fit(ui, ui_tr(ui, "pickup.fee"), tp, 40, UI_C_INK, true, r[1]);
		ui_text_fit(ui, amount, ap, 40, UI_C_ALERT, true, r[2]);
		ui_label(ui, p.fee_why, bp, UI_C_INK, false, r[3], true);
		ui_label(ui, body, bp, p.msg[0] ? UI_C_ALERT : UI_C_INK, false, r[4], true);
		/* Not a dead end: "不取了" goes back; paying is the step forward. */
		if (link) {
			ui_button(ui, "nav.back", ui_grid_cell(rest, 2, 1, 20, 0), "pickup.not_now",
				  UI_C_MUTED);
			ui_button(ui, "pickup.pay", ui_grid_cell(rest, 2, 1, 20, 1), "pickup.pay",
				  UI_C_HEADER);
		} else { /* nobody to pay: come back later, or 遇到问题 above */
			ui_button(ui, "nav.back", rest, "pickup.not_now", UI_C_MUTED);
		}
		return;
	}
	enum kiosk_pickup_phase ph = phase(ui);
	if (p.st == STUCK || ph == KIOSK_PICKUP_STUCK) {
		draw_stuck(ui, in, rest);
		return;
	}
	if (ph == KIOSK_PICKUP_DONE) {
		draw_done(ui, in, rest);
		return;
	}
	if (p.st == REQUESTING || ph == KIOSK_PICKUP_OPENING || ph == KIOSK_PICKUP_NONE) {
		ui_wait(ui, in, ui_tr(ui, "pickup.opening")); /* should it not come: 遇到问题 */
		return;
	}
	/* OPEN or LEFT_INSIDE: which door and what to do. */
	bool left = ph == KIOSK_PICKUP_LEFT_INSIDE;
	bool late = !left && ui_door_left_open(ui, p.comp);
	struct ui_door_panel d = {
		/* the door closed on the parcel: never "open, take it" over a shut door */
		.title = ui_tr(ui, left ? "pickup.left_title" : "pickup.open_title"),
		.comp = p.comp,
		.todo = ui_tr(ui, left ? "pickup.left_inside" : "pickup.open_body"),
		.alert = left,
		.note = late ? ui_tr(ui, "door.left_open") : NULL,
		.extra_h = left ? ui_control_h(ui) : 0,
	};
	SDL_Rect extra = ui_door_panel(ui, in, &d);
	if (left) {
		ui_button(ui, "pickup.reopen", extra, "pickup.reopen", UI_C_ALERT);
		ui_button(ui, "pickup.finish", rest, "pickup.finish", UI_C_MUTED);
		return;
	}
	ui_button(ui, "pickup.done", rest, "pickup.done", UI_C_HEADER);
}

static bool pickup_busy(const struct ui *ui)
{
	/* a QR up, or being paid: the resident is at it (its own timer expires it) */
	return p.st == CHECKING || p.st == REQUESTING ||
	       (p.st == PAYING && (ui->snap.session.pay == KIOSK_PAY_SHOWN ||
				   ui->snap.session.pay == KIOSK_PAY_CREATING ||
				   ui->snap.session.pay == KIOSK_PAY_PAID));
}

/* What to do now, said aloud (长辈模式, or the speaker button). */
static const char *pickup_speech(const struct ui *ui)
{
	if (p.st == ENTER || p.st == CHECKING)
		return "say.pickup_code";
	if (p.st == FEE)
		return "say.pickup_fee";
	if (p.st == PAYING)
		return ui->snap.session.pay == KIOSK_PAY_SHOWN ? "say.pay" : NULL;
	switch (phase(ui)) {
	case KIOSK_PICKUP_OPEN:
		return "say.pickup_open";
	case KIOSK_PICKUP_DONE:
		return "say.pickup_done";
	case KIOSK_PICKUP_LEFT_INSIDE:
		return "say.pickup_left";
	case KIOSK_PICKUP_STUCK:
		return "say.stuck";
	default:
		return p.st == STUCK ? "say.stuck" : NULL;
	}
}

/* 遇到问题 at each step of a pickup: what can go wrong there. */
static const char *const *pickup_problems(const struct ui *ui)
{
	static const char *const code[] = {"problem.forgot_code", "problem.other", NULL};
	static const char *const fee[] = {"problem.payment", "problem.other", NULL};
	static const char *const door[] = {"problem.door_not_open", "problem.parcel_missing",
					   "problem.wrong_or_damaged", "problem.other", NULL};
	static const char *const after[] = {"problem.parcel_missing", "problem.wrong_or_damaged",
					    "problem.door_not_open", "problem.other", NULL};
	if (p.st == ENTER || p.st == CHECKING)
		return code;
	if (p.st == FEE || p.st == PAYING)
		return fee;
	return phase(ui) == KIOSK_PICKUP_DONE ? after : door;
}

static const char *const pickup_exits[] = {"pickup.done",   "pickup.finish", "pickup.rate",
					   "pickup.reopen", "pickup.pay",
					   "pickup.pay_cancel", NULL};

const struct screen ui_screen_pickup = {
	.name = "pickup",
	.flags = UI_SCREEN_TROUBLE,
	.exits = pickup_exits,
	.problems = pickup_problems,
	.speech = pickup_speech,
	.scan_place = pickup_scan_place,
	.enter = pickup_enter,
	.leave = pickup_leave,
	.event = pickup_event,
	.draw = pickup_draw,
	.tick = pickup_tick,
	.busy = pickup_busy,
};
