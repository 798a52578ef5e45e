/* USB devices on this machine and the role each plays for the kiosk (the printer, a
 * scanner), matched by VID:PID or by interface class as the config says. Enumeration is
 * libusb's; matching is pure (unit-tested on descriptor data). */
#ifndef KIOSK_HAL_USB_H
#define KIOSK_HAL_USB_H

#include <stdbool.h>
#include <stdint.h>

#define USB_IF_MAX 8

/* One device, as its descriptors say. */
struct usb_dev_info {
	uint8_t bus, addr;
	uint16_t vid, pid;
	uint8_t dev_class;
	int nif;
	uint8_t if_class[USB_IF_MAX], if_subclass[USB_IF_MAX], if_protocol[USB_IF_MAX];
};

/* A role's rule: a device with this VID:PID (both nonzero), or else any device with an
 * interface of this class (if_class >= 0; with if_subclass/if_protocol when >= 0). */
struct usb_rule {
	const char *role;
	uint16_t vid, pid;
	int if_class, if_subclass, if_protocol;
};

bool usb_rule_match(const struct usb_rule *r, const struct usb_dev_info *d);
/* "VVVV:PPPP" (1 to 4 hex digits each, the whole of s) into *vid and *pid. Pure. */
bool usb_vidpid(const char *s, uint16_t *vid, uint16_t *pid);
/* The first rule of rules (n of them) that d matches, or NULL. */
const struct usb_rule *usb_role_of(const struct usb_rule *rules, int n,
				   const struct usb_dev_info *d);

/* Lists up to max devices into out, *n of them. KIOSK_OK (zero devices included: a
 * machine with no USB, or a container), KIOSK_EIO when libusb cannot start. */
int usb_list(struct usb_dev_info *out, int max, int *n);
/* The class's name ("printer", "hid", "cdc", "vendor", …). */
const char *usb_class_name(uint8_t c);

/* A watch on the USB devices that play a role: a thread of its own with a libusb context,
 * told of arrivals and departures by hotplug where the platform has it, else finding them
 * by a rescan every USB_RESCAN_MS. on_change(arg, role, arrived, d) runs on that thread for
 * each device of a role that came or went (and once for each present at start). */
#define USB_RESCAN_MS 2000
struct usb_watch;
typedef void (*usb_change_fn)(void *arg, const char *role, bool arrived,
			      const struct usb_dev_info *d);
/* rules are copied (role names must outlive the watch). KIOSK_EIO when libusb cannot start
 * here (no USB: nothing to watch), KIOSK_ENOMEM. */
int usb_watch_start(const struct usb_rule *rules, int n, usb_change_fn on_change, void *arg,
		    struct usb_watch **out);
/* Whether it runs on hotplug (else rescans). */
bool usb_watch_hotplug(const struct usb_watch *w);
/* Stops the thread (within one rescan period at most) and frees. NULL is fine. */
void usb_watch_stop(struct usb_watch *w);

#endif
