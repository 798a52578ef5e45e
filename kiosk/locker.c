#include "kiosk/locker.h"
#include "kiosk/bus/lock_bus.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/lock/lock.h"
#include "hal/base/log.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_BOARDS KIOSK_LOCK_BUS_BOARDS
#define MAX_PENDING KIOSK_MAX_COMPARTMENTS /* every door of the bank at once (open all) */

struct kiosk_locker {
	struct kiosk_store *st;
	struct kiosk_lock_bus *bus;
	struct kiosk_loop *loop;
	struct kiosk_locker_hooks hooks;
	const struct kiosk_config *cfg;
	/* doors whose unlock is queued or on the wire, by op (op 0 = free place) */
	struct kiosk_door pending[MAX_PENDING];
	int npending;
	unsigned long rounds, outcomes;
	/* the bus's port, borrowed for simulator lines (the worker owns it; it lives until
	 * the bus stops) */
	struct hal_lock *hal;
	bool simulated;
	char sim_link[300];
	bool board_used[MAX_BOARDS], board_silent[MAX_BOARDS];
	/* per compartment: alarms already raised for the current opening */
	struct {
		char id[16];
		bool forced_raised, left_open_raised;
		bool open; /* last read */
		bool item;
		bool sensor; /* the board reports an item sensor */
		/* may be unknown for want of an answer: ask the store to take it back once
		 * its board answers (set at start too, for an outage across a restart) */
		bool recheck;
	} seen[KIOSK_MAX_COMPARTMENTS];
	int nseen;
	unsigned long door_changes;
};

/* The simulated boards' pty lives beside the store: it belongs to this kiosk's data, not
 * to /dev. Boards: as many as the compartments name. */
static int open_simulated(struct kiosk_locker *l, const char *driver, struct hal_lock **hal,
			  char *why, size_t why_len)
{
	snprintf(l->sim_link, sizeof l->sim_link, "%s.lock-sim", l->cfg->store_path);
	int boards = 1;
	for (int i = 0; i < l->cfg->ncompartments; i++)
		if (l->cfg->compartments[i].board + 1 > boards)
			boards = l->cfg->compartments[i].board + 1;
	int rc = hal_lock_open_simulated(driver, l->sim_link, boards, hal);
	if (rc)
		snprintf(why, why_len, "lock simulator %s: %s", l->sim_link, kiosk_strerror(rc));
	return rc;
}

static void on_bus(struct kiosk_loop *loop, int fd, short revents, void *arg);

