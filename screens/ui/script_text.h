/* A UI script read whole, before any line runs: its lines in order, each with the file
 * and line number it came from, `include <file>` lines replaced by that file's lines (a
 * path relative to the including script; nested up to 4 deep). Read whole because
 * `repeat` goes back, and so a script that cannot be read fails before it taps anything. */
#ifndef KIOSK_SCREENS_SCRIPT_TEXT_H
#define KIOSK_SCREENS_SCRIPT_TEXT_H

#include <stddef.h>

#define UI_SCRIPT_MAX_LINES 4000
#define UI_SCRIPT_MAX_FILES 16

struct ui_script_line {
	char *text;       /* without its line end */
	const char *file; /* owned by the text */
	int n;            /* 1-based */
};

struct ui_script_text {
	struct ui_script_line *line;
	int nlines;
	char *file[UI_SCRIPT_MAX_FILES];
	int nfiles;
};

/* Reads path into *t (freed with ui_script_text_free, also after a failure). KIOSK_OK; or
 * KIOSK_ENOENT (a file cannot be opened), KIOSK_EINVAL (a line too long, too many lines,
 * an include too deep), KIOSK_ENOMEM — with "file:line: what" in why. */
int ui_script_text_read(const char *path, struct ui_script_text *t, char *why, size_t whylen);
void ui_script_text_free(struct ui_script_text *t);

#endif
