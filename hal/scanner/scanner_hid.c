/* A scanner in USB HID keyboard mode, through libusb: its boot keyboard reports read from
 * the interrupt IN endpoint and typed into codes (scan.h). The kernel's keyboard driver is
 * detached while we hold the interface (99-kiosk.rules keeps it from being bound at all),
 * so a scan never types into anything else. */
#include "hal/scanner/scanner.h"
#include "hal/usb.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hid_scanner {
	struct scanner base;
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface;
	unsigned char ep_in;
	struct scan_hid kbd;
};

/* The first HID boot-keyboard interface (class 3, subclass 1, protocol 1), else the first
 * HID interface, with its interrupt IN endpoint. */
static int find_in(libusb_device *dev, int *iface, unsigned char *ep)
{
	struct libusb_config_descriptor *cfg;
	if (libusb_get_active_config_descriptor(dev, &cfg))
		return KIOSK_EIO;
	int best = -1;
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface_descriptor *d = &cfg->interface[i].altsetting[0];
		if (cfg->interface[i].num_altsetting < 1 || d->bInterfaceClass != LIBUSB_CLASS_HID)
			continue;
		int score = d->bInterfaceSubClass == 1 && d->bInterfaceProtocol == 1 ? 2 : 1;
		for (int e = 0; e < d->bNumEndpoints; e++) {
			const struct libusb_endpoint_descriptor *ed = &d->endpoint[e];
			if ((ed->bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_INTERRUPT &&
			    (ed->bEndpointAddress & LIBUSB_ENDPOINT_IN) && score > best) {
				best = score;
				*iface = d->bInterfaceNumber;
				*ep = ed->bEndpointAddress;
			}
		}
	}
	libusb_free_config_descriptor(cfg);
	return best < 0 ? KIOSK_ENOENT : KIOSK_OK;
}

static int hid_open(const char *rest, struct scanner **out, char *why, size_t wlen)
{
	uint16_t vid = 0, pid = 0;
	usb_vidpid(rest, &vid, &pid); /* checked by the spec */
	struct hid_scanner *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	int r = libusb_init(&s->ctx), rc = KIOSK_EIO;
	if (r) {
		snprintf(why, wlen, "usb: %s", libusb_strerror(r));
		goto out_free;
	}
	s->h = libusb_open_device_with_vid_pid(s->ctx, vid, pid);
	if (!s->h) {
		snprintf(why, wlen, "hid:%04x:%04x: not plugged in, or not ours to open (see"
			 " 99-kiosk.rules)", vid, pid);
		rc = KIOSK_ENOENT;
		goto out_exit;
	}
	if ((rc = find_in(libusb_get_device(s->h), &s->iface, &s->ep_in))) {
		snprintf(why, wlen, "hid:%04x:%04x: no HID interface with an interrupt IN", vid,
			 pid);
		goto out_close;
	}
	libusb_set_auto_detach_kernel_driver(s->h, 1);
	if ((r = libusb_claim_interface(s->h, s->iface))) {
		snprintf(why, wlen, "hid:%04x:%04x: %s", vid, pid, libusb_strerror(r));
		rc = r == LIBUSB_ERROR_ACCESS ? KIOSK_EPERM : KIOSK_EIO;
		goto out_close;
	}
	/* SET_PROTOCOL boot: 8-byte reports whatever the report descriptor says (a device
	 * that has no boot protocol stalls this, and sends boot-shaped reports anyway) */
	libusb_control_transfer(s->h, 0x21, 0x0B, 0, (uint16_t)s->iface, NULL, 0, 500);
	scan_hid_init(&s->kbd);
	*out = &s->base;
	return KIOSK_OK;
out_close:
	libusb_close(s->h);
out_exit:
	libusb_exit(s->ctx);
out_free:
	kiosk_free(s);
	return rc;
}

static int hid_read(struct scanner *sc, enum scan_result *r, char *code, int timeout_ms)
{
	struct hid_scanner *s = (struct hid_scanner *)sc;
	int64_t deadline = kiosk_mono_ms() + timeout_ms;
	for (;;) {
		int64_t left = deadline - kiosk_mono_ms();
		if (left <= 0)
			return KIOSK_ETIMEDOUT;
		unsigned char rep[64];
		int n = 0;
		int e = libusb_interrupt_transfer(s->h, s->ep_in, rep, sizeof rep, &n,
						  (unsigned)left);
		if (e == LIBUSB_ERROR_TIMEOUT)
			return KIOSK_ETIMEDOUT;
		if (e)
			return KIOSK_EIO; /* unplugged: the bus opens it again */
		const char *c;
		enum scan_result got = scan_hid_feed(&s->kbd, rep, (size_t)n, &c);
		if (got != SCAN_NONE) {
			*r = got;
			if (c)
				memcpy(code, c, strlen(c) + 1);
			return KIOSK_OK;
		}
	}
}

static void hid_close(struct scanner *sc)
{
	struct hid_scanner *s = (struct hid_scanner *)sc;
	libusb_release_interface(s->h, s->iface);
	libusb_close(s->h);
	libusb_exit(s->ctx);
	kiosk_free(s);
}

const struct scanner_ops scanner_hid_ops = {"hid", hid_open, hid_read, hid_close};
