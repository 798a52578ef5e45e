/* Reads the --a11y-report files of the UI scripts and fails when a resident screen has a
 * control under 48 px (72 px in 长辈模式), text under 28 px (40 px) or text contrast
 * under 4.5:1 (WCAG 2 AA), is a dead end (no back, no declared way on), or shows a
 * control in 长辈模式 lower than the same control of the same screen in the normal mode
 * — 长辈模式 grows what matters, never shrinks it — or leaves a third of its height
 * empty. Operator screens
 * are reported, not held to the rules. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY_MAX_PCT 30

/* Every resident control seen: the largest in the normal mode, the smallest in 长辈模式. */
struct size_rec {
	char key[160]; /* screen|id|lang */
	int norm_h, norm_area, old_h, old_area; /* -1: not seen in that mode */
};
static struct size_rec *sizes;
static int nsizes, capsizes;

static void note_size(const char *screen, const char *id, const char *lang,
		      const char *variant, int elderly, int w, int h)
{
	char key[160];
	snprintf(key, sizeof key, "%s|%s|%s%s%s", screen, id, lang, variant[0] ? "|" : "", variant);
	struct size_rec *r = NULL;
	for (int i = 0; i < nsizes && !r; i++)
		if (strcmp(sizes[i].key, key) == 0)
			r = &sizes[i];
	if (!r) {
		if (nsizes == capsizes) {
			capsizes = capsizes ? capsizes * 2 : 256;
			sizes = realloc(sizes, (size_t)capsizes * sizeof *sizes);
			if (!sizes)
				exit(2);
		}
		r = &sizes[nsizes++];
		snprintf(r->key, sizeof r->key, "%s", key);
		r->norm_h = r->norm_area = r->old_h = r->old_area = -1;
	}
	if (!elderly) {
		if (h > r->norm_h)
			r->norm_h = h;
		if (w * h > r->norm_area)
			r->norm_area = w * h;
	} else {
		if (r->old_h < 0 || h < r->old_h)
			r->old_h = h;
		if (r->old_area < 0 || w * h < r->old_area)
			r->old_area = w * h;
	}
}

/* Which resident screens the scripts showed in which mode: each must be seen in zh,
 * in en, and in 长辈模式 (where it is reachable there), or the rules above saw too little. */
struct cover {
	char screen[48];
	bool zh, en, old, old_reachable;
};
static struct cover covers[64];
static int ncovers;

/* A visit: its language counts for the normal mode's coverage, except on a screen that
 * exists only in 长辈模式, whose visits there count for both. */
static void note_cover(const char *screen, const char *lang, int elderly, bool reachable,
		       bool elderly_only)
{
	struct cover *c = NULL;
	for (int i = 0; i < ncovers && !c; i++)
		if (strcmp(covers[i].screen, screen) == 0)
			c = &covers[i];
	if (!c && ncovers < 64) {
		c = &covers[ncovers++];
		snprintf(c->screen, sizeof c->screen, "%s", screen);
	}
	if (!c)
		return;
	c->old_reachable = reachable;
	if (elderly)
		c->old = true;
	if (elderly && !elderly_only)
		return;
	if (strcmp(lang, "en") == 0)
		c->en = true;
	else
		c->zh = true;
}

