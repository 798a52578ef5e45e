/* Shared by the store tests: a fresh store in a temp dir with a fixed key and a clock the
 * test moves, plus a digest of every table to prove "a refusal changed nothing". */
#ifndef KIOSK_TEST_STORE_FIXTURE_H
#define KIOSK_TEST_STORE_FIXTURE_H

#include "kiosk/store/store.h"

#include <sqlite3.h>
#include <stdint.h>

extern int64_t fx_now; /* the store's clock (ms) */
int64_t fx_clock(void);

/* A new temp directory path for a database ("<dir>/kiosk.db"); fx_cleanup removes it. */
void fx_path(char *out, size_t n);
void fx_cleanup(const char *path);
/* Opens path with the fixture's key and clock; extra options may be NULL. */
int fx_open(const char *path, const struct kiosk_store_opts *extra, struct kiosk_store **out);
/* SHA-256 over the content of every table, as hex. */
void fx_digest(struct kiosk_store *st, char out[65]);
/* Count of rows matching a SQL query returning one integer. */
long long fx_int(struct kiosk_store *st, const char *sql);
/* Seeds: product P1 / slots A1 (price 350, cap 10), compartments S1,S2 (S), M1 (M), L1 (L),
 * courier C1 (company SF, PIN 1234) and operator OP1 (PIN 9999). */
void fx_seed(struct kiosk_store *st);
/* A PIN hash made once per process (PBKDF2 is slow on purpose). */
const char *fx_pinhash(const char *pin);
/* A walk-in send (sender's phone 13800001234): 到付 when amount is 0, else 寄付. Points at
 * static storage: one call per statement. */
const struct kiosk_send_req *fx_walkin(const char *carrier, enum kiosk_size size,
				       int64_t amount_fen);

#endif
