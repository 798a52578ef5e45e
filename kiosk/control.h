/* The control socket: a UNIX stream socket (mode 0660) on the core loop that kioskctl
 * talks to. One request line in, one JSON line out, then the connection closes.
 *
 * Every client is served without blocking the loop: reads go into a per-client buffer
 * (a request line is at most KIOSK_CONTROL_REQ_MAX bytes), a client that has not sent its
 * line within 2 s is dropped, replies are written as the socket takes them. The caller's
 * uid comes from SO_PEERCRED, so the core can refuse state-changing commands to anyone but
 * root and its own user. A request may be answered later (a door's outcome). */
#ifndef KIOSK_CONTROL_H
#define KIOSK_CONTROL_H

#include "kiosk/loop.h"

#include <stddef.h>
#include <sys/types.h>

#define KIOSK_CONTROL_REQ_MAX 512
#define KIOSK_CONTROL_REPLY_MAX 16384

struct kiosk_control;

struct kiosk_control_peer {
	int client; /* > 0, for kiosk_control_reply() */
	uid_t uid;
	pid_t pid;
};

/* Answers one request line (without the newline) into out as JSON + "\n" and returns the
 * length written; or returns 0 to answer later with kiosk_control_reply(). Called on the
 * loop's thread. */
typedef size_t (*kiosk_control_fn)(void *arg, const struct kiosk_control_peer *peer,
				   const char *request, char *out, size_t cap);

/* Binds path (replacing a stale socket file) and watches it on loop. *out owned by the
 * caller, closed with kiosk_control_close() (which unlinks the path). */
int kiosk_control_open(struct kiosk_loop *loop, const char *path, kiosk_control_fn fn,
		       void *arg, struct kiosk_control **out);
void kiosk_control_close(struct kiosk_control *c);
/* The kiosk's own user: with root, never locked out by others' connections (any other
 * uid holds at most 4 of the 16, and all others together 14; past that a client is told
 * "EBUSY" at once). geteuid() unless set; tests stand in for another user with it. */
void kiosk_control_set_owner(struct kiosk_control *c, uid_t uid);
/* The late answer to a request the callback deferred (text: JSON + "\n", copied).
 * KIOSK_ENOENT when that client has gone (it gave up, or was dropped). */
int kiosk_control_reply(struct kiosk_control *c, int client, const char *text);

/* A request line, parsed: what kioskctl asked for. Pure: the socket's bytes are parsed
 * here, and only here (fuzzed). */
enum kiosk_control_verb {
	KIOSK_CTL_STATUS,
	KIOSK_CTL_LOCKER_LIST,
	KIOSK_CTL_LOCKER_OPEN,
	KIOSK_CTL_LOCKER_DISABLE,
	KIOSK_CTL_LOCKER_ENABLE,
	KIOSK_CTL_SYNC_STATUS, /* sync status: the platform link, for the operator */
	KIOSK_CTL_SYNC_NOW,    /* sync now: forget the backoff, try at once */
};

struct kiosk_control_req {
	enum kiosk_control_verb verb;
	char compartment[16]; /* for open / disable / enable; printable, no spaces */
};

/* KIOSK_OK and *out; KIOSK_ENOENT for an unknown command; KIOSK_EINVAL for a known one
 * with wrong words (missing, extra, or a compartment id that is too long or not
 * printable). *out is zeroed first. */
int kiosk_control_parse(const char *line, struct kiosk_control_req *out);

/* Client side (kioskctl): sends request, reads the reply line into out (waits up to
 * timeout_ms for it). */
int kiosk_control_call(const char *path, const char *request, char *out, size_t cap,
		       int timeout_ms);

#endif
