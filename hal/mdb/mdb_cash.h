/* The coin changer's and the bill validator's answers (../shared/PROTOCOLS.md §4, MDB
 * levels 2–3 / 1), read as pure functions — shared by the kiosk's MDB bus, the bench tool
 * and the simulator's tests, fuzzed (fuzz_mdb) — and the change a changer can pay from
 * its tubes. Money here is in the device's units (its scale factor × fen). */
#ifndef KIOSK_HAL_MDB_CASH_H
#define KIOSK_HAL_MDB_CASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MDB_COIN_TYPES 16
#define MDB_BILL_TYPES 16

/* Changer SETUP (09) → level, country (BCD), scale, decimals, routing (bit t: type t can
 * go to a tube), credit of each type in units (0: not used). */
struct mdb_changer_setup {
	uint8_t level, scale, decimals;
	uint16_t country, routing;
	uint8_t credit[MDB_COIN_TYPES];
};
bool mdb_changer_setup_parse(const uint8_t *d, size_t n, struct mdb_changer_setup *out);

/* TUBE STATUS (0A) → full (bit t), count of each type in its tube. */
struct mdb_tubes {
	uint16_t full;
	uint8_t count[MDB_COIN_TYPES];
};
bool mdb_tubes_parse(const uint8_t *d, size_t n, struct mdb_tubes *out);

/* One event of a changer POLL answer; an answer holds several. */
struct mdb_coin_event {
	enum {
		MDB_COIN_DEPOSITED, /* type, routing (0 cash box, 1 tube, 3 returned), tube count */
		MDB_COIN_DISPENSED, /* paid out by hand at the changer: type, count, tube count */
		MDB_COIN_SLUG,      /* a coin it did not know (returned) */
		MDB_COIN_STATUS,    /* code: 02 payout busy, 07 tube jam, 0B just reset, 0C coin
				     * jam … (enum below) */
	} kind;
	uint8_t type, routing, count, tube, code;
};
enum {
	MDB_COIN_ESCROW_REQUEST = 0x01,
	MDB_COIN_PAYOUT_BUSY = 0x02,
	MDB_COIN_TUBE_JAM = 0x07,
	MDB_COIN_CHANGER_BUSY = 0x0A,
	MDB_COIN_JUST_RESET = 0x0B,
	MDB_COIN_JAM = 0x0C,
};
/* The events of d[0..n) into ev (cap); *count how many. false for bytes that are none (an
 * event cut short). */
bool mdb_coin_poll_parse(const uint8_t *d, size_t n, struct mdb_coin_event *ev, size_t cap,
			 size_t *count);

/* Bill validator SETUP (31) → level, country, scale (2 bytes), decimals, stacker capacity,
 * escrow (ff: every type can be held), credit of each type in units of scale. */
struct mdb_bill_setup {
	uint8_t level, decimals, escrow;
	uint16_t country, scale, stacker;
	uint8_t credit[MDB_BILL_TYPES];
};
bool mdb_bill_setup_parse(const uint8_t *d, size_t n, struct mdb_bill_setup *out);

struct mdb_bill_event {
	enum {
		MDB_BILL_ROUTED, /* type, routing: 0 stacked, 1 held in escrow, 2 returned, 4 refused */
		MDB_BILL_STATUS, /* code: 03 busy, 05 jammed, 06 just reset, 08 cash box out … */
		MDB_BILL_ATTEMPTS, /* count: notes pushed in while disabled */
	} kind;
	uint8_t type, routing, code, count;
};
enum {
	MDB_BILL_STACKED = 0,
	MDB_BILL_ESCROW = 1,
	MDB_BILL_RETURNED = 2,
	MDB_BILL_REFUSED = 4,
	MDB_BILL_JAMMED = 0x05,
	MDB_BILL_JUST_RESET = 0x06,
	MDB_BILL_BOX_OUT = 0x08,
};
bool mdb_bill_poll_parse(const uint8_t *d, size_t n, struct mdb_bill_event *ev, size_t cap,
			 size_t *count);

/* The coins that pay amount (units) from the tubes, fewest coins: pay[t] of type t.
 * value[t] the credit of each type (0: none), have[t] what its tube holds. false when the
 * tubes cannot make it exactly (or amount > MDB_CHANGE_MAX). */
#define MDB_CHANGE_MAX 2000
bool mdb_change_plan(const uint8_t value[MDB_COIN_TYPES], const uint8_t have[MDB_COIN_TYPES],
		     int amount, uint8_t pay[MDB_COIN_TYPES]);

#endif
