/* The locker service (core thread): the compartments of the config kept in the store,
 * door commands intent-first, and the door monitor — over the lock bus's worker
 * (kiosk/bus/lock_bus.h), so nothing here waits for a board.
 *
 * Opening a door: the caller has committed the intent (kiosk_door); kiosk_locker_open_door
 * queues the unlock and returns at once. When the board has answered (or not), the outcome
 * (opened / jammed / unknown) is recorded in the store and then the on_door callback runs,
 * on the loop. The worker reads every board twice a second; each round is applied here: a
 * door open with no command behind it raises door.forced; a door left open for a minute
 * raises door.left_open; a board that stops answering turns its compartments unknown (and
 * is logged once, as is its return). */
#ifndef KIOSK_LOCKER_H
#define KIOSK_LOCKER_H

#include "kiosk/config.h"
#include "kiosk/loop.h"
#include "kiosk/store/store.h"

#include <stdbool.h>

#define KIOSK_LOCKER_POLL_MS 500
/* $.lock.port naming the simulated boards instead of a serial port. */
#define KIOSK_LOCK_PORT_SIMULATOR "simulator"
#define KIOSK_DOOR_LEFT_OPEN_S 60

struct kiosk_locker;

struct kiosk_locker_hooks {
	/* A door's outcome is recorded: rc as hal_lock_unlock() (KIOSK_OK = opened,
	 * KIOSK_EDEVICE = jammed, KIOSK_ETIMEDOUT/EPROTO = unknown). door is borrowed. */
	void (*on_door)(void *arg, const struct kiosk_door *door, int rc);
	/* The rules the door's outcome is recorded with (the asking flow's; NULL: no parcel
	 * moves). Optional. */
	const struct kiosk_door_rules *(*rules)(void *arg, const struct kiosk_door *door);
	/* A monitor round was applied and something the screens show may have changed. */
	void (*on_round)(void *arg);
	void *arg;
};

/* With no compartments configured, *out is NULL and KIOSK_OK is returned (no locker).
 * With simulate, the configured driver's simulator runs on a pty of its own. The bus's
 * fd is watched on loop. hooks may be NULL. On failure *why says what could not be
 * opened. */
int kiosk_locker_open(const struct kiosk_config *cfg, struct kiosk_store *st, bool simulate,
		      struct kiosk_loop *loop, const struct kiosk_locker_hooks *hooks,
		      struct kiosk_locker **out, char *why, size_t why_len);
void kiosk_locker_close(struct kiosk_locker *l);

/* Can an unlock be queued now? Ask before committing an intent, so an intent is never
 * committed for a frame that could not be queued. */
bool kiosk_locker_can_queue(const struct kiosk_locker *l);
/* Queues the unlock for an intent already committed. KIOSK_OK = queued (the outcome
 * follows through on_door); KIOSK_EBUSY = the queue is full (check first). Not on the
 * wire by deadline_ms (monotonic, 0 = none): dropped, its outcome KIOSK_EEXPIRED and the
 * intent settled as not sent. */
int kiosk_locker_open_door(struct kiosk_locker *l, const struct kiosk_door *door,
			   int64_t deadline_ms);
/* Asks for a monitor round now. */
void kiosk_locker_poll_now(struct kiosk_locker *l);
/* Monitor rounds applied so far, and door outcomes recorded so far (tests wait on these). */
unsigned long kiosk_locker_rounds(const struct kiosk_locker *l);
unsigned long kiosk_locker_outcomes(const struct kiosk_locker *l);
/* The door as the monitor last read it (false when unknown), and a counter that moves
 * whenever any door changed (so the core republishes only then). */
bool kiosk_locker_door_open(const struct kiosk_locker *l, const char *compartment);
/* The item sensor as last read (false where the board has none), and whether the board
 * has one. */
bool kiosk_locker_item(const struct kiosk_locker *l, const char *compartment);
bool kiosk_locker_has_item_sensor(const struct kiosk_locker *l, const char *compartment);
unsigned long kiosk_locker_door_changes(const struct kiosk_locker *l);
/* Has the door been open for KIOSK_DOOR_LEFT_OPEN_S since it opened for a command (its
 * door.left_open raised)? */
bool kiosk_locker_left_open(const struct kiosk_locker *l, const char *compartment);
/* Is every board answering (as of the last round)? */
bool kiosk_locker_healthy(const struct kiosk_locker *l);
/* The bus's health as the rounds left it: true when ok, else why (cap bytes) names the
 * first silent board. */
bool kiosk_locker_health(struct kiosk_locker *l, char *why, size_t cap);
/* A line for the simulator (--simulate only): "close B L", "force-open B L",
 * "item B L 0|1", or "fault SPEC". KIOSK_ENOTSUP without a simulator. */
int kiosk_locker_sim(struct kiosk_locker *l, const char *line);
/* Unlock frames the simulator has received (tests: a door is never re-fired). */
unsigned long kiosk_locker_sim_unlocks(const struct kiosk_locker *l);

#endif
