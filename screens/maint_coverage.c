/* Maintenance → 一刻钟达标: does this neighbourhood meet the quarter-hour standard? The
 * coverage report's table (a row an item: its minutes, the share of residents within,
 * p50 / p90, the minutes from this kiosk, the residents' wishes), 补什么, and the heat of
 * the item tapped on the vector map: every street by the minutes to the nearest place, the
 * residents outside marked. The core works it out on its worker (KIOSK_CMD_COVERAGE, up to
 * a second on a large map); this page shows what is true meanwhile ("working it out"), and
 * lets the view go when it leaves. Operators only: residents and 长辈模式 never reach it. */
#include "screens/ui/draw.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "kiosk/coverage_view.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	const struct kiosk_coverage_view *v; /* held */
	uint32_t seen;                       /* the core's view count last taken */
	int asked;                           /* the item asked for (-1: the first to add) */
} m;

static void ask(struct ui *ui, int item)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_COVERAGE};
	snprintf(cmd.u.coverage.operator_id, sizeof cmd.u.coverage.operator_id, "%s",
		 ui->operator_id);
	cmd.u.coverage.item = item;
	m.asked = item;
	if (kiosk_core_submit(ui->core, &cmd, NULL) != KIOSK_OK)
		ui_toast(ui, "cov.busy");
}

static void cov_enter(struct ui *ui)
{
	m.v = NULL;
	m.seen = ui->snap.coverage_views;
	ask(ui, -1);
}

static void cov_leave(struct ui *ui)
{
	kiosk_coverage_view_put(m.v);
	m.v = NULL;
	kiosk_core_submit(ui->core,
			  &(const struct kiosk_cmd){.type = KIOSK_CMD_COVERAGE,
						    .u.coverage.item = KIOSK_COVERAGE_DROP},
			  NULL);
}

static void cov_tick(struct ui *ui)
{
	if (ui->snap.coverage_views == m.seen)
		return;
	m.seen = ui->snap.coverage_views;
	kiosk_coverage_view_put(m.v);
	m.v = kiosk_core_coverage(ui->core);
	ui_dirty(ui);
}

static int cov_event(struct ui *ui, const struct ui_event *ev)
{
	if (strcmp(ev->id, "cov.again") == 0) {
		ask(ui, m.v ? m.v->item : -1);
		return 1;
	}
	if (strncmp(ev->id, "cov.item.", 9) != 0 || !m.v)
		return 0;
	int i = kiosk_coverage_find(m.v, ev->id + 9);
	if (i >= 0 && i != m.v->item && !ui->snap.coverage_working)
		ask(ui, i);
	return 1;
}

/* "4.9" minutes, or "—" where there is none. */
static void mins(char *out, size_t cap, double s)
{
	if (s < 0)
		snprintf(out, cap, "—");
	else
		snprintf(out, cap, "%.1f", s / 60);
}

/* The table: a header, then a row an item (tapping one shows its heat). */
static void draw_table(struct ui *ui, SDL_Rect r)
{
	const struct kiosk_coverage_view *rep = m.v;
	static const char *const head[] = {"cov.col_item", "cov.col_std",  "cov.col_within",
					   "cov.col_p50",  "cov.col_p90",  "cov.col_kiosk",
					   "cov.col_wishes"};
	static const int share[] = {34, 10, 14, 10, 10, 11, 11}; /* % of the width */
	int px = ui_text_px(ui, 24), rh = (r.h - 8) / (rep->nitems + 1);
	rh = rh > px * 2 + 8 ? px * 2 + 8 : rh;
	int x[8] = {r.x};
	for (int c = 0; c < 7; c++)
		x[c + 1] = x[c] + r.w * share[c] / 100;
	for (int c = 0; c < 7; c++)
		ui_text(ui, ui_tr(ui, head[c]), px, UI_C_MUTED, true, c ? x[c + 1] - 8 : x[c] + 8,
			r.y + (rh - px) / 2, c ? UI_ALIGN_RIGHT : UI_ALIGN_LEFT);
	bool en = ui->lang == UI_EN;
	for (int i = 0; i < rep->nitems; i++) {
		const struct kiosk_coverage_item *it = &rep->items[i], *cv = it;
		SDL_Rect row = {r.x, r.y + rh * (i + 1), r.w, rh};
		bool sel = i == m.v->item;
		if (sel)
			ui_fill(ui, row, (SDL_Color){0xDD, 0xEB, 0xF5, 0xFF});
		char id[48], cell[7][64];
		snprintf(id, sizeof id, "cov.item.%s", it->id);
		ui_widget_add(ui, id, en ? it->name_en : it->name_zh, row, UI_ROLE_BUTTON);
		snprintf(cell[0], sizeof cell[0], "%s", en ? it->name_en : it->name_zh);
		snprintf(cell[1], sizeof cell[1], "%d", it->minutes);
		if (!cv->places) {
			snprintf(cell[2], sizeof cell[2], "%s", ui_tr(ui, "cov.none_here"));
			cell[3][0] = cell[4][0] = cell[5][0] = '\0';
		} else {
			snprintf(cell[2], sizeof cell[2], "%.0f%%", cv->share * 100);
			mins(cell[3], sizeof cell[3], cv->p50_s);
			mins(cell[4], sizeof cell[4], cv->p90_s);
			mins(cell[5], sizeof cell[5], cv->from_kiosk_s);
		}
		snprintf(cell[6], sizeof cell[6], "%ld", it->wishes);
		bool short_ = cv->places && cv->share < 1;
		int y = row.y + (rh - px) / 2;
		for (int c = 0; c < 7; c++)
			ui_text(ui, cell[c], px,
				(c == 2 && (short_ || !cv->places)) ? UI_C_ALERT : UI_C_INK, sel && !c,
				c ? x[c + 1] - 8 : x[c] + 8, y, c ? UI_ALIGN_RIGHT : UI_ALIGN_LEFT);
	}
}

