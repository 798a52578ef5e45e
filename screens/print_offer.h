/* 打印小票: the offer of a paper copy on a screen that ends something (a purchase, a send).
 * Offered only while the printer can print; out of paper, it says so instead (the person
 * knows why there is no receipt); a print this screen asked for says where it stands. It
 * says what is true now — "printing", "take the receipt from
 * the slot", "not printed: …" — and never holds the person up. */
#ifndef KIOSK_SCREENS_PRINT_OFFER_H
#define KIOSK_SCREENS_PRINT_OFFER_H

#include "screens/ui.h"

#include <stdbool.h>
#include <stdint.h>

struct ui_print {
	enum { UI_PRINT_IDLE, UI_PRINT_ASKED, UI_PRINT_DONE, UI_PRINT_FAILED } st;
	uint32_t req;
	int rc;
};

/* Whether the offer takes a row now (the printer can print, or a print is under way or
 * just ended). */
bool ui_print_shown(const struct ui *ui, const struct ui_print *p);
/* The row: the button (widget "print.receipt", labelled by the string key label), or where
 * the print stands. */
void ui_print_draw(struct ui *ui, const struct ui_print *p, SDL_Rect r, const char *label);
/* The tap on "print.receipt": asks the core (cmd_type; what, when not NULL, in .name).
 * 1 when handled. */
int ui_print_event(struct ui *ui, struct ui_print *p, const char *id,
		   enum kiosk_cmd_type cmd_type, const char *what);
/* Picks the core's answer up (every tick). */
void ui_print_tick(struct ui *ui, struct ui_print *p);

#endif
