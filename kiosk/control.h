/* The control socket: a UNIX stream socket (mode 0660) on the core loop that kioskctl
 * talks to. One request line in, one JSON line out, then the connection closes. */
#ifndef KIOSK_CONTROL_H
#define KIOSK_CONTROL_H

#include "kiosk/loop.h"

#include <stddef.h>

struct kiosk_control;

/* Answers one request line (without the newline) into out as JSON + "\n". Called on the
 * loop's thread. Returns the length written. */
typedef size_t (*kiosk_control_fn)(void *arg, const char *request, char *out, size_t cap);

/* Binds path (replacing a stale socket file) and watches it on loop. *out owned by the
 * caller, closed with kiosk_control_close() (which unlinks the path). */
int kiosk_control_open(struct kiosk_loop *loop, const char *path, kiosk_control_fn fn,
		       void *arg, struct kiosk_control **out);
void kiosk_control_close(struct kiosk_control *c);

/* Client side (kioskctl): sends request, reads the reply line into out. */
int kiosk_control_call(const char *path, const char *request, char *out, size_t cap);

#endif
