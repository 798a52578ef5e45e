#include "kiosk/mdb.h"
#include "kiosk/bus/mdb_bus.h"
#include "kiosk/devsvc.h"
#include "hal/mdb/mdb_link.h"
#include "hal/mdb/mdb_sim.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

struct kiosk_mdb {
	struct kiosk_devsvc svc; /* the bus's fd, its health, the simulator's thread */
	struct kiosk_mdb_hooks hooks;
	struct kiosk_mdb_bus *bus;
	int64_t next_tag;
	struct mdb_sim *sim;
	char sim_link[300];
};

static void emit(struct kiosk_mdb *c, const struct kiosk_card_event *e)
{
	if (c->hooks.on_event)
		c->hooks.on_event(c->hooks.arg, e);
}

static bool health(void *owner, char *why, size_t cap)
{
	return kiosk_mdb_bus_health(((struct kiosk_mdb *)owner)->bus, why, cap);
}

static unsigned devices(void *owner)
{
	struct kiosk_mdb_status st;
	kiosk_mdb_bus_status(((struct kiosk_mdb *)owner)->bus, &st);
	return (unsigned)st.card_ok | (unsigned)st.coin_ok << 1 | (unsigned)st.bill_ok << 2;
}

static void on_health(void *owner, bool ok, const char *why)
{
	struct kiosk_card_event e = {.kind = KIOSK_CEV_HEALTH, .tag = -1, .ok = ok};
	struct kiosk_mdb_status st;
	kiosk_mdb_bus_status(((struct kiosk_mdb *)owner)->bus, &st);
	snprintf(e.why, sizeof e.why, "%s", why);
	if (ok)
		KLOG_INFO("mdb", "event=devices card=%d coin=%d bill=%d", st.card_ok, st.coin_ok,
			  st.bill_ok);
	else
		KLOG_WARN("mdb", "event=fault why=\"%s\"", why);
	emit(owner, &e);
}

static void emit_cash(struct kiosk_mdb *c, const struct kiosk_mdb_outcome *o)
{
	static const enum kiosk_cash_ev_kind kinds[] = {
		[KIOSK_CASH_WAITING - KIOSK_CASH_WAITING] = KIOSK_XEV_WAITING,
		[KIOSK_CASH_IN - KIOSK_CASH_WAITING] = KIOSK_XEV_IN,
		[KIOSK_CASH_REFUSED - KIOSK_CASH_WAITING] = KIOSK_XEV_REFUSED,
		[KIOSK_CASH_PAID - KIOSK_CASH_WAITING] = KIOSK_XEV_PAID,
		[KIOSK_CASH_STOPPED - KIOSK_CASH_WAITING] = KIOSK_XEV_STOPPED,
		[KIOSK_CASH_PAYOUT - KIOSK_CASH_WAITING] = KIOSK_XEV_PAYOUT,
		[KIOSK_CASH_FAULT - KIOSK_CASH_WAITING] = KIOSK_XEV_FAULT,
	};
	struct kiosk_cash_event e = {.kind = kinds[o->kind - KIOSK_CASH_WAITING],
				     .tag = o->tag,
				     .fen = o->fen,
				     .total = o->total,
				     .owed = o->owed,
				     .exact = o->exact};
	memcpy(e.why, o->why, sizeof e.why);
	if (c->hooks.on_cash)
		c->hooks.on_cash(c->hooks.arg, &e);
}

static void on_outcomes(void *owner)
{
	struct kiosk_mdb *c = owner;
	static const enum kiosk_card_ev_kind kinds[] = {
		[KIOSK_CARD_WAITING] = KIOSK_CEV_WAITING,   [KIOSK_CARD_APPROVED] = KIOSK_CEV_APPROVED,
		[KIOSK_CARD_DENIED] = KIOSK_CEV_DENIED,     [KIOSK_CARD_ENDED] = KIOSK_CEV_ENDED,
		[KIOSK_CARD_CANCELLED] = KIOSK_CEV_CANCELLED, [KIOSK_CARD_FAULT] = KIOSK_CEV_FAULT,
	};
	struct kiosk_mdb_outcome o;
	while (kiosk_mdb_bus_take(c->bus, &o) == 1) {
		if (o.kind >= KIOSK_CASH_WAITING && o.kind <= KIOSK_CASH_FAULT) {
			emit_cash(c, &o);
			continue;
		}
		if (o.kind == KIOSK_CARD_NONE || (unsigned)o.kind > KIOSK_CARD_FAULT)
			continue;
		struct kiosk_card_event e = {.kind = kinds[o.kind], .tag = o.tag, .fen = o.fen};
		memcpy(e.why, o.why, sizeof e.why);
		emit(c, &e);
	}
}

static void sim_step(void *sim)
{
	mdb_sim_step(sim);
}

/* The simulated adapter beside the store: a cashless reader, a coin changer and a bill
 * validator behind it. */
static int open_simulated(struct kiosk_mdb *c, const struct kiosk_config *cfg, char *why,
			  size_t why_len)
{
	snprintf(c->sim_link, sizeof c->sim_link, "%s.mdb-sim", cfg->store_path);
	int rc = mdb_sim_new(c->sim_link, true, true, true, &c->sim);
	if (rc) {
		snprintf(why, why_len, "MDB simulator %s: %s", c->sim_link, kiosk_strerror(rc));
		return rc;
	}
	rc = kiosk_devsvc_sim_start(&c->svc, c->sim, mdb_sim_fd(c->sim), sim_step);
	if (rc)
		snprintf(why, why_len, "MDB simulator: no thread");
	return rc;
}

