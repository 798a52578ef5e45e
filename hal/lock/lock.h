/* Parcel-locker lock boards: the class the core calls, and the contract each driver fills.
 *
 * Locks are numbered as on the label (1..locks_per_board); boards from 0. Drivers are
 * `const struct hal_lock_driver` in one NULL-terminated table, chosen by name from the
 * config. The core allocates priv_size bytes of driver state; drivers do not malloc. */
#ifndef KIOSK_HAL_LOCK_H
#define KIOSK_HAL_LOCK_H

#include "hal/serial.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HAL_LOCK_MAX 24 /* locks per board, the most any driver has */

struct hal_lock_status {
	int nlocks;
	bool closed[HAL_LOCK_MAX]; /* [i] = lock i+1: door closed and latched */
	bool item[HAL_LOCK_MAX];   /* infrared item sensor, where the board has one */
	bool has_item_sensor;
};

/* A door change the board reported without being asked (WKLY's 85). */
struct hal_lock_event {
	int board, lock;
	bool closed;
};

/* Counters a technician reads: every frame that was not trusted is counted. */
struct hal_lock_stats {
	unsigned long requests, retries, timeouts, bad_frames, junk_bytes, reopens;
	int64_t tx_done_us;    /* monotonic µs when the last frame's last byte was written */
	int64_t unlock_tx_us;  /* … of the last unlock frame (for the latency figures) */
};

struct hal_lock_driver {
	const char *name; /* as in the config: "kerong-cu16" */
	const char *desc;
	size_t priv_size; /* bytes of state the core allocates for the driver */
	int baud;
	int max_boards, locks_per_board;
	/* Called once after the port opened; priv is zeroed. Returns KIOSK_OK. */
	int (*open)(void *priv, struct hal_serial *port, struct hal_lock_stats *stats);
	/* Called before the port closes. Optional. */
	void (*close)(void *priv);
	/* Asks the board for every door (and item) bit. KIOSK_OK, KIOSK_ETIMEDOUT (no
	 * reply after the retries), KIOSK_EPROTO (only bad frames came back). */
	int (*status)(void *priv, int board, struct hal_lock_status *out);
	/* Opens one lock and confirms it reads open. KIOSK_OK; KIOSK_EDEVICE when the door
	 * stays shut (jammed); KIOSK_ETIMEDOUT when the board does not answer. */
	int (*unlock)(void *priv, int board, int lock);
	/* Opens every lock of a board (cleaning). KIOSK_OK or as above. */
	int (*unlock_all)(void *priv, int board);
	/* Waits up to timeout_ms for a pushed door change. 1 and *ev, 0 when none came, or
	 * a negative kiosk_err. NULL when the board never pushes (then poll status). */
	int (*poll_event)(void *priv, struct hal_lock_event *ev, int timeout_ms);
};

/* The driver table, NULL-terminated; and lookup by name (NULL if unknown). */
extern const struct hal_lock_driver *const hal_lock_drivers[];
const struct hal_lock_driver *hal_lock_driver_find(const char *name);

/* An open lock bus: driver + port + state, with argument checks and fault injection. */
struct hal_lock;

/* Opens port for the named driver. KIOSK_ENOENT for an unknown driver name, else the
 * serial errors. *out owned by the caller, closed with hal_lock_close(). */
int hal_lock_open(const char *driver, const char *port, struct hal_lock **out);
void hal_lock_close(struct hal_lock *l);
/* The same over simulated boards: the driver's simulator (hal/lock/sim.h) plays `boards`
 * boards on a pty whose slave is linked at link, on a thread of its own, stopped and
 * removed by hal_lock_close(). Chosen by the config or --simulate, never automatically. */
int hal_lock_open_simulated(const char *driver, const char *link, int boards,
			    struct hal_lock **out);
/* A line for the simulated boards ("close B L", "item B L 0|1", "fault SPEC" …):
 * KIOSK_ENOTSUP for real boards. Any thread. */
int hal_lock_sim_command(struct hal_lock *l, const char *line);
/* Unlock frames the simulated boards received (tests: a door is never re-fired). */
unsigned long hal_lock_sim_unlocks(const struct hal_lock *l);
const struct hal_lock_driver *hal_lock_driver_of(const struct hal_lock *l);
/* The class operations: arguments checked (KIOSK_EINVAL for a board or lock the driver
 * does not have), each call logged once with its outcome. */
int hal_lock_status(struct hal_lock *l, int board, struct hal_lock_status *out);
int hal_lock_unlock(struct hal_lock *l, int board, int lock);
int hal_lock_unlock_all(struct hal_lock *l, int board);
int hal_lock_poll_event(struct hal_lock *l, struct hal_lock_event *ev, int timeout_ms);
void hal_lock_stats(const struct hal_lock *l, struct hal_lock_stats *out);

/* Test hook: the next n operations fail with err before touching the wire. */
void hal_lock_inject(struct hal_lock *l, int n, int err);

#endif
