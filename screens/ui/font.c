#include "screens/ui/font.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <fcntl.h>
#include <limits.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* One open face per weight, set to the size asked for before each use. A CJK face holds
 * about 1 MB of FreeType tables (the CFF charset of 65 000 glyphs), so a face per pixel
 * size cost tens of megabytes; changing the size only drops SDL_ttf's small glyph cache,
 * and every string rendered lands in the text cache (textcache.c), so sizes change on a
 * cache miss, not per frame. */
struct ui_font_set {
	struct ui_font_face face[2]; /* regular, bold */
	bool has_bold;
	struct {
		TTF_Font *font;
		int px;
		void *map; /* the font file, mapped read-only */
		size_t len;
	} open[2];
	unsigned long resizes;
	bool used;    /* a face was asked for since the last ui_fonts_tick() */
	bool holding; /* mapped pages read, not yet given back */
	int64_t used_ms;
};

/* Asks fontconfig for a face of the given weight that covers Chinese; 0 on success. */
static int match_face(int weight, struct ui_font_face *out)
{
	int rc = -1;
	FcPattern *pat = FcPatternCreate();
	if (!pat)
		return -1;
	FcPatternAddString(pat, FC_LANG, (const FcChar8 *)"zh-cn");
	FcPatternAddInteger(pat, FC_WEIGHT, weight);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	FcResult res;
	FcPattern *m = FcFontMatch(NULL, pat, &res);
	if (!m)
		goto out_pat;
	FcChar8 *file = NULL;
	FcCharSet *cs = NULL;
	int index = 0;
	/* fontconfig always answers with *some* font; it only helps us if it has hanzi. */
	if (FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
	    FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch &&
	    FcCharSetHasChar(cs, 0x4FBF /* 便 */) && FcCharSetHasChar(cs, 0x4EAD /* 亭 */)) {
		FcPatternGetInteger(m, FC_INDEX, 0, &index);
		snprintf(out->file, sizeof out->file, "%s", (const char *)file);
		out->index = index;
		rc = 0;
	}
	FcPatternDestroy(m);
out_pat:
	FcPatternDestroy(pat);
	return rc;
}

int ui_font_find(const char *path, int index, struct ui_font_face *regular,
		 struct ui_font_face *bold)
{
	if (path && *path) {
		if (access(path, R_OK) != 0) {
			KLOG_ERROR("font", "event=font_missing file=%s", path);
			return KIOSK_ENOFONT;
		}
		snprintf(regular->file, sizeof regular->file, "%s", path);
		regular->index = index;
		*bold = *regular;
		return KIOSK_OK;
	}
	if (!FcInit())
		return KIOSK_ENOFONT;
	int rc = KIOSK_OK;
	if (match_face(FC_WEIGHT_REGULAR, regular) != 0) {
		KLOG_ERROR("font", "event=no_cjk_font lang=zh-cn");
		rc = KIOSK_ENOFONT;
	} else if (match_face(FC_WEIGHT_BOLD, bold) != 0) {
		*bold = *regular;
	}
	if (rc == KIOSK_OK)
		KLOG_INFO("font", "event=font regular=%s:%d bold=%s:%d", regular->file,
			  regular->index, bold->file, bold->index);
	return rc;
}

int ui_fonts_new(const struct ui_font_face *regular, const struct ui_font_face *bold,
		 struct ui_font_set **out)
{
	struct ui_font_set *fs = kiosk_calloc(1, sizeof *fs);
	*out = NULL;
	if (!fs)
		return KIOSK_ENOMEM;
	fs->face[0] = *regular;
	fs->face[1] = *bold;
	fs->has_bold = strcmp(regular->file, bold->file) != 0 || regular->index != bold->index;
	/* Open one size now so a broken font file fails at start, not on the first screen. */
	if (!ui_font_get(fs, 32, false)) {
		ui_fonts_free(fs);
		return KIOSK_ENOFONT;
	}
	*out = fs;
	return KIOSK_OK;
}

