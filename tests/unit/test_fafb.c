/* The vending drive board's frames (PROTOCOLS.md §3) byte for byte: POLL and ACK as the
 * board sends them, a drive command as the board expects it, reports read back; and what
 * a broken line gives — noise, a cut frame, a wrong XOR, a POLL with a body — dropped
 * without losing the good frame after it. */
#include "hal/vend/fafb_frames.h"
#include "hal/vend/fafb_host.h"
#include "../test.h"

#include <string.h>

static const uint8_t POLL[] = {0xFA, 0xFB, 0x41, 0x00, 0x40};
static const uint8_t ACK[] = {0xFA, 0xFB, 0x42, 0x00, 0x43};

static void bytes_as_the_board_has_them(void)
{
	uint8_t out[64];
	struct fafb_frame f = fafb_poll();
	CHECK_INT((int)fafb_encode(&f, out, sizeof out), 5);
	CHECK(memcmp(out, POLL, 5) == 0);
	f = fafb_ack();
	CHECK_INT((int)fafb_encode(&f, out, sizeof out), 5);
	CHECK(memcmp(out, ACK, 5) == 0);
	/* slot 12 with the drop sensor on: FA FB 06 05 | 07 01 00 00 0C | XOR */
	f = fafb_drive(7, 12, true, false);
	static const uint8_t drive[] = {0xFA, 0xFB, 0x06, 0x05, 0x07, 0x01, 0x00, 0x00, 0x0C,
					0xFA ^ 0xFB ^ 0x06 ^ 0x05 ^ 0x07 ^ 0x01 ^ 0x0C};
	CHECK_INT((int)fafb_encode(&f, out, sizeof out), (int)sizeof drive);
	CHECK(memcmp(out, drive, sizeof drive) == 0);
	f = fafb_check(200, 0x0102);
	CHECK_INT((int)fafb_encode(&f, out, sizeof out), 8);
	CHECK(out[2] == FAFB_CHECK && out[3] == 3 && out[4] == 200 && out[5] == 1 && out[6] == 2);
	/* not frames: refused, nothing written past what was asked */
	struct fafb_frame bad = fafb_poll();
	bad.has_pack = true;
	CHECK_INT((int)fafb_encode(&bad, out, sizeof out), 0);
	bad = fafb_status(3);
	bad.has_pack = false;
	CHECK_INT((int)fafb_encode(&bad, out, sizeof out), 0);
	f = fafb_drive(7, 12, true, false);
	CHECK_INT((int)fafb_encode(&f, out, 9), 0); /* one byte short */
	CHECK_INT(fafb_next_pack(1), 2);
	CHECK_INT(fafb_next_pack(255), 1); /* PackNO runs 1..255 */
}

/* a frame of cmd with PackNO and text, as a board would send it */
static size_t board(uint8_t cmd, const uint8_t *body, size_t n, uint8_t *out)
{
	out[0] = 0xFA, out[1] = 0xFB, out[2] = cmd, out[3] = (uint8_t)n;
	memcpy(out + 4, body, n);
	uint8_t x = 0;
	for (size_t i = 0; i < 4 + n; i++)
		x ^= out[i];
	out[4 + n] = x;
	return 5 + n;
}

static void reports_read_back(void)
{
	uint8_t buf[64];
	struct fafb_frame f;
	size_t used;
	uint8_t st, mode;
	uint16_t slot;
	uint32_t fen;
	char words[32];
	size_t n = board(FAFB_DISPENSE_REPORT, (const uint8_t[]){9, 0x03, 0x00, 0x2A}, 4, buf);
	CHECK_INT(fafb_decode(buf, n, &f, &used), HAL_FRAME_OK);
	CHECK_INT((int)used, (int)n);
	CHECK(f.has_pack && f.pack == 9);
	CHECK(fafb_dispense_report(&f, &st, &slot));
	CHECK_INT(st, FAFB_JAMMED);
	CHECK_INT(slot, 42);
	CHECK_STR(fafb_dispense_words(st, words, sizeof words), "jammed");
	CHECK_STR(fafb_dispense_words(FAFB_NO_MOTOR, words, sizeof words), "no motor");
	CHECK_STR(fafb_dispense_words(0x55, words, sizeof words), "unknown status 0x55");
	CHECK(!fafb_money(&f, &mode, &fen)); /* not that report */
	/* 5.00 元 by WeChat at the board: amount big-endian, in fen */
	n = board(FAFB_MONEY, (const uint8_t[]){10, 5, 0x00, 0x00, 0x01, 0xF4}, 6, buf);
	CHECK_INT(fafb_decode(buf, n, &f, &used), HAL_FRAME_OK);
	CHECK(fafb_money(&f, &mode, &fen));
	CHECK_INT(mode, 5);
	CHECK_INT((int)fen, 500);
	/* a report cut short by a broken board: not read, never guessed */
	n = board(FAFB_MONEY, (const uint8_t[]){10, 5, 0x00}, 3, buf);
	CHECK_INT(fafb_decode(buf, n, &f, &used), HAL_FRAME_OK);
	CHECK(!fafb_money(&f, &mode, &fen));
	n = board(FAFB_STATUS_REPLY, (const uint8_t[]){11, 0, 0, 2, 0, 1}, 6, buf);
	struct fafb_machine m;
	CHECK_INT(fafb_decode(buf, n, &f, &used), HAL_FRAME_OK);
	CHECK(fafb_machine_status(&f, &m));
	CHECK(m.bill == 0 && m.card == 2 && m.door == 1);
	n = board(FAFB_CHECK_REPLY, (const uint8_t[]){12, FAFB_SLOT_SOLD_OUT, 0, 7}, 4, buf);
	CHECK_INT(fafb_decode(buf, n, &f, &used), HAL_FRAME_OK);
	CHECK(fafb_check_reply(&f, &st, &slot) && st == FAFB_SLOT_SOLD_OUT && slot == 7);
}

