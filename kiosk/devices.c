/* The device services the core runs — the locker bank (kiosk/locker.c) and the vending
 * machine's drive board (kiosk/vending.c) — opened, closed and heard from in one place,
 * so core.c names no device. Each service's outcomes come back on the loop and go to the
 * flows: a door's to the flow that asked for it (doors.c), a board's events to every flow
 * that listens (on_vend), each settling only what is its own. */
#include "kiosk/core_int.h"
#include "kiosk/peripherals.h"
#include "hal/base/log.h"

#include <stdio.h>

static void on_round(void *arg)
{
	kiosk_core_round(arg);
}

static void on_vend(void *arg, const struct kiosk_vend_event *e)
{
	struct kiosk_core *c = arg;
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->on_vend)
			c->fx[f].self->on_vend(&c->fx[f], e);
	if (e->kind == KIOSK_VEV_HEALTH || e->kind == KIOSK_VEV_MACHINE)
		kiosk_core_publish(c); /* the board's state is on screen */
}

static void on_card(void *arg, const struct kiosk_card_event *e)
{
	struct kiosk_core *c = arg;
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->on_card)
			c->fx[f].self->on_card(&c->fx[f], e);
	if (e->kind == KIOSK_CEV_HEALTH)
		kiosk_core_publish(c);
}

static void on_cash(void *arg, const struct kiosk_cash_event *e)
{
	struct kiosk_core *c = arg;
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->on_cash)
			c->fx[f].self->on_cash(&c->fx[f], e);
}

static void on_scan(void *arg, const struct kiosk_scan_outcome *o)
{
	kiosk_core_on_scan(arg, o);
}

static void on_peripheral_health(void *arg, bool ok, const char *why)
{
	struct kiosk_core *c = arg;
	(void)ok, (void)why;
	kiosk_core_publish(c); /* Devices, status and the screens follow */
}

static void on_printed(void *arg, const struct kiosk_print_outcome *o)
{
	kiosk_core_print_done(arg, o);
}

static void on_printer_health(void *arg, bool ok, const char *why)
{
	kiosk_core_print_health(arg, ok, why);
}

/* The USB watch's thread: a printer or scanner came or went; told to the core's loop. */
static void on_usb(void *arg, const char *role, bool arrived, const struct usb_dev_info *d)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_USB_SEEN};
	snprintf(cmd.u.name.text, sizeof cmd.u.name.text, "%s %d", role, arrived ? 1 : 0);
	KLOG_INFO("usb", "event=seen role=%s arrived=%d id=%04x:%04x", role, arrived, d->vid,
		  d->pid);
	kiosk_core_submit(arg, &cmd, NULL);
}

/* The printer and the scanner: either failing to start leaves the rest serving. */
static void open_peripherals(struct kiosk_core *c, char *why, size_t why_len)
{
	struct kiosk_printing_hooks ph = {.on_done = on_printed, .on_health = on_printer_health,
					  .arg = c};
	int rc = kiosk_printing_open(&c->cfg, c->simulate, c->loop, &ph, &c->printing, why,
				     why_len);
	if (rc)
		KLOG_ERROR("core", "event=printer_unavailable reason=\"%s\"", why);
	snprintf(c->print_why, sizeof c->print_why, "%s", rc ? why : "");
	why[0] = '\0';
	struct kiosk_scanning_hooks sh = {.on_scan = on_scan, .on_health = on_peripheral_health,
					  .arg = c};
	rc = kiosk_scanning_open(&c->cfg, c->simulate, c->loop, &sh, &c->scanning, why, why_len);
	if (rc)
		KLOG_ERROR("core", "event=scanner_unavailable reason=\"%s\"", why);
	snprintf(c->scan_why, sizeof c->scan_why, "%s", rc ? why : "");
	why[0] = '\0';
	if (!c->simulate && kiosk_usb_wanted(&c->cfg)) {
		struct usb_rule rules[KIOSK_USB_RULES];
		int n = kiosk_usb_rules(&c->cfg, rules, KIOSK_USB_RULES);
		if (usb_watch_start(rules, n, on_usb, c, &c->usb_watch))
			c->usb_watch = NULL; /* no USB here: the buses look again by themselves */
	}
}

int kiosk_core_devices_open(struct kiosk_core *c, char *why, size_t why_len)
{
	struct kiosk_locker_hooks lh = {.on_door = kiosk_core_on_door,
					.rules = kiosk_core_door_rules, .on_round = on_round,
					.arg = c};
	int rc = kiosk_locker_open(&c->cfg, c->store, c->simulate, c->loop, &lh, &c->locker, why,
				   why_len);
	if (rc)
		return rc;
	struct kiosk_vending_hooks vh = {.on_event = on_vend, .arg = c};
	rc = kiosk_vending_open(&c->cfg, c->store, c->simulate, c->loop, &vh, &c->vending, why,
				why_len);
	if (rc) /* the lockers serve on: vending is offered as unavailable, with why */
		KLOG_ERROR("core", "event=vending_unavailable reason=\"%s\"", why);
	snprintf(c->vend_why, sizeof c->vend_why, "%s", rc ? why : "");
	why[0] = '\0';
	struct kiosk_mdb_hooks ch = {.on_event = on_card, .on_cash = on_cash, .arg = c};
	rc = kiosk_mdb_open(&c->cfg, c->simulate, c->loop, &ch, &c->mdb, why, why_len);
	if (rc) /* card and cash payments are not offered, with why */
		KLOG_ERROR("core", "event=mdb_unavailable reason=\"%s\"", why);
	snprintf(c->mdb_why, sizeof c->mdb_why, "%s", rc ? why : "");
	why[0] = '\0';
	open_peripherals(c, why, why_len);
	return KIOSK_OK;
}

void kiosk_core_devices_close(struct kiosk_core *c)
{
	usb_watch_stop(c->usb_watch);
	c->usb_watch = NULL;
	kiosk_scanning_close(c->scanning);
	c->scanning = NULL;
	kiosk_printing_close(c->printing);
	c->printing = NULL;
	kiosk_mdb_close(c->mdb);
	c->mdb = NULL;
	kiosk_vending_close(c->vending);
	c->vending = NULL;
	kiosk_locker_close(c->locker);
	c->locker = NULL;
}
