/* Courier: log in (id + PIN), then the deposit loop — tracking number, recipient phone,
 * size (with the free count of each), the door opens, "put the parcel in and close the
 * door" with the door's live state; when it closes the pickup code goes to the recipient
 * by SMS (through the platform) and the next parcel can start. From the same form the
 * courier takes back expired parcels and collects residents' sends for their company, one
 * door at a time (the oldest first). */
#include "screens/ui/draw.h"
#include "screens/locker_map.h"
#include "screens/screen.h"
#include "screens/scan.h"
#include "screens/print_offer.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>


static struct {
	enum { LOGIN, ASKING, UNFINISHED, DROPPING, FORM, OPENING, INSIDE, SAVING, DONE,
	       RETRIEVING, TAKE_OUT } st;
	char unfinished_tracking[16]; /* last 8 of the tracking number, for UNFINISHED */
	bool finishing;		      /* SAVING an unfinished deposit, not the current one */
	bool collecting; /* RETRIEVING / TAKE_OUT are for a resident's send, not an expired one */
	char take_tracking[64]; /* TAKE_OUT: the tracking number of what to take out */
	char id[16], pin[16];
	char tracking[32], phone[16];
	enum courier_field { F_ID, F_PIN, F_TRACKING, F_PHONE } focus;
	int size; /* -1 = not chosen */
	char parcel[64], comp[16];
	bool seen_open; /* the core's deposit phase was OPEN for this parcel */
	bool empty;     /* closed, and the item sensor saw nothing: the courier confirms */
	bool left_inside; /* a takeout's door closed on its parcel: nothing was marked */
	uint32_t req;
	bool busy;
	char msg[200];
	/* What waits for this courier, shown on the two buttons; asked again after each
	 * parcel (tasks_req is the question in flight, 0 when none). */
	long long expired, sends;
	bool tasks_known, tasks_stale;
	uint32_t tasks_req;
	uint32_t scan_req; /* a scan taken (a badge, a label): its text on the way */
	struct ui_print print; /* the session's deposits on paper */
} c;

static void courier_enter(struct ui *ui)
{
	(void)ui;
	memset(&c, 0, sizeof c);
	c.size = -1;
}

static void courier_leave(struct ui *ui)
{
	(void)ui;
	memset(c.pin, 0, sizeof c.pin);
	memset(c.phone, 0, sizeof c.phone);
}

static char *focused_buf(size_t *cap)
{
	switch (c.focus) {
	case F_ID: *cap = 12; return c.id;
	case F_PIN: *cap = 12; return c.pin;
	case F_TRACKING: *cap = sizeof c.tracking; return c.tracking;
	default: *cap = 12; return c.phone;
	}
}

static void new_parcel(void)
{
	c.st = FORM;
	c.tracking[0] = c.phone[0] = '\0';
	c.size = -1;
	c.focus = F_TRACKING;
	c.seen_open = c.empty = c.left_inside = false;
	c.tasks_stale = true;
}

/* A command naming this courier, or this courier's current parcel. */
static int ask_courier(struct ui *ui, enum kiosk_cmd_type type, uint32_t *req)
{
	struct kiosk_cmd cmd = {.type = type};
	snprintf(cmd.u.courier.courier, sizeof cmd.u.courier.courier, "%s", c.id);
	return kiosk_core_submit(ui->core, &cmd, req);
}

static int ask_parcel(struct ui *ui, enum kiosk_cmd_type type, uint32_t *req)
{
	struct kiosk_cmd cmd = {.type = type};
	snprintf(cmd.u.parcel.parcel, sizeof cmd.u.parcel.parcel, "%.36s", c.parcel);
	return kiosk_core_submit(ui->core, &cmd, req);
}

/* After login, and after each unfinished deposit is settled: is another one left? */
static void ask_unfinished(struct ui *ui)
{
	c.st = ask_courier(ui, KIOSK_CMD_UNFINISHED, &c.req) ==
			       KIOSK_OK
		       ? ASKING
		       : FORM;
	if (c.st == FORM)
		new_parcel();
}

static void tasks_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (c.st == FORM && c.tasks_stale && !c.tasks_req &&
	    ask_courier(ui, KIOSK_CMD_COURIER_TASKS, &c.tasks_req) ==
		    KIOSK_OK)
		c.tasks_stale = false;
	if (!c.tasks_req || !kiosk_core_result(ui->core, c.tasks_req, &r))
		return;
	c.tasks_req = 0;
	c.tasks_known = r.rc == KIOSK_OK;
	c.expired = r.u.tasks.expired;
	c.sends = r.u.tasks.sends;
	ui_dirty(ui);
}

