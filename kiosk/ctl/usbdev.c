/* kioskctl's USB and peripheral commands: `hal usb list` (every USB device and the role it
 * matches), `hal print` (a test page or the printer's state, to any transport),
 * `hal scan` (what a scanner reads), and the simulators `sim printer` and `sim scanner`. */
#include "kiosk/ctl/ctl.h"
#include "kiosk/config.h"
#include "kiosk/peripherals.h"
#include "kiosk/receipt.h"
#include "hal/printer/escpos.h"
#include "hal/printer/printer.h"
#include "hal/printer/printer_sim.h"
#include "hal/scanner/scan_sim.h"
#include "hal/scanner/scanner.h"
#include "hal/usb.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fputs("usage: kioskctl hal usb list [--config FILE]\n"
	      "       kioskctl hal print --device SPEC --test | --status\n"
	      "       kioskctl hal scan --device SPEC [--count N] [--wait S]\n"
	      "       kioskctl sim printer --out FILE [--port N] [--paper-out]\n"
	      "       kioskctl sim scanner --link PATH [--cr]\n"
	      "SPEC: usb:VID:PID | lp:/dev/usb/lp0 | tcp:HOST:PORT | file:PATH (printer),\n"
	      "      serial:PATH[:BAUD] | hid:VID:PID (scanner)\n",
	      stderr);
	return 2;
}

static int usb_list_cmd(int argc, char **argv)
{
	const char *cfgpath = NULL;
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			cfgpath = argv[++i];
		else
			return usage();
	}
	struct kiosk_config cfg;
	kiosk_config_defaults(&cfg);
	if (cfgpath) {
		struct kiosk_config_diag d;
		if (kiosk_config_load(cfgpath, &cfg, &d)) {
			for (int i = 0; i < d.count && i < KIOSK_CONFIG_MAX_ERRORS; i++)
				fprintf(stderr, "kioskctl: %s\n", d.msg[i]);
			return 2;
		}
	}
	struct usb_rule rules[KIOSK_USB_RULES];
	int nr = kiosk_usb_rules(&cfg, rules, KIOSK_USB_RULES);
	struct usb_dev_info d[128];
	int n = 0;
	if (usb_list(d, 128, &n)) {
		fprintf(stderr, "kioskctl: USB cannot be listed on this machine (libusb did not"
				" start)\n");
		return 1;
	}
	printf("%-7s  %-9s  %-28s  %s\n", "BUS:DEV", "VID:PID", "CLASS (interfaces)", "ROLE");
	for (int i = 0; i < n; i++) {
		char cls[64];
		int at = snprintf(cls, sizeof cls, "%s", usb_class_name(d[i].dev_class));
		for (int k = 0; k < d[i].nif && at < (int)sizeof cls - 12; k++)
			at += snprintf(cls + at, sizeof cls - (size_t)at, "%s%s", k ? "," : " (",
				       usb_class_name(d[i].if_class[k]));
		if (d[i].nif && at < (int)sizeof cls - 1)
			snprintf(cls + at, sizeof cls - (size_t)at, ")");
		const struct usb_rule *r = usb_role_of(rules, nr, &d[i]);
		printf("%03u:%03u  %04x:%04x  %-28s  %s\n", d[i].bus, d[i].addr, d[i].vid, d[i].pid,
		       cls, r ? r->role : "-");
	}
	printf("%d device%s\n", n, n == 1 ? "" : "s");
	return 0;
}

static const char *printer_said(enum printer_state s)
{
	switch (s) {
	case PRINTER_OK: return "ok";
	case PRINTER_PAPER_OUT: return "out of paper";
	case PRINTER_ERROR: return "in error (cover open, cutter or head)";
	case PRINTER_OFFLINE: return "offline";
	default: return "ok as far as this transport can tell";
	}
}

static int print_cmd(int argc, char **argv)
{
	const char *spec = NULL;
	bool test = false, status = false;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--device") == 0 && i + 1 < argc)
			spec = argv[++i];
		else if (strcmp(argv[i], "--test") == 0)
			test = true;
		else if (strcmp(argv[i], "--status") == 0)
			status = true;
		else
			return usage();
	}
	if (!spec || test == status)
		return usage();
	char why[200] = "";
	struct printer *p;
	int rc = printer_open(spec, 3000, &p, why, sizeof why);
	if (rc) {
		fprintf(stderr, "kioskctl: %s\n", why[0] ? why : kiosk_strerror(rc));
		return 2;
	}
	enum printer_state st;
	rc = printer_status(p, &st, 2000);
	if (rc) {
		printf("printer %s: offline (%s)\n", spec, kiosk_strerror(rc));
		printer_close(p);
		return 1;
	}
	printf("printer %s: %s\n", spec, printer_said(st));
	int code = st == PRINTER_OK || st == PRINTER_UNKNOWN ? 0 : 1;
	if (test && code == 0) {
		struct escpos e;
		const uint8_t *b;
		size_t n;
		rc = escpos_begin(&e);
		kiosk_receipt_test_page(&e, "kioskctl", kiosk_now_ms(), 8 * 60);
		if (rc == KIOSK_OK)
			rc = escpos_end(&e, &b, &n);
		if (rc == KIOSK_OK)
			rc = printer_write(p, b, n, 10000);
		if (rc == KIOSK_OK)
			printf("printed the test page (%zu bytes): Chinese, English, bold, large, a"
			       " QR code, the cut\n", n);
		else
			printf("the test page was not printed: %s\n", kiosk_strerror(rc));
		code = rc ? 1 : 0;
		escpos_free(&e);
	} else if (test) {
		printf("the test page was not sent\n");
	}
	printer_close(p);
	return code;
}

