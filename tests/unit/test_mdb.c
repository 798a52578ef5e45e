/* MDB framing (PROTOCOLS.md §4) word for word: a request with its mode bit and checksum,
 * the answers a peripheral gives (ACK, NAK, data with its checksum) and the broken ones
 * the master RETs; the uart9 link's PARMRK bytes; the adapter's lines, and lines no
 * adapter sends refused with why. */
#include "hal/mdb/mdb_frames.h"
#include "hal/mdb/mdb_link.h"
#include "hal/mdb/mdb_uart9.h"
#include "hal/pty.h"
#include "hal/base/error.h"
#include "../test.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void requests_and_answers(void)
{
	/* cashless VEND request: 13 00, price 0x0096 (150 fen), item 0x000C */
	static const uint8_t vend[] = {0x13, 0x00, 0x00, 0x96, 0x00, 0x0C};
	mdb_word w[MDB_MAX_BLOCK];
	CHECK_INT((int)mdb_request(vend, sizeof vend, w, MDB_MAX_BLOCK), 7);
	CHECK_INT(w[0], 0x113); /* the address byte carries the mode bit */
	CHECK_INT(w[3], 0x96);
	CHECK_INT(w[6], (0x13 + 0x96 + 0x0C) & 0xFF); /* CHK, no mode bit from the master */
	CHECK_INT((int)mdb_request(vend, 0, w, MDB_MAX_BLOCK), 0);
	CHECK_INT((int)mdb_request(vend, sizeof vend, w, 6), 0);
	uint8_t data[MDB_MAX_BLOCK];
	size_t nd, used;
	CHECK_INT(mdb_answer((const mdb_word[]){0x100}, 1, data, &nd, &used), MDB_ANSWER_ACK);
	CHECK_INT(mdb_answer((const mdb_word[]){0x1FF}, 1, data, &nd, &used), MDB_ANSWER_NAK);
	/* vend approved: 05, amount 0x0096, CHK with the mode bit */
	static const mdb_word approved[] = {0x05, 0x00, 0x96, 0x100 | 0x9B};
	for (size_t k = 0; k < 4; k++)
		CHECK_INT(mdb_answer(approved, k, data, &nd, &used), MDB_ANSWER_NEED);
	CHECK_INT(mdb_answer(approved, 4, data, &nd, &used), MDB_ANSWER_DATA);
	CHECK(nd == 3 && used == 4 && data[0] == 0x05 && data[2] == 0x96);
	/* a wrong checksum: bad (the master sends RET), nothing taken as data */
	static const mdb_word garbled[] = {0x05, 0x00, 0x97, 0x100 | 0x9B};
	CHECK_INT(mdb_answer(garbled, 4, data, &nd, &used), MDB_ANSWER_BAD);
	CHECK_INT((int)nd, 0);
	/* a lone mode-bit word that is neither ACK nor NAK; a block past the most */
	CHECK_INT(mdb_answer((const mdb_word[]){0x105}, 1, data, &nd, &used), MDB_ANSWER_BAD);
	mdb_word longw[MDB_MAX_BLOCK] = {0};
	CHECK_INT(mdb_answer(longw, MDB_MAX_BLOCK, data, &nd, &used), MDB_ANSWER_BAD);
	CHECK_INT((int)used, MDB_MAX_BLOCK);
}

static void uart9_marks(void)
{
	/* 05 00 FF(literal) then the CHK 04 with its mode bit */
	static const uint8_t in[] = {0x05, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x04};
	mdb_word w[8];
	size_t used;
	CHECK_INT((int)mdb_unmark(in, sizeof in, w, 8, &used), 4);
	CHECK_INT((int)used, (int)sizeof in);
	CHECK(w[0] == 0x05 && w[1] == 0x00 && w[2] == 0xFF && w[3] == 0x104);
	/* a mark cut by the read: waits for the rest */
	CHECK_INT((int)mdb_unmark(in, 6, w, 8, &used), 3);
	CHECK_INT((int)used, 4);
	CHECK_INT((int)mdb_unmark(in, 5, w, 8, &used), 3);
	CHECK_INT((int)used, 4);
	/* FF then something else is no mark: the FF dropped, the byte kept */
	static const uint8_t odd[] = {0xFF, 0x12};
	CHECK_INT((int)mdb_unmark(odd, 2, w, 8, &used), 1);
	CHECK(w[0] == 0x12 && used == 2);
}

