#include "kiosk/scanning.h"
#include "kiosk/devsvc.h"
#include "hal/scanner/scan_sim.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

struct kiosk_scanning {
	struct kiosk_devsvc svc; /* the bus's fd, its health, the simulator's thread */
	struct kiosk_scanning_hooks hooks;
	struct kiosk_scan_bus *bus;
	struct scan_sim *sim;
	char sim_link[300];
};

static bool health(void *owner, char *why, size_t cap)
{
	return kiosk_scan_bus_health(((struct kiosk_scanning *)owner)->bus, why, cap);
}

static void on_health(void *owner, bool ok, const char *why)
{
	struct kiosk_scanning *s = owner;
	if (ok)
		KLOG_INFO("scanner", "event=ok");
	else
		KLOG_WARN("scanner", "event=fault why=\"%s\"", why);
	if (s->hooks.on_health)
		s->hooks.on_health(s->hooks.arg, ok, why);
}

static void on_outcomes(void *owner)
{
	struct kiosk_scanning *s = owner;
	struct kiosk_scan_outcome o;
	while (kiosk_scan_bus_take(s->bus, &o) == 1) {
		o.code[sizeof o.code - 1] = '\0';
		if (s->hooks.on_scan)
			s->hooks.on_scan(s->hooks.arg, &o);
	}
}

static void sim_step(void *sim)
{
	scan_sim_step(sim);
}

int kiosk_scanning_open(const struct kiosk_config *cfg, bool simulate, struct kiosk_loop *loop,
			const struct kiosk_scanning_hooks *hooks, struct kiosk_scanning **out,
			char *why, size_t why_len)
{
	*out = NULL;
	if (!cfg->scanner.port[0] && !simulate)
		return KIOSK_OK; /* no scanner fitted */
	struct kiosk_scanning *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	kiosk_devsvc_init(&s->svc, loop);
	s->svc.owner = s;
	s->svc.on_outcomes = on_outcomes;
	s->svc.health = health;
	s->svc.on_health = on_health;
	s->svc.healthy = false; /* until it is open */
	if (hooks)
		s->hooks = *hooks;
	char spec[320];
	int rc = KIOSK_OK;
	if (simulate) {
		snprintf(s->sim_link, sizeof s->sim_link, "%s.scanner-sim", cfg->store_path);
		rc = scan_sim_new(s->sim_link, false, &s->sim);
		if (rc)
			snprintf(why, why_len, "scanner simulator %s: %s", s->sim_link,
				 kiosk_strerror(rc));
		if (rc == KIOSK_OK &&
		    (rc = kiosk_devsvc_sim_start(&s->svc, s->sim, scan_sim_fd(s->sim), sim_step)))
			snprintf(why, why_len, "scanner simulator: no thread");
		snprintf(spec, sizeof spec, "serial:%s", s->sim_link);
	} else {
		snprintf(spec, sizeof spec, "%s", cfg->scanner.port);
	}
	if (rc == KIOSK_OK && (rc = kiosk_scan_bus_start(spec, &s->bus)))
		snprintf(why, why_len, "scanner %s: %s", spec, kiosk_strerror(rc));
	if (rc == KIOSK_OK)
		rc = kiosk_devsvc_watch(&s->svc, kiosk_scan_bus_fd(s->bus));
	if (rc) {
		if (!why[0])
			snprintf(why, why_len, "scanner: %s", kiosk_strerror(rc));
		kiosk_scanning_close(s);
		return rc;
	}
	KLOG_INFO("scanner", "event=service spec=%s simulate=%d", simulate ? "simulator" : spec,
		  simulate);
	*out = s;
	return KIOSK_OK;
}

void kiosk_scanning_close(struct kiosk_scanning *s)
{
	if (!s)
		return;
	kiosk_devsvc_unwatch(&s->svc);
	kiosk_scan_bus_stop(s->bus);
	kiosk_devsvc_sim_stop(&s->svc);
	scan_sim_free(s->sim);
	kiosk_free(s);
}

bool kiosk_scanning_health(struct kiosk_scanning *s, char *why, size_t cap)
{
	return kiosk_scan_bus_health(s->bus, why, cap);
}

bool kiosk_scanning_simulated(const struct kiosk_scanning *s)
{
	return s->sim != NULL;
}

int kiosk_scanning_sim(struct kiosk_scanning *s, const char *line)
{
	return s && s->sim ? scan_sim_command(s->sim, line) : KIOSK_ENOTSUP;
}
