/* The `uart9` MDB link (../shared/PROTOCOLS.md §4): the kiosk is the bus master on a plain
 * UART at 9600 baud, the 9th (mode) bit carried by stick parity — mark on the address
 * byte it sends, space on the rest; a peripheral's last byte (its checksum, or a lone
 * ACK/NAK) arrives marked. The master ACKs a good data answer, RETs a bad one (up to
 * MDB_RETRIES), and gives up after the 5 ms answer budget (with the bytes' own time). */
#ifndef KIOSK_HAL_MDB_UART9_H
#define KIOSK_HAL_MDB_UART9_H

#include "hal/mdb/mdb_frames.h"

#define MDB_UART9_BAUD 9600

/* Where the words go and the marked bytes come from: the serial port, or a test's. send
 * writes the words (each with its mode bit) in order; read as hal_serial_read. */
struct mdb_uart9_port {
	int (*send)(void *arg, const mdb_word *w, size_t n);
	int (*read)(void *arg, uint8_t *buf, size_t cap, int timeout_ms);
	void *arg;
};

/* One request (b[0..n), no checksum: it is added) and its answer into *r: ACK, NACK,
 * DATA (ACKed), or TIMEOUT (nothing, or still bad after the retries). KIOSK_EINVAL for a
 * request that cannot be one; the port's errors. */
int mdb_uart9_exchange(const struct mdb_uart9_port *p, const uint8_t *b, size_t n,
		       struct mdb_reply *r);

struct mdb_uart9;
/* Opens path at 9600 with stick parity. *out owned by the caller (mdb_uart9_close). */
int mdb_uart9_open(const char *path, struct mdb_uart9 **out);
void mdb_uart9_close(struct mdb_uart9 *u);
int mdb_uart9_call(struct mdb_uart9 *u, const uint8_t *b, size_t n, struct mdb_reply *r);
/* The bus reset: a break of at least 100 ms. */
int mdb_uart9_bus_reset(struct mdb_uart9 *u);

#endif
