#include "screens/ui/widget.h"
#include "screens/screen.h"
#include "screens/ui/image.h"
#include "screens/ui/draw.h"
#include "screens/strings.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SDL_Rect ui_inset(SDL_Rect r, int pad)
{
	return (SDL_Rect){r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
}

SDL_Rect ui_grid_cell(SDL_Rect area, int cols, int rows, int gap, int i)
{
	int cw = (area.w - (cols - 1) * gap) / cols;
	int ch = (area.h - (rows - 1) * gap) / rows;
	int c = i % cols, r = i / cols;
	return (SDL_Rect){area.x + c * (cw + gap), area.y + r * (ch + gap), cw, ch};
}

SDL_Rect ui_take_top(SDL_Rect *rest, int h, int gap)
{
	SDL_Rect top = {rest->x, rest->y, rest->w, h};
	rest->y += h + gap;
	rest->h -= h + gap;
	return top;
}

SDL_Rect ui_take_bottom(SDL_Rect *rest, int h, int gap)
{
	rest->h -= h + gap;
	return (SDL_Rect){rest->x, rest->y + rest->h + gap, rest->w, h};
}

int ui_control_h(const struct ui *ui)
{
	return ui->elderly ? 120 : 96;
}

void ui_widgets_begin(struct ui *ui)
{
	ui->nwidgets = 0;
	ui->modal_from = 0;
	ui->scroll = NULL;
	ui->pan.active = false;
	ui->sketch.active = false;
	ui->nfills = 0;
	ui->ntexts = 0;
	ui->texts_from = 0;
	ui->nfigures = 0;
	ui->variant[0] = '\0';
	ui->qr_seen[0] = '\0';
}

void ui_column(SDL_Rect area, int gap, const struct ui_item *items, int n, SDL_Rect *out)
{
	int need = gap * (n > 0 ? n - 1 : 0), hs[16];
	if (n > 16)
		n = 16;
	for (int i = 0; i < n; i++) {
		hs[i] = items[i].h;
		need += hs[i];
	}
	int left = area.h - need;
	/* Share the room among the growing items, a round at a time, since one that
	 * reaches its max gives the rest to the others. */
	for (int round = 0; round < n && left > 0; round++) {
		int growing = 0;
		for (int i = 0; i < n; i++)
			growing += items[i].max_h > hs[i];
		if (!growing)
			break;
		int each = left / growing, given = 0;
		if (each == 0)
			break;
		for (int i = 0; i < n; i++) {
			if (items[i].max_h <= hs[i])
				continue;
			int add = items[i].max_h - hs[i] < each ? items[i].max_h - hs[i] : each;
			hs[i] += add;
			given += add;
		}
		left -= given;
	}
	int y = area.y + (left > 0 ? left / 2 : 0);
	for (int i = 0; i < n; i++) {
		out[i] = (SDL_Rect){area.x, y, area.w, hs[i]};
		y += hs[i] + gap;
	}
}

void ui_figure(struct ui *ui, SDL_Rect r)
{
	if (ui->nfigures < UI_MAX_FIGURES)
		ui->figures[ui->nfigures++] = r;
}

int ui_widget_add(struct ui *ui, const char *id, const char *label, SDL_Rect r,
		  enum ui_role role)
{
	if (ui->nwidgets == UI_MAX_WIDGETS) {
		KLOG_ERROR("ui", "event=too_many_widgets id=%s", id);
		return KIOSK_ENOSPACE;
	}
	struct ui_widget *w = &ui->widgets[ui->nwidgets++];
	snprintf(w->id, sizeof w->id, "%s", id);
	snprintf(w->label, sizeof w->label, "%s", label ? label : "");
	w->r = r;
	w->role = role;
	w->disabled = false;
	return KIOSK_OK;
}

const char *ui_widget_at(const struct ui *ui, int x, int y)
{
	SDL_Point p = {x, y};
	/* Last drawn is on top (dialogs are drawn after what they cover). */
	for (int i = ui->nwidgets - 1; i >= ui->modal_from; i--)
		if (SDL_PointInRect(&p, &ui->widgets[i].r))
			return ui->widgets[i].disabled ? NULL : ui->widgets[i].id;
	return NULL;
}

const struct ui_widget *ui_widget_find(const struct ui *ui, const char *id_or_label)
{
	for (int i = ui->modal_from; i < ui->nwidgets; i++)
		if (strcmp(ui->widgets[i].id, id_or_label) == 0)
			return &ui->widgets[i];
	for (int i = ui->modal_from; i < ui->nwidgets; i++)
		if (strcmp(ui->widgets[i].label, id_or_label) == 0)
			return &ui->widgets[i];
	return NULL;
}


void ui_button_bg(struct ui *ui, const char *id, SDL_Rect r, const char *key, SDL_Color bg,
		  bool enabled)
{
	bool pressed = enabled && strcmp(ui->pressed, id) == 0;
	if (!enabled)
		bg = UI_C_DISABLED;
	ui_fill_round(ui, r, 28, pressed ? ui_darken(bg, 30) : bg);
	if (ui_widget_add(ui, id, ui_tr(ui, key), r, UI_ROLE_BUTTON) == KIOSK_OK)
		ui->widgets[ui->nwidgets - 1].disabled = !enabled;
}

void ui_button_state(struct ui *ui, const char *id, SDL_Rect r, const char *key, SDL_Color bg,
		     bool enabled)
{
	ui_button_bg(ui, id, r, key, bg, enabled);
	ui_button_label_c(ui, r, key, r.h >= 200 ? 76 : 44,
			  enabled ? UI_C_WHITE : UI_C_DISABLED_INK);
}

void ui_button_label(struct ui *ui, SDL_Rect r, const char *key, int px)
{
	ui_button_label_c(ui, r, key, px, UI_C_WHITE);
}

void ui_button_label_c(struct ui *ui, SDL_Rect r, const char *key, int px, SDL_Color fg)
{
	int p1 = ui_text_px(ui, px), p2 = ui_text_px(ui, px >= 60 ? 36 : 28);
	int w1, h1, w2, h2;
	const char *t1 = ui_tr(ui, key), *t2 = ui_tr_other(ui, key);
	ui_text_size(ui, t1, p1, true, &w1, &h1);
	ui_text_size(ui, t2, p2, false, &w2, &h2);
	if (h1 + h2 > r.h - 8) { /* too low for two lines: the current language only */
		ui_text_fit(ui, t1, p1, 28, fg, true, ui_inset(r, 8));
		return;
	}
	int y = r.y + (r.h - h1 - h2) / 2;
	SDL_Rect l1 = {r.x + 12, y, r.w - 24, h1}, l2 = {r.x + 12, y + h1, r.w - 24, h2};
	ui_text_fit(ui, t1, p1, 28, fg, true, l1);
	ui_text_fit(ui, t2, p2, 28, fg, false, l2);
}

void ui_button(struct ui *ui, const char *id, SDL_Rect r, const char *key, SDL_Color bg)
{
	ui_button_state(ui, id, r, key, bg, true);
}

void ui_button_text(struct ui *ui, const char *id, SDL_Rect r, const char *text, SDL_Color bg,
		    SDL_Color fg, enum ui_role role)
{
	bool pressed = strcmp(ui->pressed, id) == 0;
	ui_fill_round(ui, r, 20, pressed ? ui_darken(bg, 25) : bg);
	ui_widget_add(ui, id, text, r, role);
	ui_text_fit(ui, text, ui_text_px(ui, 44), 28, fg, true, ui_inset(r, 6));
}

void ui_button_icon_text(struct ui *ui, const char *id, SDL_Rect r, const char *icon,
			 const char *text, SDL_Color bg, SDL_Color fg)
{
	int px = ui_text_px(ui, 44), line = px * 115 / 100 + 8;
	int side = r.h - line - 24; /* the room above the words */
	side = side > 112 ? 112 : side;
	if (side < 40) {
		ui_button_text(ui, id, r, text, bg, fg, UI_ROLE_BUTTON);
		return;
	}
	bool pressed = strcmp(ui->pressed, id) == 0;
	ui_fill_round(ui, r, 20, pressed ? ui_darken(bg, 25) : bg);
	ui_widget_add(ui, id, text, r, UI_ROLE_BUTTON);
	int top = r.y + (r.h - side - line) / 2;
	ui_image(ui, icon, (SDL_Rect){r.x, top, r.w, side});
	ui_text_fit(ui, text, px, 28, fg, true, (SDL_Rect){r.x + 6, top + side, r.w - 12, line});
}

void ui_toggle(struct ui *ui, const char *id, SDL_Rect r, const char *key, bool on,
	       bool show_mark)
{
	bool pressed = strcmp(ui->pressed, id) == 0;
	SDL_Color bg = on ? UI_C_HEADER : UI_C_PANEL;
	SDL_Color fg = on ? UI_C_WHITE : UI_C_INK;
	ui_fill_round(ui, r, 24, pressed ? ui_darken(UI_C_HEADER, 20) : UI_C_HEADER);
	ui_fill_round(ui, ui_inset(r, 4), 20, pressed ? ui_darken(bg, 15) : bg);
	ui_widget_add(ui, id, ui_tr(ui, key), r, UI_ROLE_TOGGLE);
	SDL_Rect txt = ui_inset(r, 16);
	char line[128];
	snprintf(line, sizeof line, "%s", ui_tr(ui, key));
	if (show_mark) {
		int m = r.h / 3 > 56 ? 56 : r.h / 3;
		SDL_Rect mark = {r.x + 28, r.y + (r.h - m) / 2, m, m};
		ui_fill(ui, mark, fg);
		if (!on)
			ui_fill(ui, ui_inset(mark, 5), bg);
		txt = (SDL_Rect){mark.x + m + 12, r.y, r.w - m - 52, r.h};
		/* Both languages on two lines when there is room; 长辈模式 keeps to one. */
		int p1 = ui_text_px(ui, 36), p2 = 28, w1, h1, w2, h2;
		ui_text_size(ui, ui_tr(ui, key), p1, true, &w1, &h1);
		ui_text_size(ui, ui_tr_other(ui, key), p2, false, &w2, &h2);
		/* (each on one line, whole: a sub-label that does not fit is left out rather
		 * than cut — the main label carries the meaning) */
		if (!ui->elderly && h1 + h2 <= txt.h && w1 <= txt.w && w2 <= txt.w) {
			int y = txt.y + (txt.h - h1 - h2) / 2;
			ui_text_fit(ui, ui_tr(ui, key), p1, 28, fg, true,
				    (SDL_Rect){txt.x, y, txt.w, h1});
			ui_label(ui, ui_tr_other(ui, key), p2, fg, false,
				 (SDL_Rect){txt.x, y + h1, txt.w, h2}, true);
			return;
		}
	}
	int px = ui_text_px(ui, 36), w = 0, h = 0;
	ui_text_size(ui, line, px, true, &w, &h);
	if (w > txt.w) {
		/* Too long for one line: wrap at the legible minimum rather than shrink below
		 * it, over as many lines as it takes, centred in the height there is. */
		int mp = ui_min_text(ui), mw = 0, mh = 0;
		ui_text_size(ui, line, mp, true, &mw, &mh);
		int lines = txt.w > 0 ? (mw + txt.w - 1) / txt.w + (mw > txt.w) : 1;
		int need = lines * (mh ? mh : mp);
		int y = need < txt.h ? txt.y + (txt.h - need) / 2 : txt.y;
		ui_label(ui, line, mp, fg, true, (SDL_Rect){txt.x, y, txt.w, txt.y + txt.h - y},
			 false);
	} else
		ui_text_fit(ui, line, px, 28, fg, true, txt);
}

/* Length in bytes of the UTF-8 character at s. */
static size_t u8len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

/* Line-breaking rules for Chinese (禁则): a line never starts with closing punctuation
 * nor ends with an opening one. */
static bool starts_with_any(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strncmp(s, *set, strlen(*set)) == 0)
			return true;
	return false;
}

