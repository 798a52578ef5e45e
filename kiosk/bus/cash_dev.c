/* The coin changer and bill validator on the MDB bus's worker (kiosk/bus/mdb_bus.h): their
 * setup, their polls, and a cash sale.
 *
 * Only money the tubes can change is taken: before each coin or note, a type whose
 * overpay the tubes could not pay back is disabled (a note is returned from escrow), so
 * "exact money only" is what the machine does, not a guess; the sale says when it had to.
 * A payout is planned from the tubes (fewest coins, exact when it can be), dispensed type
 * by type, and counted from the tube counts before and after — never from what was asked:
 * a jam or a silent changer midway leaves what it really paid, or "unknown". */
#include "kiosk/bus/mdb_bus_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SETUP_RETRY_MS 5000
#define SALE_POLL_MS 100
#define IDLE_POLL_MS 1000
#define PAYOUT_POLLS 60 /* × 50 ms: how long a payout may say "busy" */

void cash_dev_init(struct cash_dev *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->coin_why, sizeof c->coin_why, "no coin changer answers");
	snprintf(c->bill_why, sizeof c->bill_why, "no bill validator answers");
}

static void post(struct kiosk_bus *bus, struct cash_dev *c, enum kiosk_card_kind kind,
		 int64_t fen, const char *why)
{
	struct kiosk_mdb_outcome o = {.kind = kind, .tag = c->tag, .fen = fen, .total = c->total};
	snprintf(o.why, sizeof o.why, "%s", why ? why : "");
	mdb_bus_post(bus, &o);
}

static int64_t coin_fen(const struct cash_dev *c, int t)
{
	return (int64_t)c->coin_units[t] * c->coin_scale;
}

static int64_t bill_fen(const struct cash_dev *c, int t)
{
	return (int64_t)c->bill_units[t] * c->bill_scale;
}

/* Can the tubes pay fen back exactly? */
static bool can_change(const struct cash_dev *c, int64_t fen)
{
	uint8_t pay[MDB_COIN_TYPES];
	if (fen <= 0)
		return true;
	if (!c->coin_up || fen % c->coin_scale || fen / c->coin_scale > MDB_CHANGE_MAX)
		return false;
	return mdb_change_plan(c->coin_units, c->tubes.count, (int)(fen / c->coin_scale), pay);
}

/* Would taking fen more leave change the tubes can pay? */
static bool takeable(const struct cash_dev *c, int64_t fen)
{
	return c->total + fen <= c->price || can_change(c, c->total + fen - c->price);
}

static bool setup_coin(struct cash_dev *c, struct mdb_link *a)
{
	struct mdb_reply r;
	struct mdb_changer_setup cs;
	if (mdb_bus_call(a, (const uint8_t[]){0x08}, 1, &r) != KIOSK_OK)
		return false;
	for (int i = 0; i < 10; i++) /* its "just reset" said, so it is not said later */
		if (mdb_bus_call(a, (const uint8_t[]){0x0B}, 1, &r) != KIOSK_OK ||
		    r.kind != MDB_REPLY_DATA)
			break;
	if (mdb_bus_call(a, (const uint8_t[]){0x09}, 1, &r) != KIOSK_OK ||
	    r.kind != MDB_REPLY_DATA || !mdb_changer_setup_parse(r.data, r.ndata, &cs))
		return false;
	if (mdb_bus_call(a, (const uint8_t[]){0x0A}, 1, &r) != KIOSK_OK ||
	    r.kind != MDB_REPLY_DATA || !mdb_tubes_parse(r.data, r.ndata, &c->tubes))
		return false;
	c->coin_scale = cs.scale;
	memcpy(c->coin_units, cs.credit, sizeof c->coin_units);
	for (int t = 0; t < MDB_COIN_TYPES; t++)
		if (!(cs.routing >> t & 1))
			c->tubes.count[t] = 0; /* no tube for it: never paid out */
	mdb_bus_call(a, (const uint8_t[]){0x0C, 0, 0, 0, 0}, 5, &r);
	c->coin_mask = 0;
	return true;
}

static bool setup_bill(struct cash_dev *c, struct mdb_link *a)
{
	struct mdb_reply r;
	struct mdb_bill_setup bs;
	if (mdb_bus_call(a, (const uint8_t[]){0x30}, 1, &r) != KIOSK_OK)
		return false;
	for (int i = 0; i < 10; i++)
		if (mdb_bus_call(a, (const uint8_t[]){0x33}, 1, &r) != KIOSK_OK ||
		    r.kind != MDB_REPLY_DATA)
			break;
	if (mdb_bus_call(a, (const uint8_t[]){0x31}, 1, &r) != KIOSK_OK ||
	    r.kind != MDB_REPLY_DATA || !mdb_bill_setup_parse(r.data, r.ndata, &bs))
		return false;
	c->bill_scale = bs.scale;
	memcpy(c->bill_units, bs.credit, sizeof c->bill_units);
	mdb_bus_call(a, (const uint8_t[]){0x34, 0, 0, 0, 0}, 5, &r);
	c->bill_mask = 0;
	return true;
}

