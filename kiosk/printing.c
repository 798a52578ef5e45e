#include "kiosk/printing.h"
#include "kiosk/devsvc.h"
#include "hal/printer/printer_sim.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

struct kiosk_printing {
	struct kiosk_devsvc svc; /* the bus's fd, its health, the simulator's thread */
	struct kiosk_printing_hooks hooks;
	struct kiosk_print_bus *bus;
	int64_t next_job;
	struct printer_sim *sim;
	char sim_file[320];
};

static bool health(void *owner, char *why, size_t cap)
{
	return kiosk_print_bus_health(((struct kiosk_printing *)owner)->bus, why, cap);
}

static void on_health(void *owner, bool ok, const char *why)
{
	struct kiosk_printing *p = owner;
	if (ok)
		KLOG_INFO("printer", "event=ok");
	else
		KLOG_WARN("printer", "event=fault why=\"%s\"", why);
	if (p->hooks.on_health)
		p->hooks.on_health(p->hooks.arg, ok, why);
}

static void on_outcomes(void *owner)
{
	struct kiosk_printing *p = owner;
	struct kiosk_print_outcome o;
	while (kiosk_print_bus_take(p->bus, &o) == 1)
		if (o.kind == KIOSK_PRINT_DONE && p->hooks.on_done)
			p->hooks.on_done(p->hooks.arg, &o);
	kiosk_devsvc_check(&p->svc); /* a job's end may have changed what the printer says */
}

static void sim_step(void *sim)
{
	printer_sim_step(sim);
}

int kiosk_printing_open(const struct kiosk_config *cfg, bool simulate, struct kiosk_loop *loop,
			const struct kiosk_printing_hooks *hooks, struct kiosk_printing **out,
			char *why, size_t why_len)
{
	*out = NULL;
	if (!cfg->printer.port[0] && !simulate)
		return KIOSK_OK; /* no printer fitted */
	struct kiosk_printing *p = kiosk_calloc(1, sizeof *p);
	if (!p)
		return KIOSK_ENOMEM;
	kiosk_devsvc_init(&p->svc, loop);
	p->svc.owner = p;
	p->svc.on_outcomes = on_outcomes;
	p->svc.health = health;
	p->svc.on_health = on_health;
	p->svc.healthy = false; /* until it answers */
	if (hooks)
		p->hooks = *hooks;
	char spec[340];
	int rc = KIOSK_OK;
	/* under --simulate a printer that is a file is used as it is (tests read it back);
	 * any other is played by the simulated network printer */
	if (simulate && strncmp(cfg->printer.port, "file:", 5) != 0) {
		snprintf(p->sim_file, sizeof p->sim_file, "%s.printer-sim.bin", cfg->store_path);
		rc = printer_sim_new(0, p->sim_file, &p->sim, why, why_len);
		if (rc == KIOSK_OK &&
		    (rc = kiosk_devsvc_sim_start(&p->svc, p->sim, printer_sim_fd(p->sim), sim_step)))
			snprintf(why, why_len, "printer simulator: no thread");
		snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", p->sim ? printer_sim_port(p->sim) : 0);
	} else {
		snprintf(spec, sizeof spec, "%s", cfg->printer.port);
	}
	if (rc == KIOSK_OK && (rc = kiosk_print_bus_start(spec, &p->bus)))
		snprintf(why, why_len, "printer %s: %s", spec, kiosk_strerror(rc));
	if (rc == KIOSK_OK)
		rc = kiosk_devsvc_watch(&p->svc, kiosk_print_bus_fd(p->bus));
	if (rc) {
		if (!why[0])
			snprintf(why, why_len, "printer: %s", kiosk_strerror(rc));
		kiosk_printing_close(p);
		return rc;
	}
	KLOG_INFO("printer", "event=service spec=%s simulate=%d", spec, simulate);
	*out = p;
	return KIOSK_OK;
}

void kiosk_printing_close(struct kiosk_printing *p)
{
	if (!p)
		return;
	kiosk_devsvc_unwatch(&p->svc);
	kiosk_print_bus_stop(p->bus);
	kiosk_devsvc_sim_stop(&p->svc);
	printer_sim_free(p->sim);
	kiosk_free(p);
}

int kiosk_printing_submit(struct kiosk_printing *p, const uint8_t *bytes, size_t n,
			  int64_t *job)
{
	int64_t id = p->next_job + 1;
	int rc = kiosk_print_bus_submit(p->bus, id, bytes, n);
	if (rc == KIOSK_OK) {
		p->next_job = id;
		*job = id;
	}
	return rc;
}

bool kiosk_printing_health(struct kiosk_printing *p, char *why, size_t cap)
{
	return kiosk_print_bus_health(p->bus, why, cap);
}

bool kiosk_printing_known(struct kiosk_printing *p)
{
	return kiosk_print_bus_known(p->bus);
}

enum printer_state kiosk_printing_state(struct kiosk_printing *p)
{
	return kiosk_print_bus_state(p->bus);
}

void kiosk_printing_poke(struct kiosk_printing *p)
{
	kiosk_print_bus_poll_now(p->bus);
}

bool kiosk_printing_simulated(const struct kiosk_printing *p)
{
	return p->sim != NULL;
}

int kiosk_printing_sim(struct kiosk_printing *p, const char *line)
{
	return p && p->sim ? printer_sim_command(p->sim, line) : KIOSK_ENOTSUP;
}

const char *kiosk_printing_sim_file(const struct kiosk_printing *p)
{
	return p && p->sim ? p->sim_file : "";
}
