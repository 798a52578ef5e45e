/* MDB / ICP framing (../shared/PROTOCOLS.md §4), the kiosk the bus master (VMC): 9-bit
 * words, the mode bit set on the address byte the master sends and on the checksum a
 * peripheral ends with; CHK the byte sum; ACK 00, RET AA (master only), NAK FF. And the two
 * links' byte forms: `uart9` (a UART's mark/space parity for the 9th bit, read with PARMRK)
 * and `adapter` (a USB MDB master's ASCII lines). Pure functions, shared by the links and
 * the simulator, fuzzed (fuzz_mdb). */
#ifndef KIOSK_HAL_MDB_FRAMES_H
#define KIOSK_HAL_MDB_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint16_t mdb_word; /* bit 8: the mode bit */
#define MDB_MODE 0x100
#define MDB_ACK 0x00
#define MDB_RET 0xAA
#define MDB_NAK 0xFF
#define MDB_MAX_BLOCK 36 /* bytes in one request or answer, checksum included */
#define MDB_RETRIES 3    /* RETs after a bad checksum before the master gives up */
#define MDB_ANSWER_MS 5  /* a peripheral answers within this */

/* Addresses (top five bits) */
#define MDB_CHANGER 0x08
#define MDB_CASHLESS1 0x10
#define MDB_BILL 0x30
#define MDB_CASHLESS2 0x60

uint8_t mdb_chk(const uint8_t *b, size_t n);

/* A request as words: b[0] (address | command) with the mode bit, the rest, CHK (no mode
 * bit). n ≥ 1, n + 1 ≤ MDB_MAX_BLOCK; returns the words written (n + 1), 0 when it cannot. */
size_t mdb_request(const uint8_t *b, size_t n, mdb_word *out, size_t cap);

/* A peripheral's answer in the words received so far. */
enum mdb_answer {
	MDB_ANSWER_NEED, /* no word with the mode bit yet: more to come (or a timeout) */
	MDB_ANSWER_ACK,
	MDB_ANSWER_NAK,
	MDB_ANSWER_DATA, /* data, checksum right: the master ACKs it */
	MDB_ANSWER_BAD,  /* checksum wrong, a mode bit inside, too long: the master RETs */
};
/* Reads w[0..n): *used words make up the answer (ACK/NAK one, data its bytes and CHK);
 * data (MDB_MAX_BLOCK room) and *ndata get the bytes without the checksum. */
enum mdb_answer mdb_answer(const mdb_word *w, size_t n, uint8_t *data, size_t *ndata,
			   size_t *used);

/* uart9, read with PARMRK: a byte with the mode bit arrives as FF 00 xx, a literal FF as
 * FF FF. Words from in[0..n) into out (cap); *used the bytes consumed (an FF or FF 00 at
 * the end waits for the next read). A lone FF before anything else is dropped (a
 * framing fault the driver counts: the return is the words written). */
size_t mdb_unmark(const uint8_t *in, size_t n, mdb_word *out, size_t cap, size_t *used);

/* The adapter's request line for b[0..n) (without the checksum: the adapter adds it):
 * "R,<HEX>\n"; the bus reset "R,RESET\n". The length written, 0 when cap is too small or
 * n is 0 or too long. */
size_t mdb_adapter_request(const uint8_t *b, size_t n, char *line, size_t cap);
size_t mdb_adapter_reset(char *line, size_t cap);

/* The adapter's answer line (its "\n" and a "\r" before it may be there or not). */
struct mdb_reply {
	enum { MDB_REPLY_ACK, MDB_REPLY_NACK, MDB_REPLY_DATA, MDB_REPLY_TIMEOUT, MDB_REPLY_ERR } kind;
	uint8_t data[MDB_MAX_BLOCK];
	size_t ndata;
};
/* false for a line that is not one (not "p,…", odd or bad hex digits, too long); why says
 * what (a static string). */
bool mdb_adapter_parse(const char *line, size_t len, struct mdb_reply *r, const char **why);

#endif
