/* Code scanners: a serial scanner against its simulator over a pty (codes whole, CR or CR
 * LF, a code too long or with a byte that is not printable refused and the next one read
 * right), the HID keyboard decoder on recorded boot reports, the pickup QR's code, the specs, and which USB device plays which role. */
#include "kiosk/peripherals.h"
#include "kiosk/flow/flow.h"
#include "kiosk/bus/scan_bus.h"
#include "hal/scanner/scan.h"
#include "hal/scanner/scan_sim.h"
#include "hal/scanner/scanner.h"
#include "hal/usb.h"
#include "hal/base/error.h"
#include "../test.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void read_one(struct scanner *s, enum scan_result want, const char *code)
{
	enum scan_result r;
	char got[SCAN_CODE_MAX + 1];
	CHECK_INT(scanner_read(s, &r, got, 2000), KIOSK_OK);
	CHECK_INT(r, want);
	if (want == SCAN_CODE)
		CHECK_STR(got, code);
}

static void serial_scanner_reads_codes(void)
{
	for (int cr = 0; cr < 2; cr++) {
		char link[128], spec[160], why[200] = "";
		snprintf(link, sizeof link, "/tmp/kiosk-scan-%d-%d", (int)getpid(), cr);
		struct scan_sim *sim;
		CHECK_INT(scan_sim_new(link, cr, &sim), KIOSK_OK);
		snprintf(spec, sizeof spec, "serial:%s", link);
		struct scanner *s;
		CHECK_INT(scanner_open(spec, &s, why, sizeof why), KIOSK_OK);
		CHECK_INT(scan_sim_command(sim, "SF1234567890"), KIOSK_OK);
		read_one(s, SCAN_CODE, "SF1234567890");
		CHECK_INT(scan_sim_command(sim, "https://k.example.com/p/12345678"), KIOSK_OK);
		read_one(s, SCAN_CODE, "https://k.example.com/p/12345678");
		/* too long: refused whole, and the next code is read right */
		char longc[400];
		memset(longc, '7', 300);
		longc[300] = '\0';
		CHECK_INT(scan_sim_command(sim, longc), KIOSK_OK);
		CHECK_INT(scan_sim_command(sim, "YT9876"), KIOSK_OK);
		read_one(s, SCAN_TOO_LONG, NULL);
		read_one(s, SCAN_CODE, "YT9876");
		/* exactly the most a code may be: taken */
		longc[SCAN_CODE_MAX] = '\0';
		CHECK_INT(scan_sim_command(sim, longc), KIOSK_OK);
		read_one(s, SCAN_CODE, longc);
		/* a byte that is not printable */
		CHECK_INT(scan_sim_command(sim, "AB\x01\x1b" "CD"), KIOSK_OK);
		CHECK_INT(scan_sim_command(sim, "ok"), KIOSK_OK);
		read_one(s, SCAN_UNPRINTABLE, NULL);
		read_one(s, SCAN_CODE, "ok");
		/* nothing scanned: nothing read, in time */
		enum scan_result r;
		char got[SCAN_CODE_MAX + 1];
		CHECK_INT(scanner_read(s, &r, got, 50), KIOSK_ETIMEDOUT);
		CHECK_INT(r, SCAN_NONE);
		scanner_close(s);
		scan_sim_free(sim);
	}
	/* not plugged in */
	char why[200] = "";
	struct scanner *s;
	CHECK_INT(scanner_open("serial:/nonexistent/ttyACM9", &s, why, sizeof why), KIOSK_ENOENT);
	CHECK_HAS(why, "/nonexistent/ttyACM9");
}

/* The scanner's bus: a scan posted whole; the scanner unplugged (its pty gone) is said, and
 * one plugged back at the same place is picked up again, no restart. */
static bool bus_health_is(struct kiosk_scan_bus *b, bool want)
{
	char why[96];
	for (int i = 0; i < 1000; i++) { /* the condition, looked at every 10 ms for 10 s */
		if (kiosk_scan_bus_health(b, why, sizeof why) == want)
			return true;
		poll(NULL, 0, 10);
	}
	return false;
}

static bool bus_scan(struct kiosk_scan_bus *b, struct kiosk_scan_outcome *o)
{
	for (int i = 0; i < 500; i++) {
		if (kiosk_scan_bus_take(b, o) == 1)
			return true;
		struct pollfd p = {kiosk_scan_bus_fd(b), POLLIN, 0};
		poll(&p, 1, 10);
	}
	return false;
}