void ui_fonts_free(struct ui_font_set *fs)
{
	if (!fs)
		return;
	for (int i = 0; i < 2; i++) {
		if (fs->open[i].font)
			TTF_CloseFont(fs->open[i].font);
		if (fs->open[i].map)
			munmap(fs->open[i].map, fs->open[i].len);
	}
	kiosk_free(fs);
}

/* FreeType reads a face through SDL_ttf's stream: from a file that is a seek and a read
 * per glyph outline, and measuring a new string loads every glyph in it. Mapped, a glyph
 * is a copy from the page cache — the first frame of a screen measured twice as fast —
 * and only the pages of glyphs used count towards the kiosk's memory. The map lives as
 * long as the face. A file that cannot be mapped is opened as a file. */
static TTF_Font *open_mapped(const struct ui_font_face *f, int px, void **map, size_t *len)
{
	int fd = open(f->file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0 || (uint64_t)st.st_size > INT_MAX)
		goto out_file;
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto out_file;
	close(fd);
	/* Glyphs are read where they fall: read-ahead around each would map megabytes of
	 * outlines no screen draws. */
	madvise(p, (size_t)st.st_size, MADV_RANDOM);
	SDL_RWops *rw = SDL_RWFromConstMem(p, (int)st.st_size);
	TTF_Font *font = rw ? TTF_OpenFontIndexRW(rw, 1, px, f->index) : NULL;
	if (!font) {
		munmap(p, (size_t)st.st_size);
		return NULL;
	}
	*map = p;
	*len = (size_t)st.st_size;
	return font;
out_file:
	if (fd >= 0)
		close(fd);
	return TTF_OpenFontIndex(f->file, px, f->index);
}

TTF_Font *ui_font_get(struct ui_font_set *fs, int px, bool bold)
{
	const struct ui_font_face *f = &fs->face[bold && fs->has_bold];
	int k = bold ? 1 : 0;
	fs->used = true;
	if (fs->open[k].font) {
		if (fs->open[k].px == px)
			return fs->open[k].font;
		if (TTF_SetFontSize(fs->open[k].font, px) != 0) {
			KLOG_ERROR("font", "event=resize_failed file=%s px=%d err=\"%s\"", f->file,
				   px, TTF_GetError());
			return NULL;
		}
		fs->open[k].px = px;
		fs->resizes++;
		return fs->open[k].font;
	}
	TTF_Font *font = open_mapped(f, px, &fs->open[k].map, &fs->open[k].len);
	if (!font) {
		KLOG_ERROR("font", "event=open_failed file=%s index=%d px=%d err=\"%s\"", f->file,
			   f->index, px, TTF_GetError());
		return NULL;
	}
	if (bold && !fs->has_bold)
		TTF_SetFontStyle(font, TTF_STYLE_BOLD);
	fs->open[k].font = font;
	fs->open[k].px = px;
	return font;
}

bool ui_fonts_tick(struct ui_font_set *fs, int64_t now_ms)
{
	if (fs->used) {
		fs->used = false;
		fs->holding = true;
		fs->used_ms = now_ms;
	} else if (fs->holding && now_ms - fs->used_ms >= KIOSK_CACHE_FONT_QUIET_MS) {
		ui_fonts_give_back(fs);
	}
	return fs->holding;
}

void ui_fonts_give_back(struct ui_font_set *fs)
{
	for (int i = 0; i < 2; i++)
		if (fs->open[i].map)
			madvise(fs->open[i].map, fs->open[i].len, MADV_DONTNEED);
	fs->holding = fs->used = false;
}

void ui_fonts_stat(const struct ui_font_set *fs, struct kiosk_cache_stat *out)
{
	long n = (fs->open[0].font != NULL) + (fs->open[1].font != NULL);
	*out = (struct kiosk_cache_stat){"font faces", n, KIOSK_CACHE_FONT_FACES, 0, 0};
}

unsigned long ui_fonts_resizes(const struct ui_font_set *fs)
{
	return fs->resizes;
}
