/* 寄件 Send a parcel: carrier (the companies whose couriers collect here), size (with the
 * free count of each), the sender's mobile (so the carrier can call to complete the
 * waybill), the recipient's city (optional), payment, the door opens, "put it in and close
 * the door" with the door's live state, then a receipt on screen with the send number as a
 * QR code. A resident who booked the send in an app types the booking code instead: the
 * core looks it up online and the door of the booked size opens (or its QR comes first).
 *
 * Payment: 到付 — the recipient pays the carrier on delivery — needs nothing from the
 * kiosk. 寄付 is paid by QR through the core's payment service, which needs the platform:
 * without one the screen offers it greyed out and says why, and never pretends. */
#include "screens/ui/draw.h"
#include "screens/locker_map.h"
#include "screens/pay_panel.h"
#include "screens/screen.h"
#include "screens/scan.h"
#include "screens/print_offer.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_CARRIERS 8

static struct {
	enum send_state { LOADING, CARRIER, SIZE, PHONE, CITY, PAY, BOOKING, LOOKING, PAYING,
			  FOLLOW, OPENING, INSIDE, JAMMED, SAVING, CANCELLING, RECEIPT, CANCELLED,
			  FAILED } st;
	struct ui_print print; /* the receipt on paper, once it is in */
	char carriers[MAX_CARRIERS][32];
	int ncarriers, carrier, size;
	char phone[16];    /* the sender's mobile as typed (cleansed on leaving) */
	int city;          /* index into cities, -1 = not given */
	char code[16];     /* a booking code as typed */
	bool booked;       /* the send came from a booking: its carrier, size, payment */
	char booked_carrier[32], booked_city[32];
	int pay;           /* enum kiosk_send_payer */
	int64_t amount;
	char parcel[64], comp[16];
	bool seen_open;    /* the core's send phase was OPEN for this door */
	bool empty;        /* closed, the item sensor saw nothing: the resident confirms */
	int64_t done_ms;   /* wall clock of the deposit, for the receipt */
	uint32_t req;
	char msg[200];
} s;

/* The cities offered for the recipient (the most sent-to; "other" skips the step). */
static const char *const cities[][2] = {
	{"北京", "Beijing"}, {"上海", "Shanghai"}, {"广州", "Guangzhou"}, {"深圳", "Shenzhen"},
	{"杭州", "Hangzhou"}, {"南京", "Nanjing"}, {"成都", "Chengdu"}, {"武汉", "Wuhan"},
	{"西安", "Xi'an"},   {"重庆", "Chongqing"}, {"天津", "Tianjin"}, {"苏州", "Suzhou"},
};
#define NCITIES ((int)(sizeof cities / sizeof cities[0]))

static void send_enter(struct ui *ui)
{
	memset(&s, 0, sizeof s);
	s.carrier = s.size = s.city = -1;
	s.st = kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_SEND_CARRIERS},
				 &s.req) == KIOSK_OK
		       ? LOADING
		       : FAILED;
}

/* What 寄付 costs for a size: the core's price (the file's, or the platform's setting),
 * the one it charges. */
static int64_t price_of(const struct ui *ui, int size)
{
	return ui->snap.settings.send_price_fen[size & 3];
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
	switch (ui->snap.bank) {
	case KIOSK_BANK_OK:
		return NULL;
	case KIOSK_BANK_FULL:
		return "send.full";
	case KIOSK_BANK_FAULT_FULL:
		return "send.locker_fault";
	default:
		return "send.no_locker";
	}
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
	memset(s.phone, 0, sizeof s.phone);
	if (s.st == JAMMED && s.parcel[0]) {
		struct kiosk_cmd cmd = about_parcel(KIOSK_CMD_SEND_CANCEL);
		kiosk_core_submit(ui->core, &cmd, NULL);
	}
}