int kiosk_mdb_open(const struct kiosk_config *cfg, bool simulate, struct kiosk_loop *loop,
		    const struct kiosk_mdb_hooks *hooks, struct kiosk_mdb **out, char *why,
		    size_t why_len)
{
	*out = NULL;
	bool sim = simulate || strcmp(cfg->mdb.port, KIOSK_MDB_PORT_SIMULATOR) == 0;
	if (!cfg->mdb.driver[0] && !sim)
		return KIOSK_OK; /* no MDB devices fitted */
	/* the simulator is an adapter; a real bus has the link the config names */
	const char *link = sim || !cfg->mdb.driver[0] ? "adapter" : cfg->mdb.driver;
	if (strcmp(link, "adapter") != 0 && strcmp(link, "uart9") != 0) {
		snprintf(why, why_len, "$.mdb.driver: no link \"%s\" (this build has: %s)",
			 cfg->mdb.driver, mdb_link_names());
		return KIOSK_EINVAL;
	}
	if (!sim && !cfg->mdb.port[0]) {
		snprintf(why, why_len, "$.mdb.port is empty: name the MDB link's serial port,"
				       " or run with --simulate");
		return KIOSK_EINVAL;
	}
	struct kiosk_mdb *c = kiosk_calloc(1, sizeof *c);
	if (!c)
		return KIOSK_ENOMEM;
	kiosk_devsvc_init(&c->svc, loop);
	c->svc.owner = c;
	c->svc.on_outcomes = on_outcomes;
	c->svc.health = health;
	c->svc.on_health = on_health;
	c->svc.devices = devices;
	c->svc.healthy = false; /* until the reader is set up */
	if (hooks)
		c->hooks = *hooks;
	int rc = sim ? open_simulated(c, cfg, why, why_len) : KIOSK_OK;
	const char *port = sim ? c->sim_link : cfg->mdb.port;
	struct mdb_link *a = NULL;
	if (rc == KIOSK_OK) {
		rc = mdb_link_open(link, port, &a);
		if (rc)
			snprintf(why, why_len, "MDB %s link %s: %s", link, port, kiosk_strerror(rc));
	}
	if (rc == KIOSK_OK) {
		rc = kiosk_mdb_bus_start(a, &c->bus);
		if (rc)
			mdb_link_close(a);
	}
	if (rc == KIOSK_OK)
		rc = kiosk_devsvc_watch(&c->svc, kiosk_mdb_bus_fd(c->bus));
	if (rc) {
		if (!why[0])
			snprintf(why, why_len, "MDB %s link: %s", link, kiosk_strerror(rc));
		kiosk_mdb_close(c);
		return rc;
	}
	KLOG_INFO("mdb", "event=open link=%s port=%s simulate=%d", link,
		  sim ? "simulator" : port, sim);
	*out = c;
	return KIOSK_OK;
}

void kiosk_mdb_close(struct kiosk_mdb *c)
{
	if (!c)
		return;
	kiosk_devsvc_unwatch(&c->svc);
	kiosk_mdb_bus_stop(c->bus); /* closes the adapter */
	kiosk_devsvc_sim_stop(&c->svc);
	mdb_sim_free(c->sim);
	kiosk_free(c);
}

int kiosk_card_begin(struct kiosk_mdb *c, int64_t price_fen, int item, int64_t *tag)
{
	int64_t t = c->next_tag + 1;
	int rc = kiosk_mdb_bus_begin(c->bus, t, price_fen, item);
	if (rc == KIOSK_OK) {
		c->next_tag = t;
		*tag = t;
	}
	return rc;
}

int kiosk_card_end(struct kiosk_mdb *c, int64_t tag, bool success)
{
	return kiosk_mdb_bus_end(c->bus, tag, success);
}

int kiosk_card_cancel(struct kiosk_mdb *c, int64_t tag)
{
	return kiosk_mdb_bus_cancel(c->bus, tag);
}

int kiosk_cash_begin(struct kiosk_mdb *c, int64_t price_fen, int64_t *tag)
{
	int64_t t = c->next_tag + 1;
	int rc = kiosk_mdb_bus_cash_begin(c->bus, t, price_fen);
	if (rc == KIOSK_OK) {
		c->next_tag = t;
		*tag = t;
	}
	return rc;
}

int kiosk_cash_stop(struct kiosk_mdb *c, int64_t tag)
{
	return kiosk_mdb_bus_cash_stop(c->bus, tag);
}

int kiosk_cash_payout(struct kiosk_mdb *c, int64_t tag, int64_t fen)
{
	return kiosk_mdb_bus_cash_payout(c->bus, tag, fen);
}

void kiosk_mdb_status(struct kiosk_mdb *c, struct kiosk_mdb_status *out)
{
	kiosk_mdb_bus_status(c->bus, out);
}

bool kiosk_mdb_health(struct kiosk_mdb *c, char *why, size_t cap)
{
	return kiosk_mdb_bus_health(c->bus, why, cap);
}

bool kiosk_mdb_simulated(const struct kiosk_mdb *c)
{
	return c->sim != NULL;
}

int kiosk_mdb_sim(struct kiosk_mdb *c, const char *line)
{
	return c->sim ? mdb_sim_command(c->sim, line) : KIOSK_ENOTSUP;
}