/* "Exact money only", as a changer's light says it: the tubes cannot give every change up
 * to the largest coin (a large note refused for a small price is no news). */
static bool exact_only(const struct cash_dev *c)
{
	int64_t big = 0, step = 0;
	for (int t = 0; t < MDB_COIN_TYPES; t++)
		if (c->coin_units[t]) {
			big = coin_fen(c, t) > big ? coin_fen(c, t) : big;
			step = !step || coin_fen(c, t) < step ? coin_fen(c, t) : step;
		}
	for (int64_t f = step; step && f < big; f += step)
		if (!can_change(c, f))
			return true;
	return false;
}

/* Coins and notes on for what the sale can still take. */
static void enable(struct cash_dev *c, struct mdb_link *a)
{
	uint16_t cm = 0, bm = 0;
	struct mdb_reply r;
	for (int t = 0; t < MDB_COIN_TYPES; t++)
		if (c->coin_units[t] && c->coin_up) {
			if (takeable(c, coin_fen(c, t)))
				cm |= (uint16_t)(1u << t);
		}
	for (int t = 0; t < MDB_BILL_TYPES; t++)
		if (c->bill_units[t] && c->bill_up) {
			if (takeable(c, bill_fen(c, t)))
				bm |= (uint16_t)(1u << t);
		}
	if (c->coin_up && cm != c->coin_mask &&
	    mdb_bus_call(a, (const uint8_t[]){0x0C, (uint8_t)(cm >> 8), (uint8_t)cm, 0, 0}, 5, &r) ==
		    KIOSK_OK)
		c->coin_mask = cm;
	if (c->bill_up && bm != c->bill_mask &&
	    mdb_bus_call(a,
			 (const uint8_t[]){0x34, (uint8_t)(bm >> 8), (uint8_t)bm, (uint8_t)(bm >> 8),
					   (uint8_t)bm},
			 5, &r) == KIOSK_OK)
		c->bill_mask = bm;
}

static void disable(struct cash_dev *c, struct mdb_link *a)
{
	struct mdb_reply r;
	if (c->coin_up)
		mdb_bus_call(a, (const uint8_t[]){0x0C, 0, 0, 0, 0}, 5, &r);
	if (c->bill_up)
		mdb_bus_call(a, (const uint8_t[]){0x34, 0, 0, 0, 0}, 5, &r);
	c->coin_mask = c->bill_mask = 0;
}

/* Money taken for the sale: said, and at the price taking stops. */
static void credit(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus,
		   int64_t fen)
{
	if (c->st == CASH_IDLE) { /* enabled for no sale: cannot be (the kiosk disables) */
		KLOG_WARN("cash", "event=money_without_sale fen=%lld", (long long)fen);
		return;
	}
	c->total += fen;
	post(bus, c, KIOSK_CASH_IN, fen, NULL);
	if (c->st != CASH_TAKING)
		return; /* after the stop: the stop's total grows with it */
	if (c->total >= c->price) {
		disable(c, a);
		c->st = CASH_PAID;
		post(bus, c, KIOSK_CASH_PAID, c->total, NULL);
	} else {
		enable(c, a);
	}
}

static void poll_coin(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus)
{
	struct mdb_reply r;
	struct mdb_coin_event ev[8];
	size_t n = 0;
	if (mdb_bus_call(a, (const uint8_t[]){0x0B}, 1, &r) != KIOSK_OK) {
		c->coin_up = false;
		snprintf(c->coin_why, sizeof c->coin_why, "the coin changer stopped answering");
		c->next_setup = 0;
		return;
	}
	if (r.kind != MDB_REPLY_DATA || !mdb_coin_poll_parse(r.data, r.ndata, ev, 8, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind == MDB_COIN_DEPOSITED && ev[i].routing <= 1) {
			if (ev[i].routing == 1)
				c->tubes.count[ev[i].type & 15] = ev[i].tube;
			credit(c, a, bus, coin_fen(c, ev[i].type & 15));
		} else if (ev[i].kind == MDB_COIN_STATUS && ev[i].code == MDB_COIN_JUST_RESET) {
			c->coin_mask = 0; /* it forgot what was enabled */
			if (c->st == CASH_TAKING)
				enable(c, a);
		} else if (ev[i].kind == MDB_COIN_STATUS &&
			   (ev[i].code == MDB_COIN_TUBE_JAM || ev[i].code == MDB_COIN_JAM)) {
			KLOG_WARN("cash", "event=changer_jam code=%u", ev[i].code);
		}
	}
}