static bool break_allowed(const char *prev_char, const char *next)
{
	static const char *const closing[] = {"，", "。", "、", "；", "：", "？", "！", "）", "」",
					      "』", "》", "…", "”", "’", ",", ".", ")", NULL};
	static const char *const opening[] = {"（", "「", "『", "《", "“", "‘", NULL};
	if (*prev_char != ' ' && (unsigned char)*prev_char < 0x80)
		return false; /* inside a word */
	return !starts_with_any(next, closing) && !starts_with_any(prev_char, opening);
}

/* Is what is left of a paragraph one CJK character, with at most its closing
 * punctuation? */
static bool widow(const char *rest)
{
	while (*rest == ' ')
		rest++;
	int chars = 0;
	bool cjk = false;
	for (const char *q = rest; *q && *q != '\n'; q += u8len(q)) {
		static const char *const closing[] = {"，", "。", "、", "；", "：", "？", "！",
						      "）", "”", "’", "」", "》", NULL};
		cjk = cjk || (unsigned char)*q >= 0xE0;
		if (!starts_with_any(q, closing) && ++chars > 1)
			return false;
	}
	return cjk && chars == 1;
}

/* Lays text out in r as ui_label says; draws it only when draw is set (else measures). */
static int label(struct ui *ui, const char *text, int px, SDL_Color c, bool bold, SDL_Rect r,
		 bool centre, bool draw)
{
	char line[512];
	int y = r.y, lh = 0;
	const char *p = text;
	while (*p && y < r.y + r.h) {
		/* Grow the line one character at a time; remember the last good break. */
		size_t len = 0, brk = 0, prev_brk = 0;
		int w = 0, h = 0;
		while (p[len] && p[len] != '\n') {
			size_t n = u8len(p + len);
			if (len + n >= sizeof line)
				break;
			memcpy(line, p, len + n);
			line[len + n] = '\0';
			ui_text_size(ui, line, px, bold, &w, &h);
			if (w > r.w && len)
				break;
			/* A break is allowed after a space or after any non-ASCII (CJK) char,
			 * punctuation rules permitting. */
			if (break_allowed(p + len, p + len + n)) {
				prev_brk = brk;
				brk = len + n;
			}
			len += n;
		}
		int last_line = y + 2 * (h ? h : px) > r.y + r.h;
		if (p[len] && p[len] != '\n' && brk && !last_line) {
			len = brk;
			/* No widow: a last line of one character ("您。", "叫”") takes one
			 * more from this line with it. */
			if (prev_brk && widow(p + len))
				len = prev_brk;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (last_line && p[len] && p[len] != '\n') {
			/* The text does not fit: end the last line in an ellipsis. */
			while (len) {
				snprintf(line + len, sizeof line - len, "…");
				ui_text_size(ui, line, px, bold, &w, &h);
				if (w <= r.w)
					break;
				do
					len--;
				while (len && ((unsigned char)p[len] & 0xC0) == 0x80);
				line[len] = '\0';
			}
		}
		bool cut = last_line && p[len] && p[len] != '\n';
		int before = ui->ntexts;
		if (draw) {
			lh = ui_text(ui, line, px, c, bold, centre ? r.x + r.w / 2 : r.x, y,
				     centre ? UI_ALIGN_CENTER : UI_ALIGN_LEFT);
		} else {
			int lw = 0;
			ui_text_size(ui, line, px, bold, &lw, &lh);
		}
		if (draw && cut && ui->ntexts > before)
			ui->textrecs[ui->ntexts - 1].cut = true;
		y += lh ? lh : px;
		p += len;
		while (*p == ' ' || *p == '\n')
			p++;
		if (last_line)
			break;
	}
	return y - r.y;
}

int ui_label(struct ui *ui, const char *text, int px, SDL_Color c, bool bold, SDL_Rect r,
	     bool centre)
{
	return label(ui, text, px, c, bold, r, centre, true);
}

int ui_label_height(struct ui *ui, const char *text, int px, bool bold, int w)
{
	/* The same layout as drawing, in a box as tall as it needs. */
	return label(ui, text, px, UI_C_INK, bold, (SDL_Rect){0, 0, w > 0 ? w : 1, 1 << 20}, false,
		     false);
}

/* A key of a keypad; a disabled one is drawn grey and is no widget (a tap does nothing). */
static void key(struct ui *ui, const char *id, SDL_Rect k, const char *text, SDL_Color bg,
		SDL_Color fg, bool enabled)
{
	if (enabled) {
		ui_button_text(ui, id, k, text, bg, fg, UI_ROLE_KEY);
		return;
	}
	ui_fill_round(ui, k, 20, UI_C_DISABLED);
	ui_text_fit(ui, text, ui_text_px(ui, 44), 28, UI_C_DISABLED_INK, true, ui_inset(k, 6));
}

void ui_keypad(struct ui *ui, SDL_Rect r, enum ui_keypad_kind kind, const char *ok_key)
{
	ui_keypad_state(ui, r, kind, ok_key, true);
}

void ui_keypad_state(struct ui *ui, SDL_Rect r, enum ui_keypad_kind kind, const char *ok_key,
		     bool enabled)
{
	static const char *const digits[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9",
					      "back", "0", "ok"};
	static const char letters[] = "qwertyuiopasdfghjklzxcvbnm";
	int gap = 12;
	char id[32];
	if (kind == UI_KEYPAD_DIGITS) {
		for (int i = 0; i < 12; i++) {
			SDL_Rect k = ui_grid_cell(r, 3, 4, gap, i);
			snprintf(id, sizeof id, "key.%s", digits[i]);
			if (strcmp(digits[i], "back") == 0)
				key(ui, id, k, ui_tr(ui, "key.back"), UI_C_MUTED, UI_C_WHITE,
				    enabled);
			else if (strcmp(digits[i], "ok") == 0)
				key(ui, id, k, ui_tr(ui, ok_key), UI_C_HEADER, UI_C_WHITE, enabled);
			else
				key(ui, id, k, digits[i], UI_C_PANEL, UI_C_INK, enabled);
		}
		return;
	}
	/* Digits, then three rows of a QWERTY layout, then space / backspace / ok: tracking
	 * numbers mix letters and digits. */
	static const int rows[4] = {10, 10, 9, 7};
	static const char digits_row[] = "1234567890";
	int at = 0, rh = (r.h - 4 * gap) / 5;
	for (int row = 0; row < 4; row++) {
		int kw = (r.w - 9 * gap) / 10;
		int x0 = r.x + (r.w - rows[row] * kw - (rows[row] - 1) * gap) / 2;
		for (int k = 0; k < rows[row]; k++) {
			char ch = row == 0 ? digits_row[k] : letters[at++];
			SDL_Rect kr = {x0 + k * (kw + gap), r.y + row * (rh + gap), kw, rh};
			char t[2] = {ch, 0};
			snprintf(id, sizeof id, "key.%c", ch);
			key(ui, id, kr, t, UI_C_PANEL, UI_C_INK, enabled);
		}
	}
	SDL_Rect last = {r.x, r.y + 4 * (rh + gap), r.w, rh};
	key(ui, "key.space", ui_grid_cell(last, 4, 1, gap, 0), ui_tr(ui, "key.space"), UI_C_PANEL,
	    UI_C_INK, enabled);
	SDL_Rect mid = ui_grid_cell(last, 4, 1, gap, 1);
	mid.w = mid.w * 2 + gap;
	key(ui, "key.back", mid, ui_tr(ui, "key.back"), UI_C_MUTED, UI_C_WHITE, enabled);
	ui_button_text(ui, "key.ok", ui_grid_cell(last, 4, 1, gap, 3), ui_tr(ui, ok_key),
		       UI_C_HEADER, UI_C_WHITE, UI_ROLE_KEY);
}

void ui_mask_phone(const char *phone, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; phone[i] && k + 1 < cap; i++)
		out[k++] = i >= 3 && i < 7 ? '*' : phone[i];
	if (cap)
		out[k] = '\0';
}

