#include "screens/ui/textcache.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"
#include "kiosk/caches.h"

#include <string.h>

/* A few hundred entries at most are live on a kiosk; a linear scan on a precomputed hash
 * is cheaper than keeping a hash table in step with evictions. */
#define MAX_ENTRIES KIOSK_CACHE_TEXT_ENTRIES

struct entry {
	uint32_t hash;
	char *text; /* NULL = free slot */
	int px;
	uint32_t rgba;
	bool bold;
	SDL_Texture *tex;
	int w, h;
	size_t bytes;
	unsigned long used; /* LRU clock */
	int64_t used_ms;    /* the frame time it was last drawn in */
};

/* Measured sizes, without pixels: fitting a text tries several sizes each frame, and only
 * the one drawn needs a texture. Direct-mapped by hash: a collision measures again. */
#define SIZE_SLOTS KIOSK_CACHE_TEXT_SIZES

struct size_entry {
	uint32_t hash;
	char *text; /* NULL = free slot */
	int px;
	bool bold;
	int w, h;
};

/* A text's coverage, rasterised once: a byte a pixel, whatever its colour. A texture in a
 * colour is made from it in a few microseconds; FreeType and HarfBuzz take a hundred
 * times that. Kept for many more texts than textures are (a quarter of their bytes). */
#define COV_ENTRIES KIOSK_CACHE_TEXT_COVERAGE_ENTRIES

struct cov {
	uint32_t hash;
	char *text; /* NULL = free slot */
	int px;
	bool bold;
	uint8_t *a; /* w × h */
	int w, h;
	unsigned long used;
	int64_t used_ms;
};

struct ui_textcache {
	SDL_Renderer *ren;
	struct ui_font_set *fonts;
	size_t max_bytes, bytes;
	int entries;
	size_t cov_max, cov_bytes;
	int ncov;
	bool warming; /* ui_textcache_warming() */
	struct cov c[COV_ENTRIES];
	unsigned long clock, hits, misses;
	int64_t now_ms, trimmed_ms; /* ui_textcache_frame() */
	struct size_entry sz[SIZE_SLOTS];
	int nsizes;
	size_t size_bytes;
	struct entry e[MAX_ENTRIES];
};

static uint32_t fnv1a(const char *s, int px, uint32_t rgba, bool bold)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	h = (h ^ (uint32_t)px) * 16777619u;
	h = (h ^ rgba) * 16777619u;
	return (h ^ (uint32_t)bold) * 16777619u;
}

int ui_textcache_new(SDL_Renderer *ren, struct ui_font_set *fonts, size_t max_bytes,
		     size_t coverage_bytes, struct ui_textcache **out)
{
	struct ui_textcache *tc = kiosk_calloc(1, sizeof *tc);
	*out = tc;
	if (!tc)
		return KIOSK_ENOMEM;
	tc->ren = ren;
	tc->fonts = fonts;
	tc->max_bytes = max_bytes;
	tc->cov_max = coverage_bytes;
	return KIOSK_OK;
}

static void cov_drop(struct ui_textcache *tc, struct cov *c)
{
	kiosk_free(c->a);
	kiosk_free(c->text);
	tc->cov_bytes -= (size_t)c->w * (size_t)c->h;
	tc->ncov--;
	memset(c, 0, sizeof *c);
}

static void drop(struct ui_textcache *tc, struct entry *e)
{
	SDL_DestroyTexture(e->tex);
	kiosk_free(e->text);
	tc->bytes -= e->bytes;
	tc->entries--;
	memset(e, 0, sizeof *e);
}

void ui_textcache_free(struct ui_textcache *tc)
{
	if (!tc)
		return;
	for (int i = 0; i < MAX_ENTRIES; i++)
		if (tc->e[i].text)
			drop(tc, &tc->e[i]);
	for (int i = 0; i < COV_ENTRIES; i++)
		if (tc->c[i].text)
			cov_drop(tc, &tc->c[i]);
	for (int i = 0; i < SIZE_SLOTS; i++)
		kiosk_free(tc->sz[i].text);
	kiosk_free(tc);
}

static struct entry *evict_for(struct ui_textcache *tc, size_t need)
{
	struct entry *free_slot = NULL;
	for (;;) {
		struct entry *lru = NULL;
		free_slot = NULL;
		for (int i = 0; i < MAX_ENTRIES; i++) {
			struct entry *e = &tc->e[i];
			if (!e->text)
				free_slot = free_slot ? free_slot : e;
			else if (!lru || e->used < lru->used)
				lru = e;
		}
		if (free_slot && tc->bytes + need <= tc->max_bytes)
			return free_slot;
		if (!lru)
			return free_slot; /* empty cache: one oversized text still gets a slot */
		drop(tc, lru);
	}
}

