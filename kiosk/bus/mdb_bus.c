#include "kiosk/bus/mdb_bus_int.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SALE_POLL_MS 100
#define IDLE_POLL_MS 1000
#define SETUP_RETRY_MS 5000

enum job_kind {
	JOB_BEGIN, JOB_END_OK, JOB_END_FAIL, JOB_CANCEL,
	JOB_CASH_BEGIN, JOB_CASH_STOP, JOB_CASH_PAYOUT,
};

struct card_job {
	enum job_kind kind;
	int64_t tag, price_fen;
	int item;
};

enum sale_state {
	IDLE,     /* no sale: the reader disabled */
	WAITING,  /* enabled, no card yet */
	VENDING,  /* a card's session, the vend asked or approved */
	CLOSING,  /* session complete sent: its end awaited */
};

/* What status reads, written by the worker after each round and job. */
struct shared {
	pthread_mutex_t mu;
	struct kiosk_mdb_status st;
};

struct card_dev {
	struct mdb_link *a;
	struct shared *sh;
	struct cash_dev cash;
	char why[48]; /* the reader's, when it is not set up */
	struct kiosk_bus *bus; /* for what a job's polls post */
	bool set_up;
	unsigned scale;
	int64_t next_setup, last_poll;
	enum sale_state st;
	bool approved;
	int64_t tag, price_fen;
	int item;
};

struct kiosk_mdb_bus {
	struct kiosk_bus *bus;
	struct shared sh;
};

void mdb_bus_post(struct kiosk_bus *bus, const struct kiosk_mdb_outcome *o)
{
	if (!kiosk_bus_post(bus, o))
		KLOG_WARN("mdb", "event=outcome_dropped kind=%d", o->kind);
}

static void post(struct kiosk_bus *bus, enum kiosk_card_kind kind, int64_t tag, int64_t fen,
		 const char *why)
{
	struct kiosk_mdb_outcome o = {.kind = kind, .tag = tag, .fen = fen};
	snprintf(o.why, sizeof o.why, "%s", why ? why : "");
	mdb_bus_post(bus, &o);
}

int mdb_bus_call(struct mdb_link *a, const uint8_t *b, size_t n, struct mdb_reply *r)
{
	int rc = mdb_link_call(a, b, n, r);
	return rc ? rc : r->kind == MDB_REPLY_TIMEOUT ? KIOSK_ETIMEDOUT : KIOSK_OK;
}

static int call(struct card_dev *d, const uint8_t *b, size_t n, struct mdb_reply *r)
{
	return mdb_bus_call(d->a, b, n, r);
}

/* The devices as they are now: for status, and the bus's health (ok while any answers). */
static void publish(struct card_dev *d, struct kiosk_bus *bus)
{
	struct kiosk_mdb_status st;
	memset(&st, 0, sizeof st); /* compared whole, padding too */
	st.card_ok = d->set_up;
	st.coin_ok = d->cash.coin_up;
	st.bill_ok = d->cash.bill_up;
	snprintf(st.card_why, sizeof st.card_why, "%s", d->set_up ? "" : d->why);
	snprintf(st.coin_why, sizeof st.coin_why, "%s", d->cash.coin_up ? "" : d->cash.coin_why);
	snprintf(st.bill_why, sizeof st.bill_why, "%s", d->cash.bill_up ? "" : d->cash.bill_why);
	for (int t = 0; d->cash.coin_up && t < MDB_COIN_TYPES; t++)
		if (d->cash.coin_units[t]) {
			st.tube_fen[st.ntubes] = (int64_t)d->cash.coin_units[t] * d->cash.coin_scale;
			st.tube_count[st.ntubes++] = d->cash.tubes.count[t];
		}
	pthread_mutex_lock(&d->sh->mu);
	bool changed = memcmp(&st, &d->sh->st, sizeof st) != 0;
	d->sh->st = st;
	pthread_mutex_unlock(&d->sh->mu);
	if (!changed)
		return;
	if (st.card_ok || st.coin_ok || st.bill_ok)
		kiosk_bus_set_health(bus, KIOSK_BUS_OK, "");
	else
		kiosk_bus_set_health(bus, KIOSK_BUS_FAULT, d->why);
}

