/* The receipt printer: what the ESC/POS encoder sends reads back as the receipt a person
 * would hold (tests/escpos decodes it), no text can become a command, and each transport
 * carries a job or says why not — the file, the kernel's lp device (a plain file here), and
 * the network printer's raw port against the simulated printer: its paper, its cover, and
 * a printer switched off mid-job (the job fails, nothing hangs). */
#include "kiosk/receipt.h"
#include "hal/printer/escpos.h"
#include "hal/printer/printer.h"
#include "hal/printer/printer_sim.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../escpos/escpos_decode.h"
#include "../test.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[128];

static void tmpdir(void)
{
	snprintf(dir, sizeof dir, "/tmp/kiosk-printer-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
}

static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* The test page as bytes. */
static size_t test_page(uint8_t *out, size_t cap)
{
	struct escpos e;
	const uint8_t *b;
	size_t n = 0;
	CHECK_INT(escpos_begin(&e), KIOSK_OK);
	kiosk_receipt_test_page(&e, "K-0042", 1795867200000LL, 8 * 60);
	CHECK_INT(escpos_end(&e, &b, &n), KIOSK_OK);
	CHECK(n <= cap);
	memcpy(out, b, n);
	escpos_free(&e);
	return n;
}

static void the_test_page_reads_back(void)
{
	uint8_t b[4096];
	size_t n = test_page(b, sizeof b);
	struct dec_receipt r;
	CHECK(escpos_decode(b, n, &r));
	CHECK_STR(r.error, "");
	char text[4096];
	escpos_decode_text(&r, text, sizeof text);
	CHECK_HAS(text, "一刻钟便民亭");
	CHECK_HAS(text, "中文：你好，邻居！");
	CHECK_HAS(text, "English: Hello, neighbour!");
	CHECK_HAS(text, "设备 Device: K-0042");
	CHECK_HAS(text, "时间 Time: 2026-11-28 20:00"); /* 12:00 UTC, in Beijing time */
	CHECK_INT(r.nqr, 1);
	CHECK_STR(r.qr[0], "KIOSK-TEST K-0042");
	CHECK_INT(r.jobs, 1);
	CHECK_INT(r.cuts, 1);
	CHECK(!r.chinese); /* left at the end */
	/* the title: centred, bold, twice the size */
	CHECK_STR(r.line[0].text, "一刻钟便民亭");
	CHECK_INT(r.line[0].align, 1);
	CHECK(r.line[0].bold);
	CHECK_INT(r.line[0].width, 2);
	CHECK_INT(r.line[0].height, 2);
}

/* A product's name from the platform, a scanned code: text, never commands. */
static void no_text_becomes_a_command(void)
{
	struct escpos e;
	const uint8_t *b;
	size_t n;
	CHECK_INT(escpos_begin(&e), KIOSK_OK);
	escpos_line(&e, "可乐\x1b@\x1dVB\x10\x04\x01\x1c.\tend\x7f");
	escpos_line(&e, "bad \xff\xfe utf8 \xe4\xb8");
	escpos_line(&e, "C1 \xc2\x9b control");
	CHECK_INT(escpos_end(&e, &b, &n), KIOSK_OK);
	struct dec_receipt r;
	CHECK(escpos_decode(b, n, &r));
	CHECK_STR(r.error, "");
	CHECK_INT(r.jobs, 1);
	CHECK_INT(r.cuts, 0);
	CHECK_STR(r.line[0].text, "可乐@VB.end");
	CHECK_STR(r.line[1].text, "bad ?? utf8 ??"); /* each byte that is not UTF-8 */
	CHECK_STR(r.line[2].text, "C1 ? control");
	escpos_free(&e);

	/* a QR payload the printer could not hold is refused, and the job with it */
	static char big[ESCPOS_QR_MAX + 2];
	memset(big, 'x', ESCPOS_QR_MAX + 1);
	CHECK_INT(escpos_begin(&e), KIOSK_OK);
	escpos_qr(&e, big, ESCPOS_QR_MAX + 1, 4);
	escpos_line(&e, "after");
	CHECK_INT(escpos_end(&e, &b, &n), KIOSK_EINVAL);
	CHECK(b == NULL);
	CHECK_INT((int)n, 0);
	escpos_free(&e);
}

static void specs_are_checked_by_name(void)
{
	static const struct {
		const char *spec, *why;
	} bad[] = {
		{"", "not usb:VID:PID"},
		{"com1", "not usb:VID:PID"},
		{"usb:0416", "want two hex numbers"},
		{"usb:0416:zz11", "want two hex numbers"},
		{"usb:04160:5011", "want two hex numbers"},
		{"tcp:printer", "no host"},
		{"tcp::9100", "no host"},
		{"tcp:10.0.0.5:0", "port 0 is not 1..65535"},
		{"tcp:10.0.0.5:70000", "port 70000 is not"},
		{"tcp:10.0.0.5:91x", "port 91x is not"},
		{"lp:", "no path"},
		{"file:", "no path"},
		{"file:/tmp/a\nb", "control character"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char why[200] = "";
		struct printer *p = (struct printer *)1;
		CHECK_INT(printer_spec_check(bad[i].spec, why, sizeof why), KIOSK_ECONFIG);
		CHECK_HAS(why, bad[i].why);
		CHECK_INT(printer_open(bad[i].spec, 100, &p, why, sizeof why), KIOSK_ECONFIG);
		CHECK(p == NULL);
	}
	static const char *good[] = {"usb:0416:5011", "lp:/dev/usb/lp0", "tcp:127.0.0.1:9100",
				     "tcp:[::1]:9100", "file:/tmp/receipts.bin"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char why[200] = "";
		CHECK_INT(printer_spec_check(good[i], why, sizeof why), KIOSK_OK);
	}
	/* a USB printer that is not plugged in is said as such */
	char why[200] = "";
	struct printer *p;
	int rc = printer_open("usb:0416:5011", 100, &p, why, sizeof why);
	CHECK(rc == KIOSK_ENOENT || rc == KIOSK_EIO);
	CHECK(why[0] != '\0');
}

static void status_bytes_say_the_state(void)
{
	CHECK_INT(printer_port_status(0x18), PRINTER_OK);
	CHECK_INT(printer_port_status(0x38), PRINTER_PAPER_OUT);
	CHECK_INT(printer_port_status(0x10), PRINTER_ERROR);
	CHECK_INT(printer_port_status(0x08), PRINTER_OFFLINE);
	enum printer_state st = PRINTER_UNKNOWN;
	CHECK_INT(printer_rt_status(0x12, 0x12, &st), KIOSK_OK);
	CHECK_INT(st, PRINTER_OK);
	CHECK_INT(printer_rt_status(0x1A, 0x7E, &st), KIOSK_OK);
	CHECK_INT(st, PRINTER_PAPER_OUT);
	CHECK_INT(printer_rt_status(0x1A, 0x12, &st), KIOSK_OK);
	CHECK_INT(st, PRINTER_OFFLINE);
	st = PRINTER_OK;
	CHECK_INT(printer_rt_status(0x00, 0x12, &st), KIOSK_EPROTO); /* not a status byte */
	CHECK_INT(printer_rt_status(0x12, 0x93, &st), KIOSK_EPROTO);
	CHECK_INT(st, PRINTER_OK);
}

/* The file and lp transports: jobs appended whole, in order. */
static void file_and_lp_carry_jobs(void)
{
	tmpdir();
	uint8_t page[4096], got[16384];
	size_t n = test_page(page, sizeof page);
	static const char *schemes[] = {"file", "lp"};
	for (int k = 0; k < 2; k++) {
		char path[256], spec[300], why[200] = "";
		snprintf(path, sizeof path, "%s/%s.bin", dir, schemes[k]);
		snprintf(spec, sizeof spec, "%s:%s", schemes[k], path);
		if (k == 1) { /* the lp device exists before it is opened */
			FILE *f = fopen(path, "w");
			CHECK(f != NULL);
			if (f)
				fclose(f);
		}
		struct printer *p;
		CHECK_INT(printer_open(spec, 1000, &p, why, sizeof why), KIOSK_OK);
		enum printer_state st;
		CHECK_INT(printer_status(p, &st, 500), KIOSK_OK);
		CHECK_INT(st, PRINTER_UNKNOWN); /* a file cannot say */
		CHECK_INT(printer_write(p, page, n, 1000), KIOSK_OK);
		CHECK_INT(printer_write(p, page, n, 1000), KIOSK_OK);
		printer_close(p);
		CHECK_INT((int)slurp(path, got, sizeof got), (int)(2 * n));
		struct dec_receipt r;
		CHECK(escpos_decode(got, 2 * n, &r));
		CHECK_INT(r.jobs, 2);
		CHECK_INT(r.cuts, 2);
		unlink(path);
	}
	/* nowhere to write: said with the path */
	char why[200] = "";
	struct printer *p;
	CHECK_INT(printer_open("file:/nonexistent/dir/r.bin", 100, &p, why, sizeof why),
		  KIOSK_ENOENT);
	CHECK_HAS(why, "/nonexistent/dir/r.bin");
	CHECK_INT(printer_open("lp:/nonexistent/lp0", 100, &p, why, sizeof why), KIOSK_ENOENT);
	rmdir(dir);
}

/* The simulated network printer, stepped on a thread of its own as a real one answers on
 * its own. */
struct simrun {
	struct printer_sim *sim;
	atomic_bool stop;
};

static void *sim_thread(void *arg)
{
	struct simrun *s = arg;
	while (!atomic_load(&s->stop)) {
		struct pollfd p = {printer_sim_fd(s->sim), POLLIN, 0};
		poll(&p, 1, 2);
		printer_sim_step(s->sim); /* the simulator's calls are safe from any thread */
	}
	return NULL;
}

static void sim_say(struct simrun *s, const char *line)
{
	CHECK_INT(printer_sim_command(s->sim, line), KIOSK_OK);
}

static uint64_t sim_received(struct simrun *s)
{
	return printer_sim_received(s->sim);
}

static void network_printer_paper_cover_and_switch_off(void)
{
	tmpdir();
	char out[256], spec[64], why[200] = "";
	snprintf(out, sizeof out, "%s/jobs.bin", dir);
	struct simrun s = {0};
	CHECK_INT(printer_sim_new(0, out, &s.sim, why, sizeof why), KIOSK_OK);
	snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", printer_sim_port(s.sim));
	pthread_t th;
	pthread_create(&th, NULL, sim_thread, &s);

	struct printer *p;
	CHECK_INT(printer_open(spec, 2000, &p, why, sizeof why), KIOSK_OK);
	enum printer_state st;
	CHECK_INT(printer_status(p, &st, 2000), KIOSK_OK);
	CHECK_INT(st, PRINTER_OK);
	uint8_t page[4096], got[16384];
	size_t n = test_page(page, sizeof page);
	uint64_t before = sim_received(&s);
	CHECK_INT(printer_write(p, page, n, 2000), KIOSK_OK);
	int64_t deadline = kiosk_mono_ms() + 5000;
	while (sim_received(&s) < before + n && kiosk_mono_ms() < deadline)
		poll(NULL, 0, 2);
	CHECK(sim_received(&s) >= before + n);
	size_t have = slurp(out, got, sizeof got);
	struct dec_receipt r;
	CHECK(escpos_decode(got, have, &r)); /* the status questions are DLE EOT, decoded */
	CHECK_INT(r.jobs, 1);
	CHECK_STR(r.qr[0], "KIOSK-TEST K-0042");

	sim_say(&s, "paper out");
	CHECK_INT(printer_status(p, &st, 2000), KIOSK_OK);
	CHECK_INT(st, PRINTER_PAPER_OUT);
	sim_say(&s, "paper ok");
	sim_say(&s, "cover open");
	CHECK_INT(printer_status(p, &st, 2000), KIOSK_OK);
	CHECK_INT(st, PRINTER_OFFLINE);
	sim_say(&s, "cover closed");
	CHECK_INT(printer_status(p, &st, 2000), KIOSK_OK);
	CHECK_INT(st, PRINTER_OK);

	/* switched off mid-job: the job fails within its time, it does not hang */
	sim_say(&s, "unplug");
	static uint8_t big[1 << 20];
	memset(big, 'x', sizeof big);
	int64_t t0 = kiosk_mono_ms();
	int rc = printer_write(p, big, sizeof big, 1500);
	CHECK(rc == KIOSK_EIO || rc == KIOSK_ETIMEDOUT);
	CHECK(kiosk_mono_ms() - t0 < 5000);
	CHECK(printer_status(p, &st, 500) != KIOSK_OK);
	CHECK_INT(st, PRINTER_OFFLINE);
	printer_close(p);
	/* switched on again: a new connection prints */
	sim_say(&s, "plug");
	CHECK_INT(printer_open(spec, 2000, &p, why, sizeof why), KIOSK_OK);
	CHECK_INT(printer_status(p, &st, 2000), KIOSK_OK);
	CHECK_INT(st, PRINTER_OK);
	printer_close(p);

	atomic_store(&s.stop, true);
	pthread_join(th, NULL);
	printer_sim_free(s.sim);
	/* nobody listening: refused, said */
	CHECK(printer_open(spec, 500, &p, why, sizeof why) != KIOSK_OK);
	CHECK_HAS(why, "127.0.0.1");
	unlink(out);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"the_test_page_reads_back", the_test_page_reads_back},
		{"no_text_becomes_a_command", no_text_becomes_a_command},
		{"specs_are_checked_by_name", specs_are_checked_by_name},
		{"status_bytes_say_the_state", status_bytes_say_the_state},
		{"file_and_lp_carry_jobs", file_and_lp_carry_jobs},
		{"network_printer_paper_cover_and_switch_off",
		 network_printer_paper_cover_and_switch_off},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
