/* 寄件 Send a parcel: carrier (the companies whose couriers collect here), size (with the
 * free count of each), payment, the door opens, "put it in and close the door" with the
 * door's live state, then a receipt on screen with the send number as a QR code.
 *
 * Payment: 到付 — the recipient pays the carrier on delivery — needs nothing from the
 * kiosk and works now. 寄付 by QR needs the platform link, which is not built yet: the
 * screen offers it greyed out and says why, and never pretends to take money. */
#include "screens/draw.h"
#include "screens/locker_map.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/widget.h"
#include "hal/base/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_CARRIERS 8

static struct {
	enum send_state { LOADING, CARRIER, SIZE, PAY, OPENING, INSIDE, JAMMED, SAVING,
			  CANCELLING, RECEIPT, CANCELLED, FAILED } st;
	char carriers[MAX_CARRIERS][32];
	int ncarriers, carrier, size;
	char parcel[64], comp[16];
	bool seen_open;    /* the core's send phase was OPEN for this door */
	bool empty;        /* closed, the item sensor saw nothing: the resident confirms */
	int64_t opened_at; /* UI clock when the door opened */
	int64_t done_ms;   /* wall clock of the deposit, for the receipt */
	uint32_t req;
	char msg[200];
} s;

static void send_enter(struct ui *ui)
{
	memset(&s, 0, sizeof s);
	s.carrier = s.size = -1;
	s.st = kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_SEND_CARRIERS},
				 &s.req) == KIOSK_OK
		       ? LOADING
		       : FAILED;
}

/* The carrier's name in the current language, or its code when the catalogue has none. */
static const char *carrier_name(const struct ui *ui, const char *code)
{
	char key[48];
	snprintf(key, sizeof key, "carrier.%s", code);
	return ui_tr_or(ui, key, code);
}

/* Why the locker cannot take a send now (a string key), or NULL when it can: it is fitted
 * and some compartment is free. The screen says so up front instead of offering choices
 * that would fail at the door. One silent board of several still leaves the others. */
static const char *locker_unusable(const struct ui *ui)
{
	enum kiosk_devstate d = ui->snap.dev[KIOSK_DEV_LOCK];
	if (d != KIOSK_DEVSTATE_OK && d != KIOSK_DEVSTATE_SIMULATED && d != KIOSK_DEVSTATE_FAULT)
		return "send.no_locker";
	int free = 0;
	for (int i = 0; i < 4; i++)
		free += ui->snap.free_by_size[i];
	if (free > 0)
		return NULL;
	return d == KIOSK_DEVSTATE_FAULT ? "send.locker_fault" : "send.full";
}

/* Sends cmd; the screen goes to next while it is answered. */
static void request(struct ui *ui, const struct kiosk_cmd *cmd, enum send_state next)
{
	s.msg[0] = '\0';
	s.st = kiosk_core_submit(ui->core, cmd, &s.req) == KIOSK_OK ? next : FAILED;
}

/* A command about this send's parcel (another door, cancel). */
static struct kiosk_cmd about_parcel(enum kiosk_cmd_type type)
{
	struct kiosk_cmd cmd = {.type = type};
	snprintf(cmd.u.parcel.parcel, sizeof cmd.u.parcel.parcel, "%.36s", s.parcel);
	return cmd;
}

/* Leaving while the send has no compartment (a jammed door, then away): let it go, so
 * nothing stays reserved for a resident who is gone. */
static void send_leave(struct ui *ui)
{
	if (s.st == JAMMED && s.parcel[0]) {
		struct kiosk_cmd cmd = about_parcel(KIOSK_CMD_SEND_CANCEL);
		kiosk_core_submit(ui->core, &cmd, NULL);
	}
}

