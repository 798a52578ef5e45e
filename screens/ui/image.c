#include "screens/ui/image.h"
#include "screens/ui/widget.h"
#include "screens/ui/draw.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <SDL_image.h>
#include <stdio.h>
#include <string.h>

#define MAX_IMAGES KIOSK_CACHE_IMAGE_ENTRIES

static struct {
	char name[48];
	int w, h;
	SDL_Texture *tex; /* NULL = failed to load (remembered, so it is logged once) */
	size_t bytes;     /* the texture's own pixels (a PNG keeps its size) */
} cache[MAX_IMAGES];
static int ncache;
static size_t cache_bytes;

/* The oldest loaded out (icons are few; the oldest is as good a guess as any). */
static void drop_oldest(void)
{
	cache_bytes -= cache[0].bytes;
	SDL_DestroyTexture(cache[0].tex);
	memmove(cache, cache + 1, sizeof cache[0] * (size_t)(ncache - 1));
	ncache--;
}

static SDL_Texture *load(struct ui *ui, const char *name, int w, int h)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s", ui->assets, name);
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

/* name: relative to the assets folder. */
static int draw(struct ui *ui, const char *name, SDL_Rect r)
{
	int side = r.w < r.h ? r.w : r.h;
	SDL_Rect dst = {r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side};
	ui_figure(ui, dst);
	int i;
	for (i = 0; i < ncache; i++)
		if (cache[i].w == side && cache[i].h == side && strcmp(cache[i].name, name) == 0)
			break;
	if (i == ncache) {
		size_t need = (size_t)side * (size_t)side * 4;
		while (ncache && (ncache == MAX_IMAGES ||
				  cache_bytes + need > KIOSK_CACHE_IMAGE_BYTES))
			drop_oldest();
		i = ncache;
		snprintf(cache[i].name, sizeof cache[i].name, "%s", name);
		cache[i].w = cache[i].h = side;
		cache[i].tex = load(ui, name, side, side);
		int tw = 0, th = 0;
		if (cache[i].tex)
			SDL_QueryTexture(cache[i].tex, NULL, NULL, &tw, &th);
		cache[i].bytes = (size_t)tw * (size_t)th * 4;
		cache_bytes += cache[i].bytes;
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

int ui_image(struct ui *ui, const char *name, SDL_Rect r)
{
	char rel[48];
	snprintf(rel, sizeof rel, "icons/%s", name);
	return draw(ui, rel, r);
}

int ui_picture(struct ui *ui, const char *name, SDL_Rect r)
{
	return draw(ui, name, r);
}

void ui_images_free(struct ui *ui)
{
	(void)ui;
	for (int i = 0; i < ncache; i++)
		SDL_DestroyTexture(cache[i].tex);
	ncache = 0;
	cache_bytes = 0;
}

void ui_images_stat(struct kiosk_cache_stat *out)
{
	*out = (struct kiosk_cache_stat){"images", ncache, MAX_IMAGES, cache_bytes,
					 KIOSK_CACHE_IMAGE_BYTES};
}
