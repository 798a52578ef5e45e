/* 助餐's steps as drawn (see screens/meal.c): the phone, the menu at this resident's price,
 * the portions and the way, the ticket or what went wrong. Prices and tiers are the core's
 * (session .meal*); this file only lays them out. */
#include "screens/meal.h"
#include "screens/pay_panel.h"
#include "screens/place.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/draw.h"
#include "screens/ui/image.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define LOCAL_OFFSET_MS (8 * 3600000LL) /* the canteens' calendar: China's */

static void local_tm(int64_t utc_ms, struct tm *tm)
{
	time_t t = (time_t)((utc_ms + LOCAL_OFFSET_MS) / 1000);
	gmtime_r(&t, tm);
}

/* "今天" / "明天" / "12月7日" for a menu day. */
static void day_words(const struct ui *ui, const char *day, char *out, size_t cap)
{
	char d0[11], d1[11];
	struct tm tm;
	local_tm(ui_now_ms(ui), &tm);
	strftime(d0, sizeof d0, "%Y-%m-%d", &tm);
	local_tm(ui_now_ms(ui) + 86400000, &tm);
	strftime(d1, sizeof d1, "%Y-%m-%d", &tm);
	int mo = 0, dd = 0;
	sscanf(day, "%*4d-%2d-%2d", &mo, &dd);
	if (strcmp(day, d0) == 0)
		snprintf(out, cap, "%s", ui_tr(ui, "meal.today"));
	else if (strcmp(day, d1) == 0)
		snprintf(out, cap, "%s", ui_tr(ui, "meal.tomorrow"));
	else
		snprintf(out, cap, ui->lang == UI_ZH ? "%d月%d日" : "%d/%d", mo, dd);
}

