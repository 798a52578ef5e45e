/* The vending machine's drive board as the core sees it (core thread): the configured
 * driver's bus (kiosk/bus/vend_bus.h, whose worker answers the board's polls in time
 * whatever the core is doing), what the board reports turned into driver-neutral events
 * on the loop, and — under --simulate — the simulated board on a pty of its own, stepped
 * by a thread, stocked as the store's planogram says.
 *
 * Nothing here decides anything about an order: the flow that sent a command hears every
 * event (the core hands events to the flows) and settles its order from them. */
#ifndef KIOSK_VENDING_H
#define KIOSK_VENDING_H

#include "kiosk/config.h"
#include "kiosk/loop.h"
#include "kiosk/store/store.h"
#include "kiosk/vend_event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* $.vend.port naming the simulated board instead of a serial port. */
#define KIOSK_VEND_PORT_SIMULATOR "simulator"

struct kiosk_vending;

struct kiosk_vending_hooks {
	void (*on_event)(void *arg, const struct kiosk_vend_event *e);
	void *arg;
};

/* No board configured ($.vend.driver "" and not simulating): *out NULL, KIOSK_OK. With
 * simulate (or $.vend.port "simulator"), the board is simulated, each slot of the store
 * stocked as the store says. An unknown driver or a port that cannot be opened: an error,
 * *why naming it. */
int kiosk_vending_open(const struct kiosk_config *cfg, struct kiosk_store *st, bool simulate,
		       struct kiosk_loop *loop, const struct kiosk_vending_hooks *hooks,
		       struct kiosk_vending **out, char *why, size_t why_len);
void kiosk_vending_close(struct kiosk_vending *v);
/* Drives slot with the drop sensor on / checks slot, at the board's next poll; *tag gets
 * the command's tag (its events carry it). KIOSK_EINVAL for a slot the board cannot have,
 * KIOSK_EBUSY when the mailbox is full. Never waits. */
int kiosk_vending_drive(struct kiosk_vending *v, int slot, int64_t *tag);
int kiosk_vending_check(struct kiosk_vending *v, int slot, int64_t *tag);
/* Select to buy: the board's own devices take the money for slot (its reports come as
 * KIOSK_VEV_MONEY). As kiosk_vending_drive. */
int kiosk_vending_select(struct kiosk_vending *v, int slot, int64_t *tag);
/* The board's own money devices: has its status said one of them (notes, coins, card) is
 * ok? */
bool kiosk_vending_takes_money(struct kiosk_vending *v);
/* True while the board polls; else why (cap bytes). */
bool kiosk_vending_health(struct kiosk_vending *v, char *why, size_t cap);
bool kiosk_vending_simulated(const struct kiosk_vending *v);
/* A line for the simulated board ("fault jam:3", "stock 3 0", "money 2 100"):
 * KIOSK_ENOTSUP for a real one, KIOSK_EINVAL for a line it does not know. */
int kiosk_vending_sim(struct kiosk_vending *v, const char *line);
/* The machine as its board last said — a technician sees the door left open, an operator a
 * cooling fault, without walking to the machine (the bus asks every few seconds when
 * idle): false until it said. */
bool kiosk_vending_machine(struct kiosk_vending *v, bool *door_open, bool *cooling_fault);
/* The slowest answer to a poll so far, µs (the bench's figure). */
int64_t kiosk_vending_slowest_us(struct kiosk_vending *v);

#endif
