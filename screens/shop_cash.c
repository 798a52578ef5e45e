#include "screens/shop_cash.h"
#include "screens/pay_panel.h"
#include "screens/strings.h"
#include "screens/ui/draw.h"
#include "screens/ui/widget.h"

#include <stdio.h>
#include <string.h>

void shop_draw_cash(struct ui *ui, SDL_Rect in)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	char price[24], put[24], need[24], line[160], note[400];
	ui_money(v->vend_price_fen, price, sizeof price);
	ui_money(v->vend_cash_fen, put, sizeof put);
	int64_t left = v->vend_price_fen - v->vend_cash_fen;
	ui_money(left > 0 ? left : 0, need, sizeof need);
	snprintf(line, sizeof line, "%s %s   %s %s", ui_tr(ui, "shop.cash_in"), put,
		 ui_tr(ui, "shop.cash_need"), need);
	/* "put money in" only once the changer takes it; "exact money only" when it must */
	snprintf(note, sizeof note, "%s%s%s%s%s",
		 ui_tr(ui, v->vend_cash_on ? "shop.insert" : "shop.changer_starting"),
		 v->vend_cash_exact ? "\n" : "", v->vend_cash_exact ? ui_tr(ui, "shop.exact_only") : "",
		 v->vend_reason[0] ? "\n" : "", v->vend_reason[0] ? ui_tr(ui, "shop.note_back") : "");
	int tp = ui_text_px(ui, 44), ap = ui_text_px(ui, 96), lp = ui_text_px(ui, 40),
	    bp = ui_text_px(ui, 34);
	struct ui_item it[] = {{tp + 12, 0}, {ap + 16, 0}, {lp + 16, 0}, {200, 360},
			       {ui_label_height(ui, note, bp, true, in.w), 0}};
	SDL_Rect r[5];
	ui_column(in, 16, it, 5, r);
	ui_text_fit(ui, ui_tr(ui, "shop.pay_cash"), tp, 32, UI_C_INK, true, r[0]);
	ui_text_fit(ui, price, ap, 40, UI_C_ALERT, true, r[1]);
	ui_text_fit(ui, line, lp, 28, UI_C_INK, true, r[2]);
	ui_spinner(ui, r[3]); /* the machine is waiting for the money */
	ui_label(ui, note, bp, v->vend_cash_exact || v->vend_reason[0] ? UI_C_ALERT : UI_C_INK,
		 true, r[4], true);
}

void shop_draw_board(struct ui *ui, SDL_Rect in)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	char price[24], put[24], line[96];
	ui_money(v->vend_price_fen, price, sizeof price);
	ui_money(v->vend_board_fen, put, sizeof put);
	snprintf(line, sizeof line, "%s %s", ui_tr(ui, "shop.board_paid"), put);
	const char *how = ui_tr(ui, "shop.board_insert");
	int tp = ui_text_px(ui, 44), ap = ui_text_px(ui, 96), lp = ui_text_px(ui, 40),
	    bp = ui_text_px(ui, 34);
	struct ui_item it[] = {{tp + 12, 0}, {ap + 16, 0}, {lp + 16, 0}, {200, 360},
			       {ui_label_height(ui, how, bp, true, in.w), 0}};
	SDL_Rect r[5];
	ui_column(in, 16, it, 5, r);
	ui_text_fit(ui, ui_tr(ui, "shop.pay_board"), tp, 32, UI_C_INK, true, r[0]);
	ui_text_fit(ui, price, ap, 40, UI_C_ALERT, true, r[1]);
	ui_text_fit(ui, line, lp, 28, UI_C_INK, true, r[2]);
	ui_spinner(ui, r[3]);
	ui_label(ui, how, bp, UI_C_INK, true, r[4], true);
}

void shop_cash_back_line(struct ui *ui, char *buf, size_t cap)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	char back[24], owed[24], a[160], b[200];
	ui_money(v->vend_back_fen, back, sizeof back);
	ui_money(v->vend_owed_fen, owed, sizeof owed);
	buf[0] = '\0';
	switch (v->vend_back) {
	case KIOSK_CASH_BACK_PAYING:
		ui_tr_with(ui, "shop.back_paying", back, buf, cap);
		break;
	case KIOSK_CASH_BACK_PAID:
		ui_tr_with(ui, "shop.back_paid", back, buf, cap);
		break;
	case KIOSK_CASH_BACK_SHORT: /* what came out, then what is owed and how to get it */
		ui_tr_with(ui, "shop.back_paid", back, a, sizeof a);
		ui_tr_with(ui, "shop.owed", owed, b, sizeof b);
		snprintf(buf, cap, "%s\n%s", v->vend_back_fen > 0 ? a : "", b);
		break;
	case KIOSK_CASH_BACK_NONE:
		if (v->vend == KIOSK_VEND_RETURNED && v->vend_by_board) { /* the board holds it */
			ui_money(v->vend_board_fen, back, sizeof back);
			ui_tr_with(ui, "shop.board_return", back, buf, cap);
		} else if (v->vend == KIOSK_VEND_RETURNED) {
			snprintf(buf, cap, "%s", ui_tr(ui, "shop.back_starting"));
		}
		break;
	}
}

bool shop_owes(const struct ui *ui)
{
	return ui->snap.session.vend_back == KIOSK_CASH_BACK_SHORT &&
	       ui->snap.session.vend_owed_fen > 0;
}

/* What the resident shows staff: the order's reference and the sum, as text and as a QR
 * code holding the same (nothing secret: the platform has the debt by the reference). */
void shop_draw_voucher(struct ui *ui, SDL_Rect r)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	char qr[64], line[96], owed[24];
	ui_money(v->vend_owed_fen, owed, sizeof owed);
	snprintf(qr, sizeof qr, "KIOSK-OWED:%s:%lld", v->vend_ref, (long long)v->vend_owed_fen);
	snprintf(line, sizeof line, "%s%s%s  %s", ui_tr(ui, "shop.ref"), ui_tr(ui, "punct.colon"),
		 v->vend_ref, owed);
	int lp = ui_text_px(ui, 32);
	SDL_Rect t = ui_take_bottom(&r, lp + 12, 8);
	ui_qr(ui, qr, r);
	ui_text_fit(ui, line, lp, 24, UI_C_INK, true, t);
}
