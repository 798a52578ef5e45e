/* A USB printer (class 07) through libusb: its bulk OUT endpoint carries the job, the class
 * request GET_PORT_STATUS its state (PROTOCOLS.md §5). The kernel's usblp driver is
 * detached from the interface while we hold it and given back when we let go. */
#include "hal/printer/printer.h"
#include "hal/usb.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct usb_printer {
	struct printer base;
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface;
	unsigned char ep_out;
};

static int usb_err(int e)
{
	switch (e) {
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_NOT_FOUND:
		return KIOSK_ENOENT;
	case LIBUSB_ERROR_ACCESS:
		return KIOSK_EPERM;
	case LIBUSB_ERROR_TIMEOUT:
		return KIOSK_ETIMEDOUT;
	case LIBUSB_ERROR_BUSY:
		return KIOSK_EBUSY;
	case LIBUSB_ERROR_NO_MEM:
		return KIOSK_ENOMEM;
	default:
		return KIOSK_EIO;
	}
}

/* The first printer-class interface of the active configuration, and its bulk OUT. */
static int find_out(libusb_device *dev, int *iface, unsigned char *ep)
{
	struct libusb_config_descriptor *cfg;
	int r = libusb_get_active_config_descriptor(dev, &cfg);
	if (r)
		return usb_err(r);
	int rc = KIOSK_ENOENT;
	for (int i = 0; i < cfg->bNumInterfaces && rc; i++)
		for (int a = 0; a < cfg->interface[i].num_altsetting && rc; a++) {
			const struct libusb_interface_descriptor *d = &cfg->interface[i].altsetting[a];
			if (d->bInterfaceClass != LIBUSB_CLASS_PRINTER)
				continue;
			for (int e = 0; e < d->bNumEndpoints; e++) {
				const struct libusb_endpoint_descriptor *ed = &d->endpoint[e];
				if ((ed->bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_BULK &&
				    !(ed->bEndpointAddress & LIBUSB_ENDPOINT_IN)) {
					*iface = d->bInterfaceNumber;
					*ep = ed->bEndpointAddress;
					rc = KIOSK_OK;
					break;
				}
			}
		}
	libusb_free_config_descriptor(cfg);
	return rc;
}

static int usb_open(const char *rest, int timeout_ms, struct printer **out, char *why,
		    size_t wlen)
{
	(void)timeout_ms;
	uint16_t vid = 0, pid = 0;
	usb_vidpid(rest, &vid, &pid); /* checked by the spec */
	struct usb_printer *p = kiosk_calloc(1, sizeof *p);
	if (!p)
		return KIOSK_ENOMEM;
	int r = libusb_init(&p->ctx), rc;
	if (r) {
		snprintf(why, wlen, "usb: %s", libusb_strerror(r));
		rc = usb_err(r);
		goto out_free;
	}
	p->h = libusb_open_device_with_vid_pid(p->ctx, vid, pid);
	if (!p->h) {
		snprintf(why, wlen, "usb:%04x:%04x: not plugged in, or not ours to open (see"
			 " 99-kiosk.rules)", vid, pid);
		rc = KIOSK_ENOENT;
		goto out_exit;
	}
	if ((rc = find_out(libusb_get_device(p->h), &p->iface, &p->ep_out))) {
		snprintf(why, wlen, "usb:%04x:%04x: no printer interface with a bulk OUT", vid,
			 pid);
		goto out_close;
	}
	libusb_set_auto_detach_kernel_driver(p->h, 1); /* usblp comes back on release */
	if ((r = libusb_claim_interface(p->h, p->iface))) {
		snprintf(why, wlen, "usb:%04x:%04x: %s", vid, pid, libusb_strerror(r));
		rc = usb_err(r);
		goto out_close;
	}
	*out = &p->base;
	return KIOSK_OK;
out_close:
	libusb_close(p->h);
out_exit:
	libusb_exit(p->ctx);
out_free:
	kiosk_free(p);
	return rc;
}

static int usb_write(struct printer *pp, const uint8_t *b, size_t n, int timeout_ms)
{
	struct usb_printer *p = (struct usb_printer *)pp;
	while (n) {
		int chunk = n > 4096 ? 4096 : (int)n, done = 0;
		int r = libusb_bulk_transfer(p->h, p->ep_out, (unsigned char *)b, chunk, &done,
					     (unsigned)timeout_ms);
		if (r && !(r == LIBUSB_ERROR_TIMEOUT && done > 0))
			return usb_err(r);
		b += done;
		n -= (size_t)done;
	}
	return KIOSK_OK;
}

static int usb_status(struct printer *pp, enum printer_state *st, int timeout_ms)
{
	struct usb_printer *p = (struct usb_printer *)pp;
	unsigned char b = 0;
	int r = libusb_control_transfer(p->h, 0xA1, 0x01, 0, (uint16_t)(p->iface << 8), &b, 1,
					(unsigned)timeout_ms);
	if (r < 0)
		return usb_err(r);
	if (r != 1)
		return KIOSK_EPROTO;
	*st = printer_port_status(b);
	return KIOSK_OK;
}

static void usb_close(struct printer *pp)
{
	struct usb_printer *p = (struct usb_printer *)pp;
	libusb_release_interface(p->h, p->iface);
	libusb_close(p->h);
	libusb_exit(p->ctx);
	kiosk_free(p);
}

const struct printer_ops printer_usb_ops = {"usb", usb_open, usb_write, usb_status, usb_close};
