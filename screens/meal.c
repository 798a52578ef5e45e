/* 助餐: a community canteen's meal at the elderly price, in five screens at most — who eats
 * (the phone typed and read back, or a 长者卡 scanned), the menu at this resident's price,
 * the portions and the way (到店取餐 / 送餐上门), the payment (none when it is free), and the
 * ticket with its number and QR code. Everything after the phone is the core's (session
 * .meal): the tier and how it is known, the prices, the order, the ticket; the screen shows
 * them and sends the resident's intents. A ticket is cancelled here too (its number and the
 * phone); canteen staff serve tickets on their own screen (screens/meal_staff.c).
 *
 * 长辈模式 first: four large pictures a page, the price already discounted in large digits,
 * every step spoken. */
#include "screens/meal.h"
#include "screens/place.h"
#include "screens/pay_panel.h"
#include "screens/print_offer.h"
#include "screens/scan.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/draw.h"
#include "screens/ui/image.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static struct {
	enum { WHO, MENU, CONFIRM, CANCEL_NUMBER, CANCEL_PHONE } st;
	char phone[16], number[12];
	int day; /* 0: today, 1: tomorrow */
	int page;
	char pick[64]; /* the meal chosen */
	int portions;
	bool home;
	bool asking, again; /* a request out; the menu again after a ticket */
	uint32_t req;
	char msg[160];
	struct ui_print print;
	const struct kiosk_neighbourhood *nb;
} m;

static void meal_enter(struct ui *ui)
{
	memset(&m, 0, sizeof m);
	m.nb = kiosk_core_neighbourhood(ui->core);
}

static void meal_leave(struct ui *ui)
{
	/* an order not paid goes (the core drops it when the session ends); the phone typed
	 * here goes now */
	kiosk_neighbourhood_put(m.nb);
	m.nb = NULL;
	if (ui->snap.session.meal == KIOSK_MEAL_PAYING)
		kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_MEAL_BACK},
				  NULL);
	memset(m.phone, 0, sizeof m.phone);
}

const struct kiosk_meal_view *ui_meal_find(const struct ui *ui, const char *id)
{
	for (int i = 0; i < ui->snap.session.nmeals; i++)
		if (strcmp(ui->snap.session.meals[i].id, id) == 0)
			return &ui->snap.session.meals[i];
	return NULL;
}

const char *ui_meal_name(const struct ui *ui, const struct kiosk_meal_view *v)
{
	return ui->lang == UI_ZH || !v->name_en[0] ? v->name_zh : v->name_en;
}

void ui_meal_canteen(const struct ui *ui, const struct kiosk_neighbourhood *nb,
		     const char *canteen, char *name, size_t ncap, char *walk, size_t wcap)
{
	snprintf(name, ncap, "%s", ui_tr(ui, "meal.canteen"));
	walk[0] = '\0';
	for (size_t i = 0; nb && i < nb->nplaces; i++)
		if (strcmp(nb->places[i].id, canteen) == 0) {
			const struct kiosk_place *p = &nb->places[i];
			snprintf(name, ncap, "%s", ui->lang == UI_ZH || !p->name_en[0] ? p->name_zh
										  : p->name_en);
			ui_walk_text(ui, p, walk, wcap);
			return;
		}
}

/* The meals of the day shown, as indexes into the session's. */
static int day_meals(const struct ui *ui, int day, int *idx)
{
	char want[11] = "";
	int n = 0;
	/* the menu is in day order: today's first */
	for (int i = 0, d = -1; i < ui->snap.session.nmeals; i++) {
		const struct kiosk_meal_view *v = &ui->snap.session.meals[i];
		if (strcmp(v->day, want) != 0) {
			memcpy(want, v->day, sizeof want);
			d++;
		}
		if (d == day)
			idx[n++] = i;
	}
	return n;
}

static int ndays(const struct ui *ui)
{
	int n = 0;
	for (int i = 0; i < ui->snap.session.nmeals; i++)
		n += i == 0 || strcmp(ui->snap.session.meals[i].day,
				      ui->snap.session.meals[i - 1].day) != 0;
	return n > 2 ? 2 : n; /* today and tomorrow: the kiosk takes orders that far */
}

