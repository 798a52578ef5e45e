#include "screens/ui/scroll.h"
#include "screens/ui/draw.h"

#include <math.h>
#include <stdlib.h>

#define TAU_MS 325.0
#define STOP_V 0.02 /* px/ms: below this the glide ends */

static void clamp(struct ui_scroll *s)
{
	double max = s->content_h > s->view.h ? s->content_h - s->view.h : 0;
	if (s->offset < 0 || s->offset > max) {
		s->offset = s->offset < 0 ? 0 : max;
		s->velocity = 0;
	}
}

void ui_scroll_begin(struct ui *ui, struct ui_scroll *s, SDL_Rect view, int content_h)
{
	s->view = view;
	s->content_h = content_h;
	clamp(s);
	ui->scroll = s;
	SDL_RenderSetClipRect(ui->ren, &view);
}

void ui_scroll_end(struct ui *ui, struct ui_scroll *s)
{
	SDL_RenderSetClipRect(ui->ren, NULL);
	if (s->content_h <= s->view.h)
		return;
	int bar_h = s->view.h * s->view.h / s->content_h;
	if (bar_h < 48)
		bar_h = 48;
	int y = s->view.y + (int)(s->offset * (s->view.h - bar_h) / (s->content_h - s->view.h));
	ui_fill_round(ui, (SDL_Rect){s->view.x + s->view.w - 10, y, 8, bar_h}, 4, UI_C_MUTED);
}

#define TAP_SLOP 16 /* px a finger may wobble and still tap */

void ui_scroll_pointer(struct ui *ui, bool down, int x, int y)
{
	struct ui_scroll *s = ui->scroll;
	SDL_Point p = {x, y};
	if (!s)
		return;
	if (down) {
		if (!SDL_PointInRect(&p, &s->view))
			return;
		s->dragging = true;
		s->moved = 0;
		s->velocity = 0; /* a touch stops a glide, as on a phone */
		s->last_y = y;
		s->last_ms = ui_now_ms(ui);
		return;
	}
	if (s->dragging) {
		s->dragging = false;
		s->last_ms = ui_now_ms(ui);
		ui_dirty(ui);
	}
}

int ui_scroll_motion(struct ui *ui, int x, int y)
{
	(void)x;
	struct ui_scroll *s = ui->scroll;
	if (!s || !s->dragging)
		return 0;
	int64_t now = ui_now_ms(ui);
	double dt = (double)(now - s->last_ms);
	s->offset += s->last_y - y;
	s->moved += abs(s->last_y - y);
	if (s->moved > TAP_SLOP)
		ui->pressed[0] = '\0';
	if (dt > 0)
		s->velocity = (s->last_y - y) / dt;
	s->last_y = y;
	s->last_ms = now;
	clamp(s);
	ui_dirty(ui);
	return 1;
}

void ui_scroll_tick(struct ui *ui)
{
	struct ui_scroll *s = ui->scroll;
	if (!s || s->dragging || fabs(s->velocity) < STOP_V) {
		if (s && !s->dragging)
			s->velocity = 0;
		return;
	}
	int64_t now = ui_now_ms(ui);
	double dt = (double)(now - s->last_ms), k = exp(-dt / TAU_MS);
	s->offset += s->velocity * TAU_MS * (1 - k); /* the integral of the decaying speed */
	s->velocity *= k;
	s->last_ms = now;
	clamp(s);
	ui->animating = true;
	ui_dirty(ui);
}
