/* The accessibility report (--a11y-report): for every screen state a script visits, each
 * visible control's id, role and size, and each text's size and contrast against what
 * is drawn behind it (WCAG 2 formula). One JSON object per line; tests check the rules. */
#ifndef KIOSK_SCREENS_A11Y_H
#define KIOSK_SCREENS_A11Y_H

#include "screens/ui.h"

/* WCAG contrast ratio of two opaque colours (1..21). */
double ui_contrast(SDL_Color a, SDL_Color b);
/* Appends the current frame's report to ui->a11y, once per (screen, lang, 长辈模式,
 * dialog) state. No-op without a report file. */
void ui_a11y_record(struct ui *ui);

#endif