/* The heat of the selected item, fitted into r: streets, residents outside, places, the
 * kiosk as a ring. */
static void draw_heat(struct ui *ui, SDL_Rect r)
{
	const struct kiosk_coverage_view *v = m.v;
	ui_fill(ui, r, (SDL_Color){0xEE, 0xEB, 0xE3, 0xFF});
	ui_figure(ui, r);
	float k = fminf((float)(r.w - 32) / fmaxf(v->w_m, 1), (float)(r.h - 32) / fmaxf(v->h_m, 1));
	float ox = (float)r.x + ((float)r.w - v->w_m * k) / 2;
	float oy = (float)r.y + ((float)r.h + v->h_m * k) / 2; /* north up */
	static SDL_Vertex *vx;
	static size_t cap;
	size_t need = (v->nsegs + 48) * 6;
	if (need > cap) {
		SDL_Vertex *nv = realloc(vx, need * sizeof *nv);
		if (!nv)
			return;
		vx = nv;
		cap = need;
	}
	float w = fmaxf(3, fminf(10, 12 * k));
	size_t n = 0;
	for (size_t i = 0; i < v->nsegs; i++) {
		const struct kiosk_heat_seg *s = &v->segs[i];
		unsigned char c[3];
		kiosk_coverage_shade(s->s0 < 0 || s->s1 < 0 ? -1 : (s->s0 + s->s1) / 2,
				     v->threshold_s, c);
		ui_quad(&vx[n], ox + s->x0 * k, oy - s->y0 * k, ox + s->x1 * k, oy - s->y1 * k, w,
			(SDL_Color){c[0], c[1], c[2], 0xFF});
		n += 6;
	}
	for (int a = 0; a < 48; a++, n += 6) { /* the kiosk: a ring */
		float a0 = (float)a * 7.5f * (float)M_PI / 180, a1 = a0 + 7.5f * (float)M_PI / 180;
		float kx = ox + v->kiosk_x * k, ky = oy - v->kiosk_y * k;
		ui_quad(&vx[n], kx + 16 * cosf(a0), ky + 16 * sinf(a0), kx + 16 * cosf(a1),
			ky + 16 * sinf(a1), 4, UI_C_INK);
	}
	SDL_RenderSetClipRect(ui->ren, &r);
	SDL_RenderGeometry(ui->ren, NULL, vx, (int)n, NULL, 0);
	SDL_SetRenderDrawColor(ui->ren, 0xC0, 0x39, 0x2B, 0xFF);
	for (size_t i = 0; i < v->nres; i++)
		if (v->res[i].s < 0 || v->res[i].s > v->threshold_s)
			SDL_RenderFillRectF(ui->ren, &(SDL_FRect){ox + v->res[i].x * k - 5,
								   oy - v->res[i].y * k - 5, 10, 10});
	SDL_SetRenderDrawColor(ui->ren, 0x1B, 0x1F, 0x24, 0xFF);
	for (size_t i = 0; i < v->nplaces; i++)
		SDL_RenderFillRectF(ui->ren, &(SDL_FRect){ox + v->places[i].x * k - 8,
							   oy - v->places[i].y * k - 8, 16, 16});
	SDL_RenderSetClipRect(ui->ren, NULL);
}

