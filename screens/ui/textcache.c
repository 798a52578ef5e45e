#include "screens/ui/textcache.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <string.h>

/* A few hundred entries at most are live on a kiosk; a linear scan on a precomputed hash
 * is cheaper than keeping a hash table in step with evictions. */
#define MAX_ENTRIES 512

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
};

struct ui_textcache {
	SDL_Renderer *ren;
	struct ui_font_set *fonts;
	size_t max_bytes, bytes;
	unsigned long clock, hits, misses;
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
		     struct ui_textcache **out)
{
	struct ui_textcache *tc = kiosk_calloc(1, sizeof *tc);
	*out = tc;
	if (!tc)
		return KIOSK_ENOMEM;
	tc->ren = ren;
	tc->fonts = fonts;
	tc->max_bytes = max_bytes;
	return KIOSK_OK;
}

static void drop(struct ui_textcache *tc, struct entry *e)
{
	SDL_DestroyTexture(e->tex);
	kiosk_free(e->text);
	tc->bytes -= e->bytes;
	memset(e, 0, sizeof *e);
}

void ui_textcache_free(struct ui_textcache *tc)
{
	if (!tc)
		return;
	for (int i = 0; i < MAX_ENTRIES; i++)
		if (tc->e[i].text)
			drop(tc, &tc->e[i]);
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
			tc->hits++;
			*w = e->w;
			*h = e->h;
			return e->tex;
		}
	}
	tc->misses++;
	TTF_Font *font = ui_font_get(tc->fonts, px, bold);
	if (!font)
		return NULL;
	SDL_Surface *s = TTF_RenderUTF8_Blended(font, text, c);
	if (!s) {
		KLOG_WARN("text", "event=render_failed px=%d err=\"%s\"", px, TTF_GetError());
		return NULL;
	}
	size_t bytes = (size_t)s->w * (size_t)s->h * 4;
	struct entry *e = evict_for(tc, bytes);
	char *copy = kiosk_strdup(text);
	SDL_Texture *tex = SDL_CreateTextureFromSurface(tc->ren, s);
	if (!e || !copy || !tex) {
		kiosk_free(copy);
		SDL_DestroyTexture(tex);
		SDL_FreeSurface(s);
		return NULL;
	}
	*e = (struct entry){hash, copy, px, rgba, bold, tex, s->w, s->h, bytes, tc->clock};
	tc->bytes += bytes;
	SDL_FreeSurface(s);
	*w = e->w;
	*h = e->h;
	return tex;
}

size_t ui_textcache_bytes(const struct ui_textcache *tc)
{
	return tc->bytes;
}

unsigned long ui_textcache_hits(const struct ui_textcache *tc)
{
	return tc->hits;
}

unsigned long ui_textcache_misses(const struct ui_textcache *tc)
{
	return tc->misses;
}
