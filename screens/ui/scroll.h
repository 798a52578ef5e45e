/* A vertical scrolling area with momentum: drag with a finger, let go and it glides to a
 * stop (v(t) = v0·e^(-t/τ), τ = 325 ms, as phones do), bounded at both ends. The state is
 * the screen's; the shell routes drags to the area drawn last frame. */
#ifndef KIOSK_SCREENS_SCROLL_H
#define KIOSK_SCREENS_SCROLL_H

#include "screens/ui.h"

struct ui_scroll {
	double offset;   /* px scrolled down from the top */
	double velocity; /* px per ms; positive scrolls down */
	int content_h;
	SDL_Rect view;
	bool dragging;
	int moved; /* px moved in this drag: past a few, it is a scroll, not a tap */
	int last_y;
	int64_t last_ms;
};

/* Starts drawing the area: clips to view; draw rows at y - (int)s->offset. */
void ui_scroll_begin(struct ui *ui, struct ui_scroll *s, SDL_Rect view, int content_h);
/* Ends the clip and draws the position bar. */
void ui_scroll_end(struct ui *ui, struct ui_scroll *s);

/* Shell side: pointer events and time. A press in the area starts a drag; once it has
 * moved more than a finger's wobble the press no longer counts as a tap on what is under
 * it (ui->pressed is cleared). */
void ui_scroll_pointer(struct ui *ui, bool down, int x, int y);
int ui_scroll_motion(struct ui *ui, int x, int y);
void ui_scroll_tick(struct ui *ui);

#endif
