/* kioskctl's MDB commands: the technician's bench tool (hal mdb: probe the bus, run one
 * cashless sale) and the simulator (sim mdb: an adapter with devices behind it). */
#include "kiosk/ctl/ctl.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/mdb/mdb_link.h"
#include "hal/mdb/mdb_cash.h"
#include "hal/mdb/mdb_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage_hal(void)
{
	fputs("usage: kioskctl hal mdb --link adapter|uart9 --port PATH probe |"
	      " cashless-vend PRICE_FEN ITEM [--wait S]\n",
	      stderr);
	return 2;
}

/* A request; its reply's data (NULL reply kinds other than data are said by *kind). */
static int call(struct mdb_link *a, const uint8_t *b, size_t n, struct mdb_reply *r)
{
	int rc = mdb_link_call(a, b, n, r);
	return rc ? rc : r->kind == MDB_REPLY_TIMEOUT ? KIOSK_ETIMEDOUT : KIOSK_OK;
}

static void yuan(char *out, size_t cap, long fen)
{
	snprintf(out, cap, "%ld.%02ld", fen / 100, fen % 100);
}

/* Resets and sets up each device; names what answered. The count that answered. */
static int probe(struct mdb_link *a)
{
	int found = 0;
	struct mdb_reply r;
	char line[256];
	if (call(a, (const uint8_t[]){0x10}, 1, &r) == KIOSK_OK &&
	    call(a, (const uint8_t[]){0x11, 0x00, 0x03, 0x00, 0x00, 0x00}, 6, &r) == KIOSK_OK &&
	    r.kind == MDB_REPLY_DATA && r.ndata >= 7 && r.data[0] == 0x01) {
		printf("cashless reader: level %u, scale %u, decimals %u\n", r.data[1], r.data[4],
		       r.data[5]);
		found++;
	}
	struct mdb_changer_setup cs;
	struct mdb_tubes tb;
	struct mdb_bill_setup bs;
	if (call(a, (const uint8_t[]){0x08}, 1, &r) == KIOSK_OK &&
	    call(a, (const uint8_t[]){0x09}, 1, &r) == KIOSK_OK && r.kind == MDB_REPLY_DATA &&
	    mdb_changer_setup_parse(r.data, r.ndata, &cs)) {
		int n = snprintf(line, sizeof line, "coin changer: level %u, scale %u; tubes:",
				 cs.level, cs.scale);
		bool tubes = call(a, (const uint8_t[]){0x0A}, 1, &r) == KIOSK_OK &&
			     r.kind == MDB_REPLY_DATA && mdb_tubes_parse(r.data, r.ndata, &tb);
		for (int t = 0, k = 0; tubes && t < MDB_COIN_TYPES && n < (int)sizeof line; t++) {
			char v[16];
			if (!cs.credit[t])
				continue;
			yuan(v, sizeof v, (long)cs.credit[t] * cs.scale);
			n += snprintf(line + n, sizeof line - (size_t)n, "%s %u × %s", k++ ? "," : "",
				      tb.count[t], v);
		}
		printf("%s\n", line);
		found++;
	}
	if (call(a, (const uint8_t[]){0x30}, 1, &r) == KIOSK_OK &&
	    call(a, (const uint8_t[]){0x31}, 1, &r) == KIOSK_OK && r.kind == MDB_REPLY_DATA &&
	    mdb_bill_setup_parse(r.data, r.ndata, &bs)) {
		int n = snprintf(line, sizeof line, "bill validator: level %u, scale %u; bills:",
				 bs.level, bs.scale);
		for (int t = 0; t < MDB_BILL_TYPES && n < (int)sizeof line; t++) {
			char v[16];
			if (!bs.credit[t])
				continue;
			yuan(v, sizeof v, (long)bs.credit[t] * bs.scale);
			n += snprintf(line + n, sizeof line - (size_t)n, " %s", v);
		}
		printf("%s yuan\n", line);
		found++;
	}
	return found;
}

