#include "kiosk/vending.h"
#include "kiosk/bus/vend_bus.h"
#include "kiosk/devsvc.h"
#include "hal/serial.h"
#include "hal/vend/fafb_link.h"
#include "hal/vend/fafb_sim.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kiosk_vending {
	struct kiosk_devsvc svc; /* the bus's fd, its health, the simulator's thread */
	struct kiosk_vending_hooks hooks;
	struct kiosk_vend_bus *bus;
	int64_t next_tag;
	struct fafb_sim *sim;
	char sim_link[300];
	/* the machine status, as the bus asks it when idle */
	struct fafb_machine machine;
	bool machine_known;
};

int kiosk_vend_slot_no(const char *slot)
{
	char *end;
	if (!slot || slot[0] < '1' || slot[0] > '9')
		return 0;
	long n = strtol(slot, &end, 10);
	return *end || n < 1 || n > KIOSK_VEND_MAX_SLOT ? 0 : (int)n;
}

static void emit(struct kiosk_vending *v, const struct kiosk_vend_event *e)
{
	if (v->hooks.on_event)
		v->hooks.on_event(v->hooks.arg, e);
}

/* What a report frame says, as an event; false for frames nobody acts on. */
static bool event_of(const struct kiosk_vend_outcome *o, struct kiosk_vend_event *e)
{
	uint8_t st, last = 0, mode;
	uint16_t slot;
	uint32_t fen;
	*e = (struct kiosk_vend_event){.tag = o->tag, .last = KIOSK_VEND_LAST_UNKNOWN};
	if (fafb_dispense_report(&o->frame, &st, &slot)) {
		e->kind = KIOSK_VEV_DISPENSE;
		e->slot = slot;
		e->status = st;
		e->final = st != FAFB_DISPENSING;
		e->dropped = st == FAFB_DISPENSED;
		char buf[32];
		snprintf(e->words, sizeof e->words, "%s", fafb_dispense_words(st, buf, sizeof buf));
		return true;
	}
	if (fafb_check_reply(&o->frame, &st, &slot)) {
		e->kind = KIOSK_VEV_CHECK;
		e->slot = slot;
		e->status = st;
		if (fafb_check_last(&o->frame, &last) && last == FAFB_DISPENSED)
			e->last = KIOSK_VEND_LAST_FELL;
		else if (last && last != FAFB_DISPENSING) /* (0: no record was sent or kept) */
			e->last = KIOSK_VEND_LAST_NOTHING; /* jammed, no motor … */
		return true;
	}
	if (fafb_money(&o->frame, &mode, &fen)) {
		e->kind = KIOSK_VEV_MONEY;
		e->mode = mode;
		e->fen = fen;
		return true;
	}
	return false; /* the status reply to the bus's hello, a sync: nothing to settle */
}

static bool health(void *owner, char *why, size_t cap)
{
	return kiosk_vend_bus_health(((struct kiosk_vending *)owner)->bus, why, cap);
}

static void on_health(void *owner, bool ok, const char *why)
{
	struct kiosk_vending *v = owner;
	struct kiosk_vend_event e = {.kind = KIOSK_VEV_HEALTH, .tag = -1, .ok = ok};
	snprintf(e.words, sizeof e.words, "%s", why);
	if (ok)
		KLOG_INFO("vending", "event=board_back");
	else
		KLOG_WARN("vending", "event=board_silent why=\"%s\"", why);
	emit(v, &e);
}

