/* 购物 Shop: the vending machine's items as large tiles (picture, name, price, how many
 * left; sold out greyed), then how to pay, the payment, "dispensing…", and "take your
 * item" — or, when nothing fell, that the money is going back the way it came, with the
 * order's reference. Every step after the choice is the core's (session .vend): the
 * screen shows the phase it is in and sends the person's intents; it never says an item
 * fell or money came back before the core recorded it.
 *
 * Categories appear as tabs when the items do not fit one page; 长辈模式 shows four large
 * tiles a page with page buttons. Only payment methods whose devices are present and
 * healthy are offered (snapshot .vend_methods): QR through the platform, a card at the
 * MDB reader, coins and notes at the MDB changer and validator (screens/shop_cash.c: what
 * went in, the change as the changer pays it, a voucher for what it could not). */
#include "screens/ui/draw.h"
#include "screens/ui/image.h"
#include "screens/pay_panel.h"
#include "screens/print_offer.h"
#include "screens/screen.h"
#include "screens/shop_cash.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

#define MAX_CATS 6

static struct {
	bool choosing;     /* a choice sent, its answer awaited */
	uint32_t req;
	char msg[160];     /* why the last choice was refused */
	int cat;           /* the tab shown: -1 all */
	int page;
	struct ui_print print; /* the receipt of the order that ended, on paper */
} s;

static void shop_enter(struct ui *ui)
{
	(void)ui;
	memset(&s, 0, sizeof s);
	s.cat = -1;
}

/* Leaving with an order not yet paid: it goes (nothing was taken); a finished one's view
 * goes with it. A dispense under way is the core's to finish whoever is looking. */
static void shop_leave(struct ui *ui)
{
	enum kiosk_vend_phase ph = ui->snap.session.vend;
	if (ph != KIOSK_VEND_NONE && ph != KIOSK_VEND_DISPENSING)
		kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_VEND_CANCEL},
				  NULL);
}

/* The categories of the catalogue, in the order their first slots come. */
static int categories(const struct ui *ui, const char *out[MAX_CATS])
{
	int n = 0;
	for (int i = 0; i < ui->snap.nvend; i++) {
		const char *c = ui->snap.vend_items[i].category;
		bool seen = false;
		for (int j = 0; j < n && !seen; j++)
			seen = strcmp(out[j], c) == 0;
		if (seen)
			continue;
		if (n == MAX_CATS)
			break;
		out[n++] = c;
	}
	return n;
}

static int per_page(const struct ui *ui)
{
	return ui->elderly ? 4 : 12;
}

/* The items on the tab shown, as indexes into the snapshot's. */
static int shown_items(const struct ui *ui, int *idx)
{
	const char *cats[MAX_CATS];
	int ncat = categories(ui, cats), n = 0;
	for (int i = 0; i < ui->snap.nvend; i++)
		if (s.cat < 0 || s.cat >= ncat || strcmp(ui->snap.vend_items[i].category, cats[s.cat]) == 0)
			idx[n++] = i;
	return n;
}

static bool tabs_shown(const struct ui *ui)
{
	const char *cats[MAX_CATS];
	return ui->snap.nvend > per_page(ui) && categories(ui, cats) > 1;
}

static const char *item_name(const struct ui *ui, const struct kiosk_vend_view *v)
{
	return ui->lang == UI_ZH || !v->name_en[0] ? v->name_zh : v->name_en;
}