static void an_unplugged_scanner_comes_back(void)
{
	char link[128], spec[160];
	snprintf(link, sizeof link, "/tmp/kiosk-scanbus-%d", (int)getpid());
	snprintf(spec, sizeof spec, "serial:%s", link);
	struct kiosk_scan_bus *b;
	CHECK_INT(kiosk_scan_bus_start(spec, &b), KIOSK_OK);
	CHECK(bus_health_is(b, false)); /* nothing plugged in yet */
	struct scan_sim *sim;
	CHECK_INT(scan_sim_new(link, false, &sim), KIOSK_OK);
	CHECK(bus_health_is(b, true));
	CHECK_INT(scan_sim_command(sim, "YT1234567"), KIOSK_OK);
	struct kiosk_scan_outcome o;
	CHECK(bus_scan(b, &o));
	CHECK_INT(o.result, SCAN_CODE);
	CHECK_STR(o.code, "YT1234567");
	scan_sim_free(sim); /* unplugged */
	CHECK(bus_health_is(b, false));
	CHECK_INT(scan_sim_new(link, false, &sim), KIOSK_OK); /* plugged back */
	CHECK(bus_health_is(b, true));
	CHECK_INT(scan_sim_command(sim, "ZTO7654321"), KIOSK_OK);
	CHECK(bus_scan(b, &o));
	CHECK_STR(o.code, "ZTO7654321");
	kiosk_scan_bus_stop(b);
	scan_sim_free(sim);
}

/* Reports as a scanner in keyboard mode sends them: key down, all keys up. */
static enum scan_result feed(struct scan_hid *h, uint8_t mod, uint8_t key, const char **code)
{
	uint8_t down[8] = {mod, 0, key, 0, 0, 0, 0, 0}, up[8] = {0};
	enum scan_result r = scan_hid_feed(h, down, 8, code);
	const char *c2;
	if (r == SCAN_NONE)
		return scan_hid_feed(h, up, 8, &c2) == SCAN_NONE ? SCAN_NONE : SCAN_NONE;
	scan_hid_feed(h, up, 8, &c2);
	return r;
}

static void hid_reports_become_codes(void)
{
	struct scan_hid h;
	scan_hid_init(&h);
	const char *code = NULL;
	/* "Sf-12/x" Enter */
	CHECK_INT(feed(&h, 0x02, 0x16, &code), SCAN_NONE); /* shift s */
	CHECK_INT(feed(&h, 0x00, 0x09, &code), SCAN_NONE); /* f */
	CHECK_INT(feed(&h, 0x00, 0x2D, &code), SCAN_NONE); /* - */
	CHECK_INT(feed(&h, 0x00, 0x1E, &code), SCAN_NONE); /* 1 */
	CHECK_INT(feed(&h, 0x20, 0x1F, &code), SCAN_NONE); /* right shift 2: @ */
	CHECK_INT(feed(&h, 0x00, 0x38, &code), SCAN_NONE); /* / */
	CHECK_INT(feed(&h, 0x00, 0x27, &code), SCAN_NONE); /* 0 */
	CHECK_INT(feed(&h, 0x00, 0x28, &code), SCAN_CODE); /* Enter */
	CHECK_STR(code, "Sf-1@/0");
	/* a key held over reports is typed once; released and pressed again, twice */
	uint8_t a[8] = {0, 0, 0x04, 0, 0, 0, 0, 0}, none[8] = {0},
		ent[8] = {0, 0, 0x28, 0, 0, 0, 0, 0};
	scan_hid_feed(&h, a, 8, &code);
	scan_hid_feed(&h, a, 8, &code);
	scan_hid_feed(&h, none, 8, &code);
	scan_hid_feed(&h, a, 8, &code);
	scan_hid_feed(&h, none, 8, &code);
	CHECK_INT(scan_hid_feed(&h, ent, 8, &code), SCAN_CODE);
	CHECK_STR(code, "aa");
	scan_hid_feed(&h, none, 8, &code);
	/* roll-over and short reports change nothing; a key of no character spoils the code */
	uint8_t roll[8] = {0, 0, 1, 1, 1, 1, 1, 1}, f1[8] = {0, 0, 0x3A, 0, 0, 0, 0, 0};
	CHECK_INT(scan_hid_feed(&h, roll, 8, &code), SCAN_NONE);
	CHECK_INT(scan_hid_feed(&h, a, 5, &code), SCAN_NONE);
	feed(&h, 0, 0x05, &code);
	CHECK_INT(scan_hid_feed(&h, f1, 8, &code), SCAN_NONE);
	scan_hid_feed(&h, none, 8, &code);
	CHECK_INT(scan_hid_feed(&h, ent, 8, &code), SCAN_UNPRINTABLE);
	CHECK(code == NULL);
	scan_hid_feed(&h, none, 8, &code);
	CHECK_INT(feed(&h, 0, 0x05, &code), SCAN_NONE);
	CHECK_INT(feed(&h, 0, 0x58, &code), SCAN_CODE); /* keypad Enter */
	CHECK_STR(code, "b");
	/* 257 keys: too long */
	for (int i = 0; i < SCAN_CODE_MAX + 1; i++)
		feed(&h, 0, 0x1E, &code);
	CHECK_INT(feed(&h, 0, 0x28, &code), SCAN_TOO_LONG);
}

