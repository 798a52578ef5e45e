/* A printer's bytes as a person would hold them: `receipt_check FILE [--png OUT]
 * [--jobs N] [--expect TEXT]... [--qr TEXT]...` decodes FILE (ESC/POS, tests/escpos),
 * fails (exit 1, naming what) when a byte is not ours, the job count differs, or an
 * expected text or QR payload is missing, and renders the receipt to OUT — a 58 mm roll,
 * 384 dots wide, in the kiosk's own CJK font, QR codes drawn — for review. */
#include "escpos_decode.h"
#include "screens/ui/font.h"

#include <SDL.h>
#include <fontconfig/fontconfig.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 384

static int render(const struct dec_receipt *r, const char *out)
{
	struct ui_font_face reg, bold;
	struct ui_font_set *fs;
	if (TTF_Init() || ui_font_find("", 0, &reg, &bold) || ui_fonts_new(&reg, &bold, &fs))
		return 1;
	int h = 16; /* room enough: the lines that wrap are cropped to at the end */
	for (int i = 0; i < r->nlines; i++)
		h += r->line[i].qr ? 200 : 3 * (26 * r->line[i].height + 4) + 24;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, WIDTH, h, 32, SDL_PIXELFORMAT_RGBA32);
	SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 255, 255, 255));
	int y = 8, q = 0;
	for (int i = 0; i < r->nlines; i++) {
		const struct dec_line *l = &r->line[i];
		if (l->qr) {
			QRcode *code = QRcode_encodeString8bit(r->qr[q++], 0, QR_ECLEVEL_M);
			if (code) {
				int m = 180 / code->width, x0 = (WIDTH - m * code->width) / 2;
				for (int yy = 0; yy < code->width; yy++)
					for (int xx = 0; xx < code->width; xx++)
						if (code->data[yy * code->width + xx] & 1) {
							SDL_Rect d = {x0 + xx * m, y + yy * m, m, m};
							SDL_FillRect(s, &d, SDL_MapRGB(s->format, 0, 0, 0));
						}
				QRcode_free(code);
			}
			y += 200;
			continue;
		}

		TTF_Font *f = ui_font_get(fs, 22 * l->height, l->bold);
		SDL_Surface *t = f && l->text[0]
					 ? TTF_RenderUTF8_Blended_Wrapped(f, l->text, (SDL_Color){0, 0, 0, 255},
									  WIDTH - 16)
					 : NULL;
		int lh = 26 * l->height + 4;
		if (t) {
			int x = l->align == 1 ? (WIDTH - t->w) / 2 : l->align == 2 ? WIDTH - 8 - t->w : 8;
			SDL_Rect d = {x < 8 ? 8 : x, y, t->w, t->h};
			SDL_BlitSurface(t, NULL, s, &d);
			lh = t->h > lh ? t->h : lh;
			SDL_FreeSurface(t);
		}
		y += lh;
		if (l->cut) { /* the cut: a dashed line, and the next receipt below it */
			y += 12;
			for (int x = 0; x < WIDTH; x += 12) {
				SDL_Rect d = {x, y, 6, 2};
				SDL_FillRect(s, &d, SDL_MapRGB(s->format, 120, 120, 120));
			}
			y += 20;
		}
	}
	SDL_Surface *crop = SDL_CreateRGBSurfaceWithFormat(0, WIDTH, y + 8, 32,
							   SDL_PIXELFORMAT_RGBA32);
	SDL_Rect src = {0, 0, WIDTH, y + 8};
	SDL_BlitSurface(s, &src, crop, NULL);
	int rc = IMG_SavePNG(crop, out) ? 1 : 0;
	SDL_FreeSurface(crop);
	SDL_FreeSurface(s);
	ui_fonts_free(fs);
	TTF_Quit();
	FcFini(); /* fontconfig's caches, let go as the kiosk does at exit */
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: receipt_check FILE [--png OUT] [--jobs N] [--expect TEXT]..."
				" [--qr TEXT]...\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	static uint8_t buf[1 << 20];
	size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
	if (f)
		fclose(f);
	if (!f) {
		fprintf(stderr, "receipt_check: %s: nothing printed\n", argv[1]);
		return 1;
	}
	static struct dec_receipt r;
	if (!escpos_decode(buf, n, &r)) {
		fprintf(stderr, "receipt_check: %s: %s\n", argv[1], r.error);
		return 1;
	}
	static char text[65536];
	escpos_decode_text(&r, text, sizeof text);
	int bad = 0;
	const char *png = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--png") == 0 && i + 1 < argc) {
			png = argv[++i];
		} else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
			int want = atoi(argv[++i]);
			if (r.jobs != want || r.cuts != want) {
				fprintf(stderr, "receipt_check: %d jobs and %d cuts, expected %d\n",
					r.jobs, r.cuts, want);
				bad = 1;
			}
		} else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc) {
			if (!strstr(text, argv[++i])) {
				fprintf(stderr, "receipt_check: no '%s' on the receipt\n", argv[i]);
				bad = 1;
			}
		} else if (strcmp(argv[i], "--qr") == 0 && i + 1 < argc) {
			bool found = false;
			for (int k = 0; k < r.nqr; k++)
				found = found || strcmp(r.qr[k], argv[i + 1]) == 0;
			if (!found) {
				fprintf(stderr, "receipt_check: no QR code '%s'\n", argv[i + 1]);
				bad = 1;
			}
			i++;
		} else {
			fprintf(stderr, "receipt_check: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (bad)
		fprintf(stderr, "the receipt reads:\n%s", text);
	if (png && render(&r, png)) {
		fprintf(stderr, "receipt_check: cannot render %s\n", png);
		bad = 1;
	}
	return bad;
}
