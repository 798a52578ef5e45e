/* MDB links, one registration table (as the lock and vend drivers): `adapter` (a USB MDB
 * master's ASCII lines, hal/mdb/mdb_adapter.h) and `uart9` (a plain UART with stick parity,
 * hal/mdb/mdb_uart9.h). Whoever masters the bus (the kiosk's MDB bus, kioskctl hal mdb)
 * sends requests and reads answers the same way on either. */
#ifndef KIOSK_HAL_MDB_LINK_H
#define KIOSK_HAL_MDB_LINK_H

#include "hal/mdb/mdb_frames.h"

struct mdb_link_ops {
	const char *name;
	int (*open)(const char *path, void **out);
	void (*close)(void *l);
	int (*call)(void *l, const uint8_t *b, size_t n, struct mdb_reply *r);
	int (*bus_reset)(void *l);
};

struct mdb_link;

/* The link named name on path. KIOSK_ENOTSUP for a name no link has (mdb_link_names()
 * lists them); the link's own errors. *out owned by the caller (mdb_link_close). */
int mdb_link_open(const char *name, const char *path, struct mdb_link **out);
void mdb_link_close(struct mdb_link *l);
int mdb_link_call(struct mdb_link *l, const uint8_t *b, size_t n, struct mdb_reply *r);
int mdb_link_bus_reset(struct mdb_link *l);
/* "adapter, uart9": for messages. */
const char *mdb_link_names(void);

#endif
