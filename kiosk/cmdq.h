/* The UI → core command queue: a bounded ring of fixed-size commands guarded by a mutex,
 * with an eventfd the core's poll loop watches. Bounded so a stuck core shows up as
 * KIOSK_EBUSY at the UI instead of growing memory. */
#ifndef KIOSK_CMDQ_H
#define KIOSK_CMDQ_H

#include <stdint.h>

/* The core holds the session's authority: (*) must be the courier logged in with
 * KIOSK_CMD_LOGIN_COURIER in this session, (†) the operator logged in with
 * KIOSK_CMD_LOGIN_OPERATOR; anything else is KIOSK_EDENIED and changes nothing. A parcel
 * named by a command must be the one this session's own step produced. */
enum kiosk_cmd_type {
	KIOSK_CMD_HELLO = 1,      /* UI is up: publish a fresh snapshot */
	KIOSK_CMD_QUIT,           /* stop the core loop */
	KIOSK_CMD_UI_ALIVE,       /* UI heartbeat for the watchdog (no payload) */
	KIOSK_CMD_HELP,           /* s1 lang, arg 1 = 长辈模式; value 1 = already called */
	KIOSK_CMD_FEEDBACK,       /* s1 context, arg stars, s2 comment */
	KIOSK_CMD_SERVICE_REQ,    /* s1 category, s2 text */
	KIOSK_CMD_LOGIN_OPERATOR, /* s1 operator id, s2 PIN (cleansed after use); value = wait s */
	KIOSK_CMD_COUNT_EVENTS,   /* s1 event type; value = events of that type in the outbox */
	KIOSK_CMD_CLOCK_SKEW,     /* arg ms: move the core's business clock (test clock only) */
	KIOSK_CMD_OPEN_COMPARTMENT, /* s1 compartment, s2 operator (†): open it (maintenance) */
	KIOSK_CMD_SIM_LOCK,       /* s1 a line for the lock simulator (--simulate only) */
	KIOSK_CMD_LOGIN_COURIER,  /* s1 courier id, s2 PIN; value = wait s when locked */
	KIOSK_CMD_DEPOSIT,        /* s1 courier (*), s2 "tracking phone", arg size: the door opens;
				   * text = parcel, text2 = compartment */
	KIOSK_CMD_DEPOSIT_DONE,   /* s1 parcel of this session's deposit (or its unfinished
				   * one): door closed on it, code issued (and sent) */
	KIOSK_CMD_DEPOSIT_CANCEL, /* s1 parcel, as for DEPOSIT_DONE */
	KIOSK_CMD_PICKUP_CHECK,   /* s2 code; text = parcel, text2 = compartment, value = fee
				   * still owed (fen), or the wait in s when locked */
	KIOSK_CMD_PICKUP_OPEN,    /* the door of the parcel this session's code checked opens
				   * (nothing owed); KIOSK_EDENIED without a checked code */
	KIOSK_CMD_TEST_LAST_CODE, /* test clock only: text = the newest unsent pickup code */
	KIOSK_CMD_SET_COMPARTMENT, /* s1 compartment, s2 operator (†), arg 1 = disable, 0 = enable */
	KIOSK_CMD_RETRIEVE,       /* s1 courier (*): open the oldest expired parcel's door;
				   * text = parcel, text2 = compartment */
	KIOSK_CMD_REOPEN,         /* the item-left reopen of this session's pickup */
	KIOSK_CMD_OPEN_ALL,       /* s2 operator (†): open every usable empty door (cleaning);
				   * value = doors opened */
	KIOSK_CMD_SEND_CARRIERS,  /* text = the carriers residents can send with, space-separated;
				   * value = how many */
	KIOSK_CMD_SEND_START,     /* s1 carrier, arg size: a 到付 send, its door opens;
				   * text = parcel, text2 = compartment */
	KIOSK_CMD_SEND_OPEN,      /* s1 parcel (this session's send): another door after a
				   * jam; text2 = compartment */
	KIOSK_CMD_SEND_DONE,      /* s1 parcel (this session's send): the door closed on it,
				   * the carrier is told */
	KIOSK_CMD_SEND_CANCEL,    /* s1 parcel (this session's send): given up before it was in */
	KIOSK_CMD_COLLECT,        /* s1 courier (*): open the oldest send of the courier's carrier;
				   * text = parcel, text2 = compartment */
	KIOSK_CMD_COURIER_TASKS,  /* s1 courier (*): text = "<expired> <sends to collect>" */
	KIOSK_CMD_UNFINISHED,     /* s1 courier (*): text = "<parcel> <tracking, last 8>",
				   * text2 = compartment of a deposit left unfinished */
	KIOSK_CMD_SESSION_END,    /* the person left (home, idle): the core forgets the
				   * session's checked code, courier and operator */
	KIOSK_CMD_TYPE_COUNT
};

struct kiosk_cmd {
	enum kiosk_cmd_type type;
	int64_t arg;  /* command-specific */
	uint32_t req; /* request id the result is filed under; 0 = no result wanted */
	char s1[64], s2[512];
};

#define KIOSK_CMDQ_CAP 64

struct kiosk_cmdq; /* opaque */

/* *out owned by the caller, freed with kiosk_cmdq_free(). */
int kiosk_cmdq_new(struct kiosk_cmdq **out);
void kiosk_cmdq_free(struct kiosk_cmdq *q);
/* The fd that becomes readable when commands are waiting. Owned by the queue. */
int kiosk_cmdq_fd(const struct kiosk_cmdq *q);
/* Any thread. KIOSK_EBUSY when full (nothing queued). */
int kiosk_cmdq_push(struct kiosk_cmdq *q, const struct kiosk_cmd *cmd);
/* Consumer thread. Returns 1 and fills *cmd, or 0 when empty (and clears the wake-up). */
int kiosk_cmdq_pop(struct kiosk_cmdq *q, struct kiosk_cmd *cmd);

#endif
