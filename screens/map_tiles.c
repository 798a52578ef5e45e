#include "screens/map_tiles.h"
#include "screens/app.h"
#include "kiosk/neighbourhood.h"
#include "hal/base/log.h"

#include <SDL_image.h>
#include <pthread.h>
#include <string.h>

#define SLOTS KIOSK_CACHE_BASEMAP_TILES
#define WANT 32 /* asks queued; more wait for a later frame (SLOTS > WANT + 1 in flight) */

enum { EMPTY, ASKED, READY, NONE };

struct got {
	int z, x, y;
	SDL_Surface *s; /* NULL: no such tile, or it did not decode */
};

static struct {
	/* the reader's side, under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	SDL_Thread *reader; /* an SDL thread: SDL frees what it keeps per thread */
	bool running, stop;
	const struct kiosk_neighbourhood *nb;
	int want[WANT][3], nwant;
	struct got got[WANT + 1];
	int ngot;
	/* the UI's side */
	struct {
		int z, x, y, state;
		SDL_Texture *tex;
		unsigned long used;
	} slot[SLOTS];
	unsigned long clock;
} t = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* One tile from the file, as 32-bit pixels (a texture made from them is a plain copy). */
static SDL_Surface *read_tile(const struct kiosk_neighbourhood *nb, int z, int x, int y)
{
	const void *data;
	size_t len;
	if (!kiosk_neighbourhood_tile(nb, z, x, y, &data, &len) || len > INT32_MAX)
		return NULL;
	SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
	SDL_Surface *s = rw ? IMG_Load_RW(rw, 1) : NULL;
	if (!s) {
		KLOG_WARN("ui", "event=base_tile_unreadable z=%d x=%d y=%d err=\"%s\"", z, x, y,
			  IMG_GetError());
		return NULL;
	}
	SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(s);
	return c;
}

static int reader(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&t.mu);
	for (;;) {
		while (!t.stop && !t.nwant)
			pthread_cond_wait(&t.cv, &t.mu);
		if (t.stop)
			break;
		int *w = t.want[--t.nwant], z = w[0], x = w[1], y = w[2];
		pthread_mutex_unlock(&t.mu);
		SDL_Surface *s = read_tile(t.nb, z, x, y);
		pthread_mutex_lock(&t.mu);
		t.got[t.ngot++] = (struct got){z, x, y, s};
		ui_app_wake(); /* a frame with it */
	}
	pthread_mutex_unlock(&t.mu);
	return 0;
}

void map_tiles_open(const struct kiosk_neighbourhood *nb)
{
	map_tiles_close();
	int minz, maxz;
	if (!nb || !kiosk_neighbourhood_tile_zooms(nb, &minz, &maxz))
		return;
	t.nb = nb;
	t.stop = false;
	if (!(t.reader = SDL_CreateThread(reader, "map-tiles", NULL))) {
		KLOG_WARN("ui", "event=base_map_off reason=\"no thread\"");
		t.nb = NULL;
		return;
	}
	t.running = true;
}

void map_tiles_close(void)
{
	if (t.running) {
		pthread_mutex_lock(&t.mu);
		t.stop = true;
		pthread_cond_signal(&t.cv);
		pthread_mutex_unlock(&t.mu);
		SDL_WaitThread(t.reader, NULL);
		t.running = false;
	}
	for (int i = 0; i < t.ngot; i++)
		SDL_FreeSurface(t.got[i].s);
	t.ngot = t.nwant = 0;
	for (int i = 0; i < SLOTS; i++) {
		if (t.slot[i].tex)
			SDL_DestroyTexture(t.slot[i].tex);
		memset(&t.slot[i], 0, sizeof t.slot[i]);
	}
	t.nb = NULL;
}

static int find(int z, int x, int y)
{
	for (int i = 0; i < SLOTS; i++)
		if (t.slot[i].state != EMPTY && t.slot[i].z == z && t.slot[i].x == x &&
		    t.slot[i].y == y)
			return i;
	return -1;
}

int map_tiles_collect(struct ui *ui, int (*in)[3], int max)
{
	int nin = 0;
	if (!t.running)
		return 0;
	struct got got[WANT + 1];
	pthread_mutex_lock(&t.mu);
	int n = t.ngot;
	memcpy(got, t.got, sizeof got[0] * (size_t)n);
	t.ngot = 0;
	pthread_mutex_unlock(&t.mu);
	for (int k = 0; k < n; k++) {
		int i = find(got[k].z, got[k].x, got[k].y);
		if (i >= 0 && t.slot[i].state == ASKED) {
			t.slot[i].tex = got[k].s ? SDL_CreateTextureFromSurface(ui->ren, got[k].s)
						 : NULL;
			t.slot[i].state = t.slot[i].tex ? READY : NONE;
			if (t.slot[i].tex && nin < max) {
				in[nin][0] = got[k].z;
				in[nin][1] = got[k].x;
				in[nin][2] = got[k].y;
				nin++;
			}
		}
		SDL_FreeSurface(got[k].s);
	}
	return nin;
}

SDL_Texture *map_tiles_get(struct ui *ui, int z, int x, int y)
{
	(void)ui;
	if (!t.running)
		return NULL;
	int i = find(z, x, y);
	if (i >= 0) {
		if (t.slot[i].state != ASKED)
			t.slot[i].used = ++t.clock;
		return t.slot[i].tex;
	}
	/* a free slot, else the one drawn longest ago (never one still asked for) */
	int lru = -1;
	for (i = 0; i < SLOTS; i++) {
		if (t.slot[i].state == EMPTY) {
			lru = i;
			break;
		}
		if (t.slot[i].state != ASKED && (lru < 0 || t.slot[i].used < t.slot[lru].used))
			lru = i;
	}
	if (lru < 0)
		return NULL;
	/* every ask holds its slot ASKED until its answer is collected: bounding those (not
	 * only the queue, which the reader drains meanwhile) bounds what the reader can have
	 * waiting in t.got as well */
	bool room = map_tiles_waiting() < WANT;
	pthread_mutex_lock(&t.mu);
	if (room) {
		t.want[t.nwant][0] = z;
		t.want[t.nwant][1] = x;
		t.want[t.nwant][2] = y;
		t.nwant++;
		pthread_cond_signal(&t.cv);
	}
	pthread_mutex_unlock(&t.mu);
	if (!room)
		return NULL; /* asked again by a later frame */
	if (t.slot[lru].tex)
		SDL_DestroyTexture(t.slot[lru].tex);
	t.slot[lru].tex = NULL;
	t.slot[lru].z = z;
	t.slot[lru].x = x;
	t.slot[lru].y = y;
	t.slot[lru].state = ASKED;
	return NULL;
}

/* (UI thread: the only one that changes a slot's state) */
int map_tiles_waiting(void)
{
	int n = 0;
	for (int i = 0; i < SLOTS; i++)
		n += t.slot[i].state == ASKED;
	return n;
}

void map_tiles_stat(struct kiosk_cache_stat *out)
{
	long n = 0;
	size_t bytes = 0;
	for (int i = 0; i < SLOTS; i++) {
		int w = 0, h = 0;
		if (t.slot[i].tex && SDL_QueryTexture(t.slot[i].tex, NULL, NULL, &w, &h) == 0) {
			n++;
			bytes += (size_t)w * (size_t)h * 4;
		}
	}
	/* the bound assumes 256 px a side, as web tiles are; a file of larger tiles shows
	 * here above it */
	*out = (struct kiosk_cache_stat){"map base tiles", n, SLOTS, bytes,
					 KIOSK_CACHE_BASEMAP_BYTES};
}