/* "09:30 截止" (with the date when it is not the meal's own day). */
static void deadline_words(const struct ui *ui, const char *day, int64_t by_ms, char *out,
			   size_t cap)
{
	struct tm tm;
	char on[11];
	local_tm(by_ms, &tm);
	strftime(on, sizeof on, "%Y-%m-%d", &tm);
	if (strcmp(on, day) == 0)
		snprintf(out, cap, ui->lang == UI_ZH ? "%02d:%02d 截止" : "order by %02d:%02d",
			 tm.tm_hour, tm.tm_min);
	else
		snprintf(out, cap, ui->lang == UI_ZH ? "%d月%d日 %02d:%02d 截止"
						     : "order by %d/%d %02d:%02d",
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void ui_meal_deadline(const struct ui *ui, const struct kiosk_meal_view *v, char *out,
		      size_t cap)
{
	deadline_words(ui, v->day, v->order_by_ms, out, cap);
}

/* Who eats at which price, as the core knows it, in one line; alert when it is the full
 * price for want of an answer. */
static void tier_words(const struct ui *ui, char *out, size_t cap, bool *alert)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	const char *note = ui->lang == UI_ZH ? ui->snap.settings.meal_full_price_note_zh
					     : ui->snap.settings.meal_full_price_note_en;
	char age[4] = "";
	*alert = false;
	snprintf(age, sizeof age, "%.2s", v->meal_tier);
	if (v->meal_tier[0] && strcmp(v->meal_tier, "none") != 0) {
		if (v->meal_percent >= 100)
			snprintf(out, cap, ui->lang == UI_ZH ? "%s 岁以上：免费" : "Over %s: free", age);
		else if (v->meal_percent > 0)
			snprintf(out, cap,
				 ui->lang == UI_ZH ? "您享受 %s 岁以上优惠：减 %d%%"
						   : "Over-%s price: %d%% off",
				 age, v->meal_percent);
		else
			snprintf(out, cap, "%s", ui_tr(ui, "meal.tier_no_discount"));
		if (v->meal_cached) {
			size_t n = strlen(out);
			snprintf(out + n, cap - n, "%s", ui_tr(ui, "meal.as_last_checked"));
		}
		return;
	}
	*alert = !v->meal_tier[0];
	snprintf(out, cap, "%s%s%s",
		 ui_tr(ui, strcmp(v->meal_tier, "none") == 0 ? "meal.tier_none"
			   : v->meal_offline		      ? "meal.tier_offline"
							      : "meal.tier_unknown"),
		 *alert ? "\n" : "", *alert ? note : "");
}

void ui_meal_draw_typing(struct ui *ui, SDL_Rect rest, const char *prompt, const char *field,
			 const char *text, enum ui_field_show show, const char *msg)
{
	int ch = ui_control_h(ui), hp = ui_text_px(ui, 36), mp = ui_text_px(ui, 34);
	const char *p = ui_tr(ui, prompt);
	SDL_Rect t = ui_take_top(&rest, ui_label_height(ui, p, hp, true, rest.w), 12);
	ui_label(ui, p, hp, UI_C_INK, true, t, true);
	ui_field(ui, field, ui_take_top(&rest, ch, 12), text, show, true, NULL);
	SDL_Rect mr = ui_take_top(&rest, mp * 2 + 12, 12);
	if (msg && msg[0])
		ui_label(ui, msg, mp, UI_C_ALERT, true, mr, true);
	int most = 4 * (ch * 3 / 2) + 4 * 16; /* large keys, not a wall of them */
	if (rest.h > most) {
		rest.y += (rest.h - most) / 2;
		rest.h = most;
	}
	ui_keypad(ui, rest, UI_KEYPAD_DIGITS, "meal.next");
}

/* The picture: the meal's own when it is one of ours, else a plain drawn bowl colour with
 * its name's first character — never a stranger's photo. */
static void draw_picture(struct ui *ui, const struct kiosk_meal_view *v, SDL_Rect r, bool can)
{
	int side = r.w < r.h ? r.w : r.h;
	SDL_Rect pic = {r.x + (r.w - side) / 2, r.y, side, side};
	if (side < 24)
		return;
	if (v->image[0]) {
		ui_fill_round(ui, pic, side / 6, UI_C_BG);
		ui_picture(ui, v->image, ui_inset(pic, side / 12));
	} else {
		char first[8] = "";
		const unsigned char *u = (const unsigned char *)v->name_zh;
		int len = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
		if (u[0])
			snprintf(first, sizeof first, "%.*s", len, v->name_zh);
		ui_fill_round(ui, pic, side / 6, (SDL_Color){0xA3, 0x45, 0x10, 0xFF});
		ui_text_fit(ui, first, side * 2 / 3, 24, UI_C_WHITE, true, pic);
	}
	if (!can)
		ui_fill_round(ui, pic, side / 6, (SDL_Color){0xE0, 0xE0, 0xE0, 0xB0});
}

static void price_words(const struct ui *ui, int64_t fen, char *out, size_t cap)
{
	if (fen == 0)
		snprintf(out, cap, "%s", ui_tr(ui, "meal.free"));
	else
		ui_money(fen, out, cap);
}

static void draw_item(struct ui *ui, const struct kiosk_neighbourhood *nb, int k, SDL_Rect cell)
{
	const struct kiosk_meal_view *v = &ui->snap.session.meals[k];
	char id[24], price[32], full[128], line[200], name[128], walk[48], state[64];
	snprintf(id, sizeof id, "meal.item.%d", k);
	bool can = v->open;
	ui_fill_round(ui, cell, 24, strcmp(ui->pressed, id) == 0 && can ? UI_C_DISABLED : UI_C_PANEL);
	if (ui_widget_add(ui, id, ui_meal_name(ui, v), cell, UI_ROLE_BUTTON) == KIOSK_OK)
		ui->widgets[ui->nwidgets - 1].disabled = !can;
	SDL_Rect in = ui_inset(cell, 12);
	int np = ui_text_px(ui, 32), pp = ui_text_px(ui, 44), lp = ui_text_px(ui, 26);
	int least = ui_min_text(ui);
	ui_meal_canteen(ui, nb, v->canteen, name, sizeof name, walk, sizeof walk);
	/* 长辈模式's larger type (or a long English name) has room for less: the walk, then
	 * the kind, wait for the next step, which says them large */
	bool room = !ui->elderly;
	const char *kind = ui_tr(ui, strcmp(v->kind, "lunch") == 0 ? "meal.lunch" : "meal.dinner");
	int w = 0, h = 0, avail = cell.w - 24;
	for (int drop = room ? 0 : 1; drop < 3; drop++) {
		snprintf(line, sizeof line, "%s%s%s%s%s", drop < 2 ? kind : "", drop < 2 ? " · " : "",
			 name, walk[0] && !drop ? " · " : "", !drop ? walk : "");
		ui_text_size(ui, line, least, false, &w, &h);
		if (w <= avail)
			break;
	}
	if (!v->open)
		snprintf(state, sizeof state, "%s",
			 ui_tr(ui, v->left <= 0 ? "meal.sold_out" : "meal.closed"));
	else
		deadline_words(ui, v->day, v->order_by_ms, state, sizeof state);
	/* each line as tall as its type at the least it may shrink to (glyphs, not leading) */
	int lh = (lp > least ? lp : least) * 115 / 100 + 2;
	SDL_Rect st = ui_take_bottom(&in, lh, 2);
	SDL_Rect pr = ui_take_bottom(&in, (pp > least ? pp : least) * 115 / 100 + 2, 2);
	SDL_Rect ln = ui_take_bottom(&in, lh, 2);
	SDL_Rect nm = ui_take_bottom(&in, (np > least ? np : least) * 115 / 100 + 2, 4);
	draw_picture(ui, v, in, can);
	ui_text_fit(ui, ui_meal_name(ui, v), np, least, can ? UI_C_INK : UI_C_DISABLED_INK, true, nm);
	ui_text_fit(ui, line, lp, least, UI_C_MUTED, false, ln);
	price_words(ui, v->due_fen, price, sizeof price);
	ui_text_fit(ui, price, pp, least, can ? UI_C_ALERT : UI_C_DISABLED_INK, true, pr);
	if (v->due_fen < v->price_fen && can && room) { /* the canteen's price: the saving shows */
		char was[24];
		ui_money(v->price_fen, was, sizeof was);
		snprintf(full, sizeof full, "%s%s · %s", ui_tr(ui, "meal.was"), was, state);
		ui_text_fit(ui, full, lp, least, UI_C_MUTED, false, st);
	} else {
		ui_text_fit(ui, state, lp, least, can ? UI_C_MUTED : UI_C_ALERT, !can, st);
	}
}

void ui_meal_draw_menu(struct ui *ui, const struct kiosk_neighbourhood *nb, int day, int *page,
		       const char *msg, SDL_Rect rest, SDL_Rect bottom)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	int idx[KIOSK_MEAL_VIEW_MAX], n = 0, days = 0;
	char want[11] = "", words[48];
	const char *day_of[2] = {NULL, NULL};
	for (int i = 0; i < v->nmeals; i++) {
		if (strcmp(v->meals[i].day, want) != 0) {
			memcpy(want, v->meals[i].day, sizeof want);
			if (days < 2)
				day_of[days] = v->meals[i].day;
			days++;
		}
		if (days - 1 == day)
			idx[n++] = i;
	}
	days = days > 2 ? 2 : days;
	/* who eats at which price, first: every price below follows from it */
	char tier[400];
	bool alert;
	tier_words(ui, tier, sizeof tier, &alert);
	int tp = ui_text_px(ui, 34);
	SDL_Rect tr = ui_take_top(&rest, ui_label_height(ui, tier, tp, true, rest.w - 32) + 16, 12);
	ui_fill_round(ui, tr, 16, alert ? (SDL_Color){0xFB, 0xE9, 0xE7, 0xFF}
					: (SDL_Color){0xE3, 0xF1, 0xEC, 0xFF});
	ui_label(ui, tier, tp, alert ? UI_C_ALERT : UI_C_HEADER, true, ui_inset(tr, 8), true);
	if (days == 0) {
		ui_fill_round(ui, rest, 32, UI_C_PANEL);
		ui_message(ui, ui_inset(rest, 48), "alert.svg", ui_tr(ui, "meal.no_menu"),
			   UI_C_ALERT, ui_tr(ui, "meal.no_menu_body"), UI_C_INK, false);
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		return;
	}
	int ch = ui_control_h(ui);
	SDL_Rect tabs = ui_take_top(&rest, ch * 3 / 4, 12);
	for (int d = 0; d < 2; d++) {
		char id[16];
		snprintf(id, sizeof id, "meal.day.%d", d);
		if (d < days)
			day_words(ui, day_of[d], words, sizeof words);
		else
			snprintf(words, sizeof words, "%s", ui_tr(ui, "meal.tomorrow"));
		bool on = d == day;
		if (d < days)
			ui_button_text(ui, id, ui_grid_cell(tabs, 3, 1, 12, d), words,
				       on ? UI_C_HEADER : UI_C_DISABLED, on ? UI_C_WHITE : UI_C_INK,
				       UI_ROLE_TOGGLE);
	}
	if (v->meal_same[0]) /* 和上次一样: one tap to tomorrow's of the same kind */
		ui_button(ui, "meal.same", ui_grid_cell(tabs, 3, 1, 12, 2), "meal.same",
			  UI_C_HEADER);
	if (msg && msg[0]) {
		int mp = ui_text_px(ui, 32);
		SDL_Rect mr = ui_take_top(&rest, ui_label_height(ui, msg, mp, true, rest.w), 12);
		ui_label(ui, msg, mp, UI_C_ALERT, true, mr, true);
	}
	int per = ui->elderly ? 4 : 6, pages = (n + per - 1) / per;
	if (*page >= pages)
		*page = pages ? pages - 1 : 0;
	if (pages > 1) {
		ui_button(ui, "nav.back", ui_grid_cell(bottom, 3, 1, 20, 0), "nav.back", UI_C_MUTED);
		ui_button_state(ui, "meal.prev", ui_grid_cell(bottom, 3, 1, 20, 1), "meal.prev",
				UI_C_HEADER, *page > 0);
		ui_button_state(ui, "meal.next", ui_grid_cell(bottom, 3, 1, 20, 2), "meal.next",
				UI_C_HEADER, *page < pages - 1);
	} else {
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
	}
	/* a page's grid whatever it holds: 长辈模式's tiles are never lower than the
	 * everyday ones */
	int cols = ui->elderly || !ui->landscape ? 2 : 3, rows = (per + cols - 1) / cols;
	for (int j = 0, k = *page * per; k < n && j < per; k++, j++) {
		char id[24];
		snprintf(id, sizeof id, "meal.item.%d", idx[k]);
		draw_item(ui, nb, idx[k], ui_grid_cell(rest, cols, rows, 16, j));
	}
}

