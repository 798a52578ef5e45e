/* The optional click on a tap ($.ui.click_sound, off by default: a kiosk at a gate at
 * night should not chirp unless the operator wants it) and the device speech plays on.
 *
 * Opening audio is slow — SDL loads the PulseAudio and ALSA libraries, probes every card,
 * and on a kiosk without one waits out ALSA's hotplug thread (~100 ms here, 250 ms under
 * load) — so it runs on its own thread, beside the first frame: a
 * resident sees home at once, and the click and the voice come when the device does. */
#ifndef KIOSK_SCREENS_SOUND_H
#define KIOSK_SCREENS_SOUND_H

#include "screens/ui.h"

/* Starts opening the device; returns at once. Owns ui->sound until ui_sound_close(). */
void ui_sound_open(struct ui *ui);
/* The device once open; 0 while opening, with no device, or with sound and speech off.
 * Safe from any thread (the speech worker asks it for every utterance). */
SDL_AudioDeviceID ui_sound_device(const struct ui_sound *s);
void ui_sound_click(struct ui *ui);
/* Waits for the opener, then closes the device. */
void ui_sound_close(struct ui *ui);

#endif
