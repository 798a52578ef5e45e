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

#endif