void ui_meal_draw_confirm(struct ui *ui, const struct kiosk_neighbourhood *nb, const char *id,
			  int portions, bool home, const char *msg, SDL_Rect rest,
			  SDL_Rect bottom)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	const struct kiosk_meal_view *it = ui_meal_find(ui, id);
	bool three = it && it->due_fen > 0 && v->meal_card_offered;
	ui_button(ui, "nav.back", ui_grid_cell(bottom, three ? 3 : 2, 1, 20, 0), "nav.back",
		  UI_C_MUTED);
	if (!it) {
		ui_message(ui, rest, "alert.svg", ui_tr(ui, "meal.gone"), UI_C_ALERT, "", UI_C_INK,
			   false);
		return;
	}
	char name[128], walk[48], where[320], total[96], day[48], head[200], count[16];
	ui_meal_canteen(ui, nb, it->canteen, name, sizeof name, walk, sizeof walk);
	day_words(ui, it->day, day, sizeof day);
	snprintf(head, sizeof head, "%s %s · %s", day,
		 ui_tr(ui, strcmp(it->kind, "lunch") == 0 ? "meal.lunch" : "meal.dinner"),
		 ui_meal_name(ui, it));
	snprintf(where, sizeof where, "%s%s%s%s%s", name, walk[0] ? " · " : "", walk,
		 it->note_zh[0] ? " · " : "",
		 ui->lang == UI_ZH || !it->note_en[0] ? it->note_zh : it->note_en);
	char sum[40];
	price_words(ui, it->due_fen * portions, sum, sizeof sum);
	snprintf(total, sizeof total, "%s%s", it->due_fen ? ui_tr(ui, "meal.to_pay") : "", sum);
	snprintf(count, sizeof count, ui->lang == UI_ZH ? "%d 份" : portions == 1 ? "%d portion" : "%d portions", portions);
	ui_fill_round(ui, rest, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(rest, 32);
	int hp = ui_text_px(ui, 40), wp = ui_text_px(ui, 30), ap = ui_text_px(ui, 80);
	int ch = ui_control_h(ui), mp = ui_text_px(ui, 30);
	const char *way_note = v->meal_delivery ? "" : ui_tr(ui, "meal.home_not_offered");
	struct ui_item col[] = {{100, 320},
				{hp + 12, 0},
				{ui_label_height(ui, where, wp, false, in.w), 0},
				{ch, ch * 3 / 2},
				{ch, ch * 3 / 2},
				{way_note[0] ? ui_label_height(ui, way_note, mp, false, in.w) : 0, 0},
				{ap + 12, 0},
				{msg && msg[0] ? ui_label_height(ui, msg, mp, true, in.w) : 0, 0}};
	SDL_Rect r[8];
	ui_column(in, 12, col, 8, r);
	draw_picture(ui, it, r[0], true);
	ui_text_fit(ui, head, hp, ui_min_text(ui), UI_C_INK, true, r[1]);
	ui_label(ui, where, wp, UI_C_MUTED, false, r[2], true);
	/* portions: − N + */
	ui_button_state(ui, "meal.minus", ui_grid_cell(r[3], 3, 1, 16, 0), "meal.minus",
			UI_C_HEADER, portions > 1);
	ui_text_fit(ui, count, ui_text_px(ui, 48), ui_min_text(ui), UI_C_INK, true,
		    ui_grid_cell(r[3], 3, 1, 16, 1));
	ui_button_state(ui, "meal.plus", ui_grid_cell(r[3], 3, 1, 16, 2), "meal.plus", UI_C_HEADER,
			portions < ui->snap.settings.meal_max_portions);
	/* the way: collect, or brought home where the platform has the address */
	ui_toggle(ui, "meal.pickup", ui_grid_cell(r[4], 2, 1, 16, 0), "meal.pickup", !home, true);
	if (v->meal_delivery)
		ui_toggle(ui, "meal.home", ui_grid_cell(r[4], 2, 1, 16, 1), "meal.home", home, true);
	else
		ui_button_state(ui, "meal.home", ui_grid_cell(r[4], 2, 1, 16, 1), "meal.home",
				UI_C_DISABLED, false);
	if (way_note[0])
		ui_label(ui, way_note, mp, UI_C_MUTED, false, r[5], true);
	ui_text_fit(ui, total, ap, 40, UI_C_ALERT, true, r[6]);
	if (msg && msg[0])
		ui_label(ui, msg, mp, UI_C_ALERT, true, r[7], true);
	/* the ways to pay that work now: the QR, and a card where the reader is set up */
	bool card = it->due_fen > 0 && v->meal_card_offered;
	if (card) {
		ui_button(ui, "meal.order_card", ui_grid_cell(bottom, 3, 1, 20, 2), "meal.order_card",
			  UI_C_HEADER);
		ui_button(ui, "meal.order", ui_grid_cell(bottom, 3, 1, 20, 1), "meal.order_qr",
			  UI_C_HEADER);
	} else {
		ui_button(ui, "meal.order", ui_grid_cell(bottom, 2, 1, 20, 1),
			  it->due_fen == 0 ? "meal.order_free" : "meal.order", UI_C_HEADER);
	}
}

