/* The locker service (core thread): the lock bus, the compartments of the config kept in
 * the store, door commands intent-first, and the door monitor.
 *
 * Opening a door: the caller has committed the intent (kiosk_door); this sends the unlock,
 * and records the outcome (opened / jammed / unknown). The monitor reads every board with
 * a compartment twice a second: a door open with no command behind it raises door.forced;
 * a door left open for a minute raises door.left_open; a board that stops answering turns
 * its compartments unknown. */
#ifndef KIOSK_LOCKER_H
#define KIOSK_LOCKER_H

#include "kiosk/config.h"
#include "kiosk/store/store.h"

#include <stdbool.h>

#define KIOSK_LOCKER_POLL_MS 500
#define KIOSK_DOOR_LEFT_OPEN_S 60

struct kiosk_locker;

/* With no compartments configured, *out is NULL and KIOSK_OK is returned (no locker).
 * With simulate, the configured driver's simulator runs on a pty of its own. On failure
 * *why says what could not be opened. */
int kiosk_locker_open(const struct kiosk_config *cfg, struct kiosk_store *st, bool simulate,
		      struct kiosk_locker **out, char *why, size_t why_len);
void kiosk_locker_close(struct kiosk_locker *l);

/* Sends the unlock for an intent already committed and records its outcome. Returns the
 * hal result (KIOSK_OK = opened, KIOSK_EDEVICE = jammed, KIOSK_ETIMEDOUT = unknown). */
int kiosk_locker_open_door(struct kiosk_locker *l, const struct kiosk_door *door);
/* The monitor's round; returns KIOSK_OK, or the first board error (the board's
 * compartments are marked unknown). */
int kiosk_locker_poll(struct kiosk_locker *l);
/* The door as the monitor last read it (false when unknown), and a counter that moves
 * whenever any door changed (so the core republishes only then). */
bool kiosk_locker_door_open(const struct kiosk_locker *l, const char *compartment);
/* The item sensor as last read (false where the board has none). */
bool kiosk_locker_item(const struct kiosk_locker *l, const char *compartment);
unsigned long kiosk_locker_door_changes(const struct kiosk_locker *l);
/* Is every board answering? */
bool kiosk_locker_healthy(const struct kiosk_locker *l);
/* A line for the simulator (--simulate only): "close B L", "force-open B L",
 * "item B L 0|1", or "fault SPEC". KIOSK_ENOTSUP without a simulator. */
int kiosk_locker_sim(struct kiosk_locker *l, const char *line);
/* Unlock frames the simulator has received (tests: a door is never re-fired). */
unsigned long kiosk_locker_sim_unlocks(const struct kiosk_locker *l);

#endif
