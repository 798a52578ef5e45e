/* The optional click on a tap ($.ui.click_sound, off by default: a kiosk at a gate at
 * night should not chirp unless the operator wants it). A short tone synthesised at start,
 * queued to SDL audio; no audio device means no sound, logged once. */
#ifndef KIOSK_SCREENS_SOUND_H
#define KIOSK_SCREENS_SOUND_H

#include "screens/ui.h"

void ui_sound_open(struct ui *ui);
void ui_sound_click(struct ui *ui);
void ui_sound_close(struct ui *ui);

#endif
