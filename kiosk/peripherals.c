#include "kiosk/peripherals.h"

#include <stdlib.h>
#include <string.h>

/* VID and PID from "usb:VVVV:PPPP" / "hid:VVVV:PPPP" (checked by the config). */
static bool ids(const char *spec, const char *scheme, uint16_t *vid, uint16_t *pid)
{
	size_t n = strlen(scheme);
	return strncmp(spec, scheme, n) == 0 && spec[n] == ':' &&
	       usb_vidpid(spec + n + 1, vid, pid) && *vid && *pid;
}

int kiosk_usb_rules(const struct kiosk_config *cfg, struct usb_rule *rules, int max)
{
	int n = 0;
	uint16_t v, p;
	if (n < max && ids(cfg->printer.port, "usb", &v, &p))
		rules[n++] = (struct usb_rule){"printer", v, p, -1, -1, -1};
	if (n < max && ids(cfg->scanner.port, "hid", &v, &p))
		rules[n++] = (struct usb_rule){"scanner", v, p, -1, -1, -1};
	if (n < max) /* any printer-class device is a printer we could drive */
		rules[n++] = (struct usb_rule){"printer", 0, 0, 0x07, -1, -1};
	return n;
}

bool kiosk_usb_wanted(const struct kiosk_config *cfg)
{
	return strncmp(cfg->printer.port, "usb:", 4) == 0 || strncmp(cfg->scanner.port, "hid:", 4) == 0;
}