static int courier_event(struct ui *ui, const struct ui_event *ev)
{
	static const char *const fields[] = {"courier.id", "courier.pin", "courier.tracking",
					     "courier.phone"};
	ui_dirty(ui);
	for (int i = 0; i < 4; i++) {
		if (strcmp(ev->id, fields[i]) == 0) {
			c.focus = (enum courier_field)i;
			return 1;
		}
	}
	size_t cap;
	char *buf = focused_buf(&cap);
	if (!c.busy && ui_edit(buf, cap, ev->id)) {
		c.msg[0] = '\0';
		return 1;
	}
	if (strcmp(ev->id, "key.ok") == 0 && c.st == LOGIN && !c.busy) {
		if (c.focus == F_ID) {
			c.focus = F_PIN;
			return 1;
		}
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_LOGIN_COURIER};
		snprintf(cmd.u.login.id, sizeof cmd.u.login.id, "%s", c.id);
		snprintf(cmd.u.login.pin, sizeof cmd.u.login.pin, "%s", c.pin);
		c.busy = kiosk_core_submit(ui->core, &cmd, &c.req) == KIOSK_OK;
		memset(c.pin, 0, sizeof c.pin);
		memset(&cmd, 0, sizeof cmd);
		return 1;
	}
	if (strcmp(ev->id, "key.ok") == 0 && c.st == FORM) {
		c.focus = c.focus == F_TRACKING ? F_PHONE : F_TRACKING;
		return 1;
	}
	int size;
	if (ui_event_index(ev, "size.", 4, &size) && c.st == FORM) {
		c.size = size;
		return 1;
	}
	if (strcmp(ev->id, "courier.open") == 0 && c.st == FORM && !c.busy) {
		/* the pickup code goes to this number: read it back before the door opens */
		char grouped[24];
		ui_group_phone(c.phone, grouped, sizeof grouped);
		ui_dialog_open(ui, "phone.check_recipient", grouped, "phone.right_open",
			       "phone.right_open", "dialog.cancel", "phone.fix");
		return 1;
	}
	if (strcmp(ev->id, "phone.right_open") == 0 && c.st == FORM && !c.busy) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_DEPOSIT};
		snprintf(cmd.u.deposit.courier, sizeof cmd.u.deposit.courier, "%s", c.id);
		snprintf(cmd.u.deposit.tracking, sizeof cmd.u.deposit.tracking, "%s", c.tracking);
		snprintf(cmd.u.deposit.phone, sizeof cmd.u.deposit.phone, "%s", c.phone);
		cmd.u.deposit.size = c.size;
		if (kiosk_core_submit(ui->core, &cmd, &c.req) == KIOSK_OK)
			c.st = OPENING;
		memset(&cmd, 0, sizeof cmd); /* the phone */
		return 1;
	}
	if (strcmp(ev->id, "courier.leave_it") == 0 && c.st == TAKE_OUT && c.left_inside) {
		new_parcel();
		return 1;
	}
	if (strcmp(ev->id, "courier.open_again") == 0 && c.st == TAKE_OUT && c.left_inside) {
		/* the same parcel: it is still the oldest one waiting */
		c.left_inside = false;
		if (ask_courier(ui, c.collecting ? KIOSK_CMD_COLLECT : KIOSK_CMD_RETRIEVE, &c.req) ==
		    KIOSK_OK)
			c.st = RETRIEVING;
		return 1;
	}
	if ((strcmp(ev->id, "courier.retrieve") == 0 || strcmp(ev->id, "courier.collect") == 0) &&
	    c.st == FORM && !c.busy) {
		c.collecting = strcmp(ev->id, "courier.collect") == 0;
		if (ask_courier(ui, c.collecting ? KIOSK_CMD_COLLECT : KIOSK_CMD_RETRIEVE, &c.req) ==
		    KIOSK_OK)
			c.st = RETRIEVING;
		return 1;
	}
	if (strcmp(ev->id, "courier.confirm_in") == 0 && c.st == INSIDE && c.empty &&
	    ask_parcel(ui, KIOSK_CMD_DEPOSIT_DONE, &c.req) ==
		    KIOSK_OK) {
		c.st = SAVING;
		return 1;
	}
	if (strcmp(ev->id, "courier.cancel") == 0 && c.st == INSIDE) {
		ask_parcel(ui, KIOSK_CMD_DEPOSIT_CANCEL, NULL);
		new_parcel();
		return 1;
	}
	if (strcmp(ev->id, "courier.finish") == 0 && c.st == UNFINISHED &&
	    ask_parcel(ui, KIOSK_CMD_DEPOSIT_DONE, &c.req) ==
		    KIOSK_OK) {
		c.phone[0] = '\0';
		c.finishing = true;
		c.st = SAVING;
		return 1;
	}
	if (strcmp(ev->id, "courier.drop") == 0 && c.st == UNFINISHED &&
	    ask_parcel(ui, KIOSK_CMD_DEPOSIT_CANCEL, &c.req) ==
		    KIOSK_OK) {
		c.st = DROPPING;
		return 1;
	}
	if (c.st == DONE && ui_print_event(ui, &c.print, ev->id, KIOSK_CMD_PRINT_DEPOSITS, NULL))
		return 1;
	if (strcmp(ev->id, "courier.next") == 0 && c.st == DONE) {
		ask_unfinished(ui); /* another left unfinished comes first; else a new one */
		return 1;
	}
	return 0;
}

