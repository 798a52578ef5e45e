/* Which door: a small map of the locker bank with one compartment marked, and the words for
 * its place ("从左数第2列，从上数第3格"), so a resident finds the open door at a glance. */
#ifndef KIOSK_SCREENS_LOCKER_MAP_H
#define KIOSK_SCREENS_LOCKER_MAP_H

#include "screens/ui.h"

/* Draws every compartment of the snapshot at its place in r, the one with id marked (and
 * labelled). Draws nothing when the snapshot has no compartments. */
void ui_locker_map(struct ui *ui, SDL_Rect r, const char *id);
/* The place of compartment id in words, in the current language, into out (cap bytes);
 * "" when it is not in the snapshot. */
void ui_door_place(const struct ui *ui, const char *id, char *out, size_t cap);

#endif
