/* The resident-facing strings in both languages, looked up by key in the gettext
 * catalogues assets/i18n/zh.po and en.po (msgid = key).
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
/* For names that come with data (a carrier's code): the catalogue's words for key when it
 * has them, else fallback — not a missing translation, so nothing is logged. */
const char *ui_tr_or(const struct ui *ui, const char *key, const char *fallback);
/* The translation of key with its "{}" replaced by value (a number or a time, already
 * formatted), into out; translators place the value where their language wants it. */
void ui_tr_with(const struct ui *ui, const char *key, const char *value, char *out,
		size_t len);

/* Loads both catalogues from <assets_dir>/i18n. Returns KIOSK_OK, or the first error (the
 * kiosk runs on regardless, showing keys). */
int ui_strings_load(const char *assets_dir);
void ui_strings_free(void);

#endif
