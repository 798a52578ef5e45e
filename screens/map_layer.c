#include "screens/map_layer.h"
#include "hal/base/clock.h"
#include "hal/base/log.h"

#include <string.h>

#define MAX_TILES KIOSK_CACHE_MAP_TILES
#define AHEAD 2      /* tiles of the ring drawn in a frame that drew none in view */
/* Drawing fresh tiles stops after this long in one frame; the rest come in the next
 * frames. Opening the map draws ~90 tiles (20–35 ms on the software renderer, most of it
 * the first touch of their memory): a resident's tap is answered at once with the
 * controls, the pins and the tiles done, and the streets fill in over the next frames
 * (a millisecond: 长辈模式's first frame, its larger texts painted, stays within 8 ms). */
#define BUDGET_US 1000

static struct {
	int tx, ty;
	SDL_Texture *tex; /* kept for the next tile when dropped: same size */
	unsigned long used;
	bool ok;    /* drawn under the current gen */
	bool stale; /* … before something under it changed: shown until drawn again */
} tiles[MAX_TILES];
static unsigned long cur_gen, stamp;
static bool no_targets; /* the renderer said no once: draw directly from then on */

static int floor_div(int a, int b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The tile drawn at (tx, ty) under the current gen, or -1. */
static int find(int tx, int ty)
{
	for (int i = 0; i < MAX_TILES; i++)
		if (tiles[i].ok && tiles[i].tx == tx && tiles[i].ty == ty)
			return i;
	return -1;
}

/* A slot for a new tile: the least recently used (never one this frame shows). */
static int take_slot(int tx, int ty)
{
	int lru = 0;
	for (int i = 0; i < MAX_TILES; i++)
		/* a tile of an old gen counts as never used */
		if ((tiles[i].ok ? tiles[i].used : 0) < (tiles[lru].ok ? tiles[lru].used : 0))
			lru = i;
	tiles[lru].tx = tx;
	tiles[lru].ty = ty;
	tiles[lru].ok = false;
	return lru;
}

static bool draw_tile(struct ui *ui, int i, map_layer_tile_fn draw, void *arg)
{
	if (!tiles[i].tex) {
		tiles[i].tex = SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888,
						 SDL_TEXTUREACCESS_TARGET, MAP_LAYER_TILE, MAP_LAYER_TILE);
		/* a tile is opaque (its ground first): copied, not blended pixel by pixel
		 * (ARGB's default) over the whole view on the software renderer */
		if (tiles[i].tex)
			SDL_SetTextureBlendMode(tiles[i].tex, SDL_BLENDMODE_NONE);
	}
	if (!tiles[i].tex || SDL_SetRenderTarget(ui->ren, tiles[i].tex) != 0) {
		KLOG_WARN("ui", "event=map_layer_off err=\"%s\"", SDL_GetError());
		SDL_SetRenderTarget(ui->ren, NULL);
		map_layer_drop();
		no_targets = true;
		return false;
	}
	draw(ui, tiles[i].tx, tiles[i].ty, arg);
	SDL_SetRenderTarget(ui->ren, NULL);
	tiles[i].ok = true;
	tiles[i].stale = false;
	return true;
}

bool map_layer_draw(struct ui *ui, SDL_Rect view, int ox, int oy, unsigned long gen,
		    map_layer_tile_fn draw, void *arg)
{
	int64_t t0 = kiosk_mono_us();
	if (no_targets || !SDL_RenderTargetSupported(ui->ren))
		return false;
	int tx0 = floor_div(view.x - ox, MAP_LAYER_TILE);
	int tx1 = floor_div(view.x + view.w - 1 - ox, MAP_LAYER_TILE);
	int ty0 = floor_div(view.y - oy, MAP_LAYER_TILE);
	int ty1 = floor_div(view.y + view.h - 1 - oy, MAP_LAYER_TILE);
	if ((tx1 - tx0 + 3) * (ty1 - ty0 + 3) > MAX_TILES)
		return false;
	if (gen != cur_gen) {
		for (int i = 0; i < MAX_TILES; i++)
			tiles[i].ok = false;
		cur_gen = gen;
	}
	/* the view's tiles, then (when none of those had to be drawn) a few of the ring's;
	 * within the frame's budget, the rest left for the next frames */
	int drawn = 0, ahead = 0, left = 0;
	for (int ring = 0; ring < 2; ring++)
		for (int ty = ty0 - ring; ty <= ty1 + ring; ty++)
			for (int tx = tx0 - ring; tx <= tx1 + ring; tx++) {
				bool inside = tx >= tx0 && tx <= tx1 && ty >= ty0 && ty <= ty1;
				if (ring && (inside || drawn || left || ahead == AHEAD))
					continue;
				int i = find(tx, ty);
				if (i >= 0)
					tiles[i].used = ++stamp;
				if (i >= 0 && !tiles[i].stale)
					continue;
				if (drawn && kiosk_mono_us() - t0 >= BUDGET_US) {
					left += !ring;
					continue;
				}
				if (i < 0) {
					i = take_slot(tx, ty);
					tiles[i].used = ++stamp;
				}
				if (!draw_tile(ui, i, draw, arg))
					return false;
				drawn += !ring;
				ahead += ring;
			}
	if (left)
		ui->hurry = true; /* draw again at once: the rest of the view */
	/* the view's tiles drawn so far; now copy them, cut to the view */
	SDL_RenderSetClipRect(ui->ren, &view);
	for (int i = 0; i < MAX_TILES; i++)
		if (tiles[i].ok && tiles[i].tx >= tx0 && tiles[i].tx <= tx1 && tiles[i].ty >= ty0 &&
		    tiles[i].ty <= ty1) {
			SDL_Rect dst = {ox + tiles[i].tx * MAP_LAYER_TILE, oy + tiles[i].ty * MAP_LAYER_TILE,
					MAP_LAYER_TILE, MAP_LAYER_TILE};
			SDL_RenderCopy(ui->ren, tiles[i].tex, NULL, &dst);
		}
	SDL_RenderSetClipRect(ui->ren, NULL);
	return true;
}

void map_layer_refresh(SDL_Rect r)
{
	for (int i = 0; i < MAX_TILES; i++) {
		SDL_Rect tr = {tiles[i].tx * MAP_LAYER_TILE, tiles[i].ty * MAP_LAYER_TILE,
			       MAP_LAYER_TILE, MAP_LAYER_TILE};
		if (tiles[i].ok && SDL_HasIntersection(&tr, &r))
			tiles[i].stale = true;
	}
}

void map_layer_stat(struct kiosk_cache_stat *out)
{
	long n = 0;
	for (int i = 0; i < MAX_TILES; i++)
		n += tiles[i].tex != NULL;
	*out = (struct kiosk_cache_stat){"map street tiles", n, MAX_TILES,
					 (size_t)n * MAP_LAYER_TILE * MAP_LAYER_TILE * 4,
					 KIOSK_CACHE_MAP_BYTES};
}

void map_layer_drop(void)
{
	for (int i = 0; i < MAX_TILES; i++) {
		if (tiles[i].tex)
			SDL_DestroyTexture(tiles[i].tex);
		memset(&tiles[i], 0, sizeof tiles[i]);
	}
}