/* POLLs the reader until its answer starts with want (or with 06 when want is 05: a
 * denial), for up to ms; the answer in *r. */
static int poll_for(struct mdb_link *a, uint8_t want, int ms, struct mdb_reply *r)
{
	int64_t until = kiosk_mono_ms() + ms;
	while (kiosk_mono_ms() < until) {
		int rc = call(a, (const uint8_t[]){0x12}, 1, r);
		if (rc)
			return rc;
		if (r->kind == MDB_REPLY_DATA && r->ndata &&
		    (r->data[0] == want || (want == 0x05 && r->data[0] == 0x06)))
			return KIOSK_OK;
		usleep(100 * 1000);
	}
	return KIOSK_EEXPIRED;
}

/* One sale on the cashless reader: set up, enabled, a card awaited, the vend asked; on
 * approval closed as a success. 0 approved, 1 anything else (said in words). */
static int cashless_vend(struct mdb_link *a, long price, long item, int wait_s)
{
	struct mdb_reply r;
	if (call(a, (const uint8_t[]){0x10}, 1, &r) == KIOSK_ETIMEDOUT) {
		printf("no cashless reader answers\n");
		return 1;
	}
	int rc = poll_for(a, 0x00, 1000, &r); /* "just reset" */
	if (rc == KIOSK_OK)
		rc = call(a, (const uint8_t[]){0x11, 0x00, 0x03, 0x00, 0x00, 0x00}, 6, &r);
	if (rc == KIOSK_OK && (r.kind != MDB_REPLY_DATA || r.ndata < 7 || r.data[4] == 0))
		rc = KIOSK_EPROTO;
	unsigned scale = rc ? 1 : r.data[4];
	if (rc == KIOSK_OK)
		rc = call(a, (const uint8_t[]){0x11, 0x01, 0xFF, 0xFF, 0x00, 0x00}, 6, &r);
	if (rc == KIOSK_OK)
		rc = call(a, (const uint8_t[]){0x14, 0x01}, 2, &r);
	if (rc) {
		printf("the reader could not be set up: %s\n", kiosk_strerror(rc));
		return 1;
	}
	printf("reader enabled: waiting %d s for a card\n", wait_s);
	fflush(stdout);
	if (poll_for(a, 0x03, wait_s * 1000, &r)) {
		printf("no card within %d s\n", wait_s);
		return 1;
	}
	char funds[16], p[16];
	yuan(funds, sizeof funds, (long)(r.data[1] << 8 | r.data[2]) * scale);
	yuan(p, sizeof p, price);
	long units = price / scale;
	const uint8_t vend[] = {0x13, 0x00, (uint8_t)(units >> 8), (uint8_t)units,
				(uint8_t)(item >> 8), (uint8_t)item};
	rc = call(a, vend, sizeof vend, &r);
	if (rc == KIOSK_OK)
		rc = poll_for(a, 0x05, 5000, &r);
	bool approved = rc == KIOSK_OK && r.data[0] == 0x05;
	if (approved)
		call(a, (const uint8_t[]){0x13, 0x02, (uint8_t)(item >> 8), (uint8_t)item}, 4, &r);
	call(a, (const uint8_t[]){0x13, 0x04}, 2, &r); /* session complete */
	poll_for(a, 0x07, 1000, &r);                   /* end session */
	if (approved)
		printf("approved: %s yuan for item %ld (the card had %s)\n", p, item, funds);
	else
		printf("denied: %s yuan for item %ld (the card has %s)\n", p, item, funds);
	return approved ? 0 : 1;
}

