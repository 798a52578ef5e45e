/* The kiosk's USB peripherals as the config names them: which role a USB device plays
 * (kioskctl hal usb list, the Devices page). */
#ifndef KIOSK_PERIPHERALS_H
#define KIOSK_PERIPHERALS_H

#include "kiosk/config.h"
#include "hal/usb.h"

#define KIOSK_USB_RULES 4

/* The rules for cfg's printer and scanner: the VID:PID their spec names, else (for the
 * printer) any device with a printer-class interface. The count written (≤ max). */
int kiosk_usb_rules(const struct kiosk_config *cfg, struct usb_rule *rules, int max);

/* Whether cfg names a USB printer or scanner (usb:/hid:): then the USB watch runs. */
bool kiosk_usb_wanted(const struct kiosk_config *cfg);

#endif
