#include "hal/lock/frames.h"

#include <string.h>

static uint8_t sum8(const uint8_t *p, size_t n)
{
	unsigned s = 0;
	for (size_t i = 0; i < n; i++)
		s += p[i];
	return (uint8_t)s;
}

static uint8_t xor8(const uint8_t *p, size_t n)
{
	uint8_t x = 0;
	for (size_t i = 0; i < n; i++)
		x ^= p[i];
	return x;
}

size_t kr_encode(const struct kr_frame *f, uint8_t *out, size_t cap)
{
	size_t n = 5 + (size_t)(f->ndata == 4 ? 4 : 0);
	if (cap < n)
		return 0;
	size_t i = 0;
	out[i++] = KR_STX;
	out[i++] = f->addr;
	out[i++] = f->cmd;
	if (f->ndata == 4)
		for (int k = 0; k < 4; k++)
			out[i++] = f->data[k];
	out[i++] = KR_ETX;
	out[i] = sum8(out, i);
	return i + 1;
}

/* Length of a frame by its command: the protocol has no length byte. */
static size_t kr_len(uint8_t cmd)
{
	switch (cmd) {
	case KR_STATUS:
		return 9;
	case KR_QUERY:
	case KR_UNLOCK:
	case KR_QUERY_BUS:
	case KR_UNLOCK_ALL:
		return 5;
	default:
		return 0;
	}
}

int kr_decode(const uint8_t *buf, size_t len, struct kr_frame *f, size_t *used)
{
	*used = 0;
	if (len == 0)
		return HAL_FRAME_NEED;
	if (buf[0] != KR_STX) {
		/* Skip to the next possible start. */
		const uint8_t *stx = memchr(buf, KR_STX, len);
		*used = stx ? (size_t)(stx - buf) : len;
		return HAL_FRAME_JUNK;
	}
	if (len < 3)
		return HAL_FRAME_NEED;
	size_t n = kr_len(buf[2]);
	if (!n) {
		*used = 1;
		return HAL_FRAME_JUNK;
	}
	if (len < n)
		return HAL_FRAME_NEED;
	if (buf[n - 2] != KR_ETX || buf[n - 1] != sum8(buf, n - 1)) {
		*used = 1; /* resync from the next byte */
		return HAL_FRAME_JUNK;
	}
	memset(f, 0, sizeof *f);
	f->addr = buf[1];
	f->cmd = buf[2];
	f->ndata = (int)n - 5;
	memcpy(f->data, buf + 3, (size_t)f->ndata);
	*used = n;
	return HAL_FRAME_OK;
}

static const uint8_t wk_magic[4] = {0x57, 0x4B, 0x4C, 0x59};

size_t wk_encode(const struct wk_frame *f, uint8_t *out, size_t cap)
{
	if (f->ndata < 0 || f->ndata > WK_MAX_DATA)
		return 0;
	size_t n = 8 + (size_t)f->ndata;
	if (cap < n)
		return 0;
	memcpy(out, wk_magic, 4);
	out[4] = (uint8_t)n;
	out[5] = f->addr;
	out[6] = f->cmd;
	memcpy(out + 7, f->data, (size_t)f->ndata);
	out[n - 1] = xor8(out, n - 1);
	return n;
}

int wk_decode(const uint8_t *buf, size_t len, struct wk_frame *f, size_t *used)
{
	*used = 0;
	if (len == 0)
		return HAL_FRAME_NEED;
	/* Find the magic; a partial one at the very end may still complete. */
	size_t i = 0;
	while (i < len) {
		size_t k = 0;
		while (k < 4 && i + k < len && buf[i + k] == wk_magic[k])
			k++;
		if (k == 4 || i + k == len)
			break;
		i++;
	}
	if (i) {
		*used = i;
		return HAL_FRAME_JUNK;
	}
	if (len < 5)
		return HAL_FRAME_NEED;
	size_t n = buf[4];
	if (n < 8 || n > 8 + WK_MAX_DATA) {
		*used = 1;
		return HAL_FRAME_JUNK;
	}
	if (len < n)
		return HAL_FRAME_NEED;
	if (buf[n - 1] != xor8(buf, n - 1)) {
		*used = 1;
		return HAL_FRAME_JUNK;
	}
	memset(f, 0, sizeof *f);
	f->addr = buf[5];
	f->cmd = buf[6];
	f->ndata = (int)n - 8;
	memcpy(f->data, buf + 7, (size_t)f->ndata);
	*used = n;
	return HAL_FRAME_OK;
}