/* A badge at the login fills the id (the PIN is still typed); a parcel's label on the
 * form fills the tracking number. */
static const char *courier_scan_place(const struct ui *ui)
{
	(void)ui;
	return c.busy ? NULL : c.st == LOGIN ? "courier_login" : c.st == FORM ? "deposit" : NULL;
}

static void take_scan(struct ui *ui)
{
	const char *place = courier_scan_place(ui);
	uint32_t req;
	if (place && ui_scan_taken(ui, place, &req))
		c.scan_req = req;
	struct kiosk_result r;
	if (!c.scan_req || !kiosk_core_result(ui->core, c.scan_req, &r))
		return;
	c.scan_req = 0;
	ui_dirty(ui);
	r.u.scan.text[sizeof r.u.scan.text - 1] = '\0';
	size_t n = strlen(r.u.scan.text);
	if (c.st == LOGIN && r.rc == KIOSK_OK && n < sizeof c.id - 4) {
		memcpy(c.id, r.u.scan.text, n + 1);
		memset(c.pin, 0, sizeof c.pin);
		c.focus = F_PIN;
		c.msg[0] = '\0';
	} else if (c.st == FORM && r.rc == KIOSK_OK && n < sizeof c.tracking) {
		memcpy(c.tracking, r.u.scan.text, n + 1);
		c.focus = F_PHONE;
		c.msg[0] = '\0';
	} else if (c.st == LOGIN || c.st == FORM) {
		snprintf(c.msg, sizeof c.msg, "%s",
			 ui_tr(ui, c.st == LOGIN ? "courier.scan_badge" : "courier.scan_label"));
	}
}