/* The ticket: the number, its QR, what and where; or why there is none. */
void ui_meal_draw_outcome(struct ui *ui, const struct kiosk_neighbourhood *nb,
			  const struct ui_print *print, SDL_Rect rest, SDL_Rect bottom)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	char body[600], money[32];
	ui_fill_round(ui, rest, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(rest, 40);
	if (v->meal == KIOSK_MEAL_REFUNDED || v->meal == KIOSK_MEAL_CANCELLED) {
		bool refunded = v->meal == KIOSK_MEAL_REFUNDED;
		ui_money(v->meal_due_fen, money, sizeof money);
		snprintf(body, sizeof body, "%s%s%s", refunded ? ui_tr(ui, "meal.refunded_body") : "",
			 !refunded && v->meal_due_fen ? ui_tr(ui, "meal.cancelled_refund") : "",
			 !refunded && v->meal_due_fen ? money : "");
		if (!refunded && !v->meal_due_fen)
			snprintf(body, sizeof body, "%s", ui_tr(ui, "meal.cancelled_free"));
		ui_message(ui, in, refunded ? "alert.svg" : "ok.svg",
			   ui_tr(ui, !refunded ? "meal.cancelled"
				     : strcmp(v->meal_reason, "deadline") == 0 ? "meal.past_deadline"
									       : "meal.sold_out_now"),
			   refunded ? UI_C_ALERT : UI_C_HEADER, body, UI_C_INK, true);
		if (refunded)
			ui_button(ui, "meal.again", ui_grid_cell(bottom, 2, 1, 20, 0), "meal.again",
				  UI_C_HEADER);
		ui_button(ui, "meal.finish", ui_grid_cell(bottom, 2, 1, 20, refunded), "key.done",
			  UI_C_HEADER);
		return;
	}
	const struct kiosk_meal_view *it = ui_meal_find(ui, v->meal_ordered);
	char name[128], walk[48], day[48], what[300], where[200], qr[24], paid[64];
	ui_meal_canteen(ui, nb, it ? it->canteen : "", name, sizeof name, walk, sizeof walk);
	day_words(ui, it ? it->day : "", day, sizeof day);
	snprintf(what, sizeof what, "%s %s · %s ×%d", day,
		 ui_tr(ui, it && strcmp(it->kind, "dinner") == 0 ? "meal.dinner" : "meal.lunch"),
		 it ? ui_meal_name(ui, it) : v->meal_ordered, v->meal_portions);
	if (v->meal_to_home)
		snprintf(where, sizeof where, "%s", ui_tr(ui, "meal.brought_home"));
	else
		snprintf(where, sizeof where, "%s%s%s%s", ui_tr(ui, "meal.collect_at"), name,
			 walk[0] ? " · " : "", walk);
	price_words(ui, v->meal_due_fen, money, sizeof money);
	snprintf(paid, sizeof paid, "%s%s", v->meal_due_fen ? ui_tr(ui, "meal.paid") : "", money);
	snprintf(qr, sizeof qr, "MEAL:%s", v->meal_number);
	if (ui_print_shown(ui, print))
		ui_print_draw(ui, print, ui_take_bottom(&in, ui_control_h(ui), 16), "meal.print");
	int lp = ui_text_px(ui, 32), np = ui_text_px(ui, 88), sp = ui_text_px(ui, 30);
	const char *keep = ui_tr(ui, "meal.keep_ticket");
	struct ui_item col[] = {{lp + 8, 0},
				{np + 12, 0},
				{160, 420},
				{ui_label_height(ui, what, lp, true, in.w), 0},
				{ui_label_height(ui, where, lp, false, in.w), 0},
				{lp + 8, 0},
				{ui_label_height(ui, keep, sp, false, in.w), 0}};
	SDL_Rect r[7];
	ui_column(in, 10, col, 7, r);
	ui_text_fit(ui, ui_tr(ui, "meal.ticket_number"), lp, ui_min_text(ui), UI_C_MUTED, false,
		    r[0]);
	ui_text_fit(ui, v->meal_number, np, 40, UI_C_HEADER, true, r[1]);
	SDL_Rect q = r[2];
	int side = q.w < q.h ? q.w : q.h;
	ui_qr(ui, qr, (SDL_Rect){q.x + (q.w - side) / 2, q.y, side, side});
	ui_figure(ui, q);
	ui_label(ui, what, lp, UI_C_INK, true, r[3], true);
	ui_label(ui, where, lp, UI_C_INK, false, r[4], true);
	ui_text_fit(ui, paid, lp, ui_min_text(ui), UI_C_ALERT, true, r[5]);
	ui_label(ui, keep, sp, UI_C_MUTED, false, r[6], true);
	ui_button(ui, "meal.again", ui_grid_cell(bottom, 2, 1, 20, 0), "meal.again_ticket",
		  UI_C_HEADER);
	ui_button(ui, "meal.finish", ui_grid_cell(bottom, 2, 1, 20, 1), "key.done", UI_C_HEADER);
}

