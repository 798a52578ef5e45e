/* The vending drive board's wire format, "fafb" (../shared/PROTOCOLS.md §3): frames
 * `FA FB | CMD | LEN | PackNO + TEXT | XOR`, the board (VMC) the bus master polling every
 * 200 ms, the kiosk answering within 100 ms. Pure functions over byte buffers, shared by
 * the driver and the simulator, fuzzed (fuzz_fafb).
 *
 * fafb_decode looks at the start of buf as the lock codecs do (hal/lock/frames.h):
 * HAL_FRAME_OK with *used bytes making up one frame, HAL_FRAME_NEED for more bytes, or
 * HAL_FRAME_JUNK with *used bytes to drop (bytes before a frame, a bad XOR). */
#ifndef KIOSK_HAL_VEND_FAFB_FRAMES_H
#define KIOSK_HAL_VEND_FAFB_FRAMES_H

#include "hal/lock/frames.h" /* HAL_FRAME_OK / NEED / JUNK */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Commands, host → board */
#define FAFB_POLL 0x41       /* board → host: "anything for me?" (no PackNO) */
#define FAFB_ACK 0x42        /* either way (no PackNO) */
#define FAFB_CHECK 0x01      /* check a slot: slot(2) */
#define FAFB_CHECK_REPLY 0x02 /* board: status, slot(2) */
#define FAFB_SELECT 0x03     /* select to buy */
#define FAFB_DISPENSE_REPORT 0x04 /* board: status, slot(2) */
#define FAFB_DRIVE 0x06      /* drive a slot: drop_sensor, elevator, slot(2) */
#define FAFB_MONEY 0x21      /* board: mode, amount(4, big-endian, fen) */
#define FAFB_SYNC 0x31       /* information sync */
#define FAFB_STATUS 0x51     /* machine status request */
#define FAFB_STATUS_REPLY 0x52 /* board: bill, coin, card, temperature, door */

#define FAFB_MAX_TEXT 250 /* TEXT after PackNO; LEN is one byte */

struct fafb_frame {
	uint8_t cmd;
	bool has_pack; /* every frame but POLL and ACK carries a PackNO */
	uint8_t pack;  /* 1..255 */
	uint8_t text[FAFB_MAX_TEXT];
	int ntext;
};

/* Encodes f; returns the length written, 0 when out is too small or f is not a frame
 * (POLL/ACK with a PackNO or text, another command without one, text too long). */
size_t fafb_encode(const struct fafb_frame *f, uint8_t *out, size_t cap);
int fafb_decode(const uint8_t *buf, size_t len, struct fafb_frame *f, size_t *used);

/* Frames the host sends. slot: the machine's slot number (1..65535). */
struct fafb_frame fafb_poll(void);
struct fafb_frame fafb_ack(void);
struct fafb_frame fafb_drive(uint8_t pack, uint16_t slot, bool drop_sensor, bool elevator);
struct fafb_frame fafb_check(uint8_t pack, uint16_t slot);
/* Select to buy (03): the board's own coin, note and card devices take the money for slot
 * (TEXT: slot, 2 bytes; our rule) and report it as money collected (21). */
struct fafb_frame fafb_select(uint8_t pack, uint16_t slot);
struct fafb_frame fafb_status(uint8_t pack);

/* What a board's report says, read from its frame; false when the frame is not that
 * report or its text is too short (a broken board's bytes: ignored, never guessed). */
enum fafb_dispense {
	FAFB_DISPENSING = 0x01,
	FAFB_DISPENSED = 0x02,
	FAFB_JAMMED = 0x03, /* (our rule: also a turn the drop sensor did not see) */
	FAFB_MOTOR_NOT_STOPPED = 0x04,
	FAFB_NO_MOTOR = 0x06,
	FAFB_ELEVATOR_ERROR = 0x07,
	FAFB_ABORTED = 0xFF,
};
bool fafb_dispense_report(const struct fafb_frame *f, uint8_t *status, uint16_t *slot);
/* The outcome in words for people ("dispensed", "jammed", "no motor", …); "unknown
 * status 0x..": never NULL (buf holds the unknown one's words). */
const char *fafb_dispense_words(uint8_t status, char *buf, size_t cap);

enum fafb_slot_state {
	FAFB_SLOT_NORMAL = 0x01,
	FAFB_SLOT_SOLD_OUT = 0x02,
	FAFB_SLOT_NONE = 0x03,
	FAFB_SLOT_PAUSED = 0x04,
};
bool fafb_check_reply(const struct fafb_frame *f, uint8_t *state, uint16_t *slot);
/* (our rule) The drop sensor's record: a check reply may carry a fourth byte, the status of
 * the slot's last drive since the board powered on (enum fafb_dispense; 0 = none), which
 * is what recovery asks after a crash between "dispensing" and its outcome. False when the
 * reply has no such byte (a board without it: nothing is known). */
bool fafb_check_last(const struct fafb_frame *f, uint8_t *last);

/* Money the board's own payment devices took: mode 1 bill, 2 coin, 3 IC card, 4 bank card,
 * 5 WeChat, 6 Alipay, 9 UnionPay QR; fen (the board's decimal setting is 2). */
bool fafb_money(const struct fafb_frame *f, uint8_t *mode, uint32_t *fen);

/* Machine status (our order of the reply's first five bytes; each 0 ok, else a fault code
 * of the device's). */
struct fafb_machine {
	uint8_t bill, coin, card, temperature, door;
};
bool fafb_machine_status(const struct fafb_frame *f, struct fafb_machine *m);

/* The PackNO after p (1..255, round). */
uint8_t fafb_next_pack(uint8_t p);

#endif
