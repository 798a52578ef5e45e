/* Frame codecs of the two lock-board protocols (../shared/PROTOCOLS.md §1, §2): pure
 * functions over byte buffers, shared by the drivers and the simulators, fuzzed.
 *
 * Decoders look at the start of buf: they return HAL_FRAME_OK with *used bytes making up
 * one frame, HAL_FRAME_NEED when more bytes are needed, or HAL_FRAME_JUNK with *used
 * bytes to drop (garbage before a frame, a bad checksum, an impossible length). */
#ifndef KIOSK_HAL_LOCK_FRAMES_H
#define KIOSK_HAL_LOCK_FRAMES_H

#include <stddef.h>
#include <stdint.h>

enum { HAL_FRAME_OK = 0, HAL_FRAME_NEED = 1, HAL_FRAME_JUNK = 2 };

/* ---- Kerong KR-CU16: STX ADDR CMD [4 data] ETX SUM ---- */
#define KR_STX 0x02
#define KR_ETX 0x03
#define KR_QUERY 0x30
#define KR_UNLOCK 0x31
#define KR_QUERY_BUS 0x32
#define KR_UNLOCK_ALL 0x33
#define KR_STATUS 0x35
#define KR_PULSE 0x37

struct kr_frame {
	uint8_t addr, cmd;
	uint8_t data[4]; /* status reply: L1 L2 I1 I2 */
	int ndata;
};

/* Encodes a command without data (5 bytes) or a status reply (ndata 4, 9 bytes). Returns
 * the length written, 0 if out is too small. */
size_t kr_encode(const struct kr_frame *f, uint8_t *out, size_t cap);
int kr_decode(const uint8_t *buf, size_t len, struct kr_frame *f, size_t *used);

/* ---- WKLY 24-channel: 57 4B 4C 59 LEN ADDR CMD DATA… XOR ---- */
#define WK_OPEN_SEVERAL 0x80
#define WK_OPEN 0x82
#define WK_QUERY 0x83
#define WK_QUERY_ALL 0x84
#define WK_PUSH 0x85
#define WK_OPEN_ALL 0x86
#define WK_MAX_DATA 40

struct wk_frame {
	uint8_t addr, cmd;
	uint8_t data[WK_MAX_DATA];
	int ndata;
};

size_t wk_encode(const struct wk_frame *f, uint8_t *out, size_t cap);
int wk_decode(const uint8_t *buf, size_t len, struct wk_frame *f, size_t *used);

#endif