/* Reset, its "just reset", the reader's config (its scale), prices any: disabled, ready. */
static int setup(struct card_dev *d)
{
	struct mdb_reply r;
	int rc = call(d, (const uint8_t[]){0x10}, 1, &r);
	for (int i = 0; rc == KIOSK_OK && i < 10; i++) {
		rc = call(d, (const uint8_t[]){0x12}, 1, &r);
		if (rc == KIOSK_OK && r.kind == MDB_REPLY_DATA && r.ndata && r.data[0] == 0x00)
			break;
	}
	if (rc == KIOSK_OK)
		rc = call(d, (const uint8_t[]){0x11, 0x00, 0x03, 0x00, 0x00, 0x00}, 6, &r);
	if (rc == KIOSK_OK && (r.kind != MDB_REPLY_DATA || r.ndata < 7 || r.data[0] != 0x01 ||
			       r.data[4] == 0))
		rc = KIOSK_EPROTO;
	if (rc == KIOSK_OK) {
		d->scale = r.data[4];
		rc = call(d, (const uint8_t[]){0x11, 0x01, 0xFF, 0xFF, 0x00, 0x00}, 6, &r);
	}
	return rc;
}

static void fault(struct card_dev *d, struct kiosk_bus *bus, const char *why)
{
	if (d->st != IDLE)
		post(bus, KIOSK_CARD_FAULT, d->tag, 0, why);
	d->st = IDLE;
	d->set_up = false;
	d->next_setup = kiosk_mono_ms() + SETUP_RETRY_MS;
	snprintf(d->why, sizeof d->why, "%s", why);
}

/* What a POLL said, for the sale under way. */
static void on_poll(struct card_dev *d, struct kiosk_bus *bus, const struct mdb_reply *r)
{
	struct mdb_reply x;
	if (r->kind != MDB_REPLY_DATA || !r->ndata)
		return; /* ACK: nothing new */
	switch (r->data[0]) {
	case 0x03: /* a card's session: its vend asked at once (the resident chose already) */
		if (d->st != WAITING) {
			call(d, (const uint8_t[]){0x13, 0x04}, 2, &x); /* no sale: complete it */
			return;
		}
		int64_t units = d->price_fen / d->scale;
		const uint8_t vend[] = {0x13, 0x00, (uint8_t)(units >> 8), (uint8_t)units,
					(uint8_t)(d->item >> 8), (uint8_t)d->item};
		if (call(d, vend, sizeof vend, &x) != KIOSK_OK || x.kind != MDB_REPLY_ACK) {
			call(d, (const uint8_t[]){0x13, 0x04}, 2, &x);
			post(bus, KIOSK_CARD_DENIED, d->tag, 0, "the reader refused the vend");
			d->st = CLOSING;
			return;
		}
		d->st = VENDING;
		d->approved = false;
		return;
	case 0x05: /* approved for the amount */
		if (d->st == VENDING && !d->approved) {
			d->approved = true;
			int64_t fen = r->ndata >= 3 ? (int64_t)(r->data[1] << 8 | r->data[2]) * d->scale
						    : d->price_fen;
			post(bus, KIOSK_CARD_APPROVED, d->tag, fen, NULL);
		}
		return;
	case 0x06: /* denied: complete the session, nothing charged */
		if (d->st == VENDING) {
			post(bus, KIOSK_CARD_DENIED, d->tag, 0, "the card was declined");
			call(d, (const uint8_t[]){0x13, 0x04}, 2, &x);
			d->st = CLOSING;
		}
		return;
	case 0x07: /* end session */
		if (d->st == CLOSING) {
			call(d, (const uint8_t[]){0x14, 0x00}, 2, &x); /* disabled until the next */
			post(bus, KIOSK_CARD_ENDED, d->tag, 0, NULL);
			d->st = IDLE;
		}
		return;
	case 0x0A:
		fault(d, bus, "the card reader reported a malfunction");
		return;
	default:
		return;
	}
}

/* The reader's part of a round; true when it talked. */
static bool serve_reader(struct card_dev *d, struct kiosk_bus *bus, int64_t now)
{
	if (!d->set_up) {
		if (now < d->next_setup)
			return false;
		if (setup(d)) {
			fault(d, bus, "no cashless reader answers");
			return true;
		}
		d->set_up = true;
		d->last_poll = now;
		KLOG_INFO("card", "event=reader_ready scale=%u", d->scale);
		return true;
	}
	int period = d->st == IDLE ? IDLE_POLL_MS : SALE_POLL_MS;
	if (now - d->last_poll < period)
		return false;
	d->last_poll = now;
	struct mdb_reply r;
	if (call(d, (const uint8_t[]){0x12}, 1, &r) != KIOSK_OK) {
		fault(d, bus, "the cashless reader stopped answering");
		return true;
	}
	on_poll(d, bus, &r);
	return true;
}