static int send_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	int i;
	if (ui_event_index(ev, "send.carrier.", s.ncarriers, &i) && s.st == CARRIER &&
	    !locker_unusable(ui)) {
		s.carrier = i;
		s.msg[0] = '\0';
		s.st = SIZE;
		return 1;
	}
	if (ui_event_index(ev, "size.", 4, &i) && s.st == SIZE) {
		s.size = i;
		s.msg[0] = '\0';
		memset(s.phone, 0, sizeof s.phone); /* typed afresh for each send */
		s.st = PHONE;
		return 1;
	}
	if (s.st == PHONE && ui_edit(s.phone, 12, ev->id)) {
		s.msg[0] = '\0';
		return 1;
	}
	if (s.st == PHONE && strcmp(ev->id, "key.ok") == 0) {
		if (strlen(s.phone) != 11 || s.phone[0] != '1') {
			snprintf(s.msg, sizeof s.msg, "%s", ui_tr(ui, "send.phone_eleven"));
		} else { /* the carrier calls this number: read it back before going on */
			char grouped[24];
			ui_group_phone(s.phone, grouped, sizeof grouped);
			ui_dialog_open(ui, "phone.check", grouped, "phone.right", "phone.right",
				       "dialog.cancel", "phone.fix");
		}
		return 1;
	}
	if (s.st == PHONE && strcmp(ev->id, "phone.right") == 0) {
		s.st = CITY;
		return 1;
	}
	if (ui_event_index(ev, "send.city.", NCITIES, &i) && s.st == CITY) {
		s.city = i;
		s.st = PAY;
		return 1;
	}
	if (strcmp(ev->id, "send.city_skip") == 0 && s.st == CITY) {
		s.city = -1;
		s.st = PAY;
		return 1;
	}
	if ((strcmp(ev->id, "send.collect") == 0 || strcmp(ev->id, "send.prepaid") == 0) &&
	    s.st == PAY) {
		bool prepaid = strcmp(ev->id, "send.prepaid") == 0;
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_SEND_START};
		snprintf(cmd.u.send.carrier, sizeof cmd.u.send.carrier, "%s", s.carriers[s.carrier]);
		cmd.u.send.size = s.size;
		cmd.u.send.pay = prepaid;
		snprintf(cmd.u.send.phone, sizeof cmd.u.send.phone, "%s", s.phone);
		if (s.city >= 0)
			snprintf(cmd.u.send.city, sizeof cmd.u.send.city, "%s", cities[s.city][0]);
		s.pay = prepaid ? KIOSK_PAYER_SENDER : KIOSK_PAYER_RECIPIENT;
		s.amount = prepaid ? price_of(ui, s.size) : 0;
		request(ui, &cmd, prepaid ? PAYING : OPENING);
		memset(&cmd, 0, sizeof cmd);
		return 1;
	}
	/* A booking code: typed, looked up online by the core. */
	if (strcmp(ev->id, "send.have_booking") == 0 && s.st == CARRIER) {
		s.st = BOOKING;
		s.code[0] = s.msg[0] = '\0';
		return 1;
	}
	if (s.st == BOOKING && strcmp(ev->id, "key.space") != 0 && ui_edit(s.code, 13, ev->id)) {
		for (char *c = s.code; *c; c++) /* codes are printed in capitals */
			*c = (char)toupper((unsigned char)*c);
		s.msg[0] = '\0';
		return 1;
	}
	if (s.st == BOOKING && strcmp(ev->id, "key.ok") == 0) {
		size_t n = strlen(s.code);
		if (n < 6 || n > 12) {
			snprintf(s.msg, sizeof s.msg, "%s", ui_tr(ui, "send.booking_length"));
			return 1;
		}
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_SEND_BOOKING};
		snprintf(cmd.u.booking.code, sizeof cmd.u.booking.code, "%s", s.code);
		request(ui, &cmd, LOOKING);
		return 1;
	}
	/* The QR: given up (the send goes with it), or tried again after it failed. */
	if (strcmp(ev->id, "send.pay_cancel") == 0 && s.st == PAYING) {
		kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_PAY_CANCEL},
				  NULL);
		s.st = s.booked ? BOOKING : PAY;
		s.parcel[0] = '\0';
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
	if (s.st == RECEIPT && ui_print_event(ui, &s.print, ev->id, KIOSK_CMD_PRINT_SEND, NULL))
		return 1;
	if (strcmp(ev->id, "send.done") == 0 && s.st == RECEIPT)
		return ui_nav_push(ui, &ui_screen_rating, "send") == KIOSK_OK;
	/* Back steps back through the choices, then leaves. */
	if (strcmp(ev->id, "nav.back") == 0 &&
	    (s.st == SIZE || s.st == PHONE || s.st == CITY || s.st == PAY || s.st == BOOKING)) {
		s.st = s.st == PAY ? CITY : s.st == CITY ? PHONE : s.st == PHONE ? SIZE : CARRIER;
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

/* Paid, or booked: the core opens the door by itself; the screen follows the session. */
static void follow_door(struct ui *ui)
{
	enum kiosk_send_phase ph = ui->snap.session.send;
	if (ph == KIOSK_SEND_OPEN || ph == KIOSK_SEND_STUCK) {
		snprintf(s.comp, sizeof s.comp, "%s", ui->snap.session.send_compartment);
		s.st = ph == KIOSK_SEND_OPEN ? INSIDE : JAMMED;
		s.seen_open = ph == KIOSK_SEND_OPEN;
		s.empty = false;
		ui_dirty(ui);
	} else if (ph == KIOSK_SEND_OPENING && s.st == PAYING) {
		s.st = FOLLOW;
		ui_dirty(ui);
	}
}

/* A booking looked up: what it is, then its door (or its QR) as the core started it. */
static void booked(struct ui *ui, const struct kiosk_result *r)
{
	static const int msgs[][2] = {{KIOSK_ENOENT, 0}, {KIOSK_EEXIST, 1}, {KIOSK_EDENIED, 2},
				      {KIOSK_ENOTSUP, 3}, {KIOSK_ETIMEDOUT, 4}, {KIOSK_ENOFREE, 5},
				      {KIOSK_EPARSE, 6}};
	static const char *const keys[] = {"send.booking_unknown", "send.booking_used",
					   "send.booking_other", "send.booking_carrier",
					   "send.booking_offline", "send.nofree",
					   "send.scan_unknown"};
	if (r->rc == KIOSK_ELOCKED) { /* too many wrong codes: when it opens again */
		s.st = BOOKING;
		snprintf(s.msg, sizeof s.msg, "%s%d%s", ui_tr(ui, "send.booking_locked"),
			 (r->u.booking.wait_s + 59) / 60, ui_tr(ui, "unit.min"));
		return;
	}
	if (r->rc != KIOSK_OK) {
		const char *key = "send.booking_failed";
		for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
			if (msgs[i][0] == r->rc)
				key = keys[msgs[i][1]];
		s.st = BOOKING;
		snprintf(s.msg, sizeof s.msg, "%s", ui_tr(ui, key));
		return;
	}
	s.booked = true;
	snprintf(s.parcel, sizeof s.parcel, "%s", r->u.booking.parcel);
	snprintf(s.booked_carrier, sizeof s.booked_carrier, "%s", r->u.booking.carrier);
	snprintf(s.booked_city, sizeof s.booked_city, "%s", r->u.booking.city);
	s.size = r->u.booking.size & 3;
	s.pay = r->u.booking.pay;
	s.amount = r->u.booking.amount_fen;
	s.st = s.pay == KIOSK_PAYER_SENDER ? PAYING : FOLLOW;
}

/* A booking's QR: at the carrier choice or the booking code, looked up as if typed. */
static const char *send_scan_place(const struct ui *ui)
{
	(void)ui;
	return s.st == CARRIER || s.st == BOOKING ? "send" : NULL;
}

static void send_tick(struct ui *ui)
{
	ui_print_tick(ui, &s.print);
	if ((s.st == CARRIER || s.st == BOOKING) && ui_scan_taken(ui, "send", &s.req)) {
		s.code[0] = s.msg[0] = '\0';
		s.st = LOOKING;
		ui_dirty(ui);
	}
	struct kiosk_result r;
	if (s.st == PAYING || s.st == FOLLOW) {
		follow_door(ui);
		if (s.st == PAYING && kiosk_core_result(ui->core, s.req, &r)) {
			ui_dirty(ui);
			if (r.rc != KIOSK_OK) { /* no QR at all (no platform, no compartment) */
				s.st = r.rc == KIOSK_ENOFREE ? SIZE : FAILED;
				snprintf(s.msg, sizeof s.msg, "%s",
					 ui_tr(ui, r.rc == KIOSK_ENOFREE	? "send.nofree"
						   : r.rc == KIOSK_ENOTSUP ? "send.prepaid_body"
									   : "send.failed"));
			} else if (r.u.door.parcel[0]) {
				snprintf(s.parcel, sizeof s.parcel, "%s", r.u.door.parcel);
			}
		}
		return;
	}
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
	if (!(s.st == LOADING || s.st == OPENING || s.st == SAVING || s.st == CANCELLING ||
	      s.st == LOOKING) ||
	    !kiosk_core_result(ui->core, s.req, &r))
		return;
	ui_dirty(ui);
	switch (s.st) {
	case LOOKING:
		booked(ui, &r);
		break;
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
/* A choice of two lines: what it is, and under it the facts to choose by (a size's
 * centimetres and price); greyed and not tappable when !enabled, in every mode. */
static void choice2(struct ui *ui, const char *id, const char *key, SDL_Rect r,
		    const char *line1, const char *line2, bool enabled)
{
	SDL_Color fg = enabled ? UI_C_WHITE : UI_C_DISABLED_INK;
	ui_button_bg(ui, id, r, key, UI_C_HEADER, enabled);
	int p1 = ui_text_px(ui, 40), p2 = ui_text_px(ui, 32), gap = (r.h - p1 - p2) / 3;
	gap = gap < 2 ? 2 : gap;
	ui_text_fit(ui, line1, p1, 28, fg, true, (SDL_Rect){r.x + 16, r.y + gap, r.w - 32, p1 + 4});
	ui_text_fit(ui, line2, p2, 28, fg, false,
		    (SDL_Rect){r.x + 16, r.y + 2 * gap + p1, r.w - 32, p2 + 4});
}

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
	/* each size: what fits in words, then its inside in cm, its price and how many are
	 * free — all a sender needs to choose, on the choice itself */
	int px = ui_text_px(ui, 36), mp = ui_text_px(ui, 34);
	int big = ch * 3 / 2 > ui_text_px(ui, 40) + ui_text_px(ui, 32) + 24
			  ? ch * 3 / 2
			  : ui_text_px(ui, 40) + ui_text_px(ui, 32) + 24;
	const char *prompt = ui_tr(ui, "send.choose_size");
	struct ui_item it[6] = {{ui_label_height(ui, prompt, px, false, rest.w), 0},
				{s.msg[0] ? ui_label_height(ui, s.msg, mp, true, rest.w) : 0, 0}};
	/* 长辈模式's larger type leaves less height to share: the everyday choices stop
	 * growing sooner, so an elder's are never the smaller ones (ui.a11y) */
	for (int i = 0; i < 4; i++)
		it[2 + i] = (struct ui_item){big, ui->elderly ? choice_max(ui, big) : big * 3 / 2};
	SDL_Rect r[6];
	ui_column(rest, 20, it, 6, r);
	ui_label(ui, prompt, px, UI_C_MUTED, false, r[0], true);
	if (s.msg[0])
		ui_label(ui, s.msg, mp, UI_C_ALERT, true, r[1], true);
	for (int i = 0; i < 4; i++) {
		char id[16], line1[160], line2[160], price[24], free_n[64];
		const int *cm = ui->cfg->send_size_cm[i];
		snprintf(id, sizeof id, "size.%d", i);
		snprintf(line1, sizeof line1, "%s · %s", ui_tr(ui, keys[i]), ui_tr(ui, hints[i]));
		ui_money(price_of(ui, i), price, sizeof price);
		snprintf(free_n, sizeof free_n, ui->lang == UI_ZH ? "空%d格" : "%d free",
			 ui->snap.free_by_size[i]);
		if (cm[0])
			snprintf(line2, sizeof line2, "%d×%d×%d %s · %s %s · %s", cm[0], cm[1], cm[2],
				 ui->lang == UI_ZH ? "厘米" : "cm", ui_tr(ui, "send.prepaid_short"), price,
				 free_n);
		else
			snprintf(line2, sizeof line2, "%s %s · %s", ui_tr(ui, "send.prepaid_short"), price,
				 free_n);
		/* the core's rule, not ours: a full or missing size is greyed */
		choice2(ui, id, keys[i], r[2 + i], line1, line2, ui->snap.size_available[i]);
	}
}

static void draw_pay(struct ui *ui, SDL_Rect rest, int ch)
{
	static const char *const keys[] = {"size.s", "size.m", "size.l", "size.xl"};
	char line[200], prepaid[160], price[24];
	int px = ui_text_px(ui, 36), tp = ui_text_px(ui, 44);
	snprintf(line, sizeof line, "%s · %s", carrier_name(ui, s.carriers[s.carrier]),
		 ui_tr(ui, keys[s.size & 3]));
	/* 寄付 is paid by QR: only with a platform to pay through. */
	bool link = ui->snap.net != KIOSK_NET_NONE;
	ui_money(price_of(ui, s.size), price, sizeof price);
	snprintf(prepaid, sizeof prepaid, "%s %s", ui_tr(ui, "send.prepaid"), price);
	const char *cb = ui_tr(ui, "send.collect_body");
	const char *pb = ui_tr(ui, link ? "send.prepaid_ok_body" : "send.prepaid_body");
	struct ui_item it[] = {{tp + 12, 0},
			       {ch, choice_max(ui, ch)},
			       {ui_label_height(ui, cb, px, false, rest.w), 0},
			       {ch, choice_max(ui, ch)},
			       {ui_label_height(ui, pb, px, false, rest.w), 0}};
	SDL_Rect r[5];
	ui_column(rest, 20, it, 5, r);
	ui_text_fit(ui, line, tp, 32, UI_C_INK, true, r[0]);
	/* both ways to pay read alike: the choice, and under it the other language */
	char prepaid_other[160];
	snprintf(prepaid_other, sizeof prepaid_other, "%s %s", ui_tr_other(ui, "send.prepaid"),
		 price);
	choice2(ui, "send.collect", "send.collect", r[1], ui_tr(ui, "send.collect"),
		ui_tr_other(ui, "send.collect"), true);
	ui_label(ui, cb, px, UI_C_INK, false, r[2], false);
	choice2(ui, "send.prepaid", "send.prepaid", r[3], prepaid, prepaid_other, link);
	ui_label(ui, pb, px, link ? UI_C_INK : UI_C_ALERT, false, r[4], false);
}

/* A code typed on a keypad: the prompt, the field, a message, the keys. */
static void draw_typing(struct ui *ui, SDL_Rect rest, const char *prompt, const char *field,
			const char *text, enum ui_field_show show, enum ui_keypad_kind kind)
{
	int ch = ui_control_h(ui), hp = ui_text_px(ui, 36), mp = ui_text_px(ui, 34);
	SDL_Rect t = ui_take_top(&rest, ui_label_height(ui, ui_tr(ui, prompt), hp, ui->elderly,
							 rest.w),
				 12);
	ui_label(ui, ui_tr(ui, prompt), hp, ui->elderly ? UI_C_INK : UI_C_MUTED, ui->elderly, t,
		 true);
	ui_field(ui, field, ui_take_top(&rest, ch, 12), text, show, true, NULL);
	SDL_Rect msg = ui_take_top(&rest, mp * 2 + 12, 12);
	if (s.msg[0])
		ui_label(ui, s.msg, mp, UI_C_ALERT, true, msg, true);
	/* Keys as large as a choice may be, not a wall of them: in 长辈模式 that limit is
	 * higher, so a key there is never lower. */
	int rows = kind == UI_KEYPAD_DIGITS ? 4 : 5, most = rows * choice_max(ui, ch) + rows * 16;
	if (rest.h > most) {
		rest.y += (rest.h - most) / 2;
		rest.h = most;
	}
	ui_keypad(ui, rest, kind, "send.next");
}

/* The recipient's city: the common ones as large choices; "other" skips it. */
static void draw_cities(struct ui *ui, SDL_Rect rest)
{
	int hp = ui_text_px(ui, 36);
	SDL_Rect t = ui_take_top(&rest, ui_label_height(ui, ui_tr(ui, "send.choose_city"), hp,
							 false, rest.w),
				 16);
	ui_label(ui, ui_tr(ui, "send.choose_city"), hp, UI_C_MUTED, false, t, true);
	int cols = 3, rows = (NCITIES + cols - 1) / cols;
	int most = rows * choice_max(ui, ui_control_h(ui)) + (rows - 1) * 16;
	if (rest.h > most) { /* large choices, centred: not stretched to the bottom */
		rest.y += (rest.h - most) / 2;
		rest.h = most;
	}
	for (int i = 0; i < NCITIES; i++) {
		char id[24];
		snprintf(id, sizeof id, "send.city.%d", i);
		ui_button_text(ui, id, ui_grid_cell(rest, cols, rows, 16, i),
			       cities[i][ui->lang == UI_ZH ? 0 : 1], UI_C_HEADER, UI_C_WHITE,
			       UI_ROLE_BUTTON);
	}
}

/* The receipt: what was sent, where it is, how it is paid, and the send number to keep. */
static void draw_receipt(struct ui *ui, SDL_Rect in)
{
	static const char *const keys[] = {"size.s", "size.m", "size.l", "size.xl"};
	char when[32] = "", line[256];
	int px = ui_text_px(ui, 36);
	/* The core's number: the one the carrier was told, read out on the phone (digits
	 * only), and the QR code below carries it. */
	const char *number = ui->snap.session.send_number;
	time_t t = (time_t)(s.done_ms / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	char paid[96], price[24];
	ui_money(s.amount, price, sizeof price);
	if (s.pay == KIOSK_PAYER_SENDER)
		snprintf(paid, sizeof paid, "%s %s", ui_tr(ui, "send.paid_by_sender"), price);
	else
		snprintf(paid, sizeof paid, "%s",
			 ui_tr(ui, s.pay == KIOSK_PAYER_APP ? "send.paid_in_app"
								   : "send.paid_by_recipient"));
	const char *city = s.booked ? s.booked_city : s.city >= 0 ? cities[s.city][ui->lang == UI_ZH ? 0 : 1] : "";
	const char *rows[][2] = {
		{"send.carrier",
		 carrier_name(ui, s.booked ? s.booked_carrier : s.carriers[s.carrier])},
		{"send.compartment", s.comp},
		{"send.size", ui_tr(ui, keys[s.size & 3])},
		{"send.payment", paid},
		{"send.time", when},
		{"send.city", city},
	};
	/* no city given: its line is left out, not shown as "-"; in 长辈模式 the size and the
	 * time too, so the larger type leaves the QR code at least as large as elsewhere */
	enum { NROWS_ALL = sizeof rows / sizeof rows[0] };
	const char *shown[NROWS_ALL][2];
	int NROWS = 0;
	for (int i = 0; i < NROWS_ALL; i++) {
		bool extra = strcmp(rows[i][0], "send.size") == 0 || strcmp(rows[i][0], "send.time") == 0;
		if ((strcmp(rows[i][0], "send.city") == 0 && !city[0]) || (ui->elderly && extra))
			continue;
		shown[NROWS][0] = rows[i][0];
		shown[NROWS++][1] = rows[i][1];
	}
	/* One truth, said at step 3 too: a walk-in send's carrier calls the sender (the
	 * platform passes the number on); a booked send's address is in the booking. */
	const char *body = ui_tr(ui, s.booked ? "send.receipt_body_booked" : "send.receipt_body");
	int tp = ui_text_px(ui, 48), np = ui_text_px(ui, 52);
	struct ui_item it[NROWS_ALL + 4] = {{tp + 12, 0}, {np + 12, 0}};
	for (int i = 0; i < NROWS; i++)
		it[2 + i] = (struct ui_item){px + 10, 0};
	it[NROWS + 2] = (struct ui_item){320, 520}; /* the QR: larger scans from further */
	it[NROWS + 3] = (struct ui_item){ui_label_height(ui, body, px, false, in.w), 0};
	SDL_Rect r[NROWS_ALL + 4];
	ui_column(in, 12, it, NROWS + 4, r);
	ui_text_fit(ui, ui_tr(ui, "send.receipt"), tp, 36, UI_C_INK, true, r[0]);
	snprintf(line, sizeof line, "%s %s", ui_tr(ui, "send.number"), number);
	ui_text_fit(ui, line, np, 36, UI_C_HEADER, true, r[1]);
	for (int i = 0; i < NROWS; i++) {
		snprintf(line, sizeof line, "%s%s%s", ui_tr(ui, shown[i][0]), ui_tr(ui, "punct.colon"),
			 shown[i][1]);
		ui_text_fit(ui, line, px, 24, UI_C_INK, false, r[2 + i]);
	}
	if (number[0])
		ui_qr(ui, number, r[NROWS + 2]);
	ui_label(ui, body, px, UI_C_INK, false, r[NROWS + 3], true);
}

static void send_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 16);
	/* Where the resident is in the flow: "寄件 · 第 2 步 / 共 6 步" (a booking: 2 steps). */
	bool door = s.st == OPENING || s.st == INSIDE || s.st == JAMMED || s.st == PAYING ||
		    s.st == FOLLOW;
	int total = s.booked || s.st == BOOKING || s.st == LOOKING ? 2 : 6;
	int step = s.st == CARRIER ? 1 : s.st == SIZE ? 2 : s.st == PHONE ? 3 : s.st == CITY ? 4
		 : s.st == PAY ? 5 : s.st == BOOKING || s.st == LOOKING ? 1 : door ? total : 0;
	char title[160];
	if (step) /* word order differs: a format per language */
		snprintf(title, sizeof title,
			 ui->lang == UI_ZH ? "%s · 第 %d 步 / 共 %d 步" : "%s · step %d of %d",
			 ui_tr(ui, "home.send"), step, total);
	else
		snprintf(title, sizeof title, "%s", ui_tr(ui, "home.send"));
	ui_text_fit(ui, title, ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 20);
	switch (s.st) {
	case CARRIER:
	case SIZE:
	case PAY:
		if (s.st == CARRIER && locker_unusable(ui)) {
			/* the message points at 遇到问题, above */
			ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		} else if (s.st == CARRIER && ui->snap.net != KIOSK_NET_NONE) {
			/* booked in an app: the code instead of the choices */
			ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 20, 0), "nav.back",
				  UI_C_MUTED);
			ui_button(ui, "send.have_booking", ui_grid_cell(bottom, 2, 1, 20, 1),
				  "send.have_booking", UI_C_HEADER);
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
	case PHONE:
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		/* 长辈模式: the short prompt (spoken in full), so the keys keep their size */
		draw_typing(ui, rest, ui->elderly ? "send.phone_short" : "send.phone_prompt",
			    "send.phone", s.phone, UI_FIELD_PHONE, UI_KEYPAD_DIGITS);
		return;
	case BOOKING:
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		draw_typing(ui, rest, "send.booking_prompt", "send.booking", s.code, UI_FIELD_PLAIN,
			    UI_KEYPAD_LETTERS);
		return;
	case CITY:
		ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 20, 0), "nav.back", UI_C_MUTED);
		ui_button(ui, "send.city_skip", ui_grid_cell(bottom, 2, 1, 20, 1), "send.city_skip",
			  UI_C_HEADER);
		draw_cities(ui, rest);
		return;
	case PAYING: {
		SDL_Rect in = ui_inset(rest, 8);
		ui_fill_round(ui, rest, 32, UI_C_PANEL);
		ui_pay_panel(ui, ui_inset(in, 40));
		/* (遇到问题 is above, at every step; paid: the door is on its way) */
		if (ui->snap.session.pay != KIOSK_PAY_PAID)
			ui_button(ui, "send.pay_cancel", bottom, "send.cancel", UI_C_MUTED);
		return;
	}
	case LOOKING:
		ui_wait(ui, rest, ui_tr(ui, "send.looking_up"));
		return;
	case FOLLOW:
		ui_wait(ui, rest, ui_tr(ui, "pickup.opening"));
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
		bool late = !s.empty && ui_door_left_open(ui, s.comp);
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
	if (s.st == JAMMED) { /* the door by its number: 遇到问题 above tells the staff which */
		char which[96] = "";
		if (s.comp[0])
			ui_tr_with(ui, "door.did_not_open", s.comp, which, sizeof which);
		ui_message(ui, in, "alert.svg", which[0] ? which : NULL, UI_C_ALERT,
			   ui_tr(ui, "send.jammed"), UI_C_ALERT, true);
		ui_button(ui, "send.another", ui_grid_cell(bottom, 2, 1, 20, 0), "send.another",
			  UI_C_HEADER);
		ui_button(ui, "send.cancel", ui_grid_cell(bottom, 2, 1, 20, 1), "send.cancel",
			  UI_C_MUTED);
		return;
	}
	if (s.st == RECEIPT) {
		if (ui_print_shown(ui, &s.print)) { /* 打印小票 beside 完成 */
			ui_print_draw(ui, &s.print, ui_grid_cell(bottom, 2, 1, 20, 0), "print.receipt");
			bottom = ui_grid_cell(bottom, 2, 1, 20, 1);
		}
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
	/* FAILED: say so (遇到问题 above); nothing was taken from the resident. */
	ui_message(ui, in, "alert.svg", NULL, UI_C_ALERT,
		   s.msg[0] ? s.msg : ui_tr(ui, "send.failed"), UI_C_ALERT, true);
	ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
}