static int shop_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	int i;
	enum kiosk_vend_phase ph = ui->snap.session.vend;
	const char *cats[MAX_CATS];
	int ncat = categories(ui, cats);
	if (ui_event_index(ev, "shop.cat.", ncat + 1, &i) && ph == KIOSK_VEND_NONE) {
		s.cat = i - 1; /* tab 0: all */
		s.page = 0;
		return 1;
	}
	if (ui_event_index(ev, "shop.item.", ui->snap.nvend, &i) && !s.choosing &&
	    (ph == KIOSK_VEND_NONE || ph == KIOSK_VEND_DONE || ph == KIOSK_VEND_FAILED ||
	     ph == KIOSK_VEND_UNKNOWN || ph == KIOSK_VEND_RETURNED)) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_CHOOSE};
		snprintf(cmd.u.vend.slot, sizeof cmd.u.vend.slot, "%s", ui->snap.vend_items[i].slot);
		s.msg[0] = '\0';
		s.choosing = kiosk_core_submit(ui->core, &cmd, &s.req) == KIOSK_OK;
		return 1;
	}
	if (strcmp(ev->id, "shop.next") == 0 || strcmp(ev->id, "shop.prev") == 0) {
		s.page += strcmp(ev->id, "shop.next") == 0 ? 1 : -1;
		if (s.page < 0)
			s.page = 0;
		return 1;
	}
	if (strcmp(ev->id, "shop.pay_qr") == 0 && ph == KIOSK_VEND_CHOSEN) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_PAY, .u.vend.method = (int)KIOSK_VEND_BY_QR};
		kiosk_core_submit(ui->core, &cmd, NULL);
		return 1;
	}
	if (strcmp(ev->id, "shop.pay_card") == 0 && ph == KIOSK_VEND_CHOSEN) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_PAY,
					.u.vend.method = (int)KIOSK_VEND_BY_CARD};
		kiosk_core_submit(ui->core, &cmd, NULL);
		return 1;
	}
	if (strcmp(ev->id, "shop.pay_board") == 0 && ph == KIOSK_VEND_CHOSEN) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_PAY,
					.u.vend.method = (int)KIOSK_VEND_BY_BOARD};
		kiosk_core_submit(ui->core, &cmd, NULL);
		return 1;
	}
	if (strcmp(ev->id, "shop.pay_cash") == 0 && ph == KIOSK_VEND_CHOSEN) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_PAY,
					.u.vend.method = (int)KIOSK_VEND_BY_CASH};
		kiosk_core_submit(ui->core, &cmd, NULL);
		return 1;
	}
	if (strcmp(ev->id, "shop.cancel") == 0 &&
	    (ph == KIOSK_VEND_CHOSEN || ph == KIOSK_VEND_PAYING)) {
		kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_VEND_CANCEL},
				  NULL);
		return 1;
	}
	if (ph >= KIOSK_VEND_DONE && ui_print_event(ui, &s.print, ev->id, KIOSK_CMD_PRINT_VEND, NULL))
		return 1;
	if (strcmp(ev->id, "shop.again") == 0 &&
	    (ph == KIOSK_VEND_DONE || ph == KIOSK_VEND_FAILED || ph == KIOSK_VEND_UNKNOWN ||
	     ph == KIOSK_VEND_RETURNED)) {
		kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_VEND_CANCEL},
				  NULL); /* the finished order's view goes: the items again */
		return 1;
	}
	if (strcmp(ev->id, "shop.done") == 0 && ph == KIOSK_VEND_RETURNED) {
		ui_nav_home(ui, false); /* (leaving lets the finished order's view go) */
		return 1;
	}
	if (strcmp(ev->id, "shop.done") == 0 && ph == KIOSK_VEND_DONE)
		return ui_nav_push(ui, &ui_screen_rating, "vend") == KIOSK_OK;
	/* Back from the choice of payment: the order goes, the items again. */
	if (strcmp(ev->id, "nav.back") == 0 && ph == KIOSK_VEND_CHOSEN) {
		kiosk_core_submit(ui->core, &(const struct kiosk_cmd){.type = KIOSK_CMD_VEND_CANCEL},
				  NULL);
		return 1;
	}
	return 0;
}

static void shop_tick(struct ui *ui)
{
	struct kiosk_result r;
	ui_print_tick(ui, &s.print);
	if (ui->snap.session.vend < KIOSK_VEND_DONE && s.print.st != UI_PRINT_ASKED)
		memset(&s.print, 0, sizeof s.print); /* the next order's receipt is its own */
	if (!s.choosing || !kiosk_core_result(ui->core, s.req, &r))
		return;
	s.choosing = false;
	ui_dirty(ui);
	if (r.rc == KIOSK_OK)
		return; /* the session says CHOSEN */
	snprintf(s.msg, sizeof s.msg, "%s",
		 ui_tr(ui, r.rc == KIOSK_ESOLDOUT ? "shop.sold_out_now"
			   : r.rc == KIOSK_EDEVICE ? "shop.unavailable"
						   : "shop.not_now"));
}