static void on_outcomes(void *owner)
{
	struct kiosk_vending *v = owner;
	struct kiosk_vend_outcome o;
	while (kiosk_vend_bus_take(v->bus, &o) == 1) {
		struct kiosk_vend_event e;
		struct fafb_machine m;
		if (o.kind == KIOSK_VEND_REPORT && fafb_machine_status(&o.frame, &m)) {
			bool changed = !v->machine_known || memcmp(&m, &v->machine, sizeof m) != 0;
			v->machine = m;
			v->machine_known = true;
			if (changed) {
				KLOG_INFO("vending", "event=machine door=%u cooling=%u bill=%u coin=%u"
					  " card=%u", m.door, m.temperature, m.bill, m.coin, m.card);
				emit(v, &(const struct kiosk_vend_event){.kind = KIOSK_VEV_MACHINE,
									 .tag = -1});
			}
			continue;
		}
		if (o.kind == KIOSK_VEND_ACKED)
			e = (struct kiosk_vend_event){.kind = KIOSK_VEV_SENT, .tag = o.tag,
						      .last = KIOSK_VEND_LAST_UNKNOWN};
		else if (o.kind == KIOSK_VEND_LOST)
			e = (struct kiosk_vend_event){.kind = KIOSK_VEV_LOST, .tag = o.tag,
						      .last = KIOSK_VEND_LAST_UNKNOWN};
		else if (!event_of(&o, &e))
			continue;
		if (e.tag >= 0 || e.kind != KIOSK_VEV_SENT)
			emit(v, &e);
	}
}

static void sim_step(void *sim)
{
	fafb_sim_step(sim);
}

/* The simulated board beside the store (it belongs to this kiosk's data), stocked as the
 * store's planogram says, so what the screen offers is what the board holds. */
static int open_simulated(struct kiosk_vending *v, const struct kiosk_config *cfg,
			  struct kiosk_store *st, char *why, size_t why_len)
{
	snprintf(v->sim_link, sizeof v->sim_link, "%s.vend-sim", cfg->store_path);
	int rc = fafb_sim_new(v->sim_link, KIOSK_VEND_MAX_SLOT, 0, &v->sim);
	if (rc) {
		snprintf(why, why_len, "vending simulator %s: %s", v->sim_link, kiosk_strerror(rc));
		return rc;
	}
	struct kiosk_vend_item *items = kiosk_calloc(KIOSK_VEND_MAX_SLOT, sizeof *items);
	int n = 0;
	if (items && kiosk_vend_items(st, items, KIOSK_VEND_MAX_SLOT, &n) == KIOSK_OK)
		for (int i = 0; i < n; i++) {
			char line[48];
			int no = kiosk_vend_slot_no(items[i].slot);
			snprintf(line, sizeof line, "stock %d %d", no, items[i].stock);
			if (no)
				fafb_sim_command(v->sim, line);
		}
	kiosk_free(items);
	rc = kiosk_devsvc_sim_start(&v->svc, v->sim, fafb_sim_fd(v->sim), sim_step);
	if (rc)
		snprintf(why, why_len, "vending simulator: no thread");
	return rc;
}

int kiosk_vending_open(const struct kiosk_config *cfg, struct kiosk_store *st, bool simulate,
		       struct kiosk_loop *loop, const struct kiosk_vending_hooks *hooks,
		       struct kiosk_vending **out, char *why, size_t why_len)
{
	*out = NULL;
	bool sim = simulate || strcmp(cfg->vend.port, KIOSK_VEND_PORT_SIMULATOR) == 0;
	if (!cfg->vend.driver[0] && !sim)
		return KIOSK_OK; /* no vending machine fitted */
	if (cfg->vend.driver[0] && strcmp(cfg->vend.driver, "fafb") != 0) {
		snprintf(why, why_len, "$.vend.driver: no driver \"%s\" (this build has: fafb)",
			 cfg->vend.driver);
		return KIOSK_EINVAL;
	}
	if (!sim && !cfg->vend.port[0]) {
		snprintf(why, why_len, "$.vend.port is empty: name the drive board's serial port,"
				       " or run with --simulate");
		return KIOSK_EINVAL;
	}
	struct kiosk_vending *v = kiosk_calloc(1, sizeof *v);
	if (!v)
		return KIOSK_ENOMEM;
	kiosk_devsvc_init(&v->svc, loop);
	v->svc.owner = v;
	v->svc.on_outcomes = on_outcomes;
	v->svc.health = health;
	v->svc.on_health = on_health;
	v->svc.healthy = true; /* a board polls from its power-on: said when it does not */
	if (hooks)
		v->hooks = *hooks;
	int rc = sim ? open_simulated(v, cfg, st, why, why_len) : KIOSK_OK;
	const char *port = sim ? v->sim_link : cfg->vend.port;
	struct hal_serial *s = NULL;
	if (rc == KIOSK_OK) {
		rc = hal_serial_open(port, FAFB_BAUD, &s);
		if (rc)
			snprintf(why, why_len, "vending board %s: %s", port, kiosk_strerror(rc));
	}
	if (rc == KIOSK_OK) {
		rc = kiosk_vend_bus_start(s, &v->bus);
		if (rc)
			hal_serial_close(s);
	}
	if (rc == KIOSK_OK)
		rc = kiosk_devsvc_watch(&v->svc, kiosk_vend_bus_fd(v->bus));
	if (rc) {
		if (!why[0])
			snprintf(why, why_len, "vending board: %s", kiosk_strerror(rc));
		kiosk_vending_close(v);
		return rc;
	}
	KLOG_INFO("vending", "event=open driver=fafb port=%s simulate=%d", sim ? "simulator" : port,
		  sim);
	*out = v;
	return KIOSK_OK;
}

