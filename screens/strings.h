/* The resident-facing strings in both languages, looked up by key.
 *
 * A key with no entry is shown as the key itself (visible, never a crash) and logged
 * once, so a missing translation is noticed on screen and in the log. */
#ifndef KIOSK_SCREENS_STRINGS_H
#define KIOSK_SCREENS_STRINGS_H

#include "screens/ui.h"

/* Static strings; never NULL. */
const char *ui_tr_lang(enum ui_lang lang, const char *key);
const char *ui_tr(const struct ui *ui, const char *key);
const char *ui_tr_other(const struct ui *ui, const char *key);

/* For tests: the number of keys and the key at index i (NULL past the end). */
const char *ui_strings_key(int i);

#endif