static int send_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	if (strncmp(ev->id, "send.carrier.", 13) == 0 && s.st == CARRIER &&
	    !locker_unusable(ui)) {
		int i = ev->id[13] - '0';
		if (i >= 0 && i < s.ncarriers) {
			s.carrier = i;
			s.msg[0] = '\0';
			s.st = SIZE;
		}
		return 1;
	}
	if (strncmp(ev->id, "size.", 5) == 0 && s.st == SIZE) {
		s.size = ev->id[5] - '0';
		s.msg[0] = '\0';
		s.st = PAY;
		return 1;
	}
	if (strcmp(ev->id, "send.collect") == 0 && s.st == PAY) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_SEND_START};
		snprintf(cmd.u.send.carrier, sizeof cmd.u.send.carrier, "%s", s.carriers[s.carrier]);
		cmd.u.send.size = s.size;
		request(ui, &cmd, OPENING);
		return 1;
	}
	if (strcmp(ev->id, "send.another") == 0 && s.st == JAMMED) {
		struct kiosk_cmd cmd = about_parcel(KIOSK_CMD_SEND_OPEN);
		request(ui, &cmd, OPENING);
		return 1;
	}
	if (strcmp(ev->id, "send.confirm_in") == 0 && s.st == INSIDE && s.empty) {
		struct kiosk_cmd cmd = about_parcel(KIOSK_CMD_SEND_DONE);
		request(ui, &cmd, SAVING);
		return 1;
	}
	if (strcmp(ev->id, "send.cancel") == 0 && (s.st == INSIDE || s.st == JAMMED)) {
		struct kiosk_cmd cmd = about_parcel(KIOSK_CMD_SEND_CANCEL);
		request(ui, &cmd, CANCELLING);
		return 1;
	}
	if (strcmp(ev->id, "home.help") == 0)
		return ui_nav_push(ui, &ui_screen_help, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "send.done") == 0 && s.st == RECEIPT)
		return ui_nav_push(ui, &ui_screen_rating, "send") == KIOSK_OK;
	/* Back steps back through the choices, then leaves. */
	if (strcmp(ev->id, "nav.back") == 0 && (s.st == SIZE || s.st == PAY)) {
		s.st = s.st == PAY ? SIZE : CARRIER;
		s.msg[0] = '\0';
		return 1;
	}
	return 0;
}

static void take_carriers(const struct kiosk_result *r)
{
	s.ncarriers = 0;
	for (int i = 0; r->rc == KIOSK_OK && i < r->u.carriers.n && i < MAX_CARRIERS; i++)
		snprintf(s.carriers[s.ncarriers++], 32, "%.31s", r->u.carriers.names[i]);
}

/* Where an open request ended: the door is open, jammed, or the send could not start. */
static void opened(struct ui *ui, const struct kiosk_result *r)
{
	if (r->u.door.parcel[0])
		snprintf(s.parcel, sizeof s.parcel, "%s", r->u.door.parcel);
	if (r->u.door.compartment[0])
		snprintf(s.comp, sizeof s.comp, "%s", r->u.door.compartment);
	if (r->rc == KIOSK_OK) {
		s.st = INSIDE;
		s.seen_open = s.empty = false;
		s.opened_at = ui_now_ms(ui);
	} else if (r->rc == KIOSK_EDEVICE && s.parcel[0]) {
		s.st = JAMMED;
	} else if (r->rc == KIOSK_ENOFREE) {
		s.st = SIZE;
		snprintf(s.msg, sizeof s.msg, "%s", ui_tr(ui, "send.nofree"));
	} else if (r->rc == KIOSK_ENOENT && !s.parcel[0]) {
		s.st = CARRIER;
		snprintf(s.msg, sizeof s.msg, "%s", ui_tr(ui, "send.no_courier"));
	} else {
		s.st = FAILED;
		snprintf(s.msg, sizeof s.msg, "%s", ui_tr(ui, "send.failed"));
	}
}

static void send_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (s.st == INSIDE && ui_now_ms(ui) - s.opened_at >= 60 * 1000)
		ui_dirty(ui);
	if (s.st == INSIDE) {
		/* The core decides when it is in (door closed, the item sensor agreeing); the
		 * screen shows it. */
		enum kiosk_send_phase ph = ui->snap.session.send;
		if (ph == KIOSK_SEND_OPEN)
			s.seen_open = true;
		if (ph == KIOSK_SEND_DONE && s.seen_open) {
			s.st = RECEIPT;
			s.done_ms = ui->snap.now_ms;
			ui_dirty(ui);
		} else if (ph == KIOSK_SEND_EMPTY && !s.empty) {
			s.empty = true;
			ui_dirty(ui);
		}
		return;
	}
	if (!(s.st == LOADING || s.st == OPENING || s.st == SAVING || s.st == CANCELLING) ||
	    !kiosk_core_result(ui->core, s.req, &r))
		return;
	ui_dirty(ui);
	switch (s.st) {
	case LOADING:
		take_carriers(&r);
		s.st = r.rc == KIOSK_OK ? CARRIER : FAILED;
		break;
	case OPENING:
		opened(ui, &r);
		break;
	case SAVING:
		s.st = r.rc == KIOSK_OK ? RECEIPT : FAILED;
		s.done_ms = ui->snap.now_ms;
		if (r.rc)
			snprintf(s.msg, sizeof s.msg, "%s", ui_tr(ui, "send.failed"));
		break;
	default: /* CANCELLING */
		s.st = r.rc == KIOSK_OK ? CANCELLED : FAILED;
		if (r.rc)
			snprintf(s.msg, sizeof s.msg, "%s", ui_tr(ui, "send.failed"));
		break;
	}
}

