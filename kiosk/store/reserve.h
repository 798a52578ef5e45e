/* The store's reserve on a full disk (reserve.c). */
#ifndef KIOSK_STORE_RESERVE_H
#define KIOSK_STORE_RESERVE_H

#include "kiosk/store/store.h"

#include <stdbool.h>

/* The disk's last room for the pickups: a file of KIOSK_STORE_RESERVE zero bytes beside
 * the store (<store>-reserve). keep makes it whole (KIOSK_OK; KIOSK_EDISKFULL when there
 * is no room for it, nothing left half-written) — slow (it writes and syncs): never on a
 * thread a person waits on. release deletes it when the disk is full (quick): what it
 * held lets pickups and door outcomes write on, while new parcels (a deposit, a send) are
 * refused with KIOSK_EDISKFULL until the reserve is kept again; the bytes given back (0:
 * none was kept). Any thread; the file only, never the store's connection. */
#define KIOSK_STORE_RESERVE (4 << 20)
int kiosk_store_reserve_keep(struct kiosk_store *st);
long kiosk_store_reserve_release(struct kiosk_store *st);
bool kiosk_store_on_reserve(struct kiosk_store *st);

#endif