static void a_broken_line(void)
{
	uint8_t buf[64];
	struct fafb_frame f;
	size_t used = 0;
	/* noise before a POLL: dropped, then the POLL */
	static const uint8_t noisy[] = {0x00, 0x13, 0xFA, 0xFB, 0x41, 0x00, 0x40};
	CHECK_INT(fafb_decode(noisy, sizeof noisy, &f, &used), HAL_FRAME_JUNK);
	CHECK_INT((int)used, 2);
	CHECK_INT(fafb_decode(noisy + 2, sizeof noisy - 2, &f, &used), HAL_FRAME_OK);
	CHECK(f.cmd == FAFB_POLL && !f.has_pack && used == 5);
	/* cut: more wanted, at every length short of the whole */
	for (size_t k = 0; k < sizeof POLL; k++)
		CHECK_INT(fafb_decode(POLL, k, &f, &used), HAL_FRAME_NEED);
	/* a wrong XOR: one byte dropped, and the good frame right after is found */
	memcpy(buf, (const uint8_t[]){0xFA, 0xFB, 0x41, 0x00, 0x41}, 5);
	memcpy(buf + 5, ACK, 5);
	size_t at = 0, left = 10;
	int frames = 0, cmd = 0;
	while (left) {
		int d = fafb_decode(buf + at, left, &f, &used);
		if (d == HAL_FRAME_NEED)
			break;
		CHECK(used > 0 && used <= left);
		if (d == HAL_FRAME_OK) {
			frames++;
			cmd = f.cmd;
		}
		at += used;
		left -= used;
	}
	CHECK_INT(frames, 1);
	CHECK_INT(cmd, FAFB_ACK);
	/* a POLL with a body, a drive without a PackNO, a length past the most: junk */
	static const uint8_t poll_body[] = {0xFA, 0xFB, 0x41, 0x01, 0x07, 0x46};
	CHECK_INT(fafb_decode(poll_body, sizeof poll_body, &f, &used), HAL_FRAME_JUNK);
	static const uint8_t empty_drive[] = {0xFA, 0xFB, 0x06, 0x00, 0x07};
	CHECK_INT(fafb_decode(empty_drive, sizeof empty_drive, &f, &used), HAL_FRAME_JUNK);
	static const uint8_t too_long[] = {0xFA, 0xFB, 0x04, 0xFF};
	CHECK_INT(fafb_decode(too_long, sizeof too_long, &f, &used), HAL_FRAME_JUNK);
}

/* The board's bytes fed in; the one event they make. */
static struct fafb_event from_board(struct fafb_host *h, const uint8_t *b, size_t n)
{
	CHECK_INT((int)fafb_host_feed(h, b, n), (int)n);
	return fafb_host_next(h);
}

/* A sale's exchange as the host lives it: polls answered with ACK while nothing waits; the
 * drive command on the next POLL, ACKed, its PackNO used up; the board's dispensing and
 * dispensed reports ACKed, a report resent (its ACK lost) ACKed again but not acted on. */