void ui_group_phone(const char *phone, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; phone[i] && k + 2 < cap; i++) {
		if (i == 3 || i == 7)
			out[k++] = ' ';
		out[k++] = phone[i];
	}
	if (cap)
		out[k] = '\0';
}

void ui_field(struct ui *ui, const char *id, SDL_Rect r, const char *text,
	      enum ui_field_show show, bool focused, const char *placeholder_key)
{
	ui_fill_round(ui, r, 16, focused ? UI_C_HEADER : UI_C_MUTED);
	ui_fill_round(ui, ui_inset(r, focused ? 5 : 3), 12, UI_C_PANEL);
	ui_widget_add(ui, id, "", r, UI_ROLE_FIELD);
	char shown[256];
	size_t n = strlen(text);
	if (show == UI_FIELD_SECRET) {
		size_t k = 0;
		for (size_t i = 0; i < n && k + 4 < sizeof shown; i++)
			k += (size_t)snprintf(shown + k, sizeof shown - k, "•");
		shown[k] = '\0';
	} else if (show == UI_FIELD_PHONE) {
		/* whole and grouped while it is typed, so a wrong digit is seen; masked after */
		if (focused)
			ui_group_phone(text, shown, sizeof shown);
		else
			ui_mask_phone(text, shown, sizeof shown);
	} else {
		snprintf(shown, sizeof shown, "%s", text);
	}
	int px = ui_text_px(ui, 44), w = 0, h = 0;
	SDL_Rect in = ui_inset(r, 24);
	if (!n && placeholder_key) {
		/* after the caret, never under it; gone at the first character typed */
		ui_text_size(ui, ui_tr(ui, placeholder_key), px, false, &w, &h);
		ui_text(ui, ui_tr(ui, placeholder_key), px, UI_C_MUTED, false,
			in.x + (focused ? 24 : 0), r.y + (r.h - h) / 2, UI_ALIGN_LEFT);
		w = 0;
	} else if (n) {
		ui_text_size(ui, shown, px, false, &w, &h);
		ui_text(ui, shown, px, UI_C_INK, false, in.x, r.y + (r.h - h) / 2, UI_ALIGN_LEFT);
	}
	if (focused) {
		SDL_Rect caret = {in.x + w + 4, r.y + r.h / 4, 4, r.h / 2};
		ui_fill(ui, caret, UI_C_INK);
	}
}