/* How tall a choice may grow: twice a control, two and a half in 长辈模式 — where the
 * larger header leaves less room, so a choice there is never lower than in the normal
 * mode. Large targets, not a stretched list. */
static int choice_max(const struct ui *ui, int ch)
{
	return ui->elderly ? ch * 5 / 2 : ch * 2;
}

/* A prompt, the message if any, then choices that share the height left. */
static void draw_choices(struct ui *ui, SDL_Rect rest, int ch, const char *prompt,
			 const char *id_prefix, int n, const char *const *labels,
			 const bool *enabled)
{
	int px = ui_text_px(ui, 36), mp = ui_text_px(ui, 34);
	struct ui_item it[10] = {{ui_label_height(ui, ui_tr(ui, prompt), px, false, rest.w), 0},
				 {s.msg[0] ? ui_label_height(ui, s.msg, mp, true, rest.w) : 0, 0}};
	if (n > 8)
		n = 8;
	for (int i = 0; i < n; i++)
		it[2 + i] = (struct ui_item){ch, choice_max(ui, ch)};
	SDL_Rect r[10];
	ui_column(rest, 20, it, n + 2, r);
	ui_label(ui, ui_tr(ui, prompt), px, UI_C_MUTED, false, r[0], true);
	if (s.msg[0])
		ui_label(ui, s.msg, mp, UI_C_ALERT, true, r[1], true);
	for (int i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%s%d", id_prefix, i);
		ui_button_text(ui, id, r[2 + i], labels[i], enabled[i] ? UI_C_HEADER : UI_C_DISABLED,
			       enabled[i] ? UI_C_WHITE : UI_C_DISABLED_INK, UI_ROLE_BUTTON);
		if (!enabled[i] && ui->nwidgets)
			ui->widgets[ui->nwidgets - 1].disabled = true; /* shown, not tappable */
	}
}

static void draw_carriers(struct ui *ui, SDL_Rect rest, int ch)
{
	const char *why = locker_unusable(ui);
	if (why) {
		ui_message(ui, rest, "alert.svg", NULL, UI_C_ALERT, ui_tr(ui, why), UI_C_ALERT,
			   true);
		return;
	}
	if (!s.ncarriers) {
		ui_message(ui, rest, "alert.svg", NULL, UI_C_INK, ui_tr(ui, "send.no_carriers"),
			   UI_C_INK, true);
		return;
	}
	const char *labels[8];
	bool on[8];
	int n = s.ncarriers < 8 ? s.ncarriers : 8;
	for (int i = 0; i < n; i++) {
		labels[i] = carrier_name(ui, s.carriers[i]);
		on[i] = true;
	}
	draw_choices(ui, rest, ch, "send.choose_carrier", "send.carrier.", n, labels, on);
}

static void draw_sizes(struct ui *ui, SDL_Rect rest, int ch)
{
	static const char *const keys[] = {"size.s", "size.m", "size.l", "size.xl"};
	static const char *const hints[] = {"send.size_s", "send.size_m", "send.size_l",
					    "send.size_xl"};
	/* A size is possible while any compartment that large or larger is free (the
	 * smallest fitting one is taken). */
	int free_from[5] = {0};
	for (int i = 3; i >= 0; i--)
		free_from[i] = free_from[i + 1] + ui->snap.free_by_size[i];
	char text[4][160];
	const char *labels[4];
	bool on[4];
	for (int i = 0; i < 4; i++) {
		snprintf(text[i], sizeof text[i], "%s · %s (%d)", ui_tr(ui, keys[i]),
			 ui_tr(ui, hints[i]), ui->snap.free_by_size[i]);
		labels[i] = text[i];
		on[i] = free_from[i] > 0;
	}
	draw_choices(ui, rest, ch, "send.choose_size", "size.", 4, labels, on);
}