static void request(struct ui *ui, struct kiosk_cmd *cmd)
{
	m.msg[0] = '\0';
	m.asking = kiosk_core_submit(ui->core, cmd, &m.req) == KIOSK_OK;
	if (!m.asking)
		snprintf(m.msg, sizeof m.msg, "%s", ui_tr(ui, "meal.not_now"));
}

static void choose(const char *id, int portions, bool home)
{
	snprintf(m.pick, sizeof m.pick, "%s", id);
	m.portions = portions < 1 ? 1 : portions;
	m.home = home;
	m.msg[0] = '\0';
	m.st = CONFIRM;
}

static int menu_event(struct ui *ui, const struct ui_event *ev)
{
	int i;
	if (ui_event_index(ev, "meal.day.", 2, &i)) {
		m.day = i;
		m.page = 0;
		return 1;
	}
	/* a tile's id is its meal's place in the session's menu */
	if (ui_event_index(ev, "meal.item.", ui->snap.session.nmeals, &i) &&
	    ui->snap.session.meals[i].open) {
		choose(ui->snap.session.meals[i].id, 1, false);
		return 1;
	}
	if (strcmp(ev->id, "meal.same") == 0 && ui->snap.session.meal_same[0]) {
		choose(ui->snap.session.meal_same, ui->snap.session.meal_same_portions,
		       ui->snap.session.meal_same_delivery);
		return 1;
	}
	if (strcmp(ev->id, "meal.next") == 0 || strcmp(ev->id, "meal.prev") == 0) {
		m.page += strcmp(ev->id, "meal.next") == 0 ? 1 : -1;
		m.page = m.page < 0 ? 0 : m.page;
		return 1;
	}
	if (strcmp(ev->id, "nav.back") == 0) { /* another resident, or the phone mistyped */
		m.st = WHO;
		m.again = false;
		memset(m.phone, 0, sizeof m.phone);
		return 1;
	}
	return 0;
}

static int confirm_event(struct ui *ui, const struct ui_event *ev)
{
	int most = ui->snap.settings.meal_max_portions;
	if (strcmp(ev->id, "meal.plus") == 0 && m.portions < most)
		m.portions++;
	else if (strcmp(ev->id, "meal.minus") == 0 && m.portions > 1)
		m.portions--;
	else if (strcmp(ev->id, "meal.pickup") == 0)
		m.home = false;
	else if (strcmp(ev->id, "meal.home") == 0 && ui->snap.session.meal_delivery)
		m.home = true;
	else if ((strcmp(ev->id, "meal.order") == 0 || strcmp(ev->id, "meal.order_card") == 0) &&
		 !m.asking) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_MEAL_ORDER};
		snprintf(cmd.u.meal.id, sizeof cmd.u.meal.id, "%s", m.pick);
		cmd.u.meal.portions = m.portions;
		cmd.u.meal.to_home = m.home;
		cmd.u.meal.by_card = strcmp(ev->id, "meal.order_card") == 0;
		request(ui, &cmd);
	} else if (strcmp(ev->id, "nav.back") == 0)
		m.st = MENU;
	else
		return 0;
	return 1;
}

/* Typing a phone (who eats, or the one a ticket was ordered with): 11 digits, read back. */
static int phone_event(struct ui *ui, const struct ui_event *ev, char *phone)
{
	if (ui_edit(phone, 12, ev->id)) {
		m.msg[0] = '\0';
		return 1;
	}
	if (strcmp(ev->id, "key.ok") != 0)
		return 0;
	if (strlen(phone) != 11 || phone[0] != '1') {
		snprintf(m.msg, sizeof m.msg, "%s", ui_tr(ui, "send.phone_eleven"));
	} else {
		char grouped[24];
		ui_group_phone(phone, grouped, sizeof grouped);
		ui_dialog_open(ui, "phone.check", grouped, "phone.right", "phone.right",
			       "dialog.cancel", "phone.fix");
	}
	return 1;
}

