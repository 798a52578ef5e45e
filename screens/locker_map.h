/* Which door: a small map of the locker bank with one compartment marked, and the words for
 * its place ("从左数第2列，从上数第3格"), so a resident finds the open door at a glance. */
#ifndef KIOSK_SCREENS_LOCKER_MAP_H
#define KIOSK_SCREENS_LOCKER_MAP_H

#include "screens/ui.h"

/* Draws every compartment of the snapshot at its place in r, the one with id marked (and
 * labelled). Draws nothing when the snapshot has no compartments. */
void ui_locker_map(struct ui *ui, SDL_Rect r, const char *id);
/* A door panel, the same on every screen that opens a door: an optional title, the
 * compartment's id in large type, its place in words, the bank map (taking the height
 * there is), what to do (in red when alert), the door's state (door: NULL for none), a
 * warning in red (note: NULL for none), and room for one control of extra_h (0: none),
 * returned. All centred in the height of in. */
struct ui_door_panel {
	const char *title, *comp, *todo, *door, *note;
	bool alert;
	int extra_h;
};
SDL_Rect ui_door_panel(struct ui *ui, SDL_Rect in, const struct ui_door_panel *d);
/* The place of compartment id in words, in the current language, into out (cap bytes);
 * "" when it is not in the snapshot. */
void ui_door_place(const struct ui *ui, const char *id, char *out, size_t cap);

#endif