int kiosk_locker_open(const struct kiosk_config *cfg, struct kiosk_store *st, bool simulate,
		      struct kiosk_loop *loop, const struct kiosk_locker_hooks *hooks,
		      struct kiosk_locker **out, char *why, size_t why_len)
{
	*out = NULL;
	if (!cfg->ncompartments)
		return KIOSK_OK;
	const char *driver = cfg->lock.driver[0] ? cfg->lock.driver : "kerong-cu16";
	const struct hal_lock_driver *d = hal_lock_driver_find(driver);
	if (!d) {
		snprintf(why, why_len, "lock driver '%s' is not one of this build's", driver);
		return KIOSK_ENOENT;
	}
	struct kiosk_locker *l = kiosk_calloc(1, sizeof *l);
	if (!l)
		return KIOSK_ENOMEM;
	l->st = st;
	l->cfg = cfg;
	l->loop = loop;
	if (hooks)
		l->hooks = *hooks;
	int rc = KIOSK_OK;
	/* The doors of the config, in the store: new ones added, known ones kept as they
	 * are (a compartment's state belongs to the store, not to the config). */
	for (int i = 0; i < cfg->ncompartments && rc == KIOSK_OK; i++) {
		const struct kiosk_compartment_cfg *c = &cfg->compartments[i];
		enum kiosk_size size;
		struct kiosk_compartment have;
		kiosk_size_parse(c->size, &size);
		if (c->board >= d->max_boards || c->lock > d->locks_per_board) {
			snprintf(why, why_len, "compartment %s: %s has no board %d lock %d", c->id,
				 driver, c->board, c->lock);
			rc = KIOSK_ECONFIG;
			break;
		}
		if (kiosk_compartment_get(st, c->id, &have) == KIOSK_ENOENT)
			rc = kiosk_compartment_add(st, c->id, c->board, c->lock, size);
		if (rc)
			snprintf(why, why_len, "compartment %s (board %d lock %d): %s", c->id,
				 c->board, c->lock, kiosk_strerror(rc));
		l->board_used[c->board] = true;
		snprintf(l->seen[i].id, sizeof l->seen[i].id, "%s", c->id);
		l->seen[i].recheck = true;
	}
	l->nseen = cfg->ncompartments;
	/* The simulator is chosen by --simulate or by the config ("port": "simulator"). */
	l->simulated = simulate || strcmp(cfg->lock.port, KIOSK_LOCK_PORT_SIMULATOR) == 0;
	if (rc == KIOSK_OK && !l->simulated && !cfg->lock.port[0]) {
		snprintf(why, why_len, "$.lock.port is empty: name the lock bus's serial port, or run"
				       " with --simulate");
		rc = KIOSK_ECONFIG;
	}
	struct hal_lock *hal = NULL;
	if (rc == KIOSK_OK && l->simulated) {
		rc = open_simulated(l, driver, &hal, why, why_len);
	} else if (rc == KIOSK_OK) {
		rc = hal_lock_open(driver, cfg->lock.port, &hal);
		if (rc)
			snprintf(why, why_len, "lock bus %s on %s: %s", driver, cfg->lock.port,
				 kiosk_strerror(rc));
	}
	if (rc == KIOSK_OK) {
		rc = kiosk_lock_bus_start(hal, l->board_used, KIOSK_LOCKER_POLL_MS, &l->bus);
		if (rc) {
			hal_lock_close(hal);
			snprintf(why, why_len, "lock bus worker: %s", kiosk_strerror(rc));
		}
	}
	if (rc == KIOSK_OK) {
		l->hal = hal;
		rc = kiosk_loop_add_fd(loop, kiosk_lock_bus_fd(l->bus), POLLIN, on_bus, l);
		if (rc)
			snprintf(why, why_len, "lock bus: %s", kiosk_strerror(rc));
	}
	if (rc) {
		kiosk_locker_close(l);
		return rc;
	}
	KLOG_INFO("locker", "event=open driver=%s compartments=%d simulate=%d", driver,
		  cfg->ncompartments, l->simulated);
	*out = l;
	return KIOSK_OK;
}

void kiosk_locker_close(struct kiosk_locker *l)
{
	if (!l)
		return;
	if (l->bus) {
		kiosk_loop_del_fd(l->loop, kiosk_lock_bus_fd(l->bus));
		kiosk_lock_bus_stop(l->bus);
	}
	/* Doors still queued were never sent: their intents stay for recovery to settle. The
	 * bus closed the port, and with it the simulated boards. */
	kiosk_free(l);
}

bool kiosk_locker_can_queue(const struct kiosk_locker *l)
{
	return l->npending < MAX_PENDING;
}

int kiosk_locker_open_door(struct kiosk_locker *l, const struct kiosk_door *door,
			   int64_t deadline_ms)
{
	if (!kiosk_locker_can_queue(l))
		return KIOSK_EBUSY;
	int rc = kiosk_lock_bus_unlock(l->bus, door->op, door->board, door->lock, deadline_ms);
	if (rc)
		return rc;
	for (int i = 0; i < MAX_PENDING; i++) {
		if (l->pending[i].op == 0) {
			l->pending[i] = *door;
			l->npending++;
			break;
		}
	}
	return KIOSK_OK;
}