static int meal_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	const struct kiosk_session_view *v = &ui->snap.session;
	if (v->meal >= KIOSK_MEAL_DONE && !m.again) {
		if (v->meal == KIOSK_MEAL_DONE &&
		    ui_print_event(ui, &m.print, ev->id, KIOSK_CMD_PRINT_MEAL, NULL))
			return 1;
		if (strcmp(ev->id, "meal.again") == 0 && v->meal != KIOSK_MEAL_CANCELLED) {
			m.again = true;
			m.st = MENU;
			return 1;
		}
		if (strcmp(ev->id, "meal.finish") == 0) {
			ui_nav_home(ui, true);
			return 1;
		}
		return 0;
	}
	if (v->meal == KIOSK_MEAL_PAYING) {
		if (strcmp(ev->id, "meal.pay_cancel") == 0 || strcmp(ev->id, "nav.back") == 0) {
			kiosk_core_submit(ui->core,
					  &(const struct kiosk_cmd){.type = KIOSK_CMD_MEAL_BACK}, NULL);
			return 1;
		}
		return 0;
	}
	if (m.st == MENU)
		return menu_event(ui, ev);
	if (m.st == CONFIRM)
		return confirm_event(ui, ev);
	if (m.st == WHO) {
		if (strcmp(ev->id, "phone.right") == 0 && !m.asking) {
			struct kiosk_cmd cmd = {.type = KIOSK_CMD_MEAL_WHO};
			snprintf(cmd.u.meal.phone, sizeof cmd.u.meal.phone, "%s", m.phone);
			request(ui, &cmd);
			memset(&cmd, 0, sizeof cmd);
			return 1;
		}
		if (strcmp(ev->id, "meal.cancel_ticket") == 0) {
			m.st = CANCEL_NUMBER;
			memset(m.number, 0, sizeof m.number);
			m.msg[0] = '\0';
			return 1;
		}
		if (strcmp(ev->id, "meal.staff") == 0)
			return ui_nav_push(ui, &ui_screen_meal_staff, NULL) == KIOSK_OK;
		return phone_event(ui, ev, m.phone);
	}
	if (m.st == CANCEL_NUMBER) {
		if (strcmp(ev->id, "nav.back") == 0) {
			m.st = WHO;
			return 1;
		}
		if (ui_edit(m.number, 9, ev->id)) {
			m.msg[0] = '\0';
			return 1;
		}
		if (strcmp(ev->id, "key.ok") == 0) {
			if (strlen(m.number) != 8)
				snprintf(m.msg, sizeof m.msg, "%s", ui_tr(ui, "meal.number_eight"));
			else
				m.st = CANCEL_PHONE;
			return 1;
		}
		return 0;
	}
	/* CANCEL_PHONE */
	if (strcmp(ev->id, "nav.back") == 0) {
		m.st = CANCEL_NUMBER;
		return 1;
	}
	if (strcmp(ev->id, "phone.right") == 0 && !m.asking) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_MEAL_CANCEL};
		snprintf(cmd.u.meal.number, sizeof cmd.u.meal.number, "%s", m.number);
		snprintf(cmd.u.meal.phone, sizeof cmd.u.meal.phone, "%s", m.phone);
		request(ui, &cmd);
		memset(&cmd, 0, sizeof cmd);
		memset(m.phone, 0, sizeof m.phone);
		return 1;
	}
	return phone_event(ui, ev, m.phone);
}

/* Why a request was refused, in the resident's words. */
static const char *refusal(int rc)
{
	switch (rc) {
	case KIOSK_EEXPIRED:
		return "meal.past_deadline";
	case KIOSK_ESOLDOUT:
		return "meal.sold_out_now";
	case KIOSK_EDENIED:
		return m.st == CANCEL_PHONE ? "meal.cancel_not_yours" : "meal.no_delivery";
	case KIOSK_ENOENT:
		return m.st == CANCEL_PHONE ? "meal.no_such_ticket" : "meal.gone";
	case KIOSK_ESTATE:
		return m.st == CANCEL_PHONE ? "meal.cannot_cancel" : "meal.not_now";
	case KIOSK_EINVAL:
		return "meal.check_input";
	case KIOSK_EPARSE: /* a scan that is not what this step takes */
		return m.st == CANCEL_NUMBER ? "meal.not_a_ticket" : "meal.not_a_card";
	default:
		return "meal.not_now";
	}
}