/* Wait for the door while it is ours: the idle countdown must not walk away from an open
 * compartment. */
static bool send_busy(const struct ui *ui)
{
	return s.st == OPENING || s.st == INSIDE || s.st == SAVING || s.st == CANCELLING ||
	       s.st == LOOKING || s.st == FOLLOW ||
	       (s.st == PAYING && !ui_pay_failed(ui));
}

static const char *const send_exits[] = {"send.cancel",     "send.another",     "send.done",
					 "send.confirm_in", "send.pay_cancel",
					 "send.city_skip",  "send.have_booking", NULL};

/* 遇到问题 at each step of a send: what can go wrong there. */
static const char *const *send_problems(const struct ui *ui)
{
	(void)ui;
	static const char *const choose[] = {"problem.other", NULL};
	static const char *const pay[] = {"problem.payment", "problem.other", NULL};
	static const char *const door[] = {"problem.door_not_open", "problem.payment",
					   "problem.other", NULL};
	switch (s.st) {
	case PAY:
	case PAYING:
	case BOOKING:
	case LOOKING:
		return pay;
	case FOLLOW:
	case OPENING:
	case INSIDE:
	case JAMMED:
	case SAVING:
	case CANCELLING:
	case RECEIPT:
	case CANCELLED:
	case FAILED:
		return door;
	default:
		return choose;
	}
}

static const char *send_speech(const struct ui *ui)
{
	switch (s.st) {
	case PHONE:
		return "say.send_phone";
	case CITY:
		return "say.send_city";
	case BOOKING:
		return "say.send_booking";
	case PAYING:
		return ui->snap.session.pay == KIOSK_PAY_SHOWN ? "say.pay" : NULL;
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
	.flags = UI_SCREEN_TROUBLE,
	.problems = send_problems,
	.exits = send_exits,
	.scan_place = send_scan_place,
	.enter = send_enter,
	.leave = send_leave,
	.event = send_event,
	.draw = send_draw,
	.tick = send_tick,
	.busy = send_busy,
};