static void the_host_in_an_exchange(void)
{
	struct fafb_host h;
	fafb_host_init(&h);
	uint8_t out[64], buf[32];
	bool took, gave_up;
	CHECK_INT(from_board(&h, POLL, 5).kind, FAFB_EV_POLL);
	CHECK_INT((int)fafb_host_answer(&h, NULL, out, sizeof out, &took, &gave_up), 5);
	CHECK(memcmp(out, ACK, 5) == 0 && !took && !gave_up);
	CHECK_INT(fafb_host_next(&h).kind, FAFB_EV_NONE);
	/* the sale's drive, on the next POLL, with the host's first PackNO */
	struct fafb_frame drive = fafb_drive(0, 12, true, false);
	CHECK_INT(from_board(&h, POLL, 5).kind, FAFB_EV_POLL);
	size_t n = fafb_host_answer(&h, &drive, out, sizeof out, &took, &gave_up);
	CHECK(n == 10 && took && out[2] == FAFB_DRIVE && out[4] == 1);
	struct fafb_event ev = from_board(&h, ACK, 5);
	CHECK_INT(ev.kind, FAFB_EV_ACKED);
	CHECK(ev.frame.cmd == FAFB_DRIVE && ev.frame.pack == 1);
	CHECK_INT(h.pack, 2);
	/* dispensing, then its resend (our ACK lost), then dispensed */
	n = board(FAFB_DISPENSE_REPORT, (const uint8_t[]){40, FAFB_DISPENSING, 0, 12}, 4, buf);
	ev = from_board(&h, buf, n);
	CHECK_INT(ev.kind, FAFB_EV_REPORT);
	CHECK(ev.nreply == 5 && memcmp(ev.reply, ACK, 5) == 0);
	ev = from_board(&h, buf, n);
	CHECK_INT(ev.kind, FAFB_EV_RESEND);
	CHECK(ev.nreply == 5 && memcmp(ev.reply, ACK, 5) == 0);
	n = board(FAFB_DISPENSE_REPORT, (const uint8_t[]){41, FAFB_DISPENSED, 0, 12}, 4, buf);
	ev = from_board(&h, buf, n);
	uint8_t st;
	uint16_t slot;
	CHECK(ev.kind == FAFB_EV_REPORT && fafb_dispense_report(&ev.frame, &st, &slot) &&
	      st == FAFB_DISPENSED && slot == 12);
	/* an ACK with no command out changes nothing */
	CHECK_INT(from_board(&h, ACK, 5).kind, FAFB_EV_NONE);
	CHECK_INT(h.pack, 2);
	/* noise on the line: dropped, and the POLL behind it still heard */
	static const uint8_t noise[] = {0x00, 0x7F};
	CHECK_INT(from_board(&h, noise, 2).kind, FAFB_EV_JUNK);
	CHECK_INT(from_board(&h, POLL, 5).kind, FAFB_EV_POLL);
}

/* A command the board never ACKs: the same bytes on every POLL, its first send and five
 * resends; on the next POLL it is given up (the caller says its outcome is unknown) and the
 * host answers ACK, the next command getting the next PackNO. */
static void a_command_never_acked(void)
{
	struct fafb_host h;
	fafb_host_init(&h);
	uint8_t first[64], out[64];
	bool took, gave_up;
	struct fafb_frame check = fafb_check(0, 3);
	CHECK_INT(from_board(&h, POLL, 5).kind, FAFB_EV_POLL);
	size_t n = fafb_host_answer(&h, &check, first, sizeof first, &took, &gave_up);
	CHECK(n > 0 && took);
	for (int i = 0; i < FAFB_RESENDS; i++) {
		CHECK_INT(from_board(&h, POLL, 5).kind, FAFB_EV_POLL);
		struct fafb_frame other = fafb_status(0); /* waiting behind it: not taken */
		CHECK_INT((int)fafb_host_answer(&h, &other, out, sizeof out, &took, &gave_up), (int)n);
		CHECK(memcmp(out, first, n) == 0 && !took && !gave_up);
	}
	CHECK_INT(from_board(&h, POLL, 5).kind, FAFB_EV_POLL);
	CHECK_INT((int)fafb_host_answer(&h, NULL, out, sizeof out, &took, &gave_up), 5);
	CHECK(gave_up && memcmp(out, ACK, 5) == 0);
	struct fafb_frame status = fafb_status(0);
	n = fafb_host_answer(&h, &status, out, sizeof out, &took, &gave_up);
	CHECK(took && out[2] == FAFB_STATUS && out[4] == 2);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"bytes_as_the_board_has_them", bytes_as_the_board_has_them},
		{"reports_read_back", reports_read_back},
		{"a_broken_line", a_broken_line},
		{"the_host_in_an_exchange", the_host_in_an_exchange},
		{"a_command_never_acked", a_command_never_acked},
		{0},
	};
	return test_main(argc, argv, cases);
}
