#include "kiosk/card.h"
#include "kiosk/bus/card_bus.h"
#include "hal/mdb/mdb_adapter.h"
#include "hal/mdb/mdb_sim.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define HEALTH_MS 500

struct kiosk_card {
	struct kiosk_loop *loop;
	struct kiosk_card_hooks hooks;
	struct kiosk_card_bus *bus;
	int fd, health_timer;
	bool healthy;
	int64_t next_tag;
	struct mdb_sim *sim;
	pthread_t sim_thread;
	bool sim_running;
	atomic_bool sim_stop;
	char sim_link[300];
};

static void emit(struct kiosk_card *c, const struct kiosk_card_event *e)
{
	if (c->hooks.on_event)
		c->hooks.on_event(c->hooks.arg, e);
}

static void tell_health(struct kiosk_card *c)
{
	struct kiosk_card_event e = {.kind = KIOSK_CEV_HEALTH, .tag = -1};
	e.ok = kiosk_card_bus_health(c->bus, e.why, sizeof e.why);
	if (e.ok == c->healthy)
		return;
	c->healthy = e.ok;
	if (e.ok)
		KLOG_INFO("card", "event=reader_ok");
	else
		KLOG_WARN("card", "event=reader_fault why=\"%s\"", e.why);
	emit(c, &e);
}

static void on_bus(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)fd;
	(void)revents;
	struct kiosk_card *c = arg;
	static const enum kiosk_card_ev_kind kinds[] = {
		[KIOSK_CARD_WAITING] = KIOSK_CEV_WAITING,   [KIOSK_CARD_APPROVED] = KIOSK_CEV_APPROVED,
		[KIOSK_CARD_DENIED] = KIOSK_CEV_DENIED,     [KIOSK_CARD_ENDED] = KIOSK_CEV_ENDED,
		[KIOSK_CARD_CANCELLED] = KIOSK_CEV_CANCELLED, [KIOSK_CARD_FAULT] = KIOSK_CEV_FAULT,
	};
	struct kiosk_card_outcome o;
	tell_health(c);
	while (kiosk_card_bus_take(c->bus, &o) == 1) {
		if (o.kind == KIOSK_CARD_NONE || (unsigned)o.kind > KIOSK_CARD_FAULT)
			continue;
		struct kiosk_card_event e = {.kind = kinds[o.kind], .tag = o.tag, .fen = o.fen};
		memcpy(e.why, o.why, sizeof e.why);
		emit(c, &e);
	}
}

static int64_t on_health(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	tell_health(arg);
	return HEALTH_MS;
}

static void *sim_main(void *arg)
{
	struct kiosk_card *c = arg;
	struct pollfd p = {.fd = mdb_sim_fd(c->sim), .events = POLLIN};
	while (!atomic_load(&c->sim_stop)) {
		(void)poll(&p, 1, 10);
		mdb_sim_step(c->sim);
	}
	return NULL;
}

/* The simulated adapter beside the store, a cashless reader behind it. */
static int open_simulated(struct kiosk_card *c, const struct kiosk_config *cfg, char *why,
			  size_t why_len)
{
	snprintf(c->sim_link, sizeof c->sim_link, "%s.mdb-sim", cfg->store_path);
	int rc = mdb_sim_new(c->sim_link, true, false, false, &c->sim);
	if (rc) {
		snprintf(why, why_len, "MDB simulator %s: %s", c->sim_link, kiosk_strerror(rc));
		return rc;
	}
	atomic_store(&c->sim_stop, false);
	if (pthread_create(&c->sim_thread, NULL, sim_main, c) != 0) {
		snprintf(why, why_len, "MDB simulator: no thread");
		return KIOSK_ENOMEM;
	}
	c->sim_running = true;
	return KIOSK_OK;
}

