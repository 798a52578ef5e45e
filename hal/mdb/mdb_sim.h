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
 * "coin-jam" (coins deposited are swallowed, never reported), "payout-jam" (a payout
 * stops after one coin, the changer then says "tube jam"), "clear". KIOSK_EINVAL
 * otherwise. */
int mdb_sim_fault(struct mdb_sim *s, const char *spec);
/* A stdin line: "tap FEN" (a card with funds); "coin TYPE" (0 1 jiao, 1 5 jiao, 2 1 yuan:
 * a type not enabled falls to the return cup); "bill TYPE" (0..5: 1 5 10 20 50 100 yuan;
 * not enabled: pushed back out); "tubes N0 N1 N2" (each tube's coins, 0..50);
 * "fault SPEC". KIOSK_EINVAL for another line. */
int mdb_sim_command(struct mdb_sim *s, const char *line);
/* Fen the resident got back in the cup so far (refused and returned money, change), and
 * what each coin tube holds: what a test looks at, as a person would. */
long long mdb_sim_cup(struct mdb_sim *s);
void mdb_sim_tubes(struct mdb_sim *s, int count[3]);
int mdb_sim_fd(const struct mdb_sim *s);
/* Reads what came and answers. Every call may come from any thread (the kiosk's --simulate
 * steps it on a thread of its own and feeds it lines from the core). */
void mdb_sim_step(struct mdb_sim *s);

#endif