/* A slot for n more bytes of coverage, the least recently used out first. */
static struct cov *cov_evict_for(struct ui_textcache *tc, size_t n)
{
	for (;;) {
		struct cov *lru = NULL, *free_slot = NULL;
		for (int i = 0; i < COV_ENTRIES; i++) {
			struct cov *c = &tc->c[i];
			if (!c->text)
				free_slot = free_slot ? free_slot : c;
			else if (!lru || c->used < lru->used)
				lru = c;
		}
		if ((free_slot && tc->cov_bytes + n <= tc->cov_max) || !lru)
			return free_slot;
		cov_drop(tc, lru);
	}
}

/* The text's coverage, rasterised now if it is not kept (a miss). */
static struct cov *coverage(struct ui_textcache *tc, const char *text, int px, bool bold)
{
	uint32_t hash = fnv1a(text, px, 0, bold);
	for (int i = 0; i < COV_ENTRIES; i++) {
		struct cov *c = &tc->c[i];
		if (c->text && c->hash == hash && c->px == px && c->bold == bold &&
		    strcmp(c->text, text) == 0) {
			c->used = tc->clock;
			c->used_ms = tc->now_ms;
			return c;
		}
	}
	tc->misses++;
	TTF_Font *font = ui_font_get(tc->fonts, px, bold);
	if (!font)
		return NULL;
	SDL_Surface *s = TTF_RenderUTF8_Blended(font, text, (SDL_Color){0xFF, 0xFF, 0xFF, 0xFF});
	if (!s) {
		KLOG_WARN("text", "event=render_failed px=%d err=\"%s\"", px, TTF_GetError());
		return NULL;
	}
	size_t n = (size_t)s->w * (size_t)s->h;
	struct cov *c = cov_evict_for(tc, n);
	uint8_t *a = kiosk_malloc(n ? n : 1);
	char *copy = kiosk_strdup(text);
	if (!c || !a || !copy || s->format->BytesPerPixel != 4) {
		kiosk_free(a);
		kiosk_free(copy);
		SDL_FreeSurface(s);
		return NULL;
	}
	/* SDL_ttf's blended text is one colour with the coverage as alpha */
	for (int y = 0; y < s->h; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)s->pixels + y * s->pitch);
		for (int x = 0; x < s->w; x++)
			a[(size_t)y * (size_t)s->w + (size_t)x] =
				(uint8_t)((row[x] & s->format->Amask) >> s->format->Ashift);
	}
	*c = (struct cov){hash, copy, px, bold, a, s->w, s->h, tc->clock, tc->now_ms};
	tc->cov_bytes += n;
	tc->ncov++;
	SDL_FreeSurface(s);
	return c;
}

/* A texture of the coverage in colour c, as SDL_ttf would have rendered it (the colour
 * everywhere, its alpha scaled by the coverage). */
static SDL_Texture *paint(struct ui_textcache *tc, const struct cov *cv, SDL_Color c)
{
	SDL_Texture *t = SDL_CreateTexture(tc->ren, SDL_PIXELFORMAT_ARGB8888,
					   SDL_TEXTUREACCESS_STREAMING, cv->w, cv->h);
	void *pixels;
	int pitch;
	if (!t || SDL_LockTexture(t, NULL, &pixels, &pitch) != 0) {
		SDL_DestroyTexture(t);
		return NULL;
	}
	SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
	uint32_t rgb = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
	for (int y = 0; y < cv->h; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)pixels + y * pitch);
		const uint8_t *a = cv->a + (size_t)y * (size_t)cv->w;
		for (int x = 0; x < cv->w; x++)
			row[x] = (uint32_t)(c.a == 0xFF ? a[x] : a[x] * c.a / 0xFF) << 24 | rgb;
	}
	SDL_UnlockTexture(t);
	return t;
}