/* The board answered an unlock (or did not): record the outcome, then tell the core. */
static void door_outcome(struct kiosk_locker *l, const struct kiosk_lock_outcome *o)
{
	struct kiosk_door door = {0};
	for (int i = 0; i < MAX_PENDING; i++) {
		if (l->pending[i].op == o->tag) {
			door = l->pending[i];
			l->pending[i].op = 0;
			l->npending--;
			break;
		}
	}
	if (!door.op)
		return; /* not ours (cannot happen: tags are our ops) */
	int rc = o->rc;
	enum kiosk_door_result r = rc == KIOSK_OK	     ? KIOSK_DOOR_OPENED
				   : rc == KIOSK_EDEVICE  ? KIOSK_DOOR_JAMMED
				   : rc == KIOSK_EEXPIRED ? KIOSK_DOOR_NOT_SENT
							  : KIOSK_DOOR_UNKNOWN;
	int w = kiosk_door_outcome(l->st, door.op, r,
				   l->hooks.rules ? l->hooks.rules(l->hooks.arg, &door) : NULL);
	if (w)
		KLOG_ERROR("locker", "event=outcome_not_recorded op=%lld err=%s",
			   (long long)door.op, kiosk_errname(w));
	for (int i = 0; i < l->nseen; i++) {
		if (strcmp(l->seen[i].id, door.compartment) == 0) {
			l->seen[i].forced_raised = l->seen[i].left_open_raised = false;
			if (rc == KIOSK_OK && !l->seen[i].open) {
				l->seen[i].open = true; /* confirmed open by the driver */
				l->door_changes++;
			}
		}
	}
	l->outcomes++;
	if (l->hooks.on_door)
		l->hooks.on_door(l->hooks.arg, &door, rc);
}

struct poll_ctx {
	struct kiosk_locker *l;
	const struct hal_lock_status *st; /* [MAX_BOARDS] */
	bool ok[MAX_BOARDS];
};

static int check_one(void *arg, const struct kiosk_compartment *c)
{
	struct poll_ctx *p = arg;
	struct kiosk_locker *l = p->l;
	int i;
	for (i = 0; i < l->nseen && strcmp(l->seen[i].id, c->id); i++)
		;
	if (i == l->nseen || c->board >= MAX_BOARDS)
		return 0;
	if (!p->ok[c->board]) {
		kiosk_compartment_lost(l->st, c->id);
		l->seen[i].recheck = true;
		return 0;
	}
	bool open = !p->st[c->board].closed[c->lock - 1];
	bool item = p->st[c->board].has_item_sensor && p->st[c->board].item[c->lock - 1];
	/* The store keeps the item reading: a compartment with something inside is never
	 * allocated, and enabling one asks the operator to look. */
	if (item != c->item)
		kiosk_compartment_item(l->st, c->id, item);
	/* Unknown: asked again every round while its board answers, as the reading may
	 * settle it (the board came back; a door closed on the parcel in flight). */
	if (l->seen[i].recheck || strcmp(c->state, "unknown") == 0) {
		l->seen[i].recheck = false;
		struct kiosk_reading r = {p->st[c->board].has_item_sensor, open, item};
		if (strcmp(c->state, "unknown") == 0)
			kiosk_compartment_found(l->st, c->id, &r);
	}
	l->seen[i].sensor = p->st[c->board].has_item_sensor;
	if (item != l->seen[i].item) {
		l->seen[i].item = item;
		l->door_changes++;
	}
	if (open != l->seen[i].open) {
		l->seen[i].open = open;
		l->door_changes++;
	}
	if (!open) {
		l->seen[i].forced_raised = l->seen[i].left_open_raised = false;
		return 0;
	}
	/* Open. Was it opened by a command of ours? */
	int64_t since = -1;
	kiosk_door_open_since(l->st, c->id, &since);
	if (since < 0 && !l->seen[i].forced_raised && strcmp(c->state, "unknown") != 0) {
		KLOG_WARN("locker", "event=door_forced compartment=%s", c->id);
		kiosk_door_alarm(l->st, c->id, true, 0);
		l->seen[i].forced_raised = true;
	} else if (since >= (int64_t)KIOSK_DOOR_LEFT_OPEN_S * 1000 &&
		   !l->seen[i].left_open_raised) {
		KLOG_WARN("locker", "event=door_left_open compartment=%s seconds=%lld", c->id,
			  (long long)(since / 1000));
		kiosk_door_alarm(l->st, c->id, false, (int)(since / 1000));
		l->seen[i].left_open_raised = true;
		l->door_changes++; /* the screens say it plainly */
	}
	return 0;
}

/* A monitor round from the bus: silent boards logged when they go silent and when they
 * answer again (not every round), then every compartment checked against its board. */
