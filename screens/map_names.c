#include "screens/map_names.h"
#include "screens/ui/draw.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A street's straight stretches, in the order its segments come: segments of one name
 * meeting end to start, while every point between stays within 4 m of the line from the
 * first to the last (a name drawn along that line then lies on the street). Built once
 * per neighbourhood; a name is drawn along one of them. */
struct run {
	int name;
	double lat0, lon0, lat1, lon1;
};
struct map_names {
	struct run *runs;
	size_t nruns;
};

#define RUN_MAX_POINTS 64

/* Metres from point p to the line a→b (local flat coordinates, metres). */
static double off_line(double ax, double ay, double bx, double by, double px, double py)
{
	double dx = bx - ax, dy = by - ay, l = hypot(dx, dy);
	return l > 0 ? fabs((px - ax) * dy - (py - ay) * dx) / l : hypot(px - ax, py - ay);
}

int map_names_build(const struct kiosk_neighbourhood *nb, double kx, struct map_names **out)
{
	*out = NULL;
	struct map_names *mn = calloc(1, sizeof *mn);
	size_t n = nb->nsegments;
	if (!mn || (n && !(mn->runs = malloc(n * sizeof *mn->runs)))) {
		free(mn);
		return KIOSK_ENOMEM;
	}
	const struct kiosk_segment *seg = nb->segments;
	double px[RUN_MAX_POINTS + 1], py[RUN_MAX_POINTS + 1];
	for (size_t i = 0; i < n;) {
		if (seg[i].name < 0) {
			i++;
			continue;
		}
		struct run r = {seg[i].name, seg[i].lat0, seg[i].lon0, seg[i].lat1, seg[i].lon1};
		int np = 2;
		px[0] = 0;
		py[0] = 0;
		px[1] = (r.lon1 - r.lon0) * kx;
		py[1] = (r.lat1 - r.lat0) * 110540.0;
		size_t j = i + 1;
		for (; j < n && seg[j].name == r.name && np <= RUN_MAX_POINTS; j++) {
			double la, lo;
			if (seg[j].lat0 == r.lat1 && seg[j].lon0 == r.lon1)
				la = seg[j].lat1, lo = seg[j].lon1;
			else if (seg[j].lat1 == r.lat1 && seg[j].lon1 == r.lon1)
				la = seg[j].lat0, lo = seg[j].lon0;
			else
				break;
			double x = (lo - r.lon0) * kx, y = (la - r.lat0) * 110540.0;
			bool straight = true;
			for (int q = 1; q < np && straight; q++)
				straight = off_line(0, 0, x, y, px[q], py[q]) <= 4.0;
			if (!straight)
				break;
			px[np] = x;
			py[np++] = y;
			r.lat1 = la;
			r.lon1 = lo;
		}
		mn->runs[mn->nruns++] = r;
		i = j;
	}
	*out = mn;
	return KIOSK_OK;
}

void map_names_free(struct map_names *mn)
{
	if (!mn)
		return;
	free(mn->runs);
	free(mn);
}

/* Liang–Barsky: the part of a→b inside r; false when none. */
static bool clip(SDL_Rect r, float *x0, float *y0, float *x1, float *y1)
{
	float dx = *x1 - *x0, dy = *y1 - *y0, t0 = 0, t1 = 1;
	float p[4] = {-dx, dx, -dy, dy};
	float q[4] = {*x0 - (float)r.x, (float)(r.x + r.w) - *x0, *y0 - (float)r.y,
		      (float)(r.y + r.h) - *y0};
	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return false;
			continue;
		}
		float t = q[i] / p[i];
		if (p[i] < 0)
			t0 = t > t0 ? t : t0;
		else
			t1 = t < t1 ? t : t1;
	}
	if (t0 > t1)
		return false;
	float ax = *x0 + t0 * dx, ay = *y0 + t0 * dy;
	*x1 = *x0 + t1 * dx;
	*y1 = *y0 + t1 * dy;
	*x0 = ax;
	*y0 = ay;
	return true;
}

void map_names_draw(struct ui *ui, const struct map_names *mn,
		    const struct kiosk_neighbourhood *nb, SDL_Rect view, map_project_fn project,
		    const SDL_Rect *avoid, int navoid)
{
	static SDL_Rect placed[512];
	int np = 0, px = ui_text_px(ui, 28);
	SDL_Rect inner = ui_inset(view, 12);
	for (size_t k = 0; mn && k < nb->nnames; k++) {
		const char *name =
			ui->lang == UI_EN && nb->names_en[k][0] ? nb->names_en[k] : nb->names[k];
		struct {
			float x0, y0, x1, y1, len;
		} best[3] = {{0}};
		for (size_t i = 0; i < mn->nruns; i++) {
			const struct run *r = &mn->runs[i];
			if (r->name != (int)k)
				continue;
			float x0, y0, x1, y1;
			project(r->lat0, r->lon0, &x0, &y0);
			project(r->lat1, r->lon1, &x1, &y1);
			if (!clip(inner, &x0, &y0, &x1, &y1))
				continue;
			float len = hypotf(x1 - x0, y1 - y0);
			for (int b = 0; b < 3; b++)
				if (len > best[b].len) {
					memmove(&best[b + 1], &best[b], sizeof best[0] * (size_t)(2 - b));
					best[b].x0 = x0, best[b].y0 = y0, best[b].x1 = x1, best[b].y1 = y1;
					best[b].len = len;
					break;
				}
		}
		bool done = false;
		for (int b = 0; b < 3 && !done && best[b].len > 0; b++) {
			float dx = best[b].x1 - best[b].x0, dy = best[b].y1 - best[b].y0;
			float ang = atan2f(dy, dx); /* read left to right: within ±90° */
			if (ang > (float)M_PI / 2)
				ang -= (float)M_PI;
			else if (ang <= -(float)M_PI / 2)
				ang += (float)M_PI;
			float need = ui_text_along_len(ui, name, px, ang) + 24;
			if (need <= 24 || best[b].len < need)
				continue;
			/* from the middle outwards, a third of the name's length at a time: its
			 * boxes laid out once at the middle, moved along for each try */
			float mx = best[b].x0 + dx / 2, my = best[b].y0 + dy / 2;
			SDL_Rect box0[32], box[32];
			int nbox = ui_text_along_boxes(ui, name, px, mx, my, ang, box0, 32);
			float slack = best[b].len - need, stepf = need / 3;
			int tries = 1 + 2 * (int)(slack / 2 / stepf);
			for (int a = 0; a < tries && a < 41 && !done; a++) {
				float off = (float)((a + 1) / 2) * stepf * (a % 2 ? -1.0f : 1.0f);
				float cx = mx + dx / best[b].len * off, cy = my + dy / best[b].len * off;
				bool ok = nbox > 0 && np + nbox <= (int)(sizeof placed / sizeof placed[0]);
				for (int i = 0; i < nbox && ok; i++) {
					box[i] = box0[i];
					box[i].x += (int)lroundf(cx - mx);
					box[i].y += (int)lroundf(cy - my);
					SDL_Rect pad = ui_inset(box[i], -4);
					for (int j = 0; j < navoid && ok; j++)
						ok = !SDL_HasIntersection(&pad, &avoid[j]);
					for (int j = 0; j < np && ok; j++)
						ok = !SDL_HasIntersection(&pad, &placed[j]);
				}
				if (!ok)
					continue;
				memcpy(&placed[np], box, sizeof box[0] * (size_t)nbox);
				np += nbox;
				ui_text_along(ui, name, px, UI_C_INK, UI_C_WHITE, cx, cy, ang);
				done = true;
			}
		}
	}
}