static void meal_tick(struct ui *ui)
{
	struct kiosk_result r;
	const struct kiosk_session_view *v = &ui->snap.session;
	ui_print_tick(ui, &m.print);
	if (v->meal != KIOSK_MEAL_DONE && m.print.st != UI_PRINT_ASKED)
		memset(&m.print, 0, sizeof m.print);
	uint32_t req;
	if (m.st == WHO && ui_scan_taken(ui, "meal_who", &req)) { /* a 长者卡 scanned */
		m.asking = true;
		m.req = req;
		ui_dirty(ui);
	}
	if (m.st == CANCEL_NUMBER && ui_scan_taken(ui, "meal_cancel", &req)) {
		m.asking = true;
		m.req = req;
	}
	if (!m.asking || !kiosk_core_result(ui->core, m.req, &r))
		return;
	m.asking = false;
	ui_dirty(ui);
	if (m.st == CANCEL_NUMBER && r.type == KIOSK_CMD_SCAN_AT) { /* a ticket's QR */
		if (r.rc == KIOSK_OK) {
			snprintf(m.number, sizeof m.number, "%.8s", r.u.scan.text);
			m.st = CANCEL_PHONE;
		} else {
			snprintf(m.msg, sizeof m.msg, "%s", ui_tr(ui, refusal(r.rc)));
		}
		return;
	}
	if (r.rc != KIOSK_OK) {
		const struct kiosk_meal_view *late = ui_meal_find(ui, m.pick);
		char by[64] = "";
		if (r.rc == KIOSK_EEXPIRED && m.st == CONFIRM && late) /* the deadline, named */
			ui_meal_deadline(ui, late, by, sizeof by);
		bool zh = ui->lang == UI_ZH;
		snprintf(m.msg, sizeof m.msg, "%s%s%s%s", ui_tr(ui, refusal(r.rc)),
			 !by[0] ? "" : zh ? "（" : " (", by, !by[0] ? "" : zh ? "）" : ")");
		return;
	}
	if (m.st == WHO) { /* who is known: the menu, on the first day with a meal open */
		memset(m.phone, 0, sizeof m.phone);
		m.st = MENU;
		m.day = 0;
		m.page = 0;
		int idx[KIOSK_MEAL_VIEW_MAX], n = day_meals(ui, 0, idx), open = 0;
		for (int i = 0; i < n; i++)
			open += ui->snap.session.meals[idx[i]].open;
		m.day = open || ndays(ui) < 2 ? 0 : 1;
	}
	if (m.st == CONFIRM)
		m.again = false; /* the order's own steps from here */
}

static void meal_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 16);
	ui_text_fit(ui, ui_tr(ui, "home.meal"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 20);
	const struct kiosk_session_view *v = &ui->snap.session;
	if (v->meal == KIOSK_MEAL_ASKING || (m.asking && m.st == WHO)) {
		ui_wait(ui, rest, ui_tr(ui, "meal.asking"));
		return;
	}
	if (v->meal == KIOSK_MEAL_PAYING) {
		ui_fill_round(ui, rest, 32, UI_C_PANEL);
		if (v->meal_by_card)
			ui_card_panel(ui, ui_inset(rest, 48), v->meal_due_fen, v->meal_card_on);
		else
			ui_pay_panel(ui, ui_inset(rest, 48));
		if (v->meal_by_card || v->pay != KIOSK_PAY_PAID)
			ui_button(ui, "meal.pay_cancel", bottom, "meal.pay_cancel", UI_C_MUTED);
		return;
	}
	if (v->meal >= KIOSK_MEAL_DONE && !m.again) {
		ui_meal_draw_outcome(ui, m.nb, &m.print, rest, bottom);
		return;
	}
	if ((v->meal == KIOSK_MEAL_CHOOSING || m.again) && m.st == MENU) {
		ui_meal_draw_menu(ui, m.nb, m.day, &m.page, m.msg, rest, bottom);
		return;
	}
	if ((v->meal == KIOSK_MEAL_CHOOSING || m.again) && m.st == CONFIRM) {
		/* a payment that did not go through is said where the resident chooses again */
		const char *why = m.msg[0]				      ? m.msg
				  : !strcmp(v->meal_reason, "card_declined") ? ui_tr(ui, "meal.card_declined")
				  : !strcmp(v->meal_reason, "card_fault")    ? ui_tr(ui, "meal.card_fault")
				  : !strcmp(v->meal_reason, "sold_out")	     ? ui_tr(ui, "meal.sold_out_now")
				  : !strcmp(v->meal_reason, "deadline")	     ? ui_tr(ui, "meal.past_deadline")
				  : v->meal_reason[0]			      ? ui_tr(ui, "meal.not_now")
									      : "";
		ui_meal_draw_confirm(ui, m.nb, m.pick, m.portions, m.home, why, rest, bottom);
		return;
	}
	if (m.st == MENU || m.st == CONFIRM) /* the core forgot who (the session ended) */
		m.st = WHO;
	if (m.st == CANCEL_NUMBER) {
		ui_meal_draw_typing(ui, rest, "meal.cancel_number", "meal.number", m.number,
				    UI_FIELD_PLAIN, m.msg);
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		return;
	}
	if (m.st == CANCEL_PHONE) {
		ui_meal_draw_typing(ui, rest, "meal.cancel_phone", "meal.phone", m.phone,
				    UI_FIELD_PHONE, m.msg);
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		return;
	}
	ui_meal_draw_typing(ui, rest, ui->elderly ? "meal.who_short" : "meal.who", "meal.phone",
			    m.phone, UI_FIELD_PHONE, m.msg);
	ui_button(ui, "nav.back", ui_grid_cell(bottom, 3, 1, 20, 0), "nav.back", UI_C_MUTED);
	ui_button(ui, "meal.cancel_ticket", ui_grid_cell(bottom, 3, 1, 20, 1),
		  "meal.cancel_ticket", UI_C_HEADER);
	ui_button(ui, "meal.staff", ui_grid_cell(bottom, 3, 1, 20, 2), "meal.staff", UI_C_MUTED);
}