static const char *scan_said(enum scan_result r)
{
	return r == SCAN_TOO_LONG ? "refused: longer than 256 characters"
				  : "refused: a character that is not printable";
}

static int scan_cmd(int argc, char **argv)
{
	const char *spec = NULL;
	int count = 1, wait_s = 30;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--device") == 0 && i + 1 < argc)
			spec = argv[++i];
		else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc)
			wait_s = atoi(argv[++i]);
		else
			return usage();
	}
	if (!spec || count < 1 || wait_s < 1)
		return usage();
	char why[200] = "", code[SCAN_CODE_MAX + 1];
	struct scanner *s;
	int rc = scanner_open(spec, &s, why, sizeof why);
	if (rc) {
		fprintf(stderr, "kioskctl: %s\n", why[0] ? why : kiosk_strerror(rc));
		return 2;
	}
	printf("scan %d code%s within %d s\n", count, count == 1 ? "" : "s", wait_s);
	fflush(stdout);
	int64_t deadline = kiosk_mono_ms() + (int64_t)wait_s * 1000;
	int got = 0;
	while (got < count) {
		int64_t left = deadline - kiosk_mono_ms();
		enum scan_result r;
		rc = left > 0 ? scanner_read(s, &r, code, (int)left) : KIOSK_ETIMEDOUT;
		if (rc)
			break;
		if (r == SCAN_CODE)
			printf("code: %s\n", code);
		else
			printf("%s\n", scan_said(r));
		fflush(stdout);
		got++;
	}
	scanner_close(s);
	if (rc)
		printf("%s\n", rc == KIOSK_ETIMEDOUT ? "no scan in time" : "the scanner went away");
	return got == count ? 0 : 1;
}

int ctl_hal_usbdev(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "usb") == 0 && strcmp(argv[2], "list") == 0)
		return usb_list_cmd(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "print") == 0)
		return print_cmd(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "scan") == 0)
		return scan_cmd(argc, argv);
	return usage();
}

static void printer_step(void *s)
{
	printer_sim_step(s);
}

static int printer_command(void *s, const char *line)
{
	return printer_sim_command(s, line);
}

static void scanner_step(void *s)
{
	scan_sim_step(s);
}

static int scanner_command(void *s, const char *line)
{
	return scan_sim_command(s, line);
}

int ctl_sim_usbdev(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "printer") == 0) {
		const char *out = NULL;
		int port = 0;
		bool paper_out = false;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
				out = argv[++i];
			else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
				port = atoi(argv[++i]);
			else if (strcmp(argv[i], "--paper-out") == 0)
				paper_out = true;
			else
				return usage();
		}
		if (!out || port < 0 || port > 65535)
			return usage();
		char why[200];
		struct printer_sim *s;
		if (printer_sim_new(port, out, &s, why, sizeof why)) {
			fprintf(stderr, "kioskctl: cannot simulate a printer: %s\n", why);
			return 2;
		}
		if (paper_out)
			printer_sim_command(s, "paper out");
		printf("simulating a network printer at tcp:127.0.0.1:%d, jobs to %s\n",
		       printer_sim_port(s), out);
		ctl_sim_run(printer_sim_fd(s), printer_step, printer_command, s);
		printer_sim_free(s);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "scanner") == 0) {
		const char *link = NULL;
		bool cr = false;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--link") == 0 && i + 1 < argc)
				link = argv[++i];
			else if (strcmp(argv[i], "--cr") == 0)
				cr = true;
			else
				return usage();
		}
		if (!link)
			return usage();
		struct scan_sim *s;
		int rc = scan_sim_new(link, cr, &s);
		if (rc) {
			fprintf(stderr, "kioskctl: cannot simulate a scanner at %s: %s\n", link,
				kiosk_strerror(rc));
			return 2;
		}
		printf("simulating a serial scanner at %s: each line typed is a scan\n", link);
		ctl_sim_run(scan_sim_fd(s), scanner_step, scanner_command, s);
		scan_sim_free(s);
		return 0;
	}
	return usage();
}