int ctl_hal_mdb(int argc, char **argv)
{
	const char *link = NULL, *port = NULL, *op = NULL;
	long price = 0, item = 0;
	int wait_s = 30;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--link") == 0 && i + 1 < argc)
			link = argv[++i];
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = argv[++i];
		else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc)
			wait_s = atoi(argv[++i]);
		else if (!op && strcmp(argv[i], "probe") == 0)
			op = argv[i];
		else if (!op && strcmp(argv[i], "cashless-vend") == 0 && i + 2 < argc) {
			op = argv[i];
			char *e1, *e2;
			price = strtol(argv[i + 1], &e1, 10);
			item = strtol(argv[i + 2], &e2, 10);
			if (*e1 || *e2 || price < 1 || price > 6553500 || item < 0 || item > 65535) {
				fprintf(stderr, "kioskctl: cashless-vend: expected PRICE_FEN 1..6553500"
						" and ITEM 0..65535\n");
				return 2;
			}
			i += 2;
		} else
			return usage_hal();
	}
	if (!link || !port || !op || wait_s < 1 || wait_s > 600)
		return usage_hal();
	struct mdb_link *a;
	int rc = mdb_link_open(link, port, &a);
	if (rc == KIOSK_ENOTSUP) {
		fprintf(stderr, "kioskctl: no MDB link \"%s\" (there are: %s)\n", link,
			mdb_link_names());
		return 2;
	}
	if (rc) {
		fprintf(stderr, "kioskctl: no MDB %s link on %s: %s\n", link, port,
			kiosk_strerror(rc));
		return 2;
	}
	if (mdb_link_bus_reset(a)) {
		fprintf(stderr, "kioskctl: the %s link on %s could not reset the bus\n", link, port);
		mdb_link_close(a);
		return 2;
	}
	int code;
	if (op[0] == 'p') {
		int n = probe(a);
		if (!n)
			printf("no device answered\n");
		code = n ? 0 : 1;
	} else {
		code = cashless_vend(a, price, item, wait_s);
	}
	mdb_link_close(a);
	return code;
}

static int usage_sim(void)
{
	fputs("usage: kioskctl sim mdb --link PATH [--cashless] [--coin] [--bill]"
	      " [--fault SPEC]...\n"
	      "  faults: deny no-response nak checksum coin-jam payout-jam\n"
	      "  stdin:  tap FEN | coin TYPE (0..2) | bill TYPE (0..5) | tubes N0 N1 N2 |"
	      " fault SPEC|clear\n",
	      stderr);
	return 2;
}

static void sim_step(void *s)
{
	mdb_sim_step(s);
}

static int sim_command(void *s, const char *line)
{
	return mdb_sim_command(s, line);
}

int ctl_sim_mdb(int argc, char **argv)
{
	const char *link = NULL, *faults[16];
	int nf = 0;
	bool cashless = false, coin = false, bill = false;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--link") == 0 && i + 1 < argc)
			link = argv[++i];
		else if (strcmp(argv[i], "--cashless") == 0)
			cashless = true;
		else if (strcmp(argv[i], "--coin") == 0)
			coin = true;
		else if (strcmp(argv[i], "--bill") == 0)
			bill = true;
		else if (strcmp(argv[i], "--fault") == 0 && i + 1 < argc && nf < 16)
			faults[nf++] = argv[++i];
		else
			return usage_sim();
	}
	if (!link)
		return usage_sim();
	struct mdb_sim *s;
	int rc = mdb_sim_new(link, cashless, coin, bill, &s);
	if (rc) {
		fprintf(stderr, "kioskctl: cannot simulate MDB at %s: %s\n", link, kiosk_strerror(rc));
		return 2;
	}
	for (int i = 0; i < nf; i++) {
		if (mdb_sim_fault(s, faults[i])) {
			fprintf(stderr, "kioskctl: unknown fault '%s'\n", faults[i]);
			mdb_sim_free(s);
			return 2;
		}
	}
	printf("simulating an MDB adapter at %s: cashless reader %s, coin changer %s, bill"
	       " validator %s\n",
	       link, cashless ? "fitted" : "absent", coin ? "fitted" : "absent",
	       bill ? "fitted" : "absent");
	ctl_sim_run(mdb_sim_fd(s), sim_step, sim_command, s);
	mdb_sim_free(s);
	return 0;
}
