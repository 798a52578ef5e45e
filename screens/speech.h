/* Spoken guidance (语音引导): a short instruction per resident screen, spoken in Mandarin
 * or English by espeak-ng (voices "cmn" and "en"). Synthesis runs on a thread of its
 * own, never on the UI thread; the samples are queued to the SDL audio device the click
 * sound uses. Spoken on entering a screen (and on each new step) in 长辈模式, and on any
 * resident screen when its speaker button is tapped. $.ui.speech turns it off,
 * $.ui.speech_volume sets the level. No sound device: a warning, and the kiosk goes on
 * (what would have been said is still logged, event=spoken). */
#ifndef KIOSK_SCREENS_SPEECH_H
#define KIOSK_SCREENS_SPEECH_H

#include "screens/ui.h"

/* Starts the worker (after ui_sound_open). No-op when $.ui.speech is off. */
void ui_speech_open(struct ui *ui);
/* Says text (borrowed; copied) in the session's language, cutting off what was being
 * said. Logged and appended to ui->spoken (the scripts' expect-spoken). */
void ui_speech_say(struct ui *ui, const char *text);
/* How many utterances the worker has synthesised and queued so far. */
unsigned long ui_speech_done(const struct ui *ui);
/* Lets the last sentence finish (at most 2 s), stops the worker. */
void ui_speech_close(struct ui *ui);

#endif