static void adapter_lines(void)
{
	char line[128];
	static const uint8_t poll[] = {0x12};
	CHECK_INT((int)mdb_adapter_request(poll, 1, line, sizeof line), 5);
	CHECK_STR(line, "R,12\n");
	static const uint8_t setup[] = {0x11, 0x00, 0x03, 0x00, 0x00, 0x00};
	CHECK(mdb_adapter_request(setup, sizeof setup, line, sizeof line) > 0);
	CHECK_STR(line, "R,110003000000\n");
	CHECK_INT((int)mdb_adapter_request(setup, sizeof setup, line, 10), 0);
	CHECK_INT((int)mdb_adapter_reset(line, sizeof line), 8);
	CHECK_STR(line, "R,RESET\n");
	struct mdb_reply r;
	const char *why;
	CHECK(mdb_adapter_parse("p,ACK\n", 6, &r, &why) && r.kind == MDB_REPLY_ACK);
	CHECK(mdb_adapter_parse("p,NACK\r\n", 8, &r, &why) && r.kind == MDB_REPLY_NACK);
	CHECK(mdb_adapter_parse("p,TIMEOUT", 9, &r, &why) && r.kind == MDB_REPLY_TIMEOUT);
	CHECK(mdb_adapter_parse("p,030096\n", 9, &r, &why) && r.kind == MDB_REPLY_DATA);
	CHECK(r.ndata == 3 && r.data[0] == 0x03 && r.data[2] == 0x96);
	CHECK(mdb_adapter_parse("p,0a\n", 5, &r, &why) && r.data[0] == 0x0A); /* either case */
	/* refused, with why, nothing kept */
	CHECK(!mdb_adapter_parse("x,ACK\n", 6, &r, &why));
	CHECK_STR(why, "not an answer (p,…)");
	CHECK(!mdb_adapter_parse("p,123\n", 6, &r, &why));
	CHECK_STR(why, "odd number of hex digits");
	CHECK(!mdb_adapter_parse("p,12G4\n", 7, &r, &why));
	CHECK_STR(why, "not a hex digit");
	CHECK(r.ndata == 0 && r.data[0] == 0);
	char big[2 + 2 * (MDB_MAX_BLOCK + 1) + 1];
	memset(big, '0', sizeof big);
	big[0] = 'p', big[1] = ',';
	CHECK(!mdb_adapter_parse(big, sizeof big - 1, &r, &why));
	CHECK_STR(why, "longer than an MDB block");
}

/* A peripheral on the uart9 wire as the master's port sees it: what the master sent (words,
 * mode bit and all) and, per request, the bytes the UART hands back (PARMRK-marked: the
 * mode-bit byte as FF 00 xx, a literal FF as FF FF). */
struct wire {
	mdb_word sent[64];
	size_t nsent;
	const uint8_t *answers[4];
	size_t lens[4];
	int nanswers, next;
	bool pending; /* a request (or RET) went out: its answer may be read */
};

static int wire_send(void *arg, const mdb_word *w, size_t n)
{
	struct wire *x = arg;
	for (size_t i = 0; i < n && x->nsent < 64; i++)
		x->sent[x->nsent++] = w[i];
	x->pending = !(n == 1 && w[0] == MDB_ACK); /* the master's ACK asks for nothing */
	return KIOSK_OK;
}

static int wire_read(void *arg, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct wire *x = arg;
	(void)timeout_ms;
	if (!x->pending || x->next >= x->nanswers || !x->lens[x->next])
		return KIOSK_ETIMEDOUT;
	size_t n = x->lens[x->next] < cap ? x->lens[x->next] : cap;
	memcpy(buf, x->answers[x->next], n);
	x->next++;
	x->pending = false;
	return (int)n;
}

/* The master's side of one uart9 exchange: the request's mode bit on its first word only
 * and its checksum; a data answer ACKed (a literal FF inside it read as one byte); a bad
 * checksum RETed until a good one comes; ACK, NAK, silence, and an answer that stays bad
 * after the retries, each said as such. */
