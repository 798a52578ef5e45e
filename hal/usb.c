#include "hal/usb.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <libusb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 1..4 hex digits, the whole of s[0..n). */
static bool hex16(const char *s, size_t n)
{
	if (n < 1 || n > 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

bool usb_vidpid(const char *s, uint16_t *vid, uint16_t *pid)
{
	const char *colon = strchr(s, ':');
	if (!colon || !hex16(s, (size_t)(colon - s)) || !hex16(colon + 1, strlen(colon + 1)))
		return false;
	*vid = (uint16_t)strtoul(s, NULL, 16);
	*pid = (uint16_t)strtoul(colon + 1, NULL, 16);
	return true;
}

bool usb_rule_match(const struct usb_rule *r, const struct usb_dev_info *d)
{
	if (r->vid && r->pid)
		return r->vid == d->vid && r->pid == d->pid;
	if (r->if_class < 0)
		return false;
	for (int i = 0; i < d->nif && i < USB_IF_MAX; i++)
		if (d->if_class[i] == r->if_class &&
		    (r->if_subclass < 0 || d->if_subclass[i] == r->if_subclass) &&
		    (r->if_protocol < 0 || d->if_protocol[i] == r->if_protocol))
			return true;
	return false;
}

const struct usb_rule *usb_role_of(const struct usb_rule *rules, int n,
				   const struct usb_dev_info *d)
{
	for (int i = 0; i < n; i++)
		if (usb_rule_match(&rules[i], d))
			return &rules[i];
	return NULL;
}

const char *usb_class_name(uint8_t c)
{
	switch (c) {
	case 0x00: return "per-interface";
	case 0x02: return "cdc";
	case 0x03: return "hid";
	case 0x07: return "printer";
	case 0x08: return "storage";
	case 0x09: return "hub";
	case 0x0A: return "cdc-data";
	case 0x0E: return "video";
	case 0xE0: return "wireless";
	case 0xEF: return "misc";
	case 0xFF: return "vendor";
	default: return "other";
	}
}

static void describe(libusb_device *dev, struct usb_dev_info *d)
{
	struct libusb_device_descriptor dd;
	memset(d, 0, sizeof *d);
	d->bus = libusb_get_bus_number(dev);
	d->addr = libusb_get_device_address(dev);
	if (libusb_get_device_descriptor(dev, &dd) == 0) {
		d->vid = dd.idVendor;
		d->pid = dd.idProduct;
		d->dev_class = dd.bDeviceClass;
	}
	struct libusb_config_descriptor *cfg;
	if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
	    libusb_get_config_descriptor(dev, 0, &cfg) != 0)
		return;
	for (int i = 0; i < cfg->bNumInterfaces && d->nif < USB_IF_MAX; i++) {
		if (cfg->interface[i].num_altsetting < 1)
			continue;
		const struct libusb_interface_descriptor *a = &cfg->interface[i].altsetting[0];
		d->if_class[d->nif] = a->bInterfaceClass;
		d->if_subclass[d->nif] = a->bInterfaceSubClass;
		d->if_protocol[d->nif] = a->bInterfaceProtocol;
		d->nif++;
	}
	libusb_free_config_descriptor(cfg);
}

int usb_list(struct usb_dev_info *out, int max, int *n)
{
	*n = 0;
	libusb_context *ctx;
	int r = libusb_init(&ctx);
	if (r) {
		KLOG_WARN("usb", "event=no_libusb err=\"%s\"", libusb_strerror(r));
		return KIOSK_EIO;
	}
	libusb_device **list;
	ssize_t cnt = libusb_get_device_list(ctx, &list);
	for (ssize_t i = 0; i < cnt && *n < max; i++)
		describe(list[i], &out[(*n)++]);
	if (cnt >= 0)
		libusb_free_device_list(list, 1);
	libusb_exit(ctx);
	return KIOSK_OK;
}

/* ---- the watch ---- */

#define WATCH_RULES 8
#define WATCH_SEEN 16

struct usb_watch {
	libusb_context *ctx;
	struct usb_rule rules[WATCH_RULES];
	int nrules;
	usb_change_fn on_change;
	void *arg;
	pthread_t thread;
	atomic_bool stop;
	bool hotplug;
	libusb_hotplug_callback_handle cb;
	/* what was there at the last look (rescan), by bus:addr */
	struct usb_dev_info seen[WATCH_SEEN];
	int nseen;
	bool changed; /* hotplug said something: look again now */
};

/* Looks at every device; says what of a role came or went since the last look. */
static void rescan(struct usb_watch *w)
{
	struct usb_dev_info now[WATCH_SEEN * 4];
	int n = 0;
	libusb_device **list;
	ssize_t cnt = libusb_get_device_list(w->ctx, &list);
	for (ssize_t i = 0; i < cnt && n < (int)(sizeof now / sizeof now[0]); i++) {
		describe(list[i], &now[n]);
		if (usb_role_of(w->rules, w->nrules, &now[n]))
			n++;
	}
	if (cnt >= 0)
		libusb_free_device_list(list, 1);
	for (int i = 0; i < w->nseen; i++) { /* gone */
		bool still = false;
		for (int k = 0; k < n; k++)
			still = still || (now[k].bus == w->seen[i].bus && now[k].addr == w->seen[i].addr);
		const struct usb_rule *r = usb_role_of(w->rules, w->nrules, &w->seen[i]);
		if (!still && r)
			w->on_change(w->arg, r->role, false, &w->seen[i]);
	}
	for (int k = 0; k < n; k++) { /* came */
		bool was = false;
		for (int i = 0; i < w->nseen; i++)
			was = was || (now[k].bus == w->seen[i].bus && now[k].addr == w->seen[i].addr);
		const struct usb_rule *r = usb_role_of(w->rules, w->nrules, &now[k]);
		if (!was && r)
			w->on_change(w->arg, r->role, true, &now[k]);
	}
	w->nseen = n < WATCH_SEEN ? n : WATCH_SEEN;
	memcpy(w->seen, now, sizeof now[0] * (size_t)w->nseen);
}

static int on_hotplug(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event ev,
		      void *arg)
{
	(void)ctx, (void)dev, (void)ev;
	((struct usb_watch *)arg)->changed = true; /* the look itself runs outside libusb's */
	return 0;
}

static void *watch_main(void *arg)
{
	struct usb_watch *w = arg;
	rescan(w); /* what is there at start */
	int64_t waited = 0;
	while (!atomic_load(&w->stop)) {
		/* short turns, so a stop is seen soon */
		struct timeval tv = {0, 200 * 1000};
		if (w->hotplug)
			libusb_handle_events_timeout_completed(w->ctx, &tv, NULL);
		else
			nanosleep(&(struct timespec){0, 200 * 1000000L}, NULL);
		waited += 200;
		if (w->changed || (!w->hotplug && waited >= USB_RESCAN_MS)) {
			w->changed = false;
			waited = 0;
			rescan(w);
		}
	}
	return NULL;
}

int usb_watch_start(const struct usb_rule *rules, int n, usb_change_fn on_change, void *arg,
		    struct usb_watch **out)
{
	*out = NULL;
	struct usb_watch *w = kiosk_calloc(1, sizeof *w);
	if (!w)
		return KIOSK_ENOMEM;
	w->nrules = n < WATCH_RULES ? n : WATCH_RULES;
	memcpy(w->rules, rules, sizeof rules[0] * (size_t)w->nrules);
	w->on_change = on_change;
	w->arg = arg;
	atomic_init(&w->stop, false);
	int r = libusb_init(&w->ctx);
	if (r) {
		KLOG_WARN("usb", "event=no_watch err=\"%s\"", libusb_strerror(r));
		kiosk_free(w);
		return KIOSK_EIO;
	}
	w->hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
		     libusb_hotplug_register_callback(
			     w->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
			     0, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
			     LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, w, &w->cb) == LIBUSB_SUCCESS;
	if (pthread_create(&w->thread, NULL, watch_main, w)) {
		if (w->hotplug)
			libusb_hotplug_deregister_callback(w->ctx, w->cb);
		libusb_exit(w->ctx);
		kiosk_free(w);
		return KIOSK_ENOMEM;
	}
	KLOG_INFO("usb", "event=watch hotplug=%d rules=%d", w->hotplug, w->nrules);
	*out = w;
	return KIOSK_OK;
}

bool usb_watch_hotplug(const struct usb_watch *w)
{
	return w->hotplug;
}

void usb_watch_stop(struct usb_watch *w)
{
	if (!w)
		return;
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	if (w->hotplug)
		libusb_hotplug_deregister_callback(w->ctx, w->cb);
	libusb_exit(w->ctx);
	kiosk_free(w);
}