/* The picture: the product's own when it is one of ours (the demo catalogue's, drawn for
 * the project), else a plain drawn one in its category's colour with the name's first
 * character — never a stranger's photo (the kiosk fetches no pictures from the web). */
static SDL_Color cat_colour(const char *cat)
{
	if (strcmp(cat, "drinks") == 0)
		return (SDL_Color){0x1F, 0x5F, 0x8B, 0xFF};
	if (strcmp(cat, "snacks") == 0)
		return (SDL_Color){0xA0, 0x40, 0x00, 0xFF};
	return (SDL_Color){0x1D, 0x6F, 0x42, 0xFF};
}

/* The largest square in r, centred across, at its top. Sold out or not for sale: the same
 * picture under a grey veil, so it still says what it is. */
static void draw_picture(struct ui *ui, const struct kiosk_vend_view *v, SDL_Rect r, bool can)
{
	char first[8] = "";
	int side = r.w < r.h ? r.w : r.h;
	SDL_Rect pic = {r.x + (r.w - side) / 2, r.y, side, side};
	if (v->image[0]) {
		ui_fill_round(ui, pic, side / 6, UI_C_BG);
		ui_picture(ui, v->image, ui_inset(pic, side / 12));
		if (!can)
			ui_fill_round(ui, pic, side / 6, (SDL_Color){0xE0, 0xE0, 0xE0, 0xB0});
		return;
	}
	ui_fill_round(ui, pic, side / 6, can ? cat_colour(v->category) : UI_C_DISABLED);
	/* one UTF-8 character of the name */
	const unsigned char *u = (const unsigned char *)v->name_zh;
	int len = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
	if (u[0])
		snprintf(first, sizeof first, "%.*s", len, v->name_zh);
	ui_text_fit(ui, first, side * 2 / 3, 24, can ? UI_C_WHITE : UI_C_DISABLED_INK, true, pic);
}

static void draw_item(struct ui *ui, int i, SDL_Rect cell)
{
	const struct kiosk_vend_view *v = &ui->snap.vend_items[i];
	bool can = v->enabled && v->stock > 0 && ui->snap.vend_ready;
	char id[24], price[24], left[48];
	snprintf(id, sizeof id, "shop.item.%d", i);
	ui_fill_round(ui, cell, 24, strcmp(ui->pressed, id) == 0 && can ? UI_C_DISABLED : UI_C_PANEL);
	if (ui_widget_add(ui, id, item_name(ui, v), cell, UI_ROLE_BUTTON) == KIOSK_OK)
		ui->widgets[ui->nwidgets - 1].disabled = !can;
	SDL_Rect in = ui_inset(cell, 12);
	int np = ui_text_px(ui, 32), pp = ui_text_px(ui, 40), lp = ui_text_px(ui, 28);
	int least = ui_min_text(ui);
	SDL_Rect foot = ui_take_bottom(&in, lp + 6, 4);
	SDL_Rect pr = ui_take_bottom(&in, pp + 6, 4);
	SDL_Rect nm = ui_take_bottom(&in, np + 8, 4);
	draw_picture(ui, v, in, can); /* what is left of the tile */
	ui_text_fit(ui, item_name(ui, v), np, least, can ? UI_C_INK : UI_C_DISABLED_INK, true, nm);
	ui_money(v->price_fen, price, sizeof price);
	ui_text_fit(ui, price, pp, least, can ? UI_C_ALERT : UI_C_DISABLED_INK, true, pr);
	if (!v->enabled || v->stock <= 0)
		snprintf(left, sizeof left, "%s", ui_tr(ui, v->enabled ? "shop.sold_out" : "shop.off"));
	else
		snprintf(left, sizeof left, ui->lang == UI_ZH ? "剩 %d 件" : "%d left", v->stock);
	ui_text_fit(ui, left, lp, least, v->stock > 0 && v->enabled ? UI_C_MUTED : UI_C_ALERT, false,
		    foot);
}