bool ui_meal_ticket_words(const struct ui *ui, const struct kiosk_neighbourhood *nb, char *out,
			  size_t len)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	const struct kiosk_meal_view *it = ui_meal_find(ui, v->meal_ordered);
	if (!it || !v->meal_number[0])
		return false;
	char digits[24] = "", name[128], walk[48], day[48];
	for (int i = 0; v->meal_number[i] && i < 8; i++) {
		size_t n = strlen(digits);
		snprintf(digits + n, sizeof digits - n, "%c ", v->meal_number[i]);
	}
	ui_meal_canteen(ui, nb, it->canteen, name, sizeof name, walk, sizeof walk);
	day_words(ui, it->day, day, sizeof day);
	const char *kind = ui_tr(ui, strcmp(it->kind, "lunch") == 0 ? "meal.lunch" : "meal.dinner");
	if (ui->lang == UI_ZH)
		snprintf(out, len, "取餐号 %s。%s%s，%s，%d 份。%s%s%s。", digits, day, kind,
			 it->name_zh, v->meal_portions, v->meal_to_home ? "送餐上门" : "到",
			 v->meal_to_home ? "" : name, v->meal_to_home ? "" : "取餐");
	else
		snprintf(out, len, "Ticket number %s. %s %s, %s, %d. %s%s.", digits, day, kind,
			 ui_meal_name(ui, it), v->meal_portions,
			 v->meal_to_home ? "Brought to your home" : "Collect at ",
			 v->meal_to_home ? "" : name);
	return true;
}