static void courier_tick(struct ui *ui)
{
	take_scan(ui);
	ui_print_tick(ui, &c.print);
	if (c.st != DONE && c.print.st != UI_PRINT_ASKED)
		memset(&c.print, 0, sizeof c.print); /* the next round's summary is asked anew */
	struct kiosk_result r;
	tasks_tick(ui);
	if (c.st == TAKE_OUT) {
		/* The core decides when it is out (door closed, the item sensor agreeing); the
		 * screen shows it. */
		enum kiosk_takeout_phase ph = ui->snap.session.takeout;
		if (ph == KIOSK_TAKEOUT_DONE) {
			new_parcel();
			ui_toast(ui, c.collecting ? "courier.collected" : "courier.retrieved");
		} else if (ph == KIOSK_TAKEOUT_LEFT_INSIDE && !c.left_inside) {
			c.left_inside = true;
			ui_dirty(ui);
		}
		return;
	}
	if (c.st == INSIDE) {
		/* The core decides when it is in (door closed, the item sensor agreeing); the
		 * screen shows it. */
		enum kiosk_deposit_phase ph = ui->snap.session.deposit;
		if (ph == KIOSK_DEPOSIT_OPEN)
			c.seen_open = true;
		if (ph == KIOSK_DEPOSIT_DONE && c.seen_open) {
			c.st = DONE;
			ui_dirty(ui);
		} else if (ph == KIOSK_DEPOSIT_EMPTY && !c.empty) {
			c.empty = true;
			ui_dirty(ui);
		}
		return;
	}
	if (!(c.busy || c.st == ASKING || c.st == DROPPING || c.st == OPENING || c.st == SAVING ||
	      c.st == RETRIEVING) ||
	    !kiosk_core_result(ui->core, c.req, &r))
		return;
	ui_dirty(ui);
	if (c.st == LOGIN) {
		c.busy = false;
		if (r.rc == KIOSK_OK)
			ask_unfinished(ui);
		else if (r.rc == KIOSK_ELOCKED)
			snprintf(c.msg, sizeof c.msg, "%s%d%s", ui_tr(ui, "maint.locked"),
				 (int)((r.u.login.wait_s + 59) / 60), ui_tr(ui, "unit.min"));
		else /* a full disk is not a wrong PIN (both PINs get it alike: nothing leaks) */
			snprintf(c.msg, sizeof c.msg, "%s",
				 ui_tr(ui, r.rc == KIOSK_EDISKFULL ? "err.disk_full" : "courier.denied"));
	} else if (c.st == OPENING) {
		snprintf(c.parcel, sizeof c.parcel, "%s", r.u.door.parcel);
		snprintf(c.comp, sizeof c.comp, "%s", r.u.door.compartment);
		if (r.rc == KIOSK_OK) {
			c.st = INSIDE;
			c.seen_open = c.empty = false;
			c.msg[0] = '\0'; /* an earlier door's refusal is not this door's */
			return;
		}
		c.st = FORM;
		const char *why = r.rc == KIOSK_ENOFREE	 ? "courier.nofree"
				  : r.rc == KIOSK_EEXIST ? "courier.duplicate"
				  : r.rc == KIOSK_EINVAL ? "courier.invalid"
				  : r.rc == KIOSK_EDEVICE ? "courier.jammed"
							  : "courier.failed";
		snprintf(c.msg, sizeof c.msg, "%s", ui_tr(ui, why));
	} else if (c.st == RETRIEVING) {
		snprintf(c.comp, sizeof c.comp, "%s", r.u.door.compartment);
		snprintf(c.take_tracking, sizeof c.take_tracking, "%s", r.u.door.tracking);
		c.st = r.rc == KIOSK_OK ? TAKE_OUT : FORM;
		const char *none = c.collecting ? "courier.no_sends" : "courier.no_expired";
		if (r.rc)
			snprintf(c.msg, sizeof c.msg, "%s",
				 ui_tr(ui, r.rc == KIOSK_ENOENT ? none : "courier.failed"));
	} else if (c.st == ASKING) {
		if (r.rc == KIOSK_OK) {
			snprintf(c.parcel, sizeof c.parcel, "%s", r.u.unfinished.parcel);
			snprintf(c.unfinished_tracking, sizeof c.unfinished_tracking, "%s",
				 r.u.unfinished.tracking_tail);
			snprintf(c.comp, sizeof c.comp, "%s", r.u.unfinished.compartment);
			c.st = UNFINISHED;
		} else {
			new_parcel();
		}
	} else if (c.st == DROPPING) {
		ask_unfinished(ui);
	} else if (c.st == SAVING) {
		c.st = r.rc == KIOSK_OK ? DONE : c.finishing ? UNFINISHED : INSIDE;
		c.finishing = false;
		/* not saved: said (a full disk by its name), the door screen stays to try again */
		if (r.rc)
			snprintf(c.msg, sizeof c.msg, "%s",
				 ui_tr(ui, r.rc == KIOSK_EDISKFULL ? "err.disk_full" : "courier.not_saved"));
	}
}

static void draw_size_choice(struct ui *ui, SDL_Rect r)
{
	static const char *const keys[] = {"size.s", "size.m", "size.l", "size.xl"};
	for (int i = 0; i < 4; i++) {
		char id[8], label[64];
		snprintf(id, sizeof id, "size.%d", i);
		snprintf(label, sizeof label, "%s (%d)", ui_tr(ui, keys[i]), ui->snap.free_by_size[i]);
		ui_button_text(ui, id, ui_grid_cell(r, 4, 1, 12, i), label,
			       c.size == i ? UI_C_HEADER : UI_C_MUTED, UI_C_WHITE, UI_ROLE_BUTTON);
	}
}

/* A task button with how many wait, once known ("取回逾期件 (2)"). */
static void task_button(struct ui *ui, const char *key, SDL_Rect r, long long n, SDL_Color bg)
{
	if (!c.tasks_known) {
		ui_button(ui, key, r, key, bg);
		return;
	}
	char label[96];
	snprintf(label, sizeof label, "%s (%lld)", ui_tr(ui, key), n);
	ui_button_text(ui, key, r, label, bg, UI_C_WHITE, UI_ROLE_BUTTON);
}

