#include "screens/ui/image.h"
#include "screens/ui/widget.h"
#include "screens/ui/draw.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <SDL_image.h>
#include <stdio.h>
#include <string.h>

#define MAX_IMAGES 96 /* the entries' icons and the categories' (tiles, pins) in a few sizes */

static struct {
	char name[48];
	int w, h;
	SDL_Texture *tex; /* NULL = failed to load (remembered, so it is logged once) */
} cache[MAX_IMAGES];
static int ncache;

static SDL_Texture *load(struct ui *ui, const char *name, int w, int h)
{
	char path[700];
	snprintf(path, sizeof path, "%s/icons/%s", ui->assets, name);
	size_t n = strlen(name);
	SDL_Surface *s = NULL;
	if (n > 4 && strcmp(name + n - 4, ".svg") == 0) {
		/* Rasterised at the size drawn, so the strokes stay crisp. */
		SDL_RWops *rw = SDL_RWFromFile(path, "rb");
		if (rw)
			s = IMG_LoadSizedSVG_RW(rw, w, h);
		if (rw)
			SDL_RWclose(rw);
	} else {
		s = IMG_Load(path);
	}
	if (!s) {
		KLOG_WARN("ui", "event=image_missing file=%s err=\"%s\"", path, IMG_GetError());
		return NULL;
	}
	SDL_Texture *t = SDL_CreateTextureFromSurface(ui->ren, s);
	SDL_FreeSurface(s);
	return t;
}

int ui_image(struct ui *ui, const char *name, SDL_Rect r)
{
	int side = r.w < r.h ? r.w : r.h;
	SDL_Rect dst = {r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side};
	ui_figure(ui, dst);
	int i;
	for (i = 0; i < ncache; i++)
		if (cache[i].w == side && cache[i].h == side && strcmp(cache[i].name, name) == 0)
			break;
	if (i == ncache) {
		if (ncache == MAX_IMAGES) {
			SDL_DestroyTexture(cache[0].tex);
			memmove(cache, cache + 1, sizeof cache[0] * (MAX_IMAGES - 1));
			ncache--;
			i = ncache;
		}
		snprintf(cache[i].name, sizeof cache[i].name, "%s", name);
		cache[i].w = cache[i].h = side;
		cache[i].tex = load(ui, name, side, side);
		ncache++;
	}
	if (!cache[i].tex) {
		SDL_SetRenderDrawColor(ui->ren, 0xFF, 0xFF, 0xFF, 0xFF);
		SDL_RenderDrawRect(ui->ren, &dst);
		SDL_RenderDrawLine(ui->ren, dst.x, dst.y, dst.x + dst.w, dst.y + dst.h);
		SDL_RenderDrawLine(ui->ren, dst.x + dst.w, dst.y, dst.x, dst.y + dst.h);
		return KIOSK_ENOENT;
	}
	SDL_RenderCopy(ui->ren, cache[i].tex, NULL, &dst);
	return KIOSK_OK;
}

void ui_images_free(struct ui *ui)
{
	(void)ui;
	for (int i = 0; i < ncache; i++)
		SDL_DestroyTexture(cache[i].tex);
	ncache = 0;
}
