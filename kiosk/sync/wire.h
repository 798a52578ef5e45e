/* The bytes of Platform API v1: request bodies the kiosk sends and the responses it reads.
 * Pure functions over buffers (fuzzed): no I/O, no store. Every response is held to a
 * size limit and a nesting limit before cJSON sees it, and read field by field; anything
 * else is KIOSK_EPARSE with a reason, never a partial result. */
#ifndef KIOSK_SYNC_WIRE_H
#define KIOSK_SYNC_WIRE_H

#include "kiosk/store/store.h"

#include <stddef.h>
#include <stdint.h>

#define KIOSK_WIRE_MAX_RESPONSE (1024 * 1024)
#define KIOSK_WIRE_MAX_DEPTH 16
#define KIOSK_WIRE_MAX_BATCH 500
#define KIOSK_WIRE_MAX_BODY (1024 * 1024)

struct cJSON;

/* Parses a response body: at most KIOSK_WIRE_MAX_RESPONSE bytes, nested at most
 * KIOSK_WIRE_MAX_DEPTH deep, a JSON object. *out is owned by the caller (cJSON_Delete);
 * NULL and KIOSK_EPARSE (why says what was wrong) otherwise. */
int kiosk_wire_parse(const char *body, size_t len, struct cJSON **out, char *why, size_t wlen);

/* "2026-11-28T12:00:00.123Z" for UTC epoch ms (out: 25 bytes). */
void kiosk_wire_time(int64_t ms, char out[25]);

/* "2026-12-01T12:00:00Z" or with .mmm: UTC ms; -1 if not that shape. */
int64_t kiosk_wire_parse_time(const char *s);
/* An integer member: present, a number, whole, in [lo, hi]; else KIOSK_EPARSE. */
int kiosk_wire_get_int(const struct cJSON *o, const char *name, int64_t lo, int64_t hi,
		       int64_t *v);

/* The body of POST /v1/events for device: the first events of b, in order, that fit in
 * max_bytes. *used is how many went in. An event that alone is over max_bytes goes in
 * nothing: KIOSK_ENOSPACE with *used 0 (the caller dead-letters it). *body is owned by
 * the caller (kiosk_free). */
int kiosk_wire_events(const char *device, const struct kiosk_event_batch *b, size_t max_bytes,
		      char **body, size_t *len, int *used);

/* The answer to POST /v1/events (200 or 422). */
#define KIOSK_WIRE_MAX_REJECTED 64
struct kiosk_wire_ack {
	int64_t acked_through; /* 0: none */
	int nrejected;         /* kept: at most KIOSK_WIRE_MAX_REJECTED */
	struct {
		int64_t seq;
		char error[128];
	} rejected[KIOSK_WIRE_MAX_REJECTED];
};
/* Reads an events answer; with first..last the seqs that were sent, an acked_through
 * outside [first - 1, last] or a rejected seq outside [first, last] is KIOSK_EPARSE (a
 * server must not ack what it was not sent). */
int kiosk_wire_parse_ack(const char *body, size_t len, int64_t first, int64_t last,
			 struct kiosk_wire_ack *out, char *why, size_t wlen);

/* The "error" code of an error body ({"error": "used", …}) into code; "" when absent or
 * unreadable. */
void kiosk_wire_error_code(const char *body, size_t len, char *code, size_t cap);

/* ---- QR payments and send bookings (wire_pay.c) ---- */
/* 201 of POST /v1/payments: the payment id, the QR text, when it expires. */
struct kiosk_wire_payment {
	char payment[96];
	char qr[512];
	int64_t expires_ms;
};
int kiosk_wire_parse_payment(const char *body, size_t len, struct kiosk_wire_payment *out,
			     char *why, size_t wlen);
/* GET /v1/payments/<id>: "pending", "paid", "expired" or "cancelled" into status (12). */
int kiosk_wire_parse_pay_status(const char *body, size_t len, char status[12], char *why,
				size_t wlen);
/* The body of POST /v1/payments (owned by the caller: cJSON_free). */
char *kiosk_wire_payment_request(const char *order, int64_t amount_fen, const char *description);

/* 200 of GET /v1/send-bookings/<code>. */
struct kiosk_wire_booking {
	char booking[40], carrier[32], city[32];
	int size; /* enum kiosk_size */
	bool paid, pay_on_delivery;
	int64_t amount_fen;
};
int kiosk_wire_parse_booking(const char *body, size_t len, struct kiosk_wire_booking *out,
			     char *why, size_t wlen);
/* POST /v1/residents/eligibility's 200: the tier ("60+", "80+", "90+", "none"), until when
 * it may be kept (at most 30 days from now_ms; 30 days when not said), the masked name
 * (shown, never kept), the opaque resident id, whether meals may be brought. */
struct kiosk_wire_elig {
	char tier[8], name_masked[32], resident[64];
	bool delivery;
	int64_t valid_until_ms;
};
int kiosk_wire_parse_eligibility(const char *body, size_t len, int64_t now_ms,
				 struct kiosk_wire_elig *out, char *why, size_t wlen);
/* A booking code as residents type it: 6–12 letters or digits. */
bool kiosk_wire_booking_code_ok(const char *code);

#endif