int kiosk_card_open(const struct kiosk_config *cfg, bool simulate, struct kiosk_loop *loop,
		    const struct kiosk_card_hooks *hooks, struct kiosk_card **out, char *why,
		    size_t why_len)
{
	*out = NULL;
	bool sim = simulate || strcmp(cfg->mdb.port, KIOSK_MDB_PORT_SIMULATOR) == 0;
	if (!cfg->mdb.driver[0] && !sim)
		return KIOSK_OK; /* no MDB devices fitted */
	if (cfg->mdb.driver[0] && strcmp(cfg->mdb.driver, "adapter") != 0) {
		snprintf(why, why_len, "$.mdb.driver: no link \"%s\" (this build has: adapter)",
			 cfg->mdb.driver);
		return KIOSK_EINVAL;
	}
	if (!sim && !cfg->mdb.port[0]) {
		snprintf(why, why_len, "$.mdb.port is empty: name the MDB adapter's serial port,"
				       " or run with --simulate");
		return KIOSK_EINVAL;
	}
	struct kiosk_card *c = kiosk_calloc(1, sizeof *c);
	if (!c)
		return KIOSK_ENOMEM;
	c->loop = loop;
	c->fd = -1;
	c->healthy = false; /* until the reader is set up */
	if (hooks)
		c->hooks = *hooks;
	int rc = sim ? open_simulated(c, cfg, why, why_len) : KIOSK_OK;
	const char *port = sim ? c->sim_link : cfg->mdb.port;
	struct mdb_adapter *a = NULL;
	if (rc == KIOSK_OK) {
		rc = mdb_adapter_open(port, &a);
		if (rc)
			snprintf(why, why_len, "MDB adapter %s: %s", port, kiosk_strerror(rc));
	}
	if (rc == KIOSK_OK) {
		rc = kiosk_card_bus_start(a, &c->bus);
		if (rc)
			mdb_adapter_close(a);
	}
	if (rc == KIOSK_OK) {
		c->fd = kiosk_card_bus_fd(c->bus);
		rc = kiosk_loop_add_fd(loop, c->fd, POLLIN, on_bus, c);
	}
	if (rc == KIOSK_OK) {
		int t = kiosk_loop_add_timer(loop, HEALTH_MS, on_health, c);
		rc = t < 0 ? t : KIOSK_OK;
		c->health_timer = t > 0 ? t : 0;
	}
	if (rc) {
		if (!why[0])
			snprintf(why, why_len, "MDB adapter: %s", kiosk_strerror(rc));
		kiosk_card_close(c);
		return rc;
	}
	KLOG_INFO("card", "event=open link=adapter port=%s simulate=%d", sim ? "simulator" : port,
		  sim);
	*out = c;
	return KIOSK_OK;
}

void kiosk_card_close(struct kiosk_card *c)
{
	if (!c)
		return;
	if (c->health_timer)
		kiosk_loop_del_timer(c->loop, c->health_timer);
	if (c->fd >= 0)
		kiosk_loop_del_fd(c->loop, c->fd);
	kiosk_card_bus_stop(c->bus); /* closes the adapter */
	if (c->sim_running) {
		atomic_store(&c->sim_stop, true);
		pthread_join(c->sim_thread, NULL);
	}
	mdb_sim_free(c->sim);
	kiosk_free(c);
}

int kiosk_card_begin(struct kiosk_card *c, int64_t price_fen, int item, int64_t *tag)
{
	int64_t t = c->next_tag + 1;
	int rc = kiosk_card_bus_begin(c->bus, t, price_fen, item);
	if (rc == KIOSK_OK) {
		c->next_tag = t;
		*tag = t;
	}
	return rc;
}

int kiosk_card_end(struct kiosk_card *c, int64_t tag, bool success)
{
	return kiosk_card_bus_end(c->bus, tag, success);
}

int kiosk_card_cancel(struct kiosk_card *c, int64_t tag)
{
	return kiosk_card_bus_cancel(c->bus, tag);
}

bool kiosk_card_health(struct kiosk_card *c, char *why, size_t cap)
{
	return kiosk_card_bus_health(c->bus, why, cap);
}

bool kiosk_card_simulated(const struct kiosk_card *c)
{
	return c->sim != NULL;
}

int kiosk_card_sim(struct kiosk_card *c, const char *line)
{
	return c->sim ? mdb_sim_command(c->sim, line) : KIOSK_ENOTSUP;
}