SDL_Texture *ui_textcache_get(struct ui_textcache *tc, const char *text, int px, SDL_Color c,
			      bool bold, int *w, int *h)
{
	if (!text || !*text)
		return NULL;
	uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
	uint32_t hash = fnv1a(text, px, rgba, bold);
	tc->clock++;
	for (int i = 0; i < MAX_ENTRIES; i++) {
		struct entry *e = &tc->e[i];
		if (e->text && e->hash == hash && e->px == px && e->rgba == rgba &&
		    e->bold == bold && strcmp(e->text, text) == 0) {
			e->used = tc->clock;
			e->used_ms = tc->now_ms;
			tc->hits++;
			*w = e->w;
			*h = e->h;
			return e->tex;
		}
	}
	struct cov *cv = coverage(tc, text, px, bold);
	if (!cv)
		return NULL;
	*w = cv->w;
	*h = cv->h;
	if (tc->warming)
		return NULL; /* drawn ahead: the rasterising was the point, not the texture */
	size_t bytes = (size_t)cv->w * (size_t)cv->h * 4;
	struct entry *e = evict_for(tc, bytes);
	char *copy = kiosk_strdup(text);
	SDL_Texture *tex = e && copy ? paint(tc, cv, c) : NULL;
	if (!tex) {
		kiosk_free(copy);
		return NULL;
	}
	*e = (struct entry){hash, copy, px, rgba, bold, tex, cv->w, cv->h, bytes, tc->clock, tc->now_ms};
	tc->bytes += bytes;
	tc->entries++;
	return tex;
}

bool ui_textcache_size(struct ui_textcache *tc, const char *text, int px, bool bold, int *w,
			int *h)
{
	if (!text || !*text)
		return false;
	uint32_t hash = fnv1a(text, px, 0, bold);
	struct size_entry *e = &tc->sz[hash % SIZE_SLOTS];
	if (e->text && e->hash == hash && e->px == px && e->bold == bold &&
	    strcmp(e->text, text) == 0) {
		*w = e->w;
		*h = e->h;
		return true;
	}
	TTF_Font *font = ui_font_get(tc->fonts, px, bold);
	int mw, mh;
	if (!font || TTF_SizeUTF8(font, text, &mw, &mh) != 0)
		return false;
	char *copy = kiosk_strdup(text);
	if (copy) { /* else measured, not kept */
		if (e->text) {
			tc->size_bytes -= strlen(e->text) + 1;
			kiosk_free(e->text);
			tc->nsizes--;
		}
		*e = (struct size_entry){hash, copy, px, bold, mw, mh};
		tc->size_bytes += strlen(copy) + 1;
		tc->nsizes++;
	}
	*w = mw;
	*h = mh;
	return true;
}

void ui_textcache_frame(struct ui_textcache *tc, int64_t now_ms)
{
	tc->now_ms = now_ms;
	/* once a second is plenty for a one-minute idle limit; a clock set back trims too */
	if (now_ms >= tc->trimmed_ms && now_ms - tc->trimmed_ms < 1000)
		return;
	tc->trimmed_ms = now_ms;
	for (int i = 0; i < MAX_ENTRIES; i++)
		if (tc->e[i].text && now_ms - tc->e[i].used_ms > KIOSK_CACHE_TEXTURE_IDLE_MS)
			drop(tc, &tc->e[i]);
	for (int i = 0; i < COV_ENTRIES; i++)
		if (tc->c[i].text && now_ms - tc->c[i].used_ms > KIOSK_CACHE_TEXT_IDLE_MS)
			cov_drop(tc, &tc->c[i]);
}

bool ui_textcache_holds_textures(const struct ui_textcache *tc)
{
	return tc->entries > 0;
}

void ui_textcache_warming(struct ui_textcache *tc, bool on)
{
	tc->warming = on;
}

void ui_textcache_stat(const struct ui_textcache *tc, struct kiosk_cache_stat out[3])
{
	out[0] = (struct kiosk_cache_stat){"text", tc->entries, MAX_ENTRIES, tc->bytes,
					   tc->max_bytes};
	out[2] = (struct kiosk_cache_stat){"text coverage", tc->ncov, COV_ENTRIES,
					   tc->cov_bytes, tc->cov_max};
	out[1] = (struct kiosk_cache_stat){
		"text sizes", tc->nsizes, SIZE_SLOTS, sizeof tc->sz + tc->size_bytes,
		sizeof tc->sz + (size_t)SIZE_SLOTS * KIOSK_CACHE_TEXT_SIZE_TEXT};
}

size_t ui_textcache_bytes(const struct ui_textcache *tc)
{
	return tc->bytes + tc->cov_bytes;
}

unsigned long ui_textcache_hits(const struct ui_textcache *tc)
{
	return tc->hits;
}

unsigned long ui_textcache_misses(const struct ui_textcache *tc)
{
	return tc->misses;
}