static void apply_round(struct kiosk_locker *l, const struct kiosk_lock_outcome *o)
{
	struct poll_ctx p = {.l = l, .st = o->status};
	for (int b = 0; b < MAX_BOARDS; b++) {
		if (!l->board_used[b])
			continue;
		int rc = o->board_rc[b];
		p.ok[b] = rc == KIOSK_OK;
		if (rc && !l->board_silent[b])
			KLOG_ERROR("locker", "event=board_silent board=%d err=%s", b,
				   kiosk_errname(rc));
		else if (!rc && l->board_silent[b])
			KLOG_INFO("locker", "event=board_answers board=%d", b);
		l->board_silent[b] = rc != KIOSK_OK;
	}
	/* The bus's health, for status and the heartbeat: the first silent board names it. */
	char why[64] = "";
	for (int b = 0; b < MAX_BOARDS && !why[0]; b++)
		if (l->board_used[b] && l->board_silent[b])
			snprintf(why, sizeof why, "board %d does not answer", b);
	kiosk_lock_bus_health(l->bus, !why[0], why);
	kiosk_compartment_each(l->st, check_one, &p);
	l->rounds++;
	if (l->hooks.on_round)
		l->hooks.on_round(l->hooks.arg);
}

static void on_bus(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)fd;
	(void)revents;
	struct kiosk_locker *l = arg;
	struct kiosk_lock_outcome *o = kiosk_malloc(sizeof *o); /* ~2 KiB: not on the stack */
	if (!o)
		return; /* the fd stays readable: taken next round */
	while (kiosk_lock_bus_take(l->bus, o)) {
		if (o->kind == KIOSK_LOCK_UNLOCKED)
			door_outcome(l, o);
		else
			apply_round(l, o);
	}
	kiosk_free(o);
}

void kiosk_locker_poll_now(struct kiosk_locker *l)
{
	kiosk_lock_bus_poll_now(l->bus);
}

unsigned long kiosk_locker_rounds(const struct kiosk_locker *l)
{
	return l->rounds;
}

unsigned long kiosk_locker_outcomes(const struct kiosk_locker *l)
{
	return l->outcomes;
}

bool kiosk_locker_door_open(const struct kiosk_locker *l, const char *compartment)
{
	for (int i = 0; i < l->nseen; i++)
		if (strcmp(l->seen[i].id, compartment) == 0)
			return l->seen[i].open;
	return false;
}

bool kiosk_locker_left_open(const struct kiosk_locker *l, const char *compartment)
{
	for (int i = 0; i < l->nseen; i++)
		if (strcmp(l->seen[i].id, compartment) == 0)
			return l->seen[i].left_open_raised;
	return false;
}

bool kiosk_locker_item(const struct kiosk_locker *l, const char *compartment)
{
	for (int i = 0; i < l->nseen; i++)
		if (strcmp(l->seen[i].id, compartment) == 0)
			return l->seen[i].item;
	return false;
}

bool kiosk_locker_has_item_sensor(const struct kiosk_locker *l, const char *compartment)
{
	for (int i = 0; i < l->nseen; i++)
		if (strcmp(l->seen[i].id, compartment) == 0)
			return l->seen[i].sensor;
	return false;
}

unsigned long kiosk_locker_door_changes(const struct kiosk_locker *l)
{
	return l->door_changes;
}

bool kiosk_locker_healthy(const struct kiosk_locker *l)
{
	for (int b = 0; b < MAX_BOARDS; b++)
		if (l->board_used[b] && l->board_silent[b])
			return false;
	return true;
}

bool kiosk_locker_health(struct kiosk_locker *l, char *why, size_t cap)
{
	return kiosk_lock_bus_health_of(l->bus, why, cap);
}

int kiosk_locker_sim(struct kiosk_locker *l, const char *line)
{
	return l->simulated ? hal_lock_sim_command(l->hal, line) : KIOSK_ENOTSUP;
}

unsigned long kiosk_locker_sim_unlocks(const struct kiosk_locker *l)
{
	return l->simulated ? hal_lock_sim_unlocks(l->hal) : 0;
}
