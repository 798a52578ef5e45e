#include "hal/mdb/mdb_frames.h"

#include <string.h>

uint8_t mdb_chk(const uint8_t *b, size_t n)
{
	unsigned s = 0;
	for (size_t i = 0; i < n; i++)
		s += b[i];
	return (uint8_t)s;
}

size_t mdb_request(const uint8_t *b, size_t n, mdb_word *out, size_t cap)
{
	if (n < 1 || n + 1 > MDB_MAX_BLOCK || cap < n + 1)
		return 0;
	out[0] = (mdb_word)(MDB_MODE | b[0]);
	for (size_t i = 1; i < n; i++)
		out[i] = b[i];
	out[n] = mdb_chk(b, n);
	return n + 1;
}

enum mdb_answer mdb_answer(const mdb_word *w, size_t n, uint8_t *data, size_t *ndata,
			   size_t *used)
{
	*ndata = 0;
	*used = 0;
	if (!n)
		return MDB_ANSWER_NEED;
	if (w[0] & MDB_MODE) { /* one word: ACK or NAK, nothing else stands alone */
		*used = 1;
		uint8_t v = (uint8_t)w[0];
		return v == MDB_ACK ? MDB_ANSWER_ACK : v == MDB_NAK ? MDB_ANSWER_NAK : MDB_ANSWER_BAD;
	}
	size_t k = 0;
	while (k < n && !(w[k] & MDB_MODE))
		k++;
	if (k == n) { /* no end yet: more to come, unless it is already too long */
		if (n < MDB_MAX_BLOCK)
			return MDB_ANSWER_NEED;
		*used = n;
		return MDB_ANSWER_BAD;
	}
	*used = k + 1;
	if (k + 1 > MDB_MAX_BLOCK)
		return MDB_ANSWER_BAD;
	for (size_t i = 0; i < k; i++)
		data[i] = (uint8_t)w[i];
	if (mdb_chk(data, k) != (uint8_t)w[k])
		return MDB_ANSWER_BAD;
	*ndata = k;
	return MDB_ANSWER_DATA;
}

size_t mdb_unmark(const uint8_t *in, size_t n, mdb_word *out, size_t cap, size_t *used)
{
	size_t i = 0, o = 0;
	while (i < n && o < cap) {
		if (in[i] != 0xFF) {
			out[o++] = in[i++];
			continue;
		}
		if (i + 1 >= n)
			break; /* FF at the end: its pair comes with the next read */
		if (in[i + 1] == 0xFF) {
			out[o++] = 0xFF;
			i += 2;
		} else if (in[i + 1] == 0x00) {
			if (i + 2 >= n)
				break;
			out[o++] = (mdb_word)(MDB_MODE | in[i + 2]);
			i += 3;
		} else {
			i++; /* not a mark: the FF dropped */
		}
	}
	*used = i;
	return o;
}

static const char HEX[] = "0123456789ABCDEF";

size_t mdb_adapter_request(const uint8_t *b, size_t n, char *line, size_t cap)
{
	size_t need = 2 + 2 * n + 1;
	if (!n || n + 1 > MDB_MAX_BLOCK || cap < need + 1)
		return 0;
	line[0] = 'R';
	line[1] = ',';
	for (size_t i = 0; i < n; i++) {
		line[2 + 2 * i] = HEX[b[i] >> 4];
		line[3 + 2 * i] = HEX[b[i] & 15];
	}
	line[need - 1] = '\n';
	line[need] = '\0';
	return need;
}

size_t mdb_adapter_reset(char *line, size_t cap)
{
	static const char r[] = "R,RESET\n";
	if (cap < sizeof r)
		return 0;
	memcpy(line, r, sizeof r);
	return sizeof r - 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

bool mdb_adapter_parse(const char *line, size_t len, struct mdb_reply *r, const char **why)
{
	memset(r, 0, sizeof *r);
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	if (len < 3 || line[0] != 'p' || line[1] != ',') {
		*why = "not an answer (p,…)";
		return false;
	}
	const char *s = line + 2;
	size_t n = len - 2;
	if (is(s, n, "ACK"))
		r->kind = MDB_REPLY_ACK;
	else if (is(s, n, "NACK"))
		r->kind = MDB_REPLY_NACK;
	else if (is(s, n, "TIMEOUT"))
		r->kind = MDB_REPLY_TIMEOUT;
	else if (is(s, n, "ERR"))
		r->kind = MDB_REPLY_ERR;
	else {
		if (n % 2) {
			*why = "odd number of hex digits";
			return false;
		}
		if (n / 2 > MDB_MAX_BLOCK) {
			*why = "longer than an MDB block";
			return false;
		}
		for (size_t i = 0; i < n / 2; i++) {
			int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
			if (hi < 0 || lo < 0) {
				memset(r, 0, sizeof *r);
				*why = "not a hex digit";
				return false;
			}
			r->data[i] = (uint8_t)(hi << 4 | lo);
		}
		r->kind = MDB_REPLY_DATA;
		r->ndata = n / 2;
	}
	*why = "";
	return true;
}