static void serve(void *dev, struct kiosk_bus *bus, int wait_ms)
{
	struct card_dev *d = dev;
	int64_t now = kiosk_mono_ms();
	bool did = serve_reader(d, bus, now);
	did |= cash_dev_serve(&d->cash, d->a, bus, now);
	publish(d, bus);
	if (!did)
		usleep((useconds_t)wait_ms * 1000);
}

static void card_job(struct card_dev *d, const struct card_job *j, struct kiosk_mdb_outcome *o);

static bool run_job(void *dev, const void *job, void *out)
{
	struct card_dev *d = dev;
	const struct card_job *j = job;
	struct kiosk_mdb_outcome *o = out;
	switch (j->kind) {
	case JOB_CASH_BEGIN:
		cash_dev_begin(&d->cash, d->a, j->tag, j->price_fen, d->st != IDLE, o);
		break;
	case JOB_CASH_STOP:
		cash_dev_stop(&d->cash, d->a, d->bus, j->tag, o);
		break;
	case JOB_CASH_PAYOUT:
		cash_dev_payout(&d->cash, d->a, d->bus, j->tag, j->price_fen, o);
		break;
	default:
		card_job(d, j, o);
	}
	publish(d, d->bus);
	return false;
}

static void card_job(struct card_dev *d, const struct card_job *j, struct kiosk_mdb_outcome *o)
{
	struct mdb_reply r;
	*o = (struct kiosk_mdb_outcome){.kind = KIOSK_CARD_NONE, .tag = j->tag};
	switch (j->kind) {
	case JOB_BEGIN:
		/* the last sale still closing (its end session not polled yet): finish it first */
		for (int i = 0; d->set_up && d->st == CLOSING && i < 20; i++) {
			if (call(d, (const uint8_t[]){0x12}, 1, &r) != KIOSK_OK)
				break;
			on_poll(d, d->bus, &r);
			if (d->st == CLOSING)
				usleep(SALE_POLL_MS * 1000);
		}
		if (!d->set_up || d->st != IDLE || d->cash.st == CASH_TAKING ||
		    j->price_fen / d->scale < 1 ||
		    j->price_fen / d->scale > 65535 || j->price_fen % d->scale) {
			o->kind = KIOSK_CARD_FAULT;
			snprintf(o->why, sizeof o->why, "%s",
				 !d->set_up ? "no cashless reader" : d->st != IDLE ? "the reader is busy"
								   : "a price the reader cannot ask");
			return;
		}
		if (call(d, (const uint8_t[]){0x14, 0x01}, 2, &r) != KIOSK_OK) {
			o->kind = KIOSK_CARD_FAULT;
			snprintf(o->why, sizeof o->why, "the reader could not be enabled");
			return;
		}
		d->st = WAITING;
		d->tag = j->tag;
		d->price_fen = j->price_fen;
		d->item = j->item;
		d->last_poll = 0; /* look at once */
		o->kind = KIOSK_CARD_WAITING;
		return;
	case JOB_END_OK:
	case JOB_END_FAIL:
		if (d->st != VENDING || d->tag != j->tag || !d->approved)
			return;
		if (j->kind == JOB_END_OK)
			call(d, (const uint8_t[]){0x13, 0x02, (uint8_t)(d->item >> 8), (uint8_t)d->item},
			     4, &r);
		else
			call(d, (const uint8_t[]){0x13, 0x03}, 2, &r); /* not charged, or given back */
		call(d, (const uint8_t[]){0x13, 0x04}, 2, &r);
		d->st = CLOSING;
		d->last_poll = 0;
		return;
	case JOB_CANCEL:
		if (d->tag != j->tag || d->st == IDLE || d->st == CLOSING)
			return;
		if (d->st == VENDING && d->approved)
			return; /* approved: only the dispense's outcome ends it */
		if (d->st == WAITING)
			call(d, (const uint8_t[]){0x14, 0x00}, 2, &r);
		else
			call(d, (const uint8_t[]){0x13, 0x04}, 2, &r);
		d->st = d->st == WAITING ? IDLE : CLOSING;
		o->kind = KIOSK_CARD_CANCELLED;
		return;
	default:
		return;
	}
}

static void expire_job(void *dev, const void *job, void *out)
{
	(void)dev;
	const struct card_job *j = job;
	*(struct kiosk_mdb_outcome *)out =
		(struct kiosk_mdb_outcome){.kind = KIOSK_CARD_NONE, .tag = j->tag};
}