static void uart9_exchange(void)
{
	struct mdb_reply r;
	/* tube status → 00 00 FF 0A, CHK = 09 (0xFF + 0x0A = 0x109) */
	static const uint8_t data[] = {0x00, 0x00, 0xFF, 0xFF, 0x0A, 0xFF, 0x00, 0x09};
	struct wire w = {.answers = {data}, .lens = {sizeof data}, .nanswers = 1};
	struct mdb_uart9_port p = {wire_send, wire_read, &w};
	CHECK_INT(mdb_uart9_exchange(&p, (const uint8_t[]){0x0A}, 1, &r), KIOSK_OK);
	CHECK_INT(r.kind, MDB_REPLY_DATA);
	CHECK_INT((long long)r.ndata, 4);
	CHECK_INT(r.data[2], 0xFF);
	CHECK_INT(r.data[3], 0x0A);
	CHECK_INT((long long)w.nsent, 3); /* 10A (mode), 0A (CHK), then the master's ACK */
	CHECK_INT(w.sent[0], 0x10A);
	CHECK_INT(w.sent[1], 0x0A);
	CHECK_INT(w.sent[2], MDB_ACK);
	/* a bad checksum: RET, and the answer again */
	static const uint8_t bad[] = {0x0B, 0xFF, 0x00, 0x0C}, good[] = {0x0B, 0xFF, 0x00, 0x0B};
	struct wire w2 = {.answers = {bad, good}, .lens = {4, 4}, .nanswers = 2};
	p.arg = &w2;
	CHECK_INT(mdb_uart9_exchange(&p, (const uint8_t[]){0x0B}, 1, &r), KIOSK_OK);
	CHECK_INT(r.kind, MDB_REPLY_DATA);
	CHECK_INT(r.data[0], 0x0B);
	CHECK_INT(w2.sent[2], MDB_RET);
	/* ACK, NAK (each one marked byte), silence */
	static const uint8_t ack[] = {0xFF, 0x00, 0x00}, nak[] = {0xFF, 0x00, 0xFF};
	struct wire w3 = {.answers = {ack}, .lens = {3}, .nanswers = 1};
	p.arg = &w3;
	CHECK_INT(mdb_uart9_exchange(&p, (const uint8_t[]){0x0C, 0, 3, 0, 0}, 5, &r), KIOSK_OK);
	CHECK_INT(r.kind, MDB_REPLY_ACK);
	struct wire w4 = {.answers = {nak}, .lens = {3}, .nanswers = 1};
	p.arg = &w4;
	CHECK_INT(mdb_uart9_exchange(&p, (const uint8_t[]){0x0C, 0, 3, 0, 0}, 5, &r), KIOSK_OK);
	CHECK_INT(r.kind, MDB_REPLY_NACK);
	struct wire w5 = {0};
	p.arg = &w5;
	CHECK_INT(mdb_uart9_exchange(&p, (const uint8_t[]){0x08}, 1, &r), KIOSK_OK);
	CHECK_INT(r.kind, MDB_REPLY_TIMEOUT);
	/* bad every time: the retries spent, no data taken for true */
	struct wire w6 = {.answers = {bad, bad, bad, bad}, .lens = {4, 4, 4, 4}, .nanswers = 4};
	p.arg = &w6;
	CHECK_INT(mdb_uart9_exchange(&p, (const uint8_t[]){0x0B}, 1, &r), KIOSK_OK);
	CHECK_INT(r.kind, MDB_REPLY_ERR);
	CHECK_INT((long long)r.ndata, 0);
	CHECK_INT((long long)w6.nsent, 2 + MDB_RETRIES); /* the request, then a RET each */
	CHECK_INT(mdb_uart9_exchange(&p, (const uint8_t[]){0}, 0, &r), KIOSK_EINVAL);
}

/* The uart9 link on a real port (a pty here): it opens reading with parity checking and
 * marking, and sends a request's bytes in order. A pty has no wire, so it keeps no parity
 * setting and the far side cannot mark a byte: silence is all it can answer, and the link
 * says so. An unknown link name is refused, naming the ones there are. */
static void uart9_on_a_port(void)
{
	int master, slave;
	char name[128];
	CHECK_INT(hal_pty_link("test-uart9", &master, &slave, name, sizeof name), KIOSK_OK);
	struct mdb_link *l = NULL;
	CHECK_INT(mdb_link_open("usb9", "test-uart9", &l), KIOSK_ENOTSUP);
	CHECK_STR(mdb_link_names(), "adapter, uart9");
	CHECK_INT(mdb_link_open("uart9", "no-such-port", &l), KIOSK_ENOENT);
	CHECK_INT(mdb_link_open("uart9", "test-uart9", &l), KIOSK_OK);
	struct termios t;
	int fd = open(name, O_RDWR | O_NOCTTY);
	CHECK(fd >= 0 && tcgetattr(fd, &t) == 0);
	CHECK((t.c_iflag & (INPCK | PARMRK)) == (INPCK | PARMRK));
	close(fd);
	struct mdb_reply r;
	CHECK_INT(mdb_link_call(l, (const uint8_t[]){0x0B}, 1, &r), KIOSK_OK);
	CHECK_INT(r.kind, MDB_REPLY_TIMEOUT);
	uint8_t got[8];
	struct pollfd pf = {.fd = master, .events = POLLIN};
	CHECK(poll(&pf, 1, 1000) == 1);
	CHECK_INT(read(master, got, sizeof got), 2); /* 0B and its CHK 0B */
	CHECK_INT(got[0], 0x0B);
	CHECK_INT(got[1], 0x0B);
	mdb_link_close(l);
	hal_pty_unlink("test-uart9", name, master, slave);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"requests_and_answers", requests_and_answers},
		{"uart9_marks", uart9_marks},
		{"adapter_lines", adapter_lines},
		{"uart9_exchange", uart9_exchange},
		{"uart9_on_a_port", uart9_on_a_port},
		{0},
	};
	return test_main(argc, argv, cases);
}
