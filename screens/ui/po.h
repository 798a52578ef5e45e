/* A parser for gettext .po catalogues (the subset translators' tools write: comments,
 * msgctxt, msgid, msgstr, continuation lines, C escapes). Pure: bytes in, entries out. */
#ifndef KIOSK_SCREENS_PO_H
#define KIOSK_SCREENS_PO_H

#include <stddef.h>

/* Called once per complete entry with its unescaped msgid and msgstr (borrowed for the
 * call). The header entry (empty msgid) is skipped. Return 0 to go on. */
typedef int (*ui_po_entry_fn)(void *arg, const char *msgid, const char *msgstr);

/* Parses len bytes. Returns KIOSK_OK, or KIOSK_EPARSE with *line set to the first bad
 * line (and no further callbacks), or the callback's non-zero value. */
int ui_po_parse(const char *text, size_t len, ui_po_entry_fn fn, void *arg, int *line);

/* A loaded catalogue: msgid → msgstr, looked up by binary search. */
struct ui_catalog;
/* Loads path; KIOSK_ENOENT if missing, KIOSK_EPARSE (logged with the line) if malformed.
 * *out owned by the caller, freed with ui_catalog_free(). */
int ui_catalog_load(const char *path, struct ui_catalog **out);
void ui_catalog_free(struct ui_catalog *c);
/* The translation, or NULL when absent or empty. Borrowed from the catalogue. */
const char *ui_catalog_get(const struct ui_catalog *c, const char *msgid);
int ui_catalog_count(const struct ui_catalog *c);
/* For tests: the i-th msgid in sorted order, NULL past the end. */
const char *ui_catalog_key(const struct ui_catalog *c, int i);

#endif