static void close_dev(void *dev)
{
	mdb_link_close(((struct card_dev *)dev)->a);
}

static const struct kiosk_bus_ops card_ops = {
	.name = "card",
	.job_size = sizeof(struct card_job),
	.outcome_size = sizeof(struct kiosk_mdb_outcome),
	.jobs = 8,
	.outcomes = 16,
	.outcomes_for_jobs = 8,
	.run_job = run_job,
	.expire_job = expire_job,
	.serve = serve,
	.close = close_dev,
};

int kiosk_mdb_bus_start(struct mdb_link *a, struct kiosk_mdb_bus **out)
{
	*out = NULL;
	struct kiosk_mdb_bus *b = kiosk_calloc(1, sizeof *b);
	struct card_dev *d = kiosk_calloc(1, sizeof *d);
	if (!b || !d) {
		kiosk_free(b);
		kiosk_free(d);
		return KIOSK_ENOMEM;
	}
	d->a = a;
	d->scale = 1;
	d->sh = &b->sh;
	snprintf(d->why, sizeof d->why, "no MDB device answers yet");
	cash_dev_init(&d->cash);
	pthread_mutex_init(&b->sh.mu, NULL);
	int rc = kiosk_bus_start(&card_ops, d, &b->bus);
	if (rc) {
		pthread_mutex_destroy(&b->sh.mu);
		kiosk_free(d);
		kiosk_free(b);
		return rc;
	}
	d->bus = b->bus; /* (the worker reads it only in jobs, which come after this) */
	kiosk_bus_set_health(b->bus, KIOSK_BUS_FAULT, "the MDB devices are being set up");
	*out = b;
	return KIOSK_OK;
}

void kiosk_mdb_bus_stop(struct kiosk_mdb_bus *b)
{
	if (!b)
		return;
	kiosk_bus_stop(b->bus);
	pthread_mutex_destroy(&b->sh.mu);
	kiosk_free(b);
}

static int submit(struct kiosk_mdb_bus *b, enum job_kind kind, int64_t tag, int64_t price,
		  int item)
{
	struct card_job j = {kind, tag, price, item};
	return kiosk_bus_submit(b->bus, &j, 0);
}

int kiosk_mdb_bus_begin(struct kiosk_mdb_bus *b, int64_t tag, int64_t price_fen, int item)
{
	if (price_fen < 1 || item < 0 || item > 65535)
		return KIOSK_EINVAL;
	return submit(b, JOB_BEGIN, tag, price_fen, item);
}

int kiosk_mdb_bus_end(struct kiosk_mdb_bus *b, int64_t tag, bool success)
{
	return submit(b, success ? JOB_END_OK : JOB_END_FAIL, tag, 0, 0);
}

int kiosk_mdb_bus_cancel(struct kiosk_mdb_bus *b, int64_t tag)
{
	return submit(b, JOB_CANCEL, tag, 0, 0);
}

int kiosk_mdb_bus_fd(const struct kiosk_mdb_bus *b)
{
	return kiosk_bus_fd(b->bus);
}

int kiosk_mdb_bus_take(struct kiosk_mdb_bus *b, struct kiosk_mdb_outcome *out)
{
	return kiosk_bus_take(b->bus, out);
}

bool kiosk_mdb_bus_health(struct kiosk_mdb_bus *b, char *why, size_t cap)
{
	return kiosk_bus_health(b->bus, why, cap) == KIOSK_BUS_OK;
}

int kiosk_mdb_bus_cash_begin(struct kiosk_mdb_bus *b, int64_t tag, int64_t price_fen)
{
	return price_fen < 1 ? KIOSK_EINVAL : submit(b, JOB_CASH_BEGIN, tag, price_fen, 0);
}

int kiosk_mdb_bus_cash_stop(struct kiosk_mdb_bus *b, int64_t tag)
{
	return submit(b, JOB_CASH_STOP, tag, 0, 0);
}

int kiosk_mdb_bus_cash_payout(struct kiosk_mdb_bus *b, int64_t tag, int64_t fen)
{
	return fen < 0 ? KIOSK_EINVAL : submit(b, JOB_CASH_PAYOUT, tag, fen, 0);
}

void kiosk_mdb_bus_status(struct kiosk_mdb_bus *b, struct kiosk_mdb_status *out)
{
	pthread_mutex_lock(&b->sh.mu);
	*out = b->sh.st;
	pthread_mutex_unlock(&b->sh.mu);
}
