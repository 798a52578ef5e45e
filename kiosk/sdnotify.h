/* systemd's notify protocol (READY=1, WATCHDOG=1, STOPPING=1) without libsystemd: one
 * datagram to $NOTIFY_SOCKET. A no-op when the variable is unset (not under systemd). */
#ifndef KIOSK_SDNOTIFY_H
#define KIOSK_SDNOTIFY_H

/* Returns 1 when sent, 0 when not under systemd, a negative kiosk_err on failure. */
int kiosk_sd_notify(const char *state);

#endif
