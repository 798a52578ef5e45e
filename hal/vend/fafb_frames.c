#include "hal/vend/fafb_frames.h"

#include <stdio.h>
#include <string.h>

static bool bare(uint8_t cmd)
{
	return cmd == FAFB_POLL || cmd == FAFB_ACK;
}

size_t fafb_encode(const struct fafb_frame *f, uint8_t *out, size_t cap)
{
	if (f->ntext < 0 || f->ntext > FAFB_MAX_TEXT || bare(f->cmd) == f->has_pack ||
	    (bare(f->cmd) && f->ntext))
		return 0;
	size_t body = (f->has_pack ? 1 : 0) + (size_t)f->ntext, n = 4 + body + 1;
	if (cap < n)
		return 0;
	out[0] = 0xFA;
	out[1] = 0xFB;
	out[2] = f->cmd;
	out[3] = (uint8_t)body;
	size_t at = 4;
	if (f->has_pack)
		out[at++] = f->pack;
	memcpy(out + at, f->text, (size_t)f->ntext);
	at += (size_t)f->ntext;
	uint8_t x = 0;
	for (size_t i = 0; i < at; i++)
		x ^= out[i];
	out[at] = x;
	return n;
}

int fafb_decode(const uint8_t *buf, size_t len, struct fafb_frame *f, size_t *used)
{
	size_t skip = 0;
	while (skip < len && buf[skip] != 0xFA)
		skip++;
	if (skip) { /* bytes before a frame */
		*used = skip;
		return HAL_FRAME_JUNK;
	}
	if (len < 2)
		return HAL_FRAME_NEED;
	if (buf[1] != 0xFB) {
		*used = 1;
		return HAL_FRAME_JUNK;
	}
	if (len < 4)
		return HAL_FRAME_NEED;
	size_t body = buf[3], n = 4 + body + 1;
	/* POLL and ACK have no PackNO; every other frame has one, and text after it */
	if (bare(buf[2]) ? body != 0 : (body == 0 || body - 1 > FAFB_MAX_TEXT)) {
		*used = 1;
		return HAL_FRAME_JUNK;
	}
	if (len < n)
		return HAL_FRAME_NEED;
	uint8_t x = 0;
	for (size_t i = 0; i < n - 1; i++)
		x ^= buf[i];
	if (x != buf[n - 1]) {
		*used = 1; /* resynchronise at the next FA */
		return HAL_FRAME_JUNK;
	}
	memset(f, 0, sizeof *f);
	f->cmd = buf[2];
	f->has_pack = body > 0;
	if (f->has_pack) {
		f->pack = buf[4];
		f->ntext = (int)body - 1;
		memcpy(f->text, buf + 5, body - 1);
	}
	*used = n;
	return HAL_FRAME_OK;
}

struct fafb_frame fafb_poll(void)
{
	return (struct fafb_frame){.cmd = FAFB_POLL};
}

struct fafb_frame fafb_ack(void)
{
	return (struct fafb_frame){.cmd = FAFB_ACK};
}

static struct fafb_frame with_pack(uint8_t cmd, uint8_t pack)
{
	return (struct fafb_frame){.cmd = cmd, .has_pack = true, .pack = pack};
}

struct fafb_frame fafb_drive(uint8_t pack, uint16_t slot, bool drop_sensor, bool elevator)
{
	struct fafb_frame f = with_pack(FAFB_DRIVE, pack);
	f.text[0] = drop_sensor;
	f.text[1] = elevator;
	f.text[2] = (uint8_t)(slot >> 8);
	f.text[3] = (uint8_t)slot;
	f.ntext = 4;
	return f;
}

struct fafb_frame fafb_select(uint8_t pack, uint16_t slot)
{
	struct fafb_frame f = fafb_check(pack, slot);
	f.cmd = FAFB_SELECT;
	return f;
}

struct fafb_frame fafb_check(uint8_t pack, uint16_t slot)
{
	struct fafb_frame f = with_pack(FAFB_CHECK, pack);
	f.text[0] = (uint8_t)(slot >> 8);
	f.text[1] = (uint8_t)slot;
	f.ntext = 2;
	return f;
}

struct fafb_frame fafb_status(uint8_t pack)
{
	return with_pack(FAFB_STATUS, pack);
}

/* status, slot(2): the dispense report's and the check reply's shape */
static bool status_slot(const struct fafb_frame *f, uint8_t cmd, uint8_t *status,
			uint16_t *slot)
{
	if (f->cmd != cmd || !f->has_pack || f->ntext < 3)
		return false;
	*status = f->text[0];
	*slot = (uint16_t)(f->text[1] << 8 | f->text[2]);
	return true;
}

bool fafb_dispense_report(const struct fafb_frame *f, uint8_t *status, uint16_t *slot)
{
	return status_slot(f, FAFB_DISPENSE_REPORT, status, slot);
}

bool fafb_check_reply(const struct fafb_frame *f, uint8_t *state, uint16_t *slot)
{
	return status_slot(f, FAFB_CHECK_REPLY, state, slot);
}

bool fafb_check_last(const struct fafb_frame *f, uint8_t *last)
{
	if (f->cmd != FAFB_CHECK_REPLY || f->ntext < 4)
		return false;
	*last = f->text[3];
	return true;
}

const char *fafb_dispense_words(uint8_t status, char *buf, size_t cap)
{
	switch (status) {
	case FAFB_DISPENSING:
		return "dispensing";
	case FAFB_DISPENSED:
		return "dispensed";
	case FAFB_JAMMED:
		return "jammed";
	case FAFB_MOTOR_NOT_STOPPED:
		return "motor did not stop";
	case FAFB_NO_MOTOR:
		return "no motor";
	case FAFB_ELEVATOR_ERROR:
		return "elevator error";
	case FAFB_ABORTED:
		return "aborted";
	default:
		snprintf(buf, cap, "unknown status 0x%02X", status);
		return buf;
	}
}

bool fafb_money(const struct fafb_frame *f, uint8_t *mode, uint32_t *fen)
{
	if (f->cmd != FAFB_MONEY || !f->has_pack || f->ntext < 5)
		return false;
	*mode = f->text[0];
	*fen = (uint32_t)f->text[1] << 24 | (uint32_t)f->text[2] << 16 | (uint32_t)f->text[3] << 8 |
	       f->text[4];
	return true;
}

bool fafb_machine_status(const struct fafb_frame *f, struct fafb_machine *m)
{
	if (f->cmd != FAFB_STATUS_REPLY || !f->has_pack || f->ntext < 5)
		return false;
	*m = (struct fafb_machine){f->text[0], f->text[1], f->text[2], f->text[3], f->text[4]};
	return true;
}

uint8_t fafb_next_pack(uint8_t p)
{
	return p >= 255 ? 1 : (uint8_t)(p + 1);
}
