/* The local platform as a library: kiosk-platform's main() and the contract tests (which
 * run it inside the test process on a free port) start it the same way. */
#ifndef KIOSK_TESTS_PLATFORM_H
#define KIOSK_TESTS_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#define PLAT_MAX_DEVICES 8

struct plat_device {
	char id[64];
	char secret_file[256];
};

/* Faults, changeable while running (POST /admin/faults, or plat_set_faults). */
struct plat_faults {
	double fail_rate;  /* answer 503 before doing anything */
	double close_rate; /* commit, then close the connection without an answer */
	int delay_ms;      /* before answering */
	/* answer 200 with a broken body: "" none, "truncated", "types" (wrong types) */
	char bad[16];
	char reject_type[40]; /* events of this type are refused (422) */
	char fail_path[32];   /* requests to this path answer 503 ("" none) */
	char slow_path[32];   /* requests to this path wait slow_ms before answering */
	int slow_ms;
	int skew_s;           /* the server's clock runs this far ahead */
};

struct plat_opts {
	char db[256];
	char host[64];
	int port; /* 0 = any free one */
	char port_file[256];
	char cert[256], key[256]; /* PEM files: HTTPS; empty: plain HTTP */
	struct plat_device devices[PLAT_MAX_DEVICES];
	int ndevices;
	struct plat_faults faults;
	unsigned seed;
	bool demo_meals; /* queue a week of menus for two demo canteens at start */
};

struct plat;

/* 0 and *out, or -1 with why. */
int plat_start(const struct plat_opts *o, struct plat **out, char *why, size_t wlen);
int plat_port(const struct plat *p);
void plat_set_faults(struct plat *p, const struct plat_faults *f);
/* Queues changes for the kiosks (JSON: one change or an array), as POST /admin/changes. */
int plat_add_changes(struct plat *p, const char *json);
/* Creates a send booking, as POST /admin/send-bookings: {"code", "carrier", "size",
 * "paid", "amount_fen", "device"?, "receiver_city"?, "pay_on_delivery"?}. 0 or -1. */
int plat_add_booking(struct plat *p, const char *json);
/* What the payer's phone (or time) does to the newest pending payment: "pay" or
 * "expire". 0, or -1 when none is pending. */
int plat_payment_decide(struct plat *p, const char *what);
/* Queues a week of lunches and dinners from today (Beijing) at two of the demo
 * neighbourhood's canteens, as `meal` changes (POST /admin/demo-meals). 0 or -1. */
int plat_demo_meals(struct plat *p);
/* One number from the platform's database (tests' assertions); -1 on error. */
long long plat_one(struct plat *p, const char *sql);
void plat_stop(struct plat *p);

#endif
