#include "hal/usb.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <libusb.h>
#include <string.h>

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
