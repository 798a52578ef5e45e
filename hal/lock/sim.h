/* Lock-board simulators: the boards of both protocols played on the far side of a pty,
 * speaking the same bytes as the hardware, with fault injection. Never chosen
 * automatically: the config or --simulate names them. */
#ifndef KIOSK_HAL_LOCK_SIM_H
#define KIOSK_HAL_LOCK_SIM_H

#include "hal/lock/lock.h"

#include <stdbool.h>

struct lock_sim; /* opaque */

/* Faults, several may be on at once. */
struct lock_sim_faults {
	bool no_reply;     /* swallow every request */
	bool bad_checksum; /* corrupt the checksum of every reply */
	bool garbage;      /* send random bytes before each reply */
	bool brownout;     /* the next door it opens, it stops answering (no-reply) after */
	int slow_ms;       /* delay every reply */
	int drop_first;    /* ignore the first N requests */
	bool short_query;  /* wkly: query-one answered in 10 bytes, CH DOOR (a board variant) */
	bool jam[32][HAL_LOCK_MAX]; /* these doors never open */
	bool silent[32];            /* these boards never answer (the others do) */
};

/* Creates a pty, links its slave at link_path (replacing a stale link), and plays boards
 * of the given driver. auto_close_ms > 0 closes an opened door after that long.
 * *out owned by the caller, freed with lock_sim_free() (which removes the link). */
int lock_sim_new(const char *driver, const char *link_path, int boards, int auto_close_ms,
		 struct lock_sim **out);
void lock_sim_free(struct lock_sim *s);
struct lock_sim_faults *lock_sim_faults(struct lock_sim *s);
/* Parses one fault spec ("no-reply", "silent:B", "bad-checksum", "garbage", "brownout",
 * "slow:MS", "short-query",
 * "drop-first:N", "jam:B:L", or "clear" for none any more). KIOSK_EINVAL names nothing
 * else. */
int lock_sim_fault(struct lock_sim *s, const char *spec);
/* One command line as on the simulator's stdin: "close B L", "item B L 0|1",
 * "put B L" (a parcel in, door closed), "take B L" (out, closed), "force-open B L",
 * "fault SPEC". KIOSK_EINVAL for anything else. */
int lock_sim_command(struct lock_sim *s, const char *line);
/* The master fd to poll, and the work to do when it is readable or time passed. */
int lock_sim_fd(const struct lock_sim *s);
void lock_sim_step(struct lock_sim *s);
/* Runs steps until *stop becomes true (for a thread in tests). */
void lock_sim_run(struct lock_sim *s, volatile int *stop);
/* Door state as the simulator holds it, and frames received (tests count unlocks). */
bool lock_sim_closed(const struct lock_sim *s, int board, int lock);
unsigned long lock_sim_frames(const struct lock_sim *s, int cmd);

#endif