bool kiosk_vending_machine(struct kiosk_vending *v, bool *door_open, bool *cooling_fault)
{
	*door_open = v->machine_known && v->machine.door;
	*cooling_fault = v->machine_known && v->machine.temperature;
	return v->machine_known;
}

bool kiosk_vending_takes_money(struct kiosk_vending *v)
{
	return v->machine_known && (!v->machine.bill || !v->machine.coin || !v->machine.card);
}

void kiosk_vending_close(struct kiosk_vending *v)
{
	if (!v)
		return;
	kiosk_devsvc_unwatch(&v->svc);
	kiosk_vend_bus_stop(v->bus); /* closes the port */
	kiosk_devsvc_sim_stop(&v->svc);
	fafb_sim_free(v->sim);
	kiosk_free(v);
}

static int send(struct kiosk_vending *v, const struct fafb_frame *f, int64_t *tag)
{
	int64_t t = v->next_tag + 1;
	int rc = kiosk_vend_bus_send(v->bus, t, f);
	if (rc == KIOSK_OK) {
		v->next_tag = t;
		*tag = t;
	}
	return rc;
}

int kiosk_vending_drive(struct kiosk_vending *v, int slot, int64_t *tag)
{
	if (slot < 1 || slot > KIOSK_VEND_MAX_SLOT)
		return KIOSK_EINVAL;
	struct fafb_frame f = fafb_drive(0, (uint16_t)slot, true, false);
	return send(v, &f, tag);
}

int kiosk_vending_check(struct kiosk_vending *v, int slot, int64_t *tag)
{
	if (slot < 1 || slot > KIOSK_VEND_MAX_SLOT)
		return KIOSK_EINVAL;
	struct fafb_frame f = fafb_check(0, (uint16_t)slot);
	return send(v, &f, tag);
}

int kiosk_vending_select(struct kiosk_vending *v, int slot, int64_t *tag)
{
	if (slot < 1 || slot > KIOSK_VEND_MAX_SLOT)
		return KIOSK_EINVAL;
	struct fafb_frame f = fafb_select(0, (uint16_t)slot);
	return send(v, &f, tag);
}

bool kiosk_vending_health(struct kiosk_vending *v, char *why, size_t cap)
{
	return kiosk_vend_bus_health(v->bus, why, cap);
}

bool kiosk_vending_simulated(const struct kiosk_vending *v)
{
	return v->sim != NULL;
}

int kiosk_vending_sim(struct kiosk_vending *v, const char *line)
{
	return v->sim ? fafb_sim_command(v->sim, line) : KIOSK_ENOTSUP;
}

int64_t kiosk_vending_slowest_us(struct kiosk_vending *v)
{
	return kiosk_vend_bus_slowest_us(v->bus);
}
