/* What every device service of the core (kiosk/vending.c, kiosk/mdb.c) does the same way:
 * watch its bus's outcome fd on the loop, ask its bus's health every half second and say
 * only when it changed, and under --simulate step its simulator on a thread of its own.
 * The service embeds a struct kiosk_devsvc and fills the hooks; core thread only, except
 * the simulator's thread, which touches nothing but the simulator (whose calls are
 * thread-safe). */
#ifndef KIOSK_DEVSVC_H
#define KIOSK_DEVSVC_H

#include "kiosk/loop.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct kiosk_devsvc {
	/* filled by the service before kiosk_devsvc_watch */
	void *owner;
	void (*on_outcomes)(void *owner);                       /* the bus's fd is readable */
	bool (*health)(void *owner, char *why, size_t cap);     /* the bus's health now */
	void (*on_health)(void *owner, bool ok, const char *why); /* … when it changed */
	bool healthy;                                           /* as last said */
	char why_was[96]; /* … and why not: a fault that follows another ("looking for the
			   * printer", then "does not answer") is said too */
	/* optional: a bus with several devices says which answer (a bit each); a change is
	 * said like a health change, so the screens follow one device coming or going */
	unsigned (*devices)(void *owner);
	unsigned devices_were;
	/* the service's own */
	struct kiosk_loop *loop;
	int fd, timer;
	void *sim;
	int sim_fd;
	void (*sim_step)(void *sim);
	pthread_t sim_thread;
	bool sim_running;
	atomic_bool sim_stop;
};

/* Zeroes d (no fd, no timer, no simulator). */
void kiosk_devsvc_init(struct kiosk_devsvc *d, struct kiosk_loop *loop);
/* Steps sim (its fd: sim_fd) on a thread until kiosk_devsvc_stop. KIOSK_ENOMEM when no
 * thread could be made. */
int kiosk_devsvc_sim_start(struct kiosk_devsvc *d, void *sim, int sim_fd,
			   void (*step)(void *sim));
/* Watches the bus's fd and starts the health timer. */
int kiosk_devsvc_watch(struct kiosk_devsvc *d, int fd);
/* Says the health when it changed (also called before each batch of outcomes: a device
 * back says so before what it reports). */
void kiosk_devsvc_check(struct kiosk_devsvc *d);
/* Stops watching (the bus itself is the service's to stop: call this first). */
void kiosk_devsvc_unwatch(struct kiosk_devsvc *d);
/* Stops the simulator's thread (after the bus is stopped: the port's far end goes last). */
void kiosk_devsvc_sim_stop(struct kiosk_devsvc *d);

#endif
