/* The next screens drawn once, off screen, while home (or the operator's login) stands
 * quiet: their texts measured and rasterised into the text cache, their icons into the
 * image cache, so that the frame a tap brings up copies what is ready (a screen's first
 * frame took 8–40 ms of font work; drawn warm it takes 1–4). One screen a loop turn, with
 * no dialog and nobody touching for a moment, each drawn and the current screen drawn
 * again in the same turn — nothing of it is ever presented, and no tap can land on it. A screen is entered and left
 * for it but never ticked nor sent an event, so it asks the core nothing (the send screen,
 * whose entry asks for the carriers, is not drawn ahead). Again after each visit (what
 * it drew may have pushed the others out of the text cache), for a new language or
 * 长辈模式, and every half minute at rest so the text cache's idle trim keeps them. No
 * operator is logged in meanwhile (their pages' texts depend on who it is). */
#ifndef KIOSK_SCREENS_WARM_H
#define KIOSK_SCREENS_WARM_H

#include "screens/ui.h"

#include <stdbool.h>
#include <stdint.h>

/* One step of the pass, when it is time for one (UI thread, after the frame). Returns
 * whether the pass goes on (the caller wakes again soon). */
bool ui_warm_step(struct ui *ui, int64_t now_ms);

#endif
