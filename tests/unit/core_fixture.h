/* A core on a simulated bank over a pty, for the tests that drive it through its public
 * API as the screens do: its config (four doors on board 0, one XL on board 1), the
 * request shorthand, and waits on conditions. */
#ifndef KIOSK_TESTS_CORE_FIXTURE_H
#define KIOSK_TESTS_CORE_FIXTURE_H

#include "kiosk/core.h"

#include <stdbool.h>
#include <stdint.h>

extern char cf_dir[64];          /* the test's folder (store, key, socket) */
extern struct kiosk_config cf_cfg; /* what cf_start() starts with */

/* A fresh folder and config; cf_cleanup() removes the folder. */
void cf_make_cfg(void);
void cf_cleanup(void);
/* Starts the core on cf_cfg (simulated devices, test clock); CHECKs it started. */
struct kiosk_core *cf_start(void);
/* A command built from (arg, s1, s2) by its type (see core_fixture.c), and its result
 * (rc -999 when none came within 10 s). */
struct kiosk_result cf_ask(struct kiosk_core *core, enum kiosk_cmd_type t, int64_t arg,
			   const char *s1, const char *s2);
/* Sends cmd as it is and waits for its result. */
struct kiosk_result cf_submit(struct kiosk_core *core, const struct kiosk_cmd *cmd);
/* The result filed under req (a scan the core routed), waited for (rc -999: none in 10 s). */
struct kiosk_result cf_result(struct kiosk_core *core, uint32_t req);
/* Waits (10 s at most) until the snapshot satisfies want. */
bool cf_until(struct kiosk_core *core, bool (*want)(const struct kiosk_snapshot *));
/* One number from the store file (read-only; -1 on error). */
long long cf_rows(const char *sql);
/* Courier 9001 (SF, PIN 1357, seeded by --simulate) deposits a parcel in an S door; its id
 * into parcel. The session ends after. */
void cf_deposit(struct kiosk_core *core, const char *tracking, char parcel[64]);
bool cf_deposit_empty(const struct kiosk_snapshot *s);
/* The vending machine: an item chosen (its result), paid by method (rc), a line for a
 * device class's simulator (KIOSK_CMD_SIM_VEND, KIOSK_CMD_SIM_MDB: rc). */
struct kiosk_result cf_vend_choose(struct kiosk_core *core, const char *slot);
int cf_vend_pay(struct kiosk_core *core, enum kiosk_vend_method m);
int cf_sim(struct kiosk_core *core, enum kiosk_cmd_type t, const char *line);
/* The store's invariants (DESIGN.md) on the store file, CHECKed: every paid order
 * dispensed or refunded, cash given back or owed, stock = restocks − dispenses
 * (+ adjustments), each change its one event. */
void cf_invariants_hold(void);

#endif
