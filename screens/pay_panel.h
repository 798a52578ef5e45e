/* The QR payment as a resident sees it, the same wherever money is taken (the overdue fee,
 * 寄付): what the core's payment service says (the session's .pay), never more — the QR
 * while it may be paid, with the amount and the time left; paid; or why not, saying that
 * nothing was taken. */
#ifndef KIOSK_SCREENS_PAY_PANEL_H
#define KIOSK_SCREENS_PAY_PANEL_H

#include "screens/ui.h"

/* Fills the panel in with the session's payment (ui->snap.session). */
void ui_pay_panel(struct ui *ui, SDL_Rect in);
/* Paying at the MDB card reader (a purchase, a meal): the amount large, a spinner, and
 * "tap your card" once the reader takes one (card_on), "the reader is starting" before. */
void ui_card_panel(struct ui *ui, SDL_Rect in, int64_t fen, bool card_on);
/* "¥12.00" for fen (out: 24 bytes or more). */
void ui_money(int64_t fen, char *out, size_t cap);
/* The payment could not go on (expired, offline, refused): the resident may try again. */
bool ui_pay_failed(const struct ui *ui);

#endif
