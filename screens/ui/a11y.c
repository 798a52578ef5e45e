#include "screens/ui/a11y.h"
#include "screens/screen.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static double lin(Uint8 v)
{
	double c = v / 255.0;
	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lum(SDL_Color c)
{
	return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

double ui_contrast(SDL_Color a, SDL_Color b)
{
	double la = lum(a), lb = lum(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The colour under a point: the last opaque fill drawn there, else the page. */
static SDL_Color behind(const struct ui *ui, int x, int y, int upto)
{
	SDL_Point p = {x, y};
	for (int i = upto - 1; i >= 0; i--)
		if (ui->fills[i].c.a == 0xFF && SDL_PointInRect(&p, &ui->fills[i].r))
			return ui->fills[i].c;
	return (SDL_Color){0xF4, 0xF1, 0xEA, 0xFF};
}

/* The tallest band across the screen's own area (below the header and status bar) where
 * nothing is drawn but background: no control, no text, no picture. In percent of that
 * area's height: a flow screen that leaves most of it empty has room for larger keys and
 * choices it does not use. */
static int empty_pct(const struct ui *ui)
{
	int top = ui->content_y, bottom = ui->h, span = bottom - top;
	if (span <= 0)
		return 0;
	/* Mark covered rows; a canvas is at most 1920 tall. */
	static unsigned char rows[UI_REF_H + 1];
	memset(rows, 0, sizeof rows);
	SDL_Rect rs[UI_MAX_WIDGETS + UI_MAX_TEXTS + UI_MAX_FIGURES];
	int n = 0;
	for (int i = 0; i < ui->nwidgets; i++)
		rs[n++] = ui->widgets[i].r;
	for (int i = 0; i < ui->ntexts; i++)
		rs[n++] = ui->textrecs[i].r;
	for (int i = 0; i < ui->nfigures; i++)
		rs[n++] = ui->figures[i];
	for (int i = 0; i < n; i++)
		for (int y = rs[i].y; y < rs[i].y + rs[i].h; y++)
			if (y >= top && y < bottom && y <= UI_REF_H)
				rows[y] = 1;
	int gap = 0, run = 0;
	for (int y = top; y < bottom && y <= UI_REF_H; y++) {
		run = rows[y] ? 0 : run + 1;
		gap = run > gap ? run : gap;
	}
	return gap * 100 / span;
}

void ui_a11y_record(struct ui *ui)
{
	const struct screen *s = ui_nav_current(ui);
	if (!ui->a11y || !s)
		return;
	/* One record per state a resident can meet: the screen, the mode, and which
	 * controls it shows (a fee step and a code step of one screen are two states). */
	uint32_t h = 2166136261u;
	for (int i = ui->modal_from; i < ui->nwidgets; i++)
		for (const char *p = ui->widgets[i].id; *p; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
	char key[128];
	snprintf(key, sizeof key, "|%s/%s/%d/%d/%08x/%s|", s->name, ui->lang == UI_EN ? "en" : "zh",
		 ui->elderly, ui->dialog.open, (unsigned)h, ui->variant);
	if (strstr(ui->a11y_seen, key))
		return;
	if (strlen(ui->a11y_seen) + strlen(key) < sizeof ui->a11y_seen)
		strcat(ui->a11y_seen, key);
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "screen", s->name);
	cJSON_AddStringToObject(r, "audience", s->flags & UI_SCREEN_OPERATOR ? "operator" : "resident");
	cJSON_AddStringToObject(r, "lang", ui->lang == UI_EN ? "en" : "zh");
	cJSON_AddStringToObject(r, "variant", ui->variant);
	cJSON_AddBoolToObject(r, "elderly", ui->elderly);
	cJSON_AddBoolToObject(r, "elderly_reachable", !(s->flags & UI_SCREEN_NO_ELDERLY));
	cJSON_AddBoolToObject(r, "elderly_only", (s->flags & UI_SCREEN_ELDERLY_ONLY) != 0);
	cJSON_AddBoolToObject(r, "dialog", ui->dialog.open);
	/* A way on or away: back, a declared exit, a dialog's own buttons; home is the root. */
	/* (While a door or a request is under way the screen moves on by itself.) */
	bool exit = ui->depth <= 1 || (ui->dialog.open && ui->nwidgets > ui->modal_from) ||
		    (s->busy && s->busy(ui));
	for (int i = ui->modal_from; i < ui->nwidgets && !exit; i++) {
		const char *id = ui->widgets[i].id;
		exit = strcmp(id, "nav.back") == 0 || strcmp(id, "status.problem") == 0;
		for (const char *const *e = s->exits; e && *e && !exit; e++)
			exit = strcmp(id, *e) == 0 && !ui->widgets[i].disabled;
	}
	cJSON_AddBoolToObject(r, "exit", exit);
	/* where doors, payments or codes are handled, 遇到问题 must be on screen */
	bool problem = false;
	for (int i = 0; i < ui->nwidgets && !problem; i++)
		problem = strcmp(ui->widgets[i].id, "status.problem") == 0;
	cJSON_AddBoolToObject(r, "trouble", (s->flags & UI_SCREEN_TROUBLE) != 0);
	cJSON_AddBoolToObject(r, "problem_button", problem);
	cJSON_AddNumberToObject(r, "empty_pct", empty_pct(ui));
	static const char *const roles[] = {"button", "toggle", "key", "field"};
	cJSON *ws = cJSON_AddArrayToObject(r, "widgets");
	for (int i = ui->modal_from; i < ui->nwidgets; i++) {
		const struct ui_widget *w = &ui->widgets[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", w->id);
		cJSON_AddStringToObject(o, "role", roles[w->role]);
		cJSON_AddNumberToObject(o, "x", w->r.x);
		cJSON_AddNumberToObject(o, "y", w->r.y);
		cJSON_AddNumberToObject(o, "w", w->r.w);
		cJSON_AddNumberToObject(o, "h", w->r.h);
		cJSON_AddBoolToObject(o, "disabled", w->disabled);
		cJSON_AddItemToArray(ws, o);
	}
	/* With a dialog open only what is drawn on top of the dim layer counts. */
	cJSON *ts = cJSON_AddArrayToObject(r, "texts");
	for (int i = ui->texts_from; i < ui->ntexts; i++) {
		const struct ui_textrec *t = &ui->textrecs[i];
		if (t->hidden)
			continue;
		int cx = t->r.x + t->r.w / 2, cy = t->r.y + t->r.h / 2;
		SDL_Color bg = behind(ui, cx, cy, ui->nfills);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "text", t->text);
		cJSON_AddNumberToObject(o, "x", t->r.x);
		cJSON_AddNumberToObject(o, "y", t->r.y);
		cJSON_AddNumberToObject(o, "w", t->r.w);
		cJSON_AddNumberToObject(o, "h", t->r.h);
		cJSON_AddNumberToObject(o, "px", t->px);
		cJSON_AddNumberToObject(o, "contrast",
					round(ui_contrast(t->fg, bg) * 100) / 100);
		cJSON_AddBoolToObject(o, "cut", t->cut);
		cJSON_AddBoolToObject(o, "overflow", t->overflow);
		cJSON_AddBoolToObject(o, "offscreen",
				      t->r.x < 0 || t->r.y < 0 || t->r.x + t->r.w > ui->w ||
					      t->r.y + t->r.h > ui->h);
		cJSON_AddItemToArray(ts, o);
	}
	char *line = cJSON_PrintUnformatted(r);
	if (line) {
		fprintf(ui->a11y, "%s\n", line);
		fflush(ui->a11y);
	}
	cJSON_free(line);
	cJSON_Delete(r);
}