static void draw_pay(struct ui *ui, SDL_Rect rest, int ch)
{
	static const char *const keys[] = {"size.s", "size.m", "size.l", "size.xl"};
	char line[200];
	int px = ui_text_px(ui, 36), tp = ui_text_px(ui, 44);
	snprintf(line, sizeof line, "%s · %s", carrier_name(ui, s.carriers[s.carrier]),
		 ui_tr(ui, keys[s.size & 3]));
	const char *cb = ui_tr(ui, "send.collect_body"), *pb = ui_tr(ui, "send.prepaid_body");
	struct ui_item it[] = {{tp + 12, 0},
			       {ch, choice_max(ui, ch)},
			       {ui_label_height(ui, cb, px, false, rest.w), 0},
			       {ch, choice_max(ui, ch)},
			       {ui_label_height(ui, pb, px, false, rest.w), 0}};
	SDL_Rect r[5];
	ui_column(rest, 20, it, 5, r);
	ui_text_fit(ui, line, tp, 32, UI_C_INK, true, r[0]);
	ui_button(ui, "send.collect", r[1], "send.collect", UI_C_HEADER);
	ui_label(ui, cb, px, UI_C_INK, false, r[2], false);
	ui_button_state(ui, "send.prepaid", r[3], "send.prepaid", UI_C_HEADER, false);
	ui_label(ui, pb, px, UI_C_ALERT, false, r[4], false);
}

