/* MDB framing (PROTOCOLS.md §4) word for word: a request with its mode bit and checksum,
 * the answers a peripheral gives (ACK, NAK, data with its checksum) and the broken ones
 * the master RETs; the uart9 link's PARMRK bytes; the adapter's lines, and lines no
 * adapter sends refused with why. */
#include "hal/mdb/mdb_frames.h"
#include "../test.h"

#include <string.h>

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

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"requests_and_answers", requests_and_answers},
		{"uart9_marks", uart9_marks},
		{"adapter_lines", adapter_lines},
		{0},
	};
	return test_main(argc, argv, cases);
}
