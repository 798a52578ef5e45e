/* Inside the local platform: its state and the helpers its route files share. */
#ifndef KIOSK_TESTS_PLAT_INT_H
#define KIOSK_TESTS_PLAT_INT_H

#include "tests/platform/platform.h"
#include "kiosk/sync/sign.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct plat {
	struct plat_opts o;
	struct MHD_Daemon *d;
	sqlite3 *db;
	pthread_mutex_t mu; /* the db and the faults */
	struct plat_faults f;
	uint8_t secret[PLAT_MAX_DEVICES][KIOSK_SECRET_MAX];
	size_t slen[PLAT_MAX_DEVICES];
	unsigned rng;
	char *cert_pem, *key_pem;
	int port;
};

/* One request being received: its full URI (the signature covers the query too) and
 * body. */
struct plat_conn {
	char uri[2048];
	char *body;
	size_t n;
	bool too_big;
	bool started; /* MHD's first call has the headers only: the body comes after */
};

/* The server's clock (UTC ms), skewed as the faults say. */
int64_t plat_now_ms(const struct plat *p);
enum MHD_Result plat_answer(struct MHD_Connection *c, unsigned status, const char *body,
			    struct plat *p);
/* {"error": code, "message": msg} with status. */
enum MHD_Result plat_error(struct MHD_Connection *c, unsigned status, const char *code,
			   const char *msg, struct plat *p);
/* s into an HTML page, escaped. */
void plat_html(FILE *f, const char *s);

/* payments.c */
enum MHD_Result plat_payment_create(struct plat *p, struct MHD_Connection *c, int d,
				    const struct plat_conn *k);
enum MHD_Result plat_payment_get(struct plat *p, struct MHD_Connection *c, int d,
				 const char *id, bool cancel);
/* form: the page's button; on success it answers 303 back to the page. */
enum MHD_Result plat_payment_admin(struct plat *p, struct MHD_Connection *c, const char *id,
				   const char *what, bool form);
void plat_payment_rows(struct plat *p, FILE *f);
enum MHD_Result plat_payment_list(struct plat *p, struct MHD_Connection *c);

/* bookings.c */
struct cJSON;
enum MHD_Result plat_booking_admin(struct plat *p, struct MHD_Connection *c,
				   const struct plat_conn *k);
enum MHD_Result plat_booking_get(struct plat *p, struct MHD_Connection *c, int d,
				 const char *code);
/* A stored parcel.send_requested naming a booking (data): the booking is used. */
void plat_booking_used(struct plat *p, const char *device, const struct cJSON *data);
void plat_booking_rows(struct plat *p, FILE *f);

/* Queues one change or an array of them (the caller holds mu). 0, or -1 for what is not
 * JSON. */
int plat_queue_changes(struct plat *p, const char *body, size_t len);

/* meals.c: the demo week queued (the caller holds mu, or the server is not up yet). */
int plat_demo_meals_locked(struct plat *p);
/* meals.c: the residents table (with the demo's few); eligibility; the admin's residents. */
int plat_meals_init(struct plat *p);
enum MHD_Result plat_eligibility(struct plat *p, struct MHD_Connection *c, int d,
				 const struct plat_conn *k);
enum MHD_Result plat_resident_admin(struct plat *p, struct MHD_Connection *c,
				    const struct plat_conn *k);

/* coverage.c: the device's latest report.coverage, a row an item (the home page). */
void plat_coverage_rows(struct plat *p, FILE *f, const char *device);

#endif
