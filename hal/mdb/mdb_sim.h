/* A USB MDB master adapter with peripherals behind it, played on the far side of a pty: it
 * speaks the adapter's lines (../shared/PROTOCOLS.md §4: "M,1", "R,<hex>", "R,RESET" →
 * "p,ACK" / "p,NACK" / "p,<hex>" / "p,TIMEOUT" / "p,ERR") and answers for a cashless reader
 * (address 10), a coin changer (08) and a bill validator (30) as each is fitted, with their
 * state machines; a resident taps a card, drops a coin, feeds a bill on stdin. */
#ifndef KIOSK_HAL_MDB_SIM_H
#define KIOSK_HAL_MDB_SIM_H

#include <stdbool.h>

struct mdb_sim; /* opaque */

int mdb_sim_new(const char *link_path, bool cashless, bool coin, bool bill,
		struct mdb_sim **out);
void mdb_sim_free(struct mdb_sim *s);
/* "deny" (the reader denies every vend), "no-response" (nothing answers: p,TIMEOUT),
 * "nak" (every request refused), "checksum" (the adapter sees bad checksums: p,ERR),
 * "coin-jam" (coins deposited are not reported), "clear". KIOSK_EINVAL otherwise. */
int mdb_sim_fault(struct mdb_sim *s, const char *spec);
/* A stdin line: "tap FEN" (a card with funds), "coin TYPE", "bill TYPE", "fault SPEC". */
int mdb_sim_command(struct mdb_sim *s, const char *line);
int mdb_sim_fd(const struct mdb_sim *s);
/* Reads what came and answers. Every call may come from any thread (the kiosk's --simulate
 * steps it on a thread of its own and feeds it lines from the core). */
void mdb_sim_step(struct mdb_sim *s);

#endif
