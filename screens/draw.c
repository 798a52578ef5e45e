#include "screens/draw.h"
#include "screens/textcache.h"

#include <stdio.h>
#include <string.h>

/* Drops a character cut in half at the end of s: report lines stay valid UTF-8. */
static void utf8_trim(char *s)
{
	size_t n = strlen(s), i = n;
	while (i && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (!i || (unsigned char)s[i - 1] < 0xC0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < want)
		s[i - 1] = '\0';
}

static void record_fill(struct ui *ui, SDL_Rect r, SDL_Color c)
{
	if (ui->nfills < UI_MAX_FILLS)
		ui->fills[ui->nfills++] = (struct ui_fillrec){r, c};
}

void ui_fill(struct ui *ui, SDL_Rect r, SDL_Color c)
{
	record_fill(ui, r, c);
	SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(ui->ren, &r);
}

void ui_fill_round(struct ui *ui, SDL_Rect r, int radius, SDL_Color c)
{
	if (radius * 2 > r.h)
		radius = r.h / 2;
	if (radius * 2 > r.w)
		radius = r.w / 2;
	record_fill(ui, r, c);
	SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
	SDL_Rect mid = {r.x, r.y + radius, r.w, r.h - 2 * radius};
	SDL_RenderFillRect(ui->ren, &mid);
	/* Corner rows: inset each scanline by the circle's chord. */
	for (int dy = 0; dy < radius; dy++) {
		int yy = radius - dy;
		int inset = 0;
		while (inset < radius &&
		       (radius - inset) * (radius - inset) + yy * yy > radius * radius)
			inset++;
		SDL_Rect top = {r.x + inset, r.y + dy, r.w - 2 * inset, 1};
		SDL_Rect bot = {r.x + inset, r.y + r.h - 1 - dy, r.w - 2 * inset, 1};
		SDL_RenderFillRect(ui->ren, &top);
		SDL_RenderFillRect(ui->ren, &bot);
	}
}

void ui_text_size(struct ui *ui, const char *s, int px, bool bold, int *w, int *h)
{
	if (!ui_textcache_get(ui->texts, s, px, UI_C_INK, bold, w, h))
		*w = *h = 0;
}

int ui_text(struct ui *ui, const char *s, int px, SDL_Color c, bool bold, int x, int y,
	    enum ui_align align)
{
	int w = 0, h = 0;
	/* 长辈模式: secondary grey text goes full ink — higher contrast for older eyes. */
	if (ui->elderly && c.r == UI_C_MUTED.r && c.g == UI_C_MUTED.g && c.b == UI_C_MUTED.b)
		c = UI_C_INK;
	SDL_Texture *t = ui_textcache_get(ui->texts, s, px, c, bold, &w, &h);
	if (!t)
		return 0;
	if (align == UI_ALIGN_CENTER)
		x -= w / 2;
	else if (align == UI_ALIGN_RIGHT)
		x -= w;
	SDL_Rect dst = {x, y, w, h};
	SDL_RenderCopy(ui->ren, t, NULL, &dst);
	if (ui->ntexts < UI_MAX_TEXTS) {
		struct ui_textrec *rec = &ui->textrecs[ui->ntexts++];
		rec->r = dst;
		rec->px = px;
		rec->fg = c;
		rec->hidden = rec->cut = rec->overflow = false;
		snprintf(rec->text, sizeof rec->text, "%s", s);
		utf8_trim(rec->text);
	}
	size_t n = strlen(s);
	if (ui->seen_len + n + 2 <= sizeof ui->seen) {
		memcpy(ui->seen + ui->seen_len, s, n);
		ui->seen_len += n;
		ui->seen[ui->seen_len++] = '\n';
		ui->seen[ui->seen_len] = '\0';
	}
	return h;
}

void ui_text_fit(struct ui *ui, const char *s, int px, int min_px, SDL_Color c, bool bold,
		 SDL_Rect r)
{
	int w = 0, h = 0;
	if (min_px < ui_min_text(ui))
		min_px = ui_min_text(ui); /* never below the legible minimum, even to fit */
	if (px < min_px)
		px = min_px;
	for (; px > min_px; px -= 4) {
		ui_text_size(ui, s, px, bold, &w, &h);
		if (w <= r.w && px * 115 / 100 <= r.h) /* glyphs, not the line's leading */
			break;
	}
	if (px < min_px)
		px = min_px;
	ui_text_size(ui, s, px, bold, &w, &h);
	int n = ui->ntexts;
	ui_text(ui, s, px, c, bold, r.x + r.w / 2, r.y + (r.h - h) / 2, UI_ALIGN_CENTER);
	if (ui->ntexts > n && (w > r.w || px * 115 / 100 > r.h))
		ui->textrecs[ui->ntexts - 1].overflow = true;
}

SDL_Color ui_darken(SDL_Color c, int pct)
{
	return (SDL_Color){(Uint8)(c.r * (100 - pct) / 100), (Uint8)(c.g * (100 - pct) / 100),
			   (Uint8)(c.b * (100 - pct) / 100), c.a};
}