int ui_qr(struct ui *ui, const char *text, SDL_Rect r)
{
	size_t k = strlen(ui->qr_seen);
	snprintf(ui->qr_seen + k, sizeof ui->qr_seen - k, "%s\n", text);
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q) {
		KLOG_WARN("ui", "event=qr_failed len=%zu", strlen(text));
		ui_fill(ui, r, UI_C_MUTED);
		ui_fill(ui, ui_inset(r, 4), UI_C_PANEL);
		return KIOSK_EINVAL;
	}
	int quiet = 4, n = q->width + 2 * quiet;
	int side = r.w < r.h ? r.w : r.h, mod = side / n;
	if (mod < 1)
		mod = 1;
	SDL_Rect box = {r.x + (r.w - mod * n) / 2, r.y + (r.h - mod * n) / 2, mod * n, mod * n};
	ui_fill(ui, box, UI_C_WHITE);
	ui_figure(ui, box);
	SDL_SetRenderDrawColor(ui->ren, 0, 0, 0, 0xFF);
	for (int y = 0; y < q->width; y++) {
		for (int x = 0; x < q->width; x++) {
			if (q->data[y * q->width + x] & 1) {
				SDL_Rect m = {box.x + (x + quiet) * mod, box.y + (y + quiet) * mod, mod,
					      mod};
				SDL_RenderFillRect(ui->ren, &m);
			}
		}
	}
	QRcode_free(q);
	return KIOSK_OK;
}