static void draw_grid(struct ui *ui, SDL_Rect rest, SDL_Rect bottom)
{
	int idx[KIOSK_VEND_VIEW_MAX];
	int n = shown_items(ui, idx), per = per_page(ui);
	int pages = (n + per - 1) / per;
	if (s.page >= pages)
		s.page = pages ? pages - 1 : 0;
	if (tabs_shown(ui)) {
		const char *cats[MAX_CATS];
		int ncat = categories(ui, cats);
		SDL_Rect tabs = ui_take_top(&rest, ui_control_h(ui) * 3 / 4, 16);
		for (int c = 0; c <= ncat; c++) {
			char id[24], key[48];
			snprintf(id, sizeof id, "shop.cat.%d", c);
			snprintf(key, sizeof key, "shop.cat.%s", c ? cats[c - 1] : "all");
			bool on = s.cat == c - 1;
			ui_button_text(ui, id, ui_grid_cell(tabs, ncat + 1, 1, 12, c),
				       ui_tr_or(ui, key, c ? cats[c - 1] : "*"),
				       on ? UI_C_HEADER : UI_C_DISABLED, on ? UI_C_WHITE : UI_C_INK,
				       UI_ROLE_TOGGLE);
		}
	}
	if (s.msg[0]) {
		int mp = ui_text_px(ui, 32);
		SDL_Rect m = ui_take_top(&rest, ui_label_height(ui, s.msg, mp, true, rest.w), 12);
		ui_label(ui, s.msg, mp, UI_C_ALERT, true, m, true);
	}
	if (pages > 1) { /* back where it always is, bottom left */
		ui_button(ui, "nav.back", ui_grid_cell(bottom, 3, 1, 20, 0), "nav.back", UI_C_MUTED);
		ui_button_state(ui, "shop.prev", ui_grid_cell(bottom, 3, 1, 20, 1), "shop.prev",
				UI_C_HEADER, s.page > 0);
		ui_button_state(ui, "shop.next", ui_grid_cell(bottom, 3, 1, 20, 2), "shop.next",
				UI_C_HEADER, s.page < pages - 1);
	} else {
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
	}
	int cols = ui->elderly ? 2 : ui->landscape ? 4 : 3;
	int rows = (per + cols - 1) / cols;
	for (int k = s.page * per, j = 0; k < n && j < per; k++, j++)
		draw_item(ui, idx[k], ui_grid_cell(rest, cols, rows, 16, j));
}

/* The item chosen, its price, and the ways to pay that work now. */
static void draw_choose_method(struct ui *ui, SDL_Rect rest, SDL_Rect bottom)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	const struct kiosk_vend_view *it = NULL;
	for (int i = 0; i < ui->snap.nvend; i++)
		if (strcmp(ui->snap.vend_items[i].slot, v->vend_slot) == 0)
			it = &ui->snap.vend_items[i];
	char price[24];
	ui_money(v->vend_price_fen, price, sizeof price);
	ui_fill_round(ui, rest, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(rest, 40);
	int tp = ui_text_px(ui, 48), ap = ui_text_px(ui, 96), bp = ui_text_px(ui, 32);
	bool qr = ui->snap.vend_methods & (1u << KIOSK_VEND_BY_QR);
	bool card = ui->snap.vend_methods & (1u << KIOSK_VEND_BY_CARD);
	bool cash = ui->snap.vend_methods & (1u << KIOSK_VEND_BY_CASH);
	/* the machine's own money devices: a way to pay only where they are fitted */
	bool board = ui->snap.vend_methods & (1u << KIOSK_VEND_BY_BOARD);
	/* What is not offered is said plainly (greyed: its device not fitted, or not
	 * answering); a card the reader declined is said above the ways to pay. */
	char note[320];
	snprintf(note, sizeof note, "%s%s%s",
		 strcmp(v->vend_reason, "card declined") == 0 ? ui_tr(ui, "shop.card_declined")
		 : v->vend_reason[0]			       ? ui_tr(ui, "shop.pay_failed")
							       : "",
		 v->vend_reason[0] ? "\n" : "",
		 !qr && !card && !cash ? ui_tr(ui, "shop.no_method")
		 : !qr || !card || !cash ? ui_tr(ui, "shop.some_off")
					 : "");
	int bh = ui_control_h(ui) * 3 / 2;
	struct ui_item col[] = {{board ? 0 : 120, 380}, /* the picture: what gives way */
				{tp + 16, 0},
				{ap + 16, 0},
				{bh, 0},
				{bh, 0},
				{bh, 0},
				{board ? bh : 0, 0},
				{ui_label_height(ui, note, bp, false, in.w), 0}};
	SDL_Rect r[8];
	ui_column(in, board ? 16 : 12, col, 8, r);
	if (it && r[0].h >= 80) /* (no room left for it: the name says what it is) */
		draw_picture(ui, it, r[0], true);
	ui_text_fit(ui, it ? item_name(ui, it) : v->vend_slot, tp, 28, UI_C_INK, true, r[1]);
	ui_text_fit(ui, price, ap, 40, UI_C_ALERT, true, r[2]);
	ui_button_state(ui, "shop.pay_qr", r[3], "shop.pay_qr", UI_C_HEADER, qr);
	ui_button_state(ui, "shop.pay_card", r[4], "shop.pay_card", UI_C_HEADER, card);
	ui_button_state(ui, "shop.pay_cash", r[5], "shop.pay_cash", UI_C_HEADER, cash);
	if (board)
		ui_button(ui, "shop.pay_board", r[6], "shop.pay_board", UI_C_HEADER);
	ui_label(ui, note, bp, v->vend_reason[0] ? UI_C_ALERT : UI_C_MUTED, v->vend_reason[0],
		 r[7], true);
	ui_button(ui, "shop.cancel", bottom, "shop.cancel", UI_C_MUTED);
}