static int check_line(const char *file, const char *line, int *states)
{
	cJSON *r = cJSON_Parse(line);
	if (!r) {
		fprintf(stderr, "%s: not JSON: %.60s\n", file, line);
		return 1;
	}
	int bad = 0;
	const char *screen = cJSON_GetStringValue(cJSON_GetObjectItem(r, "screen"));
	const char *aud = cJSON_GetStringValue(cJSON_GetObjectItem(r, "audience"));
	const char *lang = cJSON_GetStringValue(cJSON_GetObjectItem(r, "lang"));
	int elderly = cJSON_IsTrue(cJSON_GetObjectItem(r, "elderly"));
	if (!screen || !aud || !lang) {
		cJSON_Delete(r);
		return 1;
	}
	(*states)++;
	if (strcmp(aud, "resident") == 0) {
		note_cover(screen, lang, elderly,
			   !cJSON_IsFalse(cJSON_GetObjectItem(r, "elderly_reachable")),
			   cJSON_IsTrue(cJSON_GetObjectItem(r, "elderly_only")));
		int min_ctl = elderly ? 72 : 48, min_txt = elderly ? 40 : 28;
		if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "exit"))) {
			fprintf(stderr, "%s: %s [%s%s] is a dead end: no back and no way on\n", file,
				screen, lang, elderly ? ", 长辈模式" : "");
			bad++;
		}
		if (cJSON_IsTrue(cJSON_GetObjectItem(r, "trouble")) &&
		    !cJSON_IsTrue(cJSON_GetObjectItem(r, "problem_button"))) {
			fprintf(stderr, "%s: %s [%s%s] handles a door, a payment or a code and "
					"offers no 遇到问题\n", file, screen, lang,
				elderly ? ", 长辈模式" : "");
			bad++;
		}
		/* Layouts use the height: a band of nothing taller than a third of the screen
		 * is room a larger keypad or larger choices should have taken. */
		int empty = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "empty_pct"));
		if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "dialog")) && empty > EMPTY_MAX_PCT) {
			fprintf(stderr, "%s: %s [%s%s] leaves %d%% of its height empty (max %d%%)\n",
				file, screen, lang, elderly ? ", 长辈模式" : "", empty,
				EMPTY_MAX_PCT);
			bad++;
		}
		const cJSON *w;
		cJSON_ArrayForEach(w, cJSON_GetObjectItem(r, "widgets"))
		{
			int ww = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(w, "w"));
			int hh = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(w, "h"));
			const char *wid = cJSON_GetStringValue(cJSON_GetObjectItem(w, "id"));
			const char *variant =
				cJSON_GetStringValue(cJSON_GetObjectItem(r, "variant"));
			if (wid)
				note_size(screen, wid, lang, variant ? variant : "", elderly, ww, hh);
			if (ww < min_ctl || hh < min_ctl) {
				fprintf(stderr, "%s: %s [%s%s] control %s is %dx%d, under %d px\n", file,
					screen, lang, elderly ? ", 长辈模式" : "",
					cJSON_GetStringValue(cJSON_GetObjectItem(w, "id")), ww, hh,
					min_ctl);
				bad++;
			}
		}
		/* Targets apart: a finger on one never lands on another (a chosen pin under
		 * the map's zoom buttons was one). */
		const cJSON *a, *b;
		cJSON_ArrayForEach(a, cJSON_GetObjectItem(r, "widgets"))
		{
			for (b = a->next; b; b = b->next) {
				int ax = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "x"));
				int ay = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "y"));
				int aw = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "w"));
				int ah = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "h"));
				int bx = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(b, "x"));
				int by = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(b, "y"));
				int bw = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(b, "w"));
				int bh = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(b, "h"));
				if (ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah) {
					fprintf(stderr, "%s: %s [%s%s] %s and %s overlap\n", file, screen,
						lang, elderly ? ", 长辈模式" : "",
						cJSON_GetStringValue(cJSON_GetObjectItem(a, "id")),
						cJSON_GetStringValue(cJSON_GetObjectItem(b, "id")));
					bad++;
				}
			}
		}
		/* One action bar: back is the leftmost control of its row. */
		const cJSON *back = NULL, *o;
		cJSON_ArrayForEach(w, cJSON_GetObjectItem(r, "widgets"))
		{
			const char *wid = cJSON_GetStringValue(cJSON_GetObjectItem(w, "id"));
			if (wid && strcmp(wid, "nav.back") == 0)
				back = w;
		}
		const cJSON *row = back ? cJSON_GetObjectItem(r, "widgets") : NULL;
		cJSON_ArrayForEach(o, row)
		{
			int by = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(back, "y"));
			int bx = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(back, "x"));
			int oy = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "y"));
			int ox = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "x"));
			if (o != back && abs(oy - by) < 4 && ox < bx) {
				fprintf(stderr, "%s: %s [%s%s] %s is left of back: back goes bottom left\n",
					file, screen, lang, elderly ? ", 长辈模式" : "",
					cJSON_GetStringValue(cJSON_GetObjectItem(o, "id")));
				bad++;
			}
		}
		const cJSON *t;
		cJSON_ArrayForEach(t, cJSON_GetObjectItem(r, "texts"))
		{
			int px = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(t, "px"));
			double c = cJSON_GetNumberValue(cJSON_GetObjectItem(t, "contrast"));
			const char *txt = cJSON_GetStringValue(cJSON_GetObjectItem(t, "text"));
			if (px < min_txt || c < 4.5) {
				fprintf(stderr, "%s: %s [%s%s] text \"%s\": %d px, contrast %.2f\n", file,
					screen, lang, elderly ? ", 长辈模式" : "", txt ? txt : "", px, c);
				bad++;
			}
			static const char *const fit[] = {"cut", "overflow", "offscreen"};
			for (int k = 0; k < 3; k++) {
				if (cJSON_IsTrue(cJSON_GetObjectItem(t, fit[k]))) {
					fprintf(stderr, "%s: %s [%s%s] text \"%s\" does not fit: %s\n",
						file, screen, lang, elderly ? ", 长辈模式" : "",
						txt ? txt : "", fit[k]);
					bad++;
				}
			}
		}
	}
	cJSON_Delete(r);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0, states = 0, files = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		if (!f)
			continue; /* a script that failed early wrote none; it fails on its own */
		files++;
		char *line = NULL;
		size_t cap = 0;
		while (getline(&line, &cap, f) > 0)
			bad += check_line(argv[i], line, &states);
		free(line);
		fclose(f);
	}
	for (int i = 0; i < nsizes; i++) {
		const struct size_rec *r = &sizes[i];
		if (r->norm_h < 0 || r->old_h < 0)
			continue;
		/* Height: a control's width follows its row (one state may give it the whole row,
		 * another half), its height is what the mode promises. */
		if (r->old_h < r->norm_h) {
			fprintf(stderr, "%s: lower in 长辈模式 (%d px < %d px)\n", r->key, r->old_h,
				r->norm_h);
			bad++;
		}
	}
	free(sizes);
	for (int i = 0; i < ncovers; i++) {
		const struct cover *c = &covers[i];
		if (!c->zh || !c->en || (c->old_reachable && !c->old)) {
			fprintf(stderr, "%s: not visited in%s%s%s by any script\n", c->screen,
				c->zh ? "" : " 中文", c->en ? "" : " English",
				c->old_reachable && !c->old ? " 长辈模式" : "");
			bad++;
		}
	}
	printf("a11y: %d screen states in %d reports, %d problems\n", states, files, bad);
	return bad || states == 0 ? 1 : 0;
}