void ui_message(struct ui *ui, SDL_Rect r, const char *icon, const char *title,
		SDL_Color title_c, const char *body, SDL_Color body_c, bool body_bold)
{
	int tp = ui_text_px(ui, 60), bp = ui_text_px(ui, 40);
	struct ui_item it[] = {{160, 360},
			       {title ? tp + 16 : 0, 0},
			       {ui_label_height(ui, body, bp, body_bold, r.w), 0}};
	SDL_Rect b[3];
	ui_column(r, title ? 32 : 16, it, 3, b);
	ui_image(ui, icon, b[0]);
	if (title)
		ui_text_fit(ui, title, tp, 40, title_c, true, b[1]);
	ui_label(ui, body, bp, body_c, body_bold, b[2], true);
}

/* An annulus sector as triangles (SDL_RenderGeometry): from angle a0 over sweep, both
 * in turns clockwise from twelve o'clock. */
static void ring_arc(struct ui *ui, int cx, int cy, float r_out, float r_in, double a0,
		     double sweep, SDL_Color c)
{
	enum { SEG = 96 };
	SDL_Vertex v[(SEG + 1) * 2];
	int idx[SEG * 6];
	int n = (int)(SEG * sweep + 0.999);
	if (n < 1)
		return;
	for (int i = 0; i <= n; i++) {
		double a = 2 * M_PI * (a0 + sweep * i / n);
		float sx = (float)sin(a), cy_ = (float)-cos(a);
		v[2 * i] = (SDL_Vertex){{(float)cx + r_out * sx, (float)cy + r_out * cy_}, c, {0, 0}};
		v[2 * i + 1] = (SDL_Vertex){{(float)cx + r_in * sx, (float)cy + r_in * cy_}, c, {0, 0}};
	}
	for (int i = 0; i < n; i++) {
		int *q = &idx[i * 6];
		q[0] = 2 * i, q[1] = 2 * i + 1, q[2] = 2 * i + 2;
		q[3] = 2 * i + 1, q[4] = 2 * i + 3, q[5] = 2 * i + 2;
	}
	SDL_RenderGeometry(ui->ren, NULL, v, 2 * (n + 1), idx, n * 6);
}