static void poll_bill(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus)
{
	struct mdb_reply r, x;
	struct mdb_bill_event ev[8];
	size_t n = 0;
	if (mdb_bus_call(a, (const uint8_t[]){0x33}, 1, &r) != KIOSK_OK) {
		c->bill_up = false;
		snprintf(c->bill_why, sizeof c->bill_why, "the bill validator stopped answering");
		c->next_setup = 0;
		return;
	}
	if (r.kind != MDB_REPLY_DATA || !mdb_bill_poll_parse(r.data, r.ndata, ev, 8, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		int t = ev[i].type & 15;
		if (ev[i].kind == MDB_BILL_ROUTED && ev[i].routing == MDB_BILL_ESCROW) {
			bool take = c->st == CASH_TAKING && takeable(c, bill_fen(c, t));
			mdb_bus_call(a, (const uint8_t[]){0x35, take ? 1 : 0}, 2, &x);
			c->held = take;
			c->held_type = t;
			if (!take)
				post(bus, c, KIOSK_CASH_REFUSED, bill_fen(c, t),
				     c->st == CASH_TAKING ? "no change for this note" : "not taking money");
		} else if (ev[i].kind == MDB_BILL_ROUTED && ev[i].routing == MDB_BILL_STACKED) {
			c->held = false;
			credit(c, a, bus, bill_fen(c, t));
		} else if (ev[i].kind == MDB_BILL_ROUTED) {
			c->held = false; /* given back */
		} else if (ev[i].kind == MDB_BILL_STATUS && ev[i].code == MDB_BILL_JUST_RESET) {
			c->bill_mask = 0;
			if (c->st == CASH_TAKING)
				enable(c, a);
		}
	}
}

bool cash_dev_serve(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus,
		    int64_t now)
{
	bool did = false;
	if ((!c->coin_up || !c->bill_up) && c->st == CASH_IDLE && now >= c->next_setup) {
		if (!c->coin_up && setup_coin(c, a)) {
			c->coin_up = true;
			c->coin_why[0] = '\0';
			KLOG_INFO("cash", "event=changer_ready scale=%u", c->coin_scale);
		}
		if (!c->bill_up && setup_bill(c, a)) {
			c->bill_up = true;
			c->bill_why[0] = '\0';
			KLOG_INFO("cash", "event=validator_ready scale=%u", c->bill_scale);
		}
		c->next_setup = now + SETUP_RETRY_MS;
		did = true;
	}
	int period = c->st == CASH_IDLE ? IDLE_POLL_MS : SALE_POLL_MS;
	if ((c->coin_up || c->bill_up) && now - c->last_poll >= period) {
		c->last_poll = now;
		if (c->coin_up)
			poll_coin(c, a, bus);
		if (c->bill_up)
			poll_bill(c, a, bus);
		did = true;
	}
	return did;
}

void cash_dev_begin(struct cash_dev *c, struct mdb_link *a, int64_t tag, int64_t price,
		    bool busy, struct kiosk_mdb_outcome *o)
{
	struct mdb_reply r;
	*o = (struct kiosk_mdb_outcome){.kind = KIOSK_CASH_FAULT, .tag = tag};
	if (c->st == CASH_PAID || c->st == CASH_STOPPED) /* its payout never came: over */
		KLOG_WARN("cash", "event=sale_left_open tag=%lld", (long long)c->tag);
	if (!c->coin_up || busy || c->st == CASH_TAKING || price <= 0) {
		snprintf(o->why, sizeof o->why, "%s",
			 !c->coin_up ? "no coin changer" : price <= 0 ? "no price" : "busy");
		return;
	}
	if (mdb_bus_call(a, (const uint8_t[]){0x0A}, 1, &r) == KIOSK_OK &&
	    r.kind == MDB_REPLY_DATA)
		mdb_tubes_parse(r.data, r.ndata, &c->tubes);
	c->st = CASH_TAKING;
	c->tag = tag;
	c->price = price;
	c->total = 0;
	c->held = false;
	c->coin_mask = c->bill_mask = 0xFFFF; /* unknown: enable() says it whole */
	enable(c, a);
	o->exact = exact_only(c);
	o->kind = KIOSK_CASH_WAITING;
	c->last_poll = 0;
}

void cash_dev_stop(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus,
		   int64_t tag, struct kiosk_mdb_outcome *o)
{
	struct mdb_reply r;
	*o = (struct kiosk_mdb_outcome){.kind = KIOSK_CARD_NONE, .tag = tag};
	if (c->tag != tag || c->st != CASH_TAKING)
		return; /* paid already (its payout settles it), or no such sale */
	disable(c, a);
	/* what was on its way in as taking stopped still counts: a few polls for it */
	for (int i = 0; i < 3; i++) {
		if (c->coin_up)
			poll_coin(c, a, bus);
		if (c->bill_up)
			poll_bill(c, a, bus);
	}
	if (c->held) { /* a note still in escrow goes back */
		mdb_bus_call(a, (const uint8_t[]){0x35, 0}, 2, &r);
		c->held = false;
	}
	c->st = CASH_STOPPED;
	o->kind = KIOSK_CASH_STOPPED;
	o->total = c->total;
	o->fen = c->total;
}

/* The tubes as the changer says now; false when it does not. */
static bool read_tubes(struct mdb_link *a, struct mdb_tubes *t)
{
	struct mdb_reply r;
	return mdb_bus_call(a, (const uint8_t[]){0x0A}, 1, &r) == KIOSK_OK &&
	       r.kind == MDB_REPLY_DATA && mdb_tubes_parse(r.data, r.ndata, t);
}

/* Dispenses count coins of type t and waits while it pays; false when it jammed or
 * stopped answering. */
static bool dispense(struct mdb_link *a, int t, int count)
{
	struct mdb_reply r;
	if (mdb_bus_call(a, (const uint8_t[]){0x0D, (uint8_t)(count << 4 | t)}, 2, &r) != KIOSK_OK ||
	    r.kind != MDB_REPLY_ACK)
		return false;
	for (int i = 0; i < PAYOUT_POLLS; i++) {
		struct mdb_coin_event ev[8];
		size_t n = 0;
		bool busy = false;
		if (mdb_bus_call(a, (const uint8_t[]){0x0B}, 1, &r) != KIOSK_OK)
			return false;
		if (r.kind == MDB_REPLY_DATA && mdb_coin_poll_parse(r.data, r.ndata, ev, 8, &n))
			for (size_t k = 0; k < n; k++) {
				if (ev[k].kind != MDB_COIN_STATUS)
					continue;
				if (ev[k].code == MDB_COIN_TUBE_JAM || ev[k].code == MDB_COIN_JAM)
					return false;
				busy |= ev[k].code == MDB_COIN_PAYOUT_BUSY ||
					ev[k].code == MDB_COIN_CHANGER_BUSY;
			}
		if (!busy)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

void cash_dev_payout(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus,
		     int64_t tag, int64_t fen, struct kiosk_mdb_outcome *o)
{
	(void)bus;
	uint8_t pay[MDB_COIN_TYPES] = {0};
	struct mdb_tubes before, after;
	*o = (struct kiosk_mdb_outcome){.kind = KIOSK_CASH_PAYOUT, .tag = tag, .owed = fen};
	if (c->tag == tag && (c->st == CASH_PAID || c->st == CASH_STOPPED))
		c->st = CASH_IDLE; /* the sale is over, whatever is paid now */
	if (fen <= 0)
		return;
	if (!c->coin_up || !read_tubes(a, &before)) {
		snprintf(o->why, sizeof o->why, "no coin changer to pay it");
		return; /* nothing was dispensed: 0 paid is what happened */
	}
	/* the most the tubes can pay of it, exactly */
	int units = (int)(fen / c->coin_scale > MDB_CHANGE_MAX ? MDB_CHANGE_MAX : fen / c->coin_scale);
	for (; units > 0; units--)
		if (mdb_change_plan(c->coin_units, before.count, units, pay))
			break;
	bool ok = true;
	for (int t = MDB_COIN_TYPES - 1; t >= 0 && ok; t--)
		for (int left = pay[t]; left > 0 && ok;) {
			int n = left < 15 ? left : 15;
			ok = dispense(a, t, n);
			left -= n;
		}
	if (!read_tubes(a, &after)) {
		o->fen = -1; /* it paid something, or nothing: only the tubes could say */
		snprintf(o->why, sizeof o->why, "the changer stopped answering while paying");
		return;
	}
	int64_t paid = 0;
	for (int t = 0; t < MDB_COIN_TYPES; t++)
		if (before.count[t] > after.count[t])
			paid += (int64_t)(before.count[t] - after.count[t]) * coin_fen(c, t);
	c->tubes = after;
	o->fen = paid > fen ? fen : paid;
	if (!ok)
		snprintf(o->why, sizeof o->why, "the changer jammed paying out");
	else if (paid < fen)
		snprintf(o->why, sizeof o->why, "not enough coins in the changer");
	KLOG_INFO("cash", "event=payout owed_fen=%lld paid_fen=%lld", (long long)fen,
		  (long long)paid);
}
