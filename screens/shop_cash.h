/* 购物's cash parts (screens/shop_cash.c): the coin slot while paying, and the money a cash
 * purchase gives back — change, a refund, a cancel — as the changer pays it, with a voucher
 * for what it could not pay. */
#ifndef KIOSK_SCREENS_SHOP_CASH_H
#define KIOSK_SCREENS_SHOP_CASH_H

#include "screens/ui.h"

/* Paying in coins and notes: the price, what went in, what is still needed. */
void shop_draw_cash(struct ui *ui, SDL_Rect in);
/* Paying at the vending machine's own money devices: the price, what it has taken. */
void shop_draw_board(struct ui *ui, SDL_Rect in);
/* The line saying what came back (empty when nothing is owed back), into buf. */
void shop_cash_back_line(struct ui *ui, char *buf, size_t cap);
/* True when the changer could not pay all of it: the voucher fills r. */
bool shop_owes(const struct ui *ui);
void shop_draw_voucher(struct ui *ui, SDL_Rect r);

#endif