void ui_ring(struct ui *ui, SDL_Rect r, double frac, int seconds)
{
	int side = r.w < r.h ? r.w : r.h;
	if (side < 40)
		return;
	frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
	int cx = r.x + r.w / 2, cy = r.y + r.h / 2;
	float ro = (float)side / 2, ri = ro - (float)side / 10;
	ring_arc(ui, cx, cy, ro, ri, 0, 1, (SDL_Color){0xD8, 0xD4, 0xCC, 0xFF});
	ring_arc(ui, cx, cy, ro, ri, 1 - frac, frac, UI_C_HEADER);
	ui_figure(ui, (SDL_Rect){cx - side / 2, cy - side / 2, side, side});
	char num[16];
	snprintf(num, sizeof num, "%d", seconds);
	int px = (int)(ri * 0.9f);
	ui_text(ui, num, px, UI_C_INK, true, cx, cy - px * 7 / 10, UI_ALIGN_CENTER);
	ui->animating = true;
}

void ui_wait(struct ui *ui, SDL_Rect r, const char *text)
{
	int px = ui_text_px(ui, 44);
	struct ui_item it[] = {{200, 640}, {px + 12, 0}};
	SDL_Rect b[2];
	ui_column(r, 24, it, 2, b);
	ui_spinner(ui, b[0]);
	ui_text_fit(ui, text ? text : ui_tr(ui, "wait.moment"), px, 32, UI_C_INK, true, b[1]);
}