static bool meal_busy(const struct ui *ui)
{
	return m.asking || ui->snap.session.meal == KIOSK_MEAL_ASKING ||
	       (ui->snap.session.meal == KIOSK_MEAL_PAYING &&
		(ui->snap.session.meal_by_card || !ui_pay_failed(ui)));
}

static const char *meal_scan_place(const struct ui *ui)
{
	if (ui->snap.session.meal >= KIOSK_MEAL_DONE && !m.again)
		return NULL;
	return m.st == WHO ? "meal_who" : m.st == CANCEL_NUMBER ? "meal_cancel" : NULL;
}

static const char *meal_speech(const struct ui *ui)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	switch (v->meal) {
	case KIOSK_MEAL_PAYING:
		return v->meal_by_card		       ? "say.meal_card"
		       : v->pay == KIOSK_PAY_SHOWN ? "say.meal_pay"
						   : NULL;
	case KIOSK_MEAL_DONE:
		return m.again ? "say.meal_menu" : "say.meal_ticket";
	case KIOSK_MEAL_REFUNDED:
		return m.again ? "say.meal_menu" : "say.meal_refunded";
	case KIOSK_MEAL_CANCELLED:
		return "say.meal_cancelled";
	default:
		break;
	}
	return m.st == MENU ? "say.meal_menu" : m.st == CONFIRM ? "say.meal_confirm"
	       : m.st == CANCEL_NUMBER ? "say.meal_cancel_number"
	       : m.st == CANCEL_PHONE ? "say.meal_cancel_phone"
				      : "say.meal_who";
}

/* 朗读 on the ticket: its number digit by digit, the day, the meal, where. */
static bool meal_say(const struct ui *ui, char *out, size_t len)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	if (v->meal != KIOSK_MEAL_DONE || m.again)
		return false;
	return ui_meal_ticket_words(ui, m.nb, out, len);
}

static const char *const meal_exits[] = {"meal.finish", "meal.again", "meal.pay_cancel",
					 "meal.cancel_ticket", "print.receipt", NULL};

static const char *const *meal_problems(const struct ui *ui)
{
	static const char *const money[] = {"problem.payment", "problem.other", NULL};
	static const char *const other[] = {"problem.other", NULL};
	return ui->snap.session.meal == KIOSK_MEAL_PAYING ||
			       ui->snap.session.meal == KIOSK_MEAL_REFUNDED
		       ? money
		       : other;
}

const struct screen ui_screen_meal = {
	.name = "meal",
	.flags = UI_SCREEN_TROUBLE,
	.speech = meal_speech,
	.say = meal_say,
	.problems = meal_problems,
	.exits = meal_exits,
	.enter = meal_enter,
	.leave = meal_leave,
	.event = meal_event,
	.draw = meal_draw,
	.tick = meal_tick,
	.busy = meal_busy,
	.scan_place = meal_scan_place,
};
