#include "screens/ui/handwriting.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>
#include <zinnia.h>

struct ui_hw {
	zinnia_recognizer_t *rec;
	zinnia_character_t *ch;
	int side;                  /* the pad's side, as the points were given */
	int npts, nstrokes;
	bool ignoring;             /* the stroke under way is past the limits */
	int start[UI_HW_MAX_STROKES + 1]; /* stroke s is points start[s] .. start[s + 1] - 1 */
	int pts[UI_HW_MAX_POINTS][2];
};

int ui_hw_open(const char *path, struct ui_hw **out)
{
	*out = NULL;
	path = path ? path : UI_HW_MODEL;
	struct ui_hw *h = kiosk_calloc(1, sizeof *h);
	if (!h)
		return KIOSK_ENOMEM;
	h->rec = zinnia_recognizer_new();
	h->ch = zinnia_character_new();
	if (!h->rec || !h->ch) {
		ui_hw_close(h);
		return KIOSK_ENOMEM;
	}
	if (!zinnia_recognizer_open(h->rec, path)) {
		KLOG_WARN("ui", "event=handwriting_unavailable model=%s why=\"%s\"", path,
			  zinnia_recognizer_strerror(h->rec));
		ui_hw_close(h);
		return KIOSK_ENOENT;
	}
	*out = h;
	return KIOSK_OK;
}

void ui_hw_close(struct ui_hw *h)
{
	if (!h)
		return;
	if (h->ch)
		zinnia_character_destroy(h->ch);
	if (h->rec)
		zinnia_recognizer_destroy(h->rec);
	kiosk_free(h);
}

void ui_hw_clear(struct ui_hw *h)
{
	if (h) {
		h->npts = h->nstrokes = 0;
		h->ignoring = false;
	}
}

void ui_hw_point(struct ui_hw *h, bool start, int x, int y, int side)
{
	if (!h || side <= 0)
		return;
	if (start) { /* past the limits the finger's stroke is not kept, wholly */
		h->ignoring = h->nstrokes >= UI_HW_MAX_STROKES || h->npts >= UI_HW_MAX_POINTS;
		if (h->ignoring)
			return;
		h->start[h->nstrokes++] = h->npts;
	} else if (!h->nstrokes || h->ignoring || h->npts >= UI_HW_MAX_POINTS) {
		return;
	}
	h->side = side;
	h->pts[h->npts][0] = x < 0 ? 0 : x >= side ? side - 1 : x;
	h->pts[h->npts][1] = y < 0 ? 0 : y >= side ? side - 1 : y;
	h->npts++;
	h->start[h->nstrokes] = h->npts;
}

int ui_hw_strokes(const struct ui_hw *h)
{
	return h ? h->nstrokes : 0;
}

int ui_hw_stroke(const struct ui_hw *h, int s, const int (**pts)[2])
{
	if (!h || s < 0 || s >= h->nstrokes)
		return 0;
	*pts = (const int(*)[2])h->pts[h->start[s]];
	return h->start[s + 1] - h->start[s];
}

int ui_hw_candidates(struct ui_hw *h, char (*out)[8], int max)
{
	if (!h || !h->nstrokes || max <= 0)
		return 0;
	zinnia_character_clear(h->ch);
	zinnia_character_set_width(h->ch, (size_t)h->side);
	zinnia_character_set_height(h->ch, (size_t)h->side);
	for (int s = 0; s < h->nstrokes; s++)
		for (int i = h->start[s]; i < h->start[s + 1]; i++)
			zinnia_character_add(h->ch, (size_t)s, h->pts[i][0], h->pts[i][1]);
	zinnia_result_t *r = zinnia_recognizer_classify(h->rec, h->ch, (size_t)max);
	int n = 0;
	for (size_t i = 0; r && i < zinnia_result_size(r) && n < max; i++) {
		const char *v = zinnia_result_value(r, i);
		if (v && strlen(v) < sizeof out[0])
			snprintf(out[n++], sizeof out[0], "%s", v);
	}
	if (r)
		zinnia_result_destroy(r);
	return n;
}
