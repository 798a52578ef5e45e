/* The core thread's event loop: one poll(2) over every file descriptor the core owns, plus
 * millisecond timers on the monotonic clock. Modelled on Redis ae.c: fixed tables, no
 * allocation after creation, callbacks run on the loop's thread only. */
#ifndef KIOSK_LOOP_H
#define KIOSK_LOOP_H

#include <stdint.h>

#define KIOSK_LOOP_MAX_FDS 64
#define KIOSK_LOOP_MAX_TIMERS 64

struct kiosk_loop; /* opaque */

/* Called with the fd and the poll revents that fired. */
typedef void (*kiosk_fd_cb)(struct kiosk_loop *loop, int fd, short revents, void *arg);
/* Returns the delay in ms until it runs again, or -1 to be removed. */
typedef int64_t (*kiosk_timer_cb)(struct kiosk_loop *loop, int id, void *arg);

/* *out is owned by the caller, freed with kiosk_loop_free(); NULL on failure. */
int kiosk_loop_new(struct kiosk_loop **out);
void kiosk_loop_free(struct kiosk_loop *loop);

/* Watches fd for events (POLLIN/POLLOUT). Re-adding an fd replaces its entry.
 * KIOSK_ENOSPACE when the table is full. */
int kiosk_loop_add_fd(struct kiosk_loop *loop, int fd, short events, kiosk_fd_cb cb, void *arg);
/* KIOSK_ENOENT if fd was not watched. Safe to call from a callback. */
int kiosk_loop_del_fd(struct kiosk_loop *loop, int fd);

/* Returns a timer id (> 0) firing after ms, or a negative kiosk_err. */
int kiosk_loop_add_timer(struct kiosk_loop *loop, int64_t ms, kiosk_timer_cb cb, void *arg);
int kiosk_loop_del_timer(struct kiosk_loop *loop, int id);

/* Runs one poll round waiting at most max_wait_ms (-1 = until an fd or timer is due).
 * Returns the number of callbacks run, or a negative kiosk_err. */
int kiosk_loop_run_once(struct kiosk_loop *loop, int64_t max_wait_ms);
/* Runs until kiosk_loop_stop() is called from a callback. */
int kiosk_loop_run(struct kiosk_loop *loop);
void kiosk_loop_stop(struct kiosk_loop *loop);

#endif
