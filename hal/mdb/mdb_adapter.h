/* The `adapter` MDB link (../shared/PROTOCOLS.md §4): a USB MDB master adapter (CDC
 * serial, 115200) that sends one request at a time and answers one line. */
#ifndef KIOSK_HAL_MDB_ADAPTER_H
#define KIOSK_HAL_MDB_ADAPTER_H

#include "hal/mdb/mdb_frames.h"
#include "hal/serial.h"

#define MDB_ADAPTER_BAUD 115200

/* Opens path and puts the adapter in master mode ("M,1" → "p,ACK"). KIOSK_ETIMEDOUT when
 * nothing answers, KIOSK_EPROTO for another answer; the serial port's errors. *out owned
 * by the caller (mdb_adapter_close). */
struct mdb_adapter;
int mdb_adapter_open(const char *path, struct mdb_adapter **out);
void mdb_adapter_close(struct mdb_adapter *a);
/* One request (b[0..n), no checksum), its answer into *r. KIOSK_ETIMEDOUT when the adapter
 * says nothing within 500 ms; KIOSK_EPROTO for a line that is no answer. */
int mdb_adapter_call(struct mdb_adapter *a, const uint8_t *b, size_t n, struct mdb_reply *r);
int mdb_adapter_bus_reset(struct mdb_adapter *a);

#endif
