/* Widgets: drawn each frame (immediate mode), registered by stable id for hit testing,
 * scripts and the accessibility report. */
#ifndef KIOSK_SCREENS_WIDGET_H
#define KIOSK_SCREENS_WIDGET_H

#include "screens/ui.h"

/* Layout helpers, so screens place widgets by structure and not by typed pixels. */
SDL_Rect ui_inset(SDL_Rect r, int pad);
/* Cell i (row-major) of a cols×rows grid filling area with gap between cells. */
SDL_Rect ui_grid_cell(SDL_Rect area, int cols, int rows, int gap, int i);
/* Takes a band of height h off the top (bottom) of *rest, plus gap; returns the band. */
SDL_Rect ui_take_top(SDL_Rect *rest, int h, int gap);
SDL_Rect ui_take_bottom(SDL_Rect *rest, int h, int gap);
/* A column laid out at once: each item has the height it needs (h) and the most it may
 * usefully take (max_h; 0 or ≤ h: it stays h). The height left over goes to the items
 * that grow, evenly up to their max, and what is still left is split above and below
 * the column, so a screen uses its height for larger keys, choices and pictures and
 * does not leave an empty band under two lines. out[i] is item i's band (area's width). */
struct ui_item {
	int h, max_h;
};
void ui_column(SDL_Rect area, int gap, const struct ui_item *items, int n, SDL_Rect *out);

/* Target height for a control: 96 px, 120 px in 长辈模式 (≥ 48 / 72 px required). */
int ui_control_h(const struct ui *ui);

/* Notes a picture drawn in r (icon, QR code, map, progress) for the accessibility
 * report, which measures how much of a screen's height is left empty. */
void ui_figure(struct ui *ui, SDL_Rect r);

/* Starts a frame: forgets last frame's widgets, fills and texts. */
void ui_widgets_begin(struct ui *ui);
/* Registers a tappable area; KIOSK_ENOSPACE when the frame has too many (logged). */
int ui_widget_add(struct ui *ui, const char *id, const char *label, SDL_Rect r,
		  enum ui_role role);
/* The id of the tappable widget at canvas point (x, y), or NULL. Borrowed until the next
 * frame. With a dialog open only the dialog's widgets count. */
const char *ui_widget_at(const struct ui *ui, int x, int y);
/* The widget with this id, or else with exactly this visible label; NULL if none. */
const struct ui_widget *ui_widget_find(const struct ui *ui, const char *id_or_label);

/* A large button: primary text in the current language, secondary in the other; drawn
 * darker while pressed, greyed and not tappable when disabled. key is a string key. */
void ui_button(struct ui *ui, const char *id, SDL_Rect r, const char *key, SDL_Color bg);
void ui_button_state(struct ui *ui, const char *id, SDL_Rect r, const char *key, SDL_Color bg,
		     bool enabled);
/* The two halves of a button, for buttons with more inside (an icon): the background and
 * the tappable area (labelled for scripts by key), and the two-line label in r at a
 * primary size of px (before 长辈模式 scaling). */
void ui_button_bg(struct ui *ui, const char *id, SDL_Rect r, const char *key, SDL_Color bg,
		  bool enabled);
void ui_button_label(struct ui *ui, SDL_Rect r, const char *key, int px);
/* The height ui_label takes for text in a box w wide (the same layout, not drawn). */
int ui_label_height(struct ui *ui, const char *text, int px, bool bold, int w);
/* The same in a colour of the caller's (a disabled button's dark grey). */
void ui_button_label_c(struct ui *ui, SDL_Rect r, const char *key, int px, SDL_Color fg);
/* A button showing given text (already translated, or digits) in one line. */
void ui_button_text(struct ui *ui, const char *id, SDL_Rect r, const char *text, SDL_Color bg,
		    SDL_Color fg, enum ui_role role);
/* The same with an icon (assets/icons/<icon>) above the text when the tile is tall enough
 * for both, else the text alone. */
void ui_button_icon_text(struct ui *ui, const char *id, SDL_Rect r, const char *icon,
			 const char *text, SDL_Color bg, SDL_Color fg);
/* A toggle. With show_mark its on/off state is a filled or hollow square (not colour
 * alone) and the label is shown in both languages; without, it shows only the current
 * language's text (for the language switch, whose text names the other language). */
void ui_toggle(struct ui *ui, const char *id, SDL_Rect r, const char *key, bool on,
	       bool show_mark);

/* Wrapped text in r (break at spaces, or between any two CJK characters); lines that do
 * not fit end in "…". Returns the height used. */
int ui_label(struct ui *ui, const char *text, int px, SDL_Color c, bool bold, SDL_Rect r,
	     bool centre);

/* Keypads register one widget per key, id "key.<char>", plus "key.back" and "key.ok"
 * (and "key.space" on the letter keyboard), so scripts type through them. */
enum ui_keypad_kind { UI_KEYPAD_DIGITS, UI_KEYPAD_LETTERS };
void ui_keypad(struct ui *ui, SDL_Rect r, enum ui_keypad_kind kind, const char *ok_key);
/* The same, greyed and not tappable when !enabled (a lockout: the keys are there, visibly
 * off). */
void ui_keypad_state(struct ui *ui, SDL_Rect r, enum ui_keypad_kind kind, const char *ok_key,
		     bool enabled);
/* How a field shows what is typed into it. */
enum ui_field_show {
	UI_FIELD_PLAIN,
	UI_FIELD_SECRET, /* one • per character (PINs) */
	UI_FIELD_PHONE,  /* "138 1234 5678" while focused (typed, checked by the person typing),
			  * 138****5678 otherwise: never whole on a screen after that */
};
/* A text field: shows text as show says, a caret when focused, and the placeholder key
 * when empty. Tapping it gives it the focus. */
void ui_field(struct ui *ui, const char *id, SDL_Rect r, const char *text,
	      enum ui_field_show show, bool focused, const char *placeholder_key);
/* A phone number as it may be shown: the 4th to 7th digits as '*'. */
void ui_mask_phone(const char *phone, char *out, size_t cap);
/* "13900001111" → "139 0000 1111": read back to the person who typed it. */
void ui_group_phone(const char *phone, char *out, size_t cap);
/* A QR code of text, drawn black on white in the largest whole-module size that fits r,
 * with its quiet zone. Returns KIOSK_OK, or an error (logged; an outlined box is drawn). */
int ui_qr(struct ui *ui, const char *text, SDL_Rect r);
/* A message that fills a panel r: an icon saying it at a glance (ok.svg, alert.svg …;
 * larger when there is room), a title (NULL: none) and a body, centred in the height. */
void ui_message(struct ui *ui, SDL_Rect r, const char *icon, const char *title,
		SDL_Color title_c, const char *body, SDL_Color body_c, bool body_bold);
/* A countdown ring: a track with the part still left (frac, 0..1) drawn clockwise from
 * twelve o'clock, and the seconds left in large type in the middle. Animates while shown. */
void ui_ring(struct ui *ui, SDL_Rect r, double frac, int seconds);
/* A wait filling a panel r: a large spinner and what is being waited for (text, NULL:
 * "one moment"), centred in the height. */
void ui_wait(struct ui *ui, SDL_Rect r, const char *text);
/* A spinner turning with the UI clock; keeps the screen animating while shown. */
void ui_spinner(struct ui *ui, SDL_Rect r);

/* Edits a text buffer by a key id ("key.7", "key.back", "key.space"); returns 1 if it was
 * an editing key. cap includes the NUL. */
int ui_edit(char *buf, size_t cap, const char *key_id);

#endif
