#include "screens/pay_panel.h"
#include "screens/ui/draw.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/clock.h"

#include <stdio.h>

void ui_money(int64_t fen, char *out, size_t cap)
{
	snprintf(out, cap, "¥%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
}

bool ui_pay_failed(const struct ui *ui)
{
	enum kiosk_pay_phase ph = ui->snap.session.pay;
	return ph == KIOSK_PAY_EXPIRED || ph == KIOSK_PAY_OFFLINE || ph == KIOSK_PAY_FAILED;
}

/* The QR up: the amount large, the code as large as the panel allows, how to pay, and the
 * minutes left (by the platform's clock of expiry and ours of now). */
static void shown(struct ui *ui, SDL_Rect in)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	char amount[32], left[96];
	ui_money(v->pay_amount_fen, amount, sizeof amount);
	int64_t s = (v->pay_expires_ms - kiosk_now_ms()) / 1000;
	if (s < 0)
		s = 0;
	ui->animating = true; /* the seconds count down */
	snprintf(left, sizeof left, "%s %lld:%02lld", ui_tr(ui, "pay.time_left"), (long long)(s / 60),
		 (long long)(s % 60));
	const char *how = ui_tr(ui, "pay.scan");
	int tp = ui_text_px(ui, 44), ap = ui_text_px(ui, 96), bp = ui_text_px(ui, 36);
	struct ui_item it[] = {{tp + 12, 0},
			       {ap + 16, 0},
			       {300, 640},
			       {ui_label_height(ui, how, bp, true, in.w), 0},
			       {bp + 12, 0}};
	SDL_Rect r[5];
	ui_column(in, 16, it, 5, r);
	ui_text_fit(ui, ui_tr(ui, "pay.title"), tp, 32, UI_C_INK, true, r[0]);
	ui_text_fit(ui, amount, ap, 40, UI_C_ALERT, true, r[1]);
	ui_qr(ui, v->pay_qr, r[2]);
	ui_label(ui, how, bp, UI_C_INK, true, r[3], true);
	ui_text_fit(ui, left, bp, 24, UI_C_MUTED, false, r[4]);
}

void ui_pay_panel(struct ui *ui, SDL_Rect in)
{
	switch (ui->snap.session.pay) {
	case KIOSK_PAY_SHOWN:
		shown(ui, in);
		return;
	case KIOSK_PAY_PAID:
		ui_message(ui, in, "ok.svg", ui_tr(ui, "pay.paid"), UI_C_HEADER,
			   ui_tr(ui, "pickup.opening"), UI_C_INK, false);
		return;
	case KIOSK_PAY_REFUNDED:
		ui_message(ui, in, "ok.svg", ui_tr(ui, "pay.refunded"), UI_C_INK,
			   ui_tr(ui, "pay.refunded_body"), UI_C_INK, false);
		return;
	case KIOSK_PAY_EXPIRED:
	case KIOSK_PAY_OFFLINE:
	case KIOSK_PAY_FAILED: {
		enum kiosk_pay_phase ph = ui->snap.session.pay;
		ui_message(ui, in, "alert.svg",
			   ui_tr(ui, ph == KIOSK_PAY_EXPIRED   ? "pay.expired"
				     : ph == KIOSK_PAY_OFFLINE ? "pay.offline"
							       : "pay.failed"),
			   UI_C_ALERT, ui_tr(ui, "pay.nothing_taken"), UI_C_INK, false);
		return;
	}
	default: /* asking the platform for the code */
		ui_wait(ui, in, ui_tr(ui, "pay.creating"));
		return;
	}
}

void ui_card_panel(struct ui *ui, SDL_Rect in, int64_t fen, bool card_on)
{
	char amount[32];
	ui_money(fen, amount, sizeof amount);
	const char *how = ui_tr(ui, card_on ? "shop.tap_card" : "shop.reader_starting");
	int tp = ui_text_px(ui, 44), ap = ui_text_px(ui, 96), bp = ui_text_px(ui, 36);
	struct ui_item it[] = {{tp + 12, 0}, {ap + 16, 0}, {200, 360},
			       {ui_label_height(ui, how, bp, true, in.w), 0}};
	SDL_Rect r[4];
	ui_column(in, 16, it, 4, r);
	ui_text_fit(ui, ui_tr(ui, "shop.pay_card"), tp, 32, UI_C_INK, true, r[0]);
	ui_text_fit(ui, amount, ap, 40, UI_C_ALERT, true, r[1]);
	ui_spinner(ui, r[2]);
	ui_label(ui, how, bp, UI_C_INK, true, r[3], true);
}
