/* Receipts through the printer service: a flow's receipt (kiosk/receipt.h) encoded as an
 * ESC/POS job and handed to the printer's bus; the request that asked is answered when the
 * printer is done, with how it went. Printing is offered only while the printer can print,
 * and never holds a flow up: the flow has moved on long before the paper comes out. A
 * printer that stops serving is a device.fault for the platform, once per fault. */
#include "kiosk/core_int.h"
#include "kiosk/receipt.h"
#include "kiosk/neighbourhood.h"
#include "hal/printer/escpos.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

bool kiosk_core_printer_ok(struct kiosk_core *c)
{
	if (!c->printing)
		return false;
	enum printer_state st = kiosk_printing_state(c->printing);
	return st == PRINTER_OK || st == PRINTER_UNKNOWN;
}

int kiosk_core_print(struct kiosk_core *c, const struct kiosk_request *rq,
		     enum kiosk_cmd_type type, const struct kiosk_receipt *r)
{
	if (!c->printing)
		return KIOSK_ENOTSUP;
	if (!kiosk_core_printer_ok(c))
		return KIOSK_EDEVICE;
	int slot = -1;
	for (int i = 0; i < KIOSK_CORE_NPRINTS; i++)
		if (!c->prints[i].job)
			slot = i;
	if (slot < 0)
		return KIOSK_EBUSY;
	struct escpos e;
	const uint8_t *b;
	size_t n;
	int rc = escpos_begin(&e);
	if (rc == KIOSK_OK) {
		kiosk_receipt_encode(&e, r, c->cfg.device_id, kiosk_now_ms(), 8 * 60);
		rc = escpos_end(&e, &b, &n);
	}
	int64_t job = 0;
	if (rc == KIOSK_OK)
		rc = kiosk_printing_submit(c->printing, b, n, &job);
	escpos_free(&e);
	if (rc) {
		KLOG_WARN("printer", "event=not_queued err=%s", kiosk_errname(rc));
		return rc;
	}
	c->prints[slot].job = job;
	c->prints[slot].type = type;
	c->prints[slot].rq = rq ? *rq : (struct kiosk_request){0};
	KLOG_INFO("printer", "event=queued job=%lld bytes=%zu", (long long)job, n);
	return KIOSK_FLOW_PENDING;
}

void kiosk_core_print_done(struct kiosk_core *c, const struct kiosk_print_outcome *o)
{
	for (int i = 0; i < KIOSK_CORE_NPRINTS; i++) {
		if (c->prints[i].job != o->job)
			continue;
		struct kiosk_result res = {.type = c->prints[i].type, .rc = o->rc};
		struct kiosk_request rq = c->prints[i].rq;
		c->prints[i].job = 0;
		if (o->rc)
			KLOG_WARN("printer", "event=job_failed job=%lld err=%s why=\"%s\"",
				  (long long)o->job, kiosk_errname(o->rc), o->why);
		else
			KLOG_INFO("printer", "event=printed job=%lld", (long long)o->job);
		kiosk_core_answer(c, &rq, &res);
		return;
	}
}

void kiosk_core_print_health(struct kiosk_core *c, bool ok, const char *why)
{
	if (!ok && c->printing) {
		enum printer_state st = kiosk_printing_state(c->printing);
		const char *fault = st == PRINTER_PAPER_OUT ? "paper_out"
				    : st == PRINTER_ERROR   ? "printer_error"
							    : "printer_offline";
		if (strcmp(fault, c->print_fault) != 0) {
			snprintf(c->print_fault, sizeof c->print_fault, "%s", fault);
			if (kiosk_event_device_fault(c->store, "printer", fault, why) != KIOSK_OK)
				KLOG_WARN("printer", "event=fault_not_recorded fault=%s", fault);
		}
	} else if (ok) {
		c->print_fault[0] = '\0';
	}
	kiosk_core_publish(c);
}

void kiosk_core_usb_seen(struct kiosk_core *c, const struct kiosk_cmd *cmd)
{
	char role[16];
	int arrived = 0;
	if (sscanf(cmd->u.name.text, "%15s %d", role, &arrived) != 2)
		return;
	bool printer = strcmp(role, "printer") == 0;
	if (!printer && strcmp(role, "scanner") != 0)
		return;
	KLOG_INFO("usb", "event=%s role=%s", arrived ? "plugged_in" : "unplugged", role);
	/* the device's own status follows from its bus: the printer is asked at once, the
	 * scanner's bus opens it on its next look */
	if (printer && arrived && c->printing)
		kiosk_printing_poke(c->printing);
	kiosk_core_publish(c);
}

/* The walk to a place of the neighbourhood on paper: what it is, where, how long on foot,
 * the steps the map's card shows, and its position as a geo: QR code (map apps open it). */
static int route_receipt(struct kiosk_core *c, const char *id, struct kiosk_receipt *r)
{
	const struct kiosk_neighbourhood *nb = c->nb;
	size_t i = 0;
	while (nb && i < nb->nplaces && strcmp(nb->places[i].id, id) != 0)
		i++;
	if (!nb || i == nb->nplaces)
		return KIOSK_ENOENT;
	const struct kiosk_place *p = &nb->places[i];
	char line[160];
	static char steps[1600]; /* core thread only */
	snprintf(r->title, sizeof r->title, "步行路线");
	snprintf(r->title_en, sizeof r->title_en, "Walking directions");
	snprintf(line, sizeof line, "%.60s %.60s", p->name_zh, p->name_en);
	kiosk_receipt_add(r, line);
	if (p->address[0])
		kiosk_receipt_add(r, p->address);
	if (p->seconds >= 0) {
		snprintf(line, sizeof line, "步行约 %d 分钟 About %d min on foot (%.0f m)",
			 (int)(p->seconds / 60.0 + 0.999), (int)(p->seconds / 60.0 + 0.999),
			 p->metres);
		kiosk_receipt_add(r, line);
	}
	kiosk_neighbourhood_directions(nb, i, false, steps, sizeof steps);
	int n = 1;
	for (char *s = steps, *e; s && *s; s = e ? e + 1 : NULL) {
		e = strchr(s, '\n');
		if (e)
			*e = '\0';
		snprintf(line, sizeof line, "%d. %.140s", n++, s);
		kiosk_receipt_add(r, line);
	}
	snprintf(r->qr, sizeof r->qr, "geo:%.6f,%.6f", p->lat, p->lon);
	snprintf(r->foot, sizeof r->foot, "扫码在手机地图中打开 Scan for your phone's map");
	return KIOSK_OK;
}

void kiosk_core_print_route(struct kiosk_core *c, const struct kiosk_request *rq,
			    const struct kiosk_cmd *cmd)
{
	char id[64];
	snprintf(id, sizeof id, "%.63s", cmd->u.name.text);
	struct kiosk_receipt r = {0};
	struct kiosk_result res = {.type = KIOSK_CMD_PRINT_ROUTE};
	res.rc = route_receipt(c, id, &r);
	if (res.rc == KIOSK_OK)
		res.rc = kiosk_core_print(c, rq, KIOSK_CMD_PRINT_ROUTE, &r);
	if (res.rc != KIOSK_FLOW_PENDING)
		kiosk_core_answer(c, rq, &res);
}
