/* Serial ports (RS232 / RS485 adapters, CDC-ACM devices, ptys in tests): raw 8N1 at an
 * explicit baud, opened exclusively, flushed before each request, read against a deadline,
 * reopened after repeated silence. Errors come back as kiosk_err, logged once here. */
#ifndef KIOSK_HAL_SERIAL_H
#define KIOSK_HAL_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hal_serial; /* opaque */

/* Opens path at baud (9600, 19200, 38400, 57600, 115200). KIOSK_ENOENT (no such port),
 * KIOSK_EBUSY (another program has it), KIOSK_EINVAL (baud), KIOSK_EIO. *out owned by the
 * caller, closed with hal_serial_close(). */
int hal_serial_open(const char *path, int baud, struct hal_serial **out);
void hal_serial_close(struct hal_serial *s);
/* Drops whatever both directions still hold (a stale reply must not answer a new
 * request). */
int hal_serial_flush(struct hal_serial *s);
/* Writes all n bytes (or fails: KIOSK_EIO, KIOSK_ETIMEDOUT after 1 s blocked). */
int hal_serial_write(struct hal_serial *s, const void *buf, size_t n);
/* Reads what arrives within timeout_ms (at least one byte, up to cap). Returns the count,
 * KIOSK_ETIMEDOUT if nothing came, or KIOSK_EIO. */
int hal_serial_read(struct hal_serial *s, uint8_t *buf, size_t cap, int timeout_ms);
/* A 9th bit by parity (MDB's `uart9`): from the first call the port sends with "stick"
 * parity — mark (the bit 1) when mark, space (0) otherwise, set before the next byte goes
 * (waiting for what is queued to leave) — and reads with space parity, a byte whose bit is
 * 1 arriving as FF 00 xx and a literal FF as FF FF (PARMRK). KIOSK_EIO when the port
 * cannot. */
int hal_serial_stick_parity(struct hal_serial *s, bool mark);
/* A break of at least 100 ms (MDB's bus reset). */
int hal_serial_break(struct hal_serial *s);
/* Closes and opens the port again (a USB adapter that was replugged). */
int hal_serial_reopen(struct hal_serial *s);
const char *hal_serial_path(const struct hal_serial *s);
/* Time for n bytes on the wire at this port's baud (10 bits a byte for 8N1), in µs. */
double hal_serial_wire_us(const struct hal_serial *s, size_t n);

#endif
