#include "screens/ui/draw.h"
#include "screens/ui/textcache.h"

#include <math.h>
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

/* An opaque colour is written, not blended: the same pixels, and on the software renderer
 * a plain fill instead of a per-pixel blend (2 ms for the map's area at 1080×1920). */
static void draw_colour(struct ui *ui, SDL_Color c)
{
	SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
	SDL_SetRenderDrawBlendMode(ui->ren, c.a == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}

void ui_fill(struct ui *ui, SDL_Rect r, SDL_Color c)
{
	record_fill(ui, r, c);
	draw_colour(ui, c);
	SDL_RenderFillRect(ui->ren, &r);
	SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
}

/* The largest x with x * x <= n. */
static int isqrt(int n)
{
	int x = (int)sqrt((double)n);
	while (x * x > n)
		x--;
	while ((x + 1) * (x + 1) <= n)
		x++;
	return x;
}

void ui_fill_round(struct ui *ui, SDL_Rect r, int radius, SDL_Color c)
{
	if (radius * 2 > r.h)
		radius = r.h / 2;
	if (radius * 2 > r.w)
		radius = r.w / 2;
	record_fill(ui, r, c);
	draw_colour(ui, c);
	/* The middle, then the corner rows, each scanline inset by the circle's chord; sent to
	 * the renderer in batches (a map's pins are 30 circles of 60 rows: one call a row cost
	 * more than the pixels). */
	SDL_Rect rows[128];
	int n = 0;
	rows[n++] = (SDL_Rect){r.x, r.y + radius, r.w, r.h - 2 * radius};
	for (int dy = 0; dy < radius; dy++) {
		int yy = radius - dy;
		int inset = radius - isqrt(radius * radius - yy * yy);
		rows[n++] = (SDL_Rect){r.x + inset, r.y + dy, r.w - 2 * inset, 1};
		rows[n++] = (SDL_Rect){r.x + inset, r.y + r.h - 1 - dy, r.w - 2 * inset, 1};
		if (n + 2 > (int)(sizeof rows / sizeof rows[0])) {
			SDL_RenderFillRects(ui->ren, rows, n);
			n = 0;
		}
	}
	if (n)
		SDL_RenderFillRects(ui->ren, rows, n);
	SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
}

void ui_text_size(struct ui *ui, const char *s, int px, bool bold, int *w, int *h)
{
	if (!ui_textcache_size(ui->texts, s, px, bold, w, h))
		*w = *h = 0;
}

/* What the accessibility report and the scripts see of a text drawn at r. */
static void record_text(struct ui *ui, SDL_Rect r, int px, SDL_Color c, const char *s)
{
	if (ui->ntexts < UI_MAX_TEXTS) {
		struct ui_textrec *rec = &ui->textrecs[ui->ntexts++];
		rec->r = r;
		rec->px = px;
		rec->fg = c;
		rec->hidden = rec->cut = rec->overflow = false;
		snprintf(rec->text, sizeof rec->text, "%s", s);
		utf8_trim(rec->text);
	}
}

static void record_seen(struct ui *ui, const char *s)
{
	size_t n = strlen(s);
	if (ui->seen_len + n + 2 <= sizeof ui->seen) {
		memcpy(ui->seen + ui->seen_len, s, n);
		ui->seen_len += n;
		ui->seen[ui->seen_len++] = '\n';
		ui->seen[ui->seen_len] = '\0';
	}
}

/* 长辈模式: secondary grey text goes full ink — higher contrast for older eyes. */
static SDL_Color ink_for(const struct ui *ui, SDL_Color c)
{
	if (ui->elderly && c.r == UI_C_MUTED.r && c.g == UI_C_MUTED.g && c.b == UI_C_MUTED.b)
		return UI_C_INK;
	return c;
}

int ui_text(struct ui *ui, const char *s, int px, SDL_Color c, bool bold, int x, int y,
	    enum ui_align align)
{
	int w = 0, h = 0;
	c = ink_for(ui, c);
	SDL_Texture *t = ui_textcache_get(ui->texts, s, px, c, bold, &w, &h);
	if (!t && !h)
		return 0; /* (drawn ahead: no texture, the size all the same) */
	if (align == UI_ALIGN_CENTER)
		x -= w / 2;
	else if (align == UI_ALIGN_RIGHT)
		x -= w;
	SDL_Rect dst = {x, y, w, h};
	if (t)
		SDL_RenderCopy(ui->ren, t, NULL, &dst);
	record_text(ui, dst, px, c, s);
	record_seen(ui, s);
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

/* ---- text along a line ---- */

#define ALONG_MAX 24 /* characters stood up one by one; a longer name is not drawn so */

struct along {
	bool upright; /* characters one after another, each standing up */
	int n;
	char piece[ALONG_MAX][8];
	int w[ALONG_MAX], h[ALONG_MAX];
	float ux, uy;  /* along the line, unit */
	float step;    /* between the characters' centres */
	float len;     /* end to end, along */
	float thick;   /* across */
};

/* Chinese, Japanese, Korean: stood up along a street, as maps here write them. */
static bool has_cjk(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0xE3 && *p <= 0xED) /* U+3000 … U+DFFF: the CJK blocks and hangul */
			return true;
	return false;
}

static bool along_layout(struct ui *ui, const char *s, int px, float angle, struct along *a)
{
	memset(a, 0, sizeof *a);
	a->ux = cosf(angle);
	a->uy = sinf(angle);
	float ax = fabsf(a->ux), ay = fabsf(a->uy);
	if (!has_cjk(s)) {
		ui_text_size(ui, s, px, true, &a->w[0], &a->h[0]);
		if (!a->w[0])
			return false;
		a->n = 1;
		a->len = (float)a->w[0];
		a->thick = (float)a->h[0];
		return true;
	}
	int mw = 0, mh = 0;
	for (const char *p = s; *p;) {
		size_t k = 1;
		while (p[k] && ((unsigned char)p[k] & 0xC0) == 0x80)
			k++;
		if (a->n == ALONG_MAX || k >= sizeof a->piece[0])
			return false;
		memcpy(a->piece[a->n], p, k);
		a->piece[a->n][k] = '\0';
		ui_text_size(ui, a->piece[a->n], px, true, &a->w[a->n], &a->h[a->n]);
		mw = a->w[a->n] > mw ? a->w[a->n] : mw;
		mh = a->h[a->n] > mh ? a->h[a->n] : mh;
		a->n++;
		p += k;
	}
	if (!mw)
		return false;
	/* the nearest two upright boxes may stand along the line without touching */
	float fw = (float)mw, fh = (float)mh;
	float sx = ax > 0.01f ? fw / ax : 1e9f, sy = ay > 0.01f ? fh / ay : 1e9f;
	a->upright = true;
	a->step = (sx < sy ? sx : sy) + 2;
	a->len = a->step * (float)(a->n - 1) + (ax * fw + ay * fh);
	a->thick = ay * fw + ax * fh;
	return true;
}

/* The centre of piece i (upright), or of the i-th of n squares along a turned text. */
static void along_at(const struct along *a, float cx, float cy, float step, int n, int i,
		     float *x, float *y)
{
	float t = ((float)i - (float)(n - 1) / 2) * step;
	*x = cx + a->ux * t;
	*y = cy + a->uy * t;
}

int ui_text_along_boxes(struct ui *ui, const char *s, int px, float cx, float cy, float angle,
			SDL_Rect *out, int max)
{
	struct along a;
	if (!along_layout(ui, s, px, angle, &a))
		return 0;
	int n = a.upright ? a.n : (int)ceilf(a.len / a.thick);
	float step = a.upright ? a.step : a.len / (float)n;
	int k = 0;
	for (int i = 0; i < n && k < max; i++) {
		float x, y;
		along_at(&a, cx, cy, step, n, i, &x, &y);
		int w = a.upright ? a.w[i] : (int)a.thick, h = a.upright ? a.h[i] : (int)a.thick;
		out[k++] = (SDL_Rect){(int)(x - (float)w / 2), (int)(y - (float)h / 2), w, h};
	}
	return k;
}

float ui_text_along_len(struct ui *ui, const char *s, int px, float angle)
{
	struct along a;
	return along_layout(ui, s, px, angle, &a) ? a.len : 0;
}

void ui_text_along(struct ui *ui, const char *s, int px, SDL_Color fg, SDL_Color bg, float cx,
		   float cy, float angle)
{
	struct along a;
	if (!along_layout(ui, s, px, angle, &a))
		return;
	/* the band under it, a little longer and wider than the words */
	float hl = a.len / 2 + 8, hw = a.thick / 2 + 4;
	float nx = -a.uy * hw, ny = a.ux * hw, ex = a.ux * hl, ey = a.uy * hl;
	SDL_FPoint p[4] = {{cx - ex + nx, cy - ey + ny}, {cx - ex - nx, cy - ey - ny},
			   {cx + ex - nx, cy + ey - ny}, {cx + ex + nx, cy + ey + ny}};
	static const int order[6] = {0, 1, 2, 0, 2, 3};
	SDL_Vertex v[6];
	for (int i = 0; i < 6; i++)
		v[i] = (SDL_Vertex){p[order[i]], bg, {0, 0}};
	SDL_RenderGeometry(ui->ren, NULL, v, 6, NULL, 0);
	if (!a.upright) {
		int w, h;
		SDL_Texture *t = ui_textcache_get(ui->texts, s, px, fg, true, &w, &h);
		if (!t)
			return;
		float fw = (float)w, fh = (float)h;
		SDL_FRect dst = {cx - fw / 2, cy - fh / 2, fw, fh};
		SDL_RenderCopyExF(ui->ren, t, NULL, &dst, atan2f(a.uy, a.ux) * 180 / (float)M_PI,
				  NULL, SDL_FLIP_NONE);
		/* for the report: the box it turned into, on the band (a square sure to lie on
		 * it, around the centre, where contrast is measured) */
		float bw = fabsf(a.ux) * fw + fabsf(a.uy) * fh, bh = fabsf(a.uy) * fw + fabsf(a.ux) * fh;
		int sq = (int)(a.thick / (fabsf(a.ux) + fabsf(a.uy)));
		record_fill(ui, (SDL_Rect){(int)cx - sq / 2, (int)cy - sq / 2, sq, sq}, bg);
		record_text(ui, (SDL_Rect){(int)(cx - bw / 2), (int)(cy - bh / 2), (int)bw, (int)bh},
			    px, fg, s);
		record_seen(ui, s);
		return;
	}
	for (int i = 0; i < a.n; i++) {
		float x, y;
		along_at(&a, cx, cy, a.step, a.n, i, &x, &y);
		SDL_Rect r = {(int)(x - (float)a.w[i] / 2), (int)(y - (float)a.h[i] / 2), a.w[i], a.h[i]};
		SDL_Texture *t = ui_textcache_get(ui->texts, a.piece[i], px, fg, true, &r.w, &r.h);
		if (!t)
			continue;
		SDL_RenderCopy(ui->ren, t, NULL, &r);
		record_fill(ui, r, bg); /* each upright box lies on the band */
		record_text(ui, r, px, fg, a.piece[i]);
	}
	record_seen(ui, s); /* the name whole, as a resident reads it */
}

void ui_quad(SDL_Vertex *v, float x0, float y0, float x1, float y1, float w, SDL_Color c)
{
	float dx = x1 - x0, dy = y1 - y0, l = sqrtf(dx * dx + dy * dy);
	float nx = l > 0 ? -dy / l * w / 2 : 0, ny = l > 0 ? dx / l * w / 2 : 0;
	SDL_FPoint p[4] = {{x0 + nx, y0 + ny}, {x0 - nx, y0 - ny}, {x1 - nx, y1 - ny},
			   {x1 + nx, y1 + ny}};
	static const int order[6] = {0, 1, 2, 0, 2, 3};
	for (int i = 0; i < 6; i++)
		v[i] = (SDL_Vertex){p[order[i]], c, {0, 0}};
}