/* The receipt: what was sent, where it is, how it is paid, and the send number to keep. */
static void draw_receipt(struct ui *ui, SDL_Rect in)
{
	static const char *const keys[] = {"size.s", "size.m", "size.l", "size.xl"};
	char number[9], when[32] = "", line[256];
	int px = ui_text_px(ui, 36);
	/* Digits only: a number read out on the phone, where "B" and "8" are one sound
	 * apart. The QR code below carries the whole id. */
	char hex[9];
	snprintf(hex, sizeof hex, "%.8s", s.parcel);
	snprintf(number, sizeof number, "%08lu", strtoul(hex, NULL, 16) % 100000000UL);
	time_t t = (time_t)(s.done_ms / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	const char *rows[][2] = {
		{"send.carrier", carrier_name(ui, s.carriers[s.carrier])},
		{"send.compartment", s.comp},
		{"send.size", ui_tr(ui, keys[s.size & 3])},
		{"send.payment", ui_tr(ui, "send.paid_by_recipient")},
		{"send.time", when},
	};
	enum { NROWS = sizeof rows / sizeof rows[0] };
	const char *body = ui_tr(ui, "send.receipt_body");
	int tp = ui_text_px(ui, 48), np = ui_text_px(ui, 52);
	struct ui_item it[NROWS + 4] = {{tp + 12, 0}, {np + 12, 0}};
	for (int i = 0; i < NROWS; i++)
		it[2 + i] = (struct ui_item){px + 10, 0};
	it[NROWS + 2] = (struct ui_item){320, 520}; /* the QR: larger scans from further */
	it[NROWS + 3] = (struct ui_item){ui_label_height(ui, body, px, false, in.w), 0};
	SDL_Rect r[NROWS + 4];
	ui_column(in, 12, it, NROWS + 4, r);
	ui_text_fit(ui, ui_tr(ui, "send.receipt"), tp, 36, UI_C_INK, true, r[0]);
	snprintf(line, sizeof line, "%s %s", ui_tr(ui, "send.number"), number);
	ui_text_fit(ui, line, np, 36, UI_C_HEADER, true, r[1]);
	for (int i = 0; i < NROWS; i++) {
		snprintf(line, sizeof line, "%s%s%s", ui_tr(ui, rows[i][0]), ui_tr(ui, "punct.colon"),
			 rows[i][1]);
		ui_text_fit(ui, line, px, 24, UI_C_INK, false, r[2 + i]);
	}
	ui_qr(ui, s.parcel, r[NROWS + 2]);
	ui_label(ui, body, px, UI_C_INK, false, r[NROWS + 3], true);
}

static void send_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 16);
	/* Where the resident is in the flow: "寄件 · 第 2 步 / 共 4 步". */
	int step = s.st == CARRIER ? 1 : s.st == SIZE ? 2 : s.st == PAY ? 3
		 : s.st == OPENING || s.st == INSIDE || s.st == JAMMED ? 4 : 0;
	char title[160];
	if (step) /* word order differs: a format per language */
		snprintf(title, sizeof title,
			 ui->lang == UI_ZH ? "%s · 第 %d 步 / 共 %d 步" : "%s · step %d of %d",
			 ui_tr(ui, "home.send"), step, 4);
	else
		snprintf(title, sizeof title, "%s", ui_tr(ui, "home.send"));
	ui_text_fit(ui, title, ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 20);
	switch (s.st) {
	case CARRIER:
	case SIZE:
	case PAY:
		if (s.st == CARRIER && locker_unusable(ui)) {
			/* The message says to call for help: the button is right here. */
			ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 20, 0), "nav.back",
				  UI_C_MUTED);
			ui_button(ui, "home.help", ui_grid_cell(bottom, 2, 1, 20, 1), "home.help",
				  UI_C_ALERT);
		} else {
			ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		}
		if (s.st == CARRIER)
			draw_carriers(ui, rest, ch);
		else if (s.st == SIZE)
			draw_sizes(ui, rest, ch);
		else
			draw_pay(ui, rest, ch);
		return;
	case LOADING:
	case OPENING:
	case SAVING:
	case CANCELLING:
		ui_wait(ui, rest, s.st == OPENING ? ui_tr(ui, "pickup.opening") : NULL);
		return;
	default:
		break;
	}
	ui_fill_round(ui, rest, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(rest, 48);
	char line[200];
	if (s.st == INSIDE) {
		/* Which door and what to do, and what the door says now. */
		bool late = !s.empty && ui_now_ms(ui) - s.opened_at >= 60 * 1000;
		snprintf(line, sizeof line, "%s%s%s", ui_tr(ui, "courier.door"), ui_tr(ui, "punct.colon"),
			 ui_tr(ui, ui_door_open(ui, s.comp) ? "courier.door_open"
							    : "courier.door_closed"));
		struct ui_door_panel d = {
			.comp = s.comp,
			.todo = ui_tr(ui, "send.put_in"),
			.door = line,
			.note = s.empty ? ui_tr(ui, "courier.empty")
				: late  ? ui_tr(ui, "door.left_open")
					: NULL,
		};
		ui_door_panel(ui, in, &d);
		if (s.empty) {
			/* Closed, but the sensor sees no parcel: the resident says which. */
			ui_button(ui, "send.confirm_in", ui_grid_cell(bottom, 2, 1, 20, 0),
				  "send.confirm_in", UI_C_HEADER);
			ui_button(ui, "send.cancel", ui_grid_cell(bottom, 2, 1, 20, 1), "send.cancel",
				  UI_C_MUTED);
			return;
		}
		ui_button(ui, "send.cancel", bottom, "send.cancel", UI_C_MUTED);
		return;
	}
	if (s.st == JAMMED) {
		ui_message(ui, in, "alert.svg", NULL, UI_C_ALERT, ui_tr(ui, "send.jammed"),
			   UI_C_ALERT, true);
		ui_button(ui, "send.another", ui_grid_cell(bottom, 2, 1, 20, 0), "send.another",
			  UI_C_HEADER);
		ui_button(ui, "send.cancel", ui_grid_cell(bottom, 2, 1, 20, 1), "send.cancel",
			  UI_C_MUTED);
		return;
	}
	if (s.st == RECEIPT) {
		draw_receipt(ui, in);
		ui_button(ui, "send.done", bottom, "send.done", UI_C_HEADER);
		return;
	}
	if (s.st == CANCELLED) {
		/* An open door is the one thing left to do: said under the message. */
		bool open = ui_door_open(ui, s.comp);
		char text[512];
		snprintf(text, sizeof text, "%s%s%s", ui_tr(ui, "send.cancelled"), open ? "\n" : "",
			 open ? ui_tr(ui, "send.close_door") : "");
		ui_message(ui, in, open ? "alert.svg" : "ok.svg", NULL, UI_C_INK, text, UI_C_INK,
			   true);
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		return;
	}
	/* FAILED: say so and offer help; nothing was taken from the resident. */
	ui_message(ui, in, "alert.svg", NULL, UI_C_ALERT,
		   s.msg[0] ? s.msg : ui_tr(ui, "send.failed"), UI_C_ALERT, true);
	ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 20, 0), "nav.back", UI_C_MUTED);
	ui_button(ui, "home.help", ui_grid_cell(bottom, 2, 1, 20, 1), "home.help", UI_C_ALERT);
}

/* Wait for the door while it is ours: the idle countdown must not walk away from an open
 * compartment. */
static bool send_busy(const struct ui *ui)
{
	(void)ui;
	return s.st == OPENING || s.st == INSIDE || s.st == SAVING || s.st == CANCELLING;
}

static const char *const send_exits[] = {"send.cancel",	  "send.another", "send.done",
					 "send.confirm_in", "home.help",	  NULL};

static const char *send_speech(const struct ui *ui)
{
	(void)ui;
	switch (s.st) {
	case CARRIER:
		return "say.send_carrier";
	case SIZE:
		return "say.send_size";
	case PAY:
		return "say.send_pay";
	case INSIDE:
		return "say.send_door";
	case RECEIPT:
		return "say.send_receipt";
	case JAMMED:
	case FAILED:
		return "say.stuck";
	default:
		return NULL;
	}
}

const struct screen ui_screen_send = {
	.speech = send_speech,
	.name = "send",
	.exits = send_exits,
	.enter = send_enter,
	.leave = send_leave,
	.event = send_event,
	.draw = send_draw,
	.tick = send_tick,
	.busy = send_busy,
};