static void draw_outcome(struct ui *ui, SDL_Rect rest, SDL_Rect bottom)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	char body[1024], ref[96];
	snprintf(ref, sizeof ref, "%s%s%s", ui_tr(ui, "shop.ref"), ui_tr(ui, "punct.colon"),
		 v->vend_ref);
	ui_fill_round(ui, rest, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(rest, 48);
	char back[400];
	shop_cash_back_line(ui, back, sizeof back);
	if (ui_print_shown(ui, &s.print)) /* 打印小票, under what happened */
		ui_print_draw(ui, &s.print, ui_take_bottom(&in, ui_control_h(ui), 16),
			      "print.receipt");
	if (shop_owes(ui)) /* the voucher below what happened */
		shop_draw_voucher(ui, ui_take_bottom(&in, in.h * 2 / 5, 16));
	if (v->vend == KIOSK_VEND_DONE || v->vend == KIOSK_VEND_RETURNED) {
		bool done = v->vend == KIOSK_VEND_DONE;
		snprintf(body, sizeof body, "%s%s%s", done ? ui_tr(ui, "shop.done_body") : "",
			 done && back[0] ? "\n" : "", back);
		ui_message(ui, in, "ok.svg", ui_tr(ui, done ? "shop.done" : "shop.returned"),
			   UI_C_HEADER, body, UI_C_INK, true);
		ui_button(ui, "shop.again", ui_grid_cell(bottom, 2, 1, 20, 0), "shop.again",
			  UI_C_HEADER);
		ui_button(ui, "shop.done", ui_grid_cell(bottom, 2, 1, 20, 1), "key.done",
			  UI_C_HEADER);
		return;
	}
	bool failed = v->vend == KIOSK_VEND_FAILED;
	bool cash = v->vend_by_cash;
	snprintf(body, sizeof body, "%s\n%s%s%s",
		 ui_tr(ui, !failed ? "shop.unknown_body"
			   : cash  ? "shop.failed_cash_body"
				   : "shop.failed_body"),
		 back, back[0] ? "\n" : "", ref);
	ui_message(ui, in, "alert.svg", ui_tr(ui, failed ? "shop.failed" : "shop.unknown"),
		   UI_C_ALERT, body, UI_C_INK, true);
	ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 20, 0), "nav.back", UI_C_MUTED);
	ui_button(ui, "shop.again", ui_grid_cell(bottom, 2, 1, 20, 1), "shop.again", UI_C_HEADER);
}

