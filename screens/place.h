/* How a place reads on the resident's screens (the directory, the map): its walk in
 * minutes at this resident's pace, whether it is open, its category's name. */
#ifndef KIOSK_SCREENS_PLACE_H
#define KIOSK_SCREENS_PLACE_H

#include "screens/ui.h"
#include "kiosk/neighbourhood.h"

/* "步行5分钟" / "5 min walk" (0.9 m/s in 长辈模式), or "no walking route". */
void ui_walk_text(const struct ui *ui, const struct kiosk_place *p, char *out, size_t cap);
/* The string key for open / closed / hours unknown. */
const char *ui_open_key(enum kiosk_open o);
/* The category's name in the current language (its code when unknown). */
const char *ui_category_name(const struct ui *ui, const char *code);
/* The category's icon file in assets/icons (written into buf, or a constant name). */
const char *ui_category_icon(const char *code, char *buf, size_t cap);

/* The address and the hours of place i as a resident reads them: the address with the
 * map's English street name in English, the hours in words (or "ask them" when the
 * place's hours are not understood; "" when it has none). */
void ui_place_lines(const struct ui *ui, const struct kiosk_neighbourhood *nb, size_t i,
		    char *address, size_t alen, char *hours, size_t hlen);
/* What a take-away QR code of a place holds (README, "The take-away QR code"): lines of
 * plain text, each left out when empty — the name, the address, the hours, the phone as
 * tel:, the walk's steps numbered ("1. 沿长寿路…"; steps NULL or "": none) and geo:. */
void ui_take_away_text(const struct ui *ui, const struct kiosk_place *p, const char *name,
		       const char *address, const char *hours, const char *steps, char *out,
		       size_t len);
/* text's lines numbered, "1. " before the first …, into out (cut at a line's end). */
void ui_number_lines(const char *text, char *out, size_t len);

#endif