void ui_spinner(struct ui *ui, SDL_Rect r)
{
	/* Eight dots; the bright one moves every 125 ms. */
	int step = (int)((ui_now_ms(ui) / 125) % 8);
	static const int dx[8] = {0, 7, 10, 7, 0, -7, -10, -7}, dy[8] = {-10, -7, 0, 7, 10, 7, 0, -7};
	int cx = r.x + r.w / 2, cy = r.y + r.h / 2, s = (r.w < r.h ? r.w : r.h) / 24;
	ui_figure(ui, (SDL_Rect){cx - 11 * s, cy - 11 * s, 22 * s, 22 * s});
	for (int i = 0; i < 8; i++) {
		SDL_Color c = i == step ? UI_C_HEADER : (SDL_Color){0xB8, 0xC4, 0xC2, 0xFF};
		SDL_Rect d = {cx + dx[i] * s - s, cy + dy[i] * s - s, 2 * s, 2 * s};
		ui_fill_round(ui, d, s, c);
	}
	ui->animating = true;
}

int ui_edit(char *buf, size_t cap, const char *key_id)
{
	size_t n = strlen(buf);
	if (strncmp(key_id, "key.", 4) != 0 || strcmp(key_id, "key.ok") == 0)
		return 0;
	const char *k = key_id + 4;
	if (strcmp(k, "back") == 0) { /* a whole character (a handwritten 修 is three bytes) */
		while (n && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
			n--;
		if (n)
			buf[n - 1] = '\0';
		return 1;
	}
	char c = strcmp(k, "space") == 0 ? ' ' : k[1] == '\0' ? k[0] : 0;
	if (!c)
		return 0;
	if (n + 1 < cap) {
		buf[n] = c;
		buf[n + 1] = '\0';
	}
	return 1;
}

bool ui_event_index(const struct ui_event *ev, const char *group, int n, int *index)
{
	size_t g = strlen(group);
	if (!ev || !ev->id || strncmp(ev->id, group, g) != 0)
		return false;
	const char *p = ev->id + g;
	if (!*p || strlen(p) > 4 || strspn(p, "0123456789") != strlen(p))
		return false;
	long v = strtol(p, NULL, 10);
	if (v >= n)
		return false;
	*index = (int)v;
	return true;
}