static void shop_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 16);
	ui_text_fit(ui, ui_tr(ui, "home.shop"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 20);
	const struct kiosk_session_view *v = &ui->snap.session;
	switch (v->vend) {
	case KIOSK_VEND_CHOSEN:
		draw_choose_method(ui, rest, bottom);
		return;
	case KIOSK_VEND_PAYING:
		ui_fill_round(ui, rest, 32, UI_C_PANEL);
		if (v->vend_by_card)
			ui_card_panel(ui, ui_inset(rest, 48), v->vend_price_fen, v->vend_card_on);
		else if (v->vend_by_cash)
			shop_draw_cash(ui, ui_inset(rest, 48));
		else if (v->vend_by_board)
			shop_draw_board(ui, ui_inset(rest, 48));
		else
			ui_pay_panel(ui, ui_inset(rest, 48));
		if (v->vend_by_card || v->vend_by_cash || v->vend_by_board ||
		    v->pay != KIOSK_PAY_PAID) /* money in:
			 * the button says it comes back */
			ui_button(ui, "shop.cancel", bottom,
				  v->vend_by_cash && v->vend_cash_fen > 0 ? "shop.cancel_cash"
									  : "shop.cancel",
				  UI_C_MUTED);
		return;
	case KIOSK_VEND_DISPENSING:
		ui_wait(ui, rest, ui_tr(ui, "shop.dispensing"));
		return;
	case KIOSK_VEND_DONE:
	case KIOSK_VEND_FAILED:
	case KIOSK_VEND_UNKNOWN:
	case KIOSK_VEND_RETURNED:
		draw_outcome(ui, rest, bottom);
		return;
	case KIOSK_VEND_NONE:
		break;
	}
	if (!ui->snap.vend_ready || ui->snap.nvend == 0) {
		ui_fill_round(ui, rest, 32, UI_C_PANEL);
		ui_message(ui, ui_inset(rest, 48), "alert.svg", ui_tr(ui, "shop.unavailable"),
			   UI_C_ALERT, ui_tr(ui, "shop.unavailable_body"), UI_C_INK, false);
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		return;
	}
	draw_grid(ui, rest, bottom);
}

/* A payment or a dispense under way: the idle timeout waits. */
static bool shop_busy(const struct ui *ui)
{
	enum kiosk_vend_phase ph = ui->snap.session.vend;
	return s.choosing || ph == KIOSK_VEND_DISPENSING ||
	       ui->snap.session.vend_back == KIOSK_CASH_BACK_PAYING || /* coins on their way */
	       (ph == KIOSK_VEND_PAYING && (ui->snap.session.vend_by_card ||
					    ui->snap.session.vend_by_cash ||
					    ui->snap.session.vend_by_board || !ui_pay_failed(ui)));
}

static const char *const shop_exits[] = {"shop.cancel", "shop.again", "shop.done",
					 "print.receipt", NULL};

static const char *const *shop_problems(const struct ui *ui)
{
	static const char *const choose[] = {"problem.other", NULL};
	static const char *const money[] = {"problem.payment", "problem.other", NULL};
	return ui->snap.session.vend == KIOSK_VEND_NONE ? choose : money;
}

static const char *shop_speech(const struct ui *ui)
{
	switch (ui->snap.session.vend) {
	case KIOSK_VEND_NONE:
		return ui->snap.vend_ready ? "say.shop_choose" : NULL;
	case KIOSK_VEND_CHOSEN:
		return "say.shop_method";
	case KIOSK_VEND_PAYING:
		return ui->snap.session.vend_by_card		       ? "say.shop_card"
		       : ui->snap.session.vend_by_cash		       ? "say.shop_cash"
		       : ui->snap.session.pay == KIOSK_PAY_SHOWN ? "say.shop_pay"
								 : NULL;
	case KIOSK_VEND_RETURNED:
		return "say.shop_returned";
	case KIOSK_VEND_DONE:
		return "say.shop_take";
	case KIOSK_VEND_FAILED:
	case KIOSK_VEND_UNKNOWN:
		return "say.stuck";
	default:
		return NULL;
	}
}

const struct screen ui_screen_shop = {
	.name = "shop",
	.flags = UI_SCREEN_TROUBLE,
	.speech = shop_speech,
	.problems = shop_problems,
	.exits = shop_exits,
	.enter = shop_enter,
	.leave = shop_leave,
	.event = shop_event,
	.draw = shop_draw,
	.tick = shop_tick,
	.busy = shop_busy,
};
