/* Scans at the screen: the core is told where the screen takes them (the current screen's
 * scan_place), a scan the core could not route is said in a toast, and a screen picks up
 * a scan routed to its place as a request of its own. */
#ifndef KIOSK_SCREENS_SCAN_H
#define KIOSK_SCREENS_SCAN_H

#include "screens/ui.h"

#include <stdbool.h>
#include <stdint.h>

/* Every loop turn (screens/app.c). */
void ui_scan_tick(struct ui *ui);
/* A scan the core routed to place since the last call: true once, with the request its
 * result is filed under. */
bool ui_scan_taken(struct ui *ui, const char *place, uint32_t *req);

#endif