/* What the page says on top: how residents were counted, 补什么, and what the map shows. */
static void draw_words(struct ui *ui, SDL_Rect *rest)
{
	const struct kiosk_coverage_view *rep = m.v;
	bool en = ui->lang == UI_EN;
	char line[512];
	int px = ui_text_px(ui, 26);
	static const char *const rules[][2] = {{"buildings", "cov.rule_buildings"},
					       {"land", "cov.rule_land"},
					       {"buildings_and_land", "cov.rule_both"},
					       {"street_nodes", "cov.rule_nodes"}};
	const char *rule = "cov.rule_nodes";
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strcmp(rep->rule, rules[i][0]) == 0)
			rule = rules[i][1];
	snprintf(line, sizeof line, "%zu %s%s", rep->residences, ui_tr(ui, "cov.residences"),
		 ui_tr(ui, rule));
	ui_label(ui, line, px, UI_C_INK, false,
		 ui_take_top(rest, ui_label_height(ui, line, px, false, rest->w), 8), false);
	int n = snprintf(line, sizeof line, "%s%s", ui_tr(ui, "cov.gaps"), ui_tr(ui, "punct.colon"));
	for (int k = 0; k < rep->ngaps && n < (int)sizeof line; k++) {
		const struct kiosk_coverage_item *it = &rep->items[rep->gaps[k]];
		n += snprintf(line + n, sizeof line - (size_t)n, "%s%s", k ? ui_tr(ui, "punct.list") : "",
			      en ? it->name_en : it->name_zh);
	}
	if (!rep->ngaps && n < (int)sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, "%s", ui_tr(ui, "cov.gaps_none"));
	ui_label(ui, line, px, rep->ngaps ? UI_C_ALERT : UI_C_INK, true,
		 ui_take_top(rest, ui_label_height(ui, line, px, true, rest->w), 8), false);
}

static void cov_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 32);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 52) + 16, 8);
	ui_text_fit(ui, ui_tr(ui, "maint.coverage"), ui_text_px(ui, 52), 40, UI_C_INK, true, t);
	SDL_Rect bar = ui_take_bottom(&rest, ui_control_h(ui), 24);
	ui_button(ui, "nav.back", ui_grid_cell(bar, 2, 1, 24, 0), "nav.back", UI_C_MUTED);
	ui_button_state(ui, "cov.again", ui_grid_cell(bar, 2, 1, 24, 1), "cov.again", UI_C_HEADER,
			!ui->snap.coverage_working);
	if (!m.v) {
		if (ui->snap.coverage_error[0] && !ui->snap.coverage_working) {
			char line[256]; /* (no map: said in the page's language; else the why) */
			if (ui->snap.coverage_rc == KIOSK_ENOENT)
				snprintf(line, sizeof line, "%s", ui_tr(ui, "cov.no_map"));
			else
				snprintf(line, sizeof line, "%s%s", ui_tr(ui, "cov.failed"),
					 ui->snap.coverage_error);
			ui_label(ui, line, ui_text_px(ui, 32), UI_C_ALERT, false, rest, false);
		} else {
			ui_wait(ui, rest, ui_tr(ui, "cov.working"));
		}
		return;
	}
	draw_words(ui, &rest);
	bool wide = ui->landscape;
	SDL_Rect table;
	if (wide) { /* the table left, the map right */
		table = (SDL_Rect){rest.x, rest.y, rest.w * 11 / 20, rest.h};
		rest.x += table.w + 24;
		rest.w -= table.w + 24;
	} else {
		table = ui_take_top(&rest, (m.v->nitems + 1) * (ui_text_px(ui, 24) * 2 + 8) + 8,
				    16);
	}
	ui_fill_round(ui, table, 16, UI_C_PANEL);
	draw_table(ui, table);
	const struct kiosk_coverage_item *it = &m.v->items[m.v->item];
	char legend[320];
	snprintf(legend, sizeof legend, "%s · %d%s%s%s", ui->lang == UI_EN ? it->name_en : it->name_zh,
		 it->minutes, ui_tr(ui, "unit.min"), ui_tr(ui, "punct.colon"), ui_tr(ui, "cov.legend"));
	int px = ui_text_px(ui, 22);
	ui_label(ui, legend, px, UI_C_MUTED, false,
		 ui_take_bottom(&rest, ui_label_height(ui, legend, px, false, rest.w), 8), false);
	if (ui->snap.coverage_working)
		ui_text(ui, ui_tr(ui, "cov.working"), px, UI_C_MUTED, false, rest.x + 8, rest.y + 8,
			UI_ALIGN_LEFT);
	draw_heat(ui, rest);
}

const struct screen ui_screen_maint_coverage = {
	.name = "maint_coverage",
	.flags = UI_SCREEN_OPERATOR,
	.idle_s = 120,
	.enter = cov_enter,
	.leave = cov_leave,
	.event = cov_event,
	.draw = cov_draw,
	.tick = cov_tick,
};