static void courier_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 36);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 52) + 12, 12);
	ui_text_fit(ui, ui_tr(ui, "courier.title"), ui_text_px(ui, 52), 40, UI_C_INK, true, t);
	SDL_Rect back = ui_take_bottom(&rest, ch, 16);
	if (c.st == LOGIN || c.st == FORM) {
		ui_button(ui, "nav.back", back, "nav.back", UI_C_MUTED);
		if (c.st == LOGIN) {
			ui_field(ui, "courier.id", ui_take_top(&rest, ch, 12), c.id, UI_FIELD_PLAIN,
				 c.focus == F_ID, "courier.id_hint");
			ui_field(ui, "courier.pin", ui_take_top(&rest, ch, 12), c.pin,
				 UI_FIELD_SECRET, c.focus == F_PIN, "maint.pin_hint");
		} else {
			ui_field(ui, "courier.tracking", ui_take_top(&rest, ch, 12), c.tracking,
				 UI_FIELD_PLAIN, c.focus == F_TRACKING, "courier.tracking_hint");
			ui_field(ui, "courier.phone", ui_take_top(&rest, ch, 12), c.phone,
				 UI_FIELD_PHONE, c.focus == F_PHONE, "courier.phone_hint");
			draw_size_choice(ui, ui_take_top(&rest, ch, 12));
			ui_button_state(ui, "courier.open", ui_take_top(&rest, ch, 12),
					"courier.open", UI_C_HEADER,
					c.tracking[0] && strlen(c.phone) == 11 && c.size >= 0);
			/* The two tasks in a row of their own: three to a row shrank "Take back
			 * expired (0)" below its neighbours. */
			SDL_Rect row = ui_take_top(&rest, ch, 12);
			task_button(ui, "courier.retrieve", ui_grid_cell(row, 2, 1, 12, 0),
				    c.expired, (SDL_Color){0x2F, 0x4F, 0x6F, 0xFF});
			task_button(ui, "courier.collect", ui_grid_cell(row, 2, 1, 12, 1),
				    c.sends, (SDL_Color){0x6C, 0x3A, 0x8E, 0xFF});
		}
		SDL_Rect msg = ui_take_top(&rest, ui_text_px(ui, 32) + 12, 8);
		if (c.busy)
			ui_spinner(ui, msg);
		else if (c.msg[0])
			ui_text_fit(ui, c.msg, ui_text_px(ui, 32), 28, UI_C_ALERT, true, msg);
		ui_keypad(ui, rest, c.focus == F_TRACKING ? UI_KEYPAD_LETTERS : UI_KEYPAD_DIGITS,
			  "key.next");
		return;
	}
	ui_fill_round(ui, rest, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(rest, 48);
	char line[200];
	int lp = ui_text_px(ui, 40), pp = ui_text_px(ui, 36);
	if (c.st == ASKING || c.st == DROPPING || c.st == OPENING || c.st == SAVING ||
	    c.st == RETRIEVING) {
		ui_wait(ui, in, NULL);
		return;
	}
	if (c.st == UNFINISHED) {
		const char *body = ui_tr(ui, "courier.unfinished_body");
		int tp = ui_text_px(ui, 44);
		struct ui_item it[] = {{tp + 12, 0}, {200, 260}, {lp + 12, 0},
				       {ui_label_height(ui, body, pp, false, in.w), 0}};
		SDL_Rect r[4];
		ui_column(in, 20, it, 4, r);
		ui_text_fit(ui, ui_tr(ui, "courier.unfinished"), tp, 32, UI_C_ALERT, true, r[0]);
		ui_text_fit(ui, c.comp, r[1].h * 4 / 5, 40, UI_C_HEADER, true, r[1]);
		snprintf(line, sizeof line, "%s …%s", ui_tr(ui, "courier.tracking"),
			 c.unfinished_tracking);
		ui_text_fit(ui, line, lp, 32, UI_C_INK, true, r[2]);
		ui_label(ui, body, pp, UI_C_INK, false, r[3], true);
		ui_button(ui, "courier.finish", ui_grid_cell(back, 2, 1, 16, 0), "courier.finish",
			  UI_C_HEADER);
		ui_button(ui, "courier.drop", ui_grid_cell(back, 2, 1, 16, 1), "courier.drop",
			  UI_C_MUTED);
		return;
	}
	if (c.st == TAKE_OUT || c.st == INSIDE) {
		/* Which door and what to do; depositing, what the door says now. */
		bool in_ = c.st == INSIDE;
		bool late = in_ && !c.empty && ui_door_left_open(ui, c.comp);
		char door[160];
		snprintf(door, sizeof door, "%s%s%s", ui_tr(ui, "courier.door"), ui_tr(ui, "punct.colon"),
			 ui_tr(ui, ui_door_open(ui, c.comp) ? "courier.door_open"
							    : "courier.door_closed"));
		char what[120] = ""; /* taking out: which parcel, by the number on its label */
		if (!in_ && c.take_tracking[0])
			snprintf(what, sizeof what, "%s%s%s", ui_tr(ui, "courier.tracking"),
				 ui_tr(ui, "punct.colon"), c.take_tracking);
		struct ui_door_panel d = {
			.title = what[0] ? what : NULL,
			.comp = c.comp,
			.todo = ui_tr(ui, !in_	       ? (c.collecting ? "courier.take_sent"
									   : "courier.take_out")
							       : "courier.put_in"),
			.door = in_ ? door : NULL,
			/* a minute open: said plainly (the door monitor told the platform) */
			.note = !in_ ? (c.left_inside ? ui_tr(ui, "courier.left_inside") : NULL)
			      : ui->snap.disk_full ? ui_tr(ui, "err.disk_full")
			      : c.msg[0] ? c.msg /* the last save failed */
			      : c.empty ? ui_tr(ui, "courier.empty")
			      : late	? ui_tr(ui, "door.left_open")
					: NULL,
			.extra_h = (in_ && c.empty) || (!in_ && c.left_inside) ? ch : 0,
		};
		SDL_Rect extra = ui_door_panel(ui, in, &d);
		if (!in_) {
			if (c.left_inside) { /* not taken out: open it again, or leave it */
				ui_button(ui, "courier.open_again", ui_grid_cell(extra, 2, 1, 16, 0),
					  "courier.open_again", UI_C_HEADER);
				ui_button(ui, "courier.leave_it", ui_grid_cell(extra, 2, 1, 16, 1),
					  "courier.leave_it", UI_C_MUTED);
			}
			return;
		}
		if (c.empty) /* closed, but the sensor sees no parcel: the courier says which */
			ui_button(ui, "courier.confirm_in", extra, "courier.confirm_in", UI_C_HEADER);
		ui_button(ui, "courier.cancel", back, "courier.cancel", UI_C_MUTED);
		return;
	}
	/* DONE (the phone is not known when an unfinished deposit was finished) */
	snprintf(line, sizeof line, "%.150s%s%.4s", ui_tr(ui, "courier.sent"),
		 strlen(c.phone) == 11 ? " *******" : "", strlen(c.phone) == 11 ? c.phone + 7 : "");
	if (ui_print_shown(ui, &c.print)) /* 打印存件汇总: every parcel of this round */
		ui_print_draw(ui, &c.print, ui_take_bottom(&in, ui_control_h(ui), 16),
			      "print.deposits");
	ui_message(ui, in, "ok.svg", c.comp, UI_C_HEADER, line, UI_C_INK, true);
	ui_button(ui, "nav.back", ui_grid_cell(back, 2, 1, 16, 0), "nav.back", UI_C_MUTED);
	ui_button(ui, "courier.next", ui_grid_cell(back, 2, 1, 16, 1), "courier.next", UI_C_HEADER);
}

static bool courier_busy(const struct ui *ui)
{
	(void)ui;
	return c.st == OPENING || c.st == INSIDE || c.st == SAVING || c.st == RETRIEVING ||
	       c.st == TAKE_OUT || c.st == ASKING || c.st == DROPPING;
}

/* 遇到问题 for a courier: the door, or the parcel the kiosk said would be there. */
static const char *const *courier_problems(const struct ui *ui)
{
	(void)ui;
	static const char *const any[] = {"problem.courier.door_not_open",
					  "problem.courier.parcel_missing", "problem.other", NULL};
	return any;
}

static const char *const courier_exits[] = {"courier.cancel", "courier.confirm_in",
					    "courier.finish", "courier.drop", "courier.leave_it",
					    NULL};

const struct screen ui_screen_courier = {
	.name = "courier",
	.flags = UI_SCREEN_NO_ELDERLY | UI_SCREEN_TROUBLE,
	.exits = courier_exits,
	.problems = courier_problems,
	.scan_place = courier_scan_place,
	.enter = courier_enter,
	.leave = courier_leave,
	.event = courier_event,
	.draw = courier_draw,
	.tick = courier_tick,
	.busy = courier_busy,
};