static void pickup_codes_from_scans(void)
{
	char c[16];
	CHECK(kiosk_flow_scan_last_segment("12345678", c, sizeof c));
	CHECK_STR(c, "12345678");
	CHECK(kiosk_flow_scan_last_segment("https://k.example.com/p/87654321", c, sizeof c));
	CHECK_STR(c, "87654321");
	CHECK(kiosk_flow_scan_last_segment("https://k.example.com/p/11112222/?from=sms#x", c, sizeof c));
	CHECK_STR(c, "11112222");
	CHECK(!kiosk_flow_scan_last_segment("https://k.example.com/", c, sizeof c));
	CHECK(!kiosk_flow_scan_last_segment("https://k.example.com", c, sizeof c));
	CHECK(!kiosk_flow_scan_last_segment("", c, sizeof c));
	CHECK(!kiosk_flow_scan_last_segment("https://k.example.com/p/0123456789012345678", c, sizeof c));
}

static void scanner_specs_are_checked(void)
{
	static const struct {
		const char *spec, *why;
	} bad[] = {
		{"/dev/ttyACM0", "not serial:PATH"},
		{"serial:", "no path"},
		{"serial:/dev/ttyACM0:1200", "1200 is not 9600"},
		{"hid:05e0", "two hex numbers"},
		{"hid:05e0:", "two hex numbers"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char why[200] = "";
		CHECK_INT(scanner_spec_check(bad[i].spec, why, sizeof why), KIOSK_ECONFIG);
		CHECK_HAS(why, bad[i].why);
	}
	char why[200];
	CHECK_INT(scanner_spec_check("serial:/dev/ttyACM0", why, sizeof why), KIOSK_OK);
	CHECK_INT(scanner_spec_check("serial:/dev/ttyS1:115200", why, sizeof why), KIOSK_OK);
	CHECK_INT(scanner_spec_check("hid:05e0:1200", why, sizeof why), KIOSK_OK);
}

static void count_change(void *arg, const char *role, bool arrived, const struct usb_dev_info *d)
{
	(void)role, (void)d;
	*(int *)arg += arrived ? 1 : -1;
}

/* Roles on descriptor data: a configured VID:PID first, then any printer-class device. */
static void usb_roles_match_descriptors(void)
{
	struct kiosk_config cfg;
	kiosk_config_defaults(&cfg);
	snprintf(cfg.printer.port, sizeof cfg.printer.port, "usb:0416:5011");
	snprintf(cfg.scanner.port, sizeof cfg.scanner.port, "hid:05e0:1200");
	struct usb_rule rules[KIOSK_USB_RULES];
	int n = kiosk_usb_rules(&cfg, rules, KIOSK_USB_RULES);
	CHECK_INT(n, 3);
	struct usb_dev_info printer = {1, 4, 0x0416, 0x5011, 0, 1, {0x07}, {1}, {2}};
	struct usb_dev_info other_printer = {1, 5, 0x04b8, 0x0202, 0, 1, {0x07}, {1}, {2}};
	struct usb_dev_info scanner = {1, 6, 0x05e0, 0x1200, 0, 1, {0x03}, {1}, {1}};
	struct usb_dev_info keyboard = {1, 7, 0x046d, 0xc31c, 0, 2, {0x03, 0x03}, {1, 0}, {1, 0}};
	struct usb_dev_info hub = {1, 1, 0x1d6b, 0x0002, 0x09, 1, {0x09}, {0}, {0}};
	const struct usb_rule *r;
	CHECK((r = usb_role_of(rules, n, &printer)) && strcmp(r->role, "printer") == 0);
	CHECK((r = usb_role_of(rules, n, &other_printer)) && strcmp(r->role, "printer") == 0);
	CHECK((r = usb_role_of(rules, n, &scanner)) && strcmp(r->role, "scanner") == 0);
	CHECK(usb_role_of(rules, n, &keyboard) == NULL); /* a keyboard is nobody's scanner */
	CHECK(usb_role_of(rules, n, &hub) == NULL);
	/* enumeration runs here, with however many devices this machine has */
	struct usb_dev_info d[64];
	int nd = -1;
	int rc = usb_list(d, 64, &nd);
	CHECK(rc == KIOSK_OK || rc == KIOSK_EIO);
	CHECK(nd >= 0 && nd <= 64);
	/* the watch starts where there is USB, says what of a role is there, and stops */
	int present = 0, roles = 0;
	for (int i = 0; i < nd; i++)
		roles += usb_role_of(rules, n, &d[i]) != NULL;
	struct usb_watch *w = NULL;
	rc = usb_watch_start(rules, n, count_change, &present, &w);
	CHECK(rc == KIOSK_OK || rc == KIOSK_EIO);
	usb_watch_stop(w); /* after its first look, or at once */
	CHECK(present >= 0 && present <= roles + 1);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"serial_scanner_reads_codes", serial_scanner_reads_codes},
		{"an_unplugged_scanner_comes_back", an_unplugged_scanner_comes_back},
		{"hid_reports_become_codes", hid_reports_become_codes},
		{"pickup_codes_from_scans", pickup_codes_from_scans},
		{"scanner_specs_are_checked", scanner_specs_are_checked},
		{"usb_roles_match_descriptors", usb_roles_match_descriptors},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
