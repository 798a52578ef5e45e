/* Paying the vending machine in coins and notes, end to end: a core with the simulated
 * drive board and the simulated MDB adapter (a coin changer and a bill validator behind
 * it, over a pty). What a resident sees and what the store keeps: the item for the money
 * with the change in the cup, every coin back when nothing fell or when they cancel,
 * "exact money only" when the tubes cannot change, and a payout the changer could not
 * finish counted from its tubes and owed as a debt — never assumed paid. */
#include "core_fixture.h"
#include "kiosk/store/store.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct kiosk_result choose(struct kiosk_core *core, const char *slot)
{
	return cf_vend_choose(core, slot);
}

static int pay_cash(struct kiosk_core *core)
{
	return cf_vend_pay(core, KIOSK_VEND_BY_CASH);
}

static int mdb(struct kiosk_core *core, const char *line)
{
	return cf_sim(core, KIOSK_CMD_SIM_MDB, line);
}

static bool cash_offered(const struct kiosk_snapshot *s)
{
	return s->vend_ready && s->nvend > 0 && (s->vend_methods & (1u << KIOSK_VEND_BY_CASH)) &&
	       s->mdb_bill;
}

static bool taking(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_PAYING && s->session.vend_cash_on;
}

static bool one_yuan_in(const struct kiosk_snapshot *s)
{
	return s->session.vend_cash_fen == 100;
}

static bool change_in_cup(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_DONE && s->session.vend_back == KIOSK_CASH_BACK_PAID;
}

static bool refunded_in_cup(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_FAILED && s->session.vend_back == KIOSK_CASH_BACK_PAID;
}

static bool returned(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_RETURNED && s->session.vend_back == KIOSK_CASH_BACK_PAID;
}

static bool short_paid(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_DONE && s->session.vend_back == KIOSK_CASH_BACK_SHORT;
}

static bool done_exact(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_DONE;
}

static int tube(struct kiosk_core *core, int64_t fen)
{
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	for (int t = 0; t < s.ntubes; t++)
		if (s.tube_fen[t] == fen)
			return s.tube_count[t];
	return -1;
}

/* 2 yuan paid with a 1-yuan coin and a 5-yuan note: the item, and 4 yuan of change counted
 * out of the 1-yuan tube; a jam then gives every fen of the next purchase back. */
static void coins_and_notes_buy_with_change(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, cash_offered));
	int ones = tube(core, 100);
	CHECK(ones > 4);
	CHECK_INT(choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(pay_cash(core), KIOSK_OK);
	CHECK(cf_until(core, taking));
	CHECK_INT(pay_cash(core), KIOSK_ESTATE); /* one sale at a time */
	CHECK_INT(mdb(core, "coin 2"), KIOSK_OK);
	CHECK(cf_until(core, one_yuan_in));
	CHECK_INT(cf_rows("SELECT cash_fen FROM vend_order WHERE state = 'created'"), 100);
	CHECK_INT(mdb(core, "bill 1"), KIOSK_OK);
	CHECK(cf_until(core, change_in_cup));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.vend_back_fen, 400);
	CHECK_INT(s.session.vend_owed_fen, 0);
	CHECK_INT(tube(core, 100), ones + 1 - 4); /* its own coin went in, four came out */
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'dispensed' AND method ="
			  " 'cash' AND amount_fen = 200 AND cash_fen = 600"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM cash_payout WHERE kind = 'change' AND owed_fen = 400"
			  " AND paid_fen = 400 AND state = 'paid'"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM audit WHERE action = 'payment.cash_in'"), 2);
	/* nothing fell: all 4 yuan back, one refund record by cash */
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_VEND, "fault jam:2"), KIOSK_OK);
	CHECK_INT(choose(core, "2").rc, KIOSK_OK);
	CHECK_INT(pay_cash(core), KIOSK_OK);
	CHECK(cf_until(core, taking));
	for (int i = 0; i < 4; i++)
		CHECK_INT(mdb(core, "coin 2"), KIOSK_OK);
	CHECK(cf_until(core, refunded_in_cup));
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.vend_back_fen, 400);
	CHECK_INT(cf_rows("SELECT count(*) FROM refund WHERE method = 'cash' AND amount_fen = 350"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM cash_payout WHERE kind = 'refund' AND owed_fen = 400"
			  " AND paid_fen = 400"),
		  1);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '2'"), 10);
	cf_invariants_hold();
	cf_cleanup();
}

/* Cancelling after a coin went in: the order cancelled, the coin back in the cup. */
static void cancelling_gives_the_coins_back(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, cash_offered));
	CHECK_INT(choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(pay_cash(core), KIOSK_OK);
	CHECK(cf_until(core, taking));
	CHECK_INT(mdb(core, "coin 2"), KIOSK_OK);
	CHECK(cf_until(core, one_yuan_in));
	CHECK_INT(cf_ask(core, KIOSK_CMD_VEND_CANCEL, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, returned));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.vend_back_fen, 100);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'cancelled' AND"
			  " cash_fen = 100"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM cash_payout WHERE kind = 'return' AND paid_fen ="
			  " 100 AND state = 'paid'"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state IN ('paid','dispensed')"), 0);
	cf_invariants_hold();
	cf_cleanup();
}

/* Empty tubes: only exact money. A 5-yuan note is not taken (it comes back out), two
 * 1-yuan coins pay a 2-yuan item and nothing is owed. */
static void empty_tubes_take_only_exact_money(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, cash_offered));
	CHECK_INT(mdb(core, "tubes 0 0 0"), KIOSK_OK);
	CHECK_INT(choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(pay_cash(core), KIOSK_OK);
	CHECK(cf_until(core, taking));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK(s.session.vend_cash_exact);
	CHECK_INT(mdb(core, "bill 1"), KIOSK_OK);
	CHECK_INT(mdb(core, "coin 2"), KIOSK_OK);
	CHECK(cf_until(core, one_yuan_in)); /* the note was refused, the coin taken */
	CHECK_INT(mdb(core, "coin 2"), KIOSK_OK);
	CHECK(cf_until(core, done_exact));
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'dispensed' AND"
			  " cash_fen = 200"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM cash_payout"), 0);
	cf_invariants_hold();
	cf_cleanup();
}

/* The changer jams paying 8 yuan of change: one coin came out, by its tubes; the other
 * 7 yuan are owed — a debt on screen and in the outbox, not a payout assumed done. */
static void a_payout_that_jams_is_owed(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, cash_offered));
	CHECK_INT(mdb(core, "fault payout-jam"), KIOSK_OK);
	CHECK_INT(choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(pay_cash(core), KIOSK_OK);
	CHECK(cf_until(core, taking));
	CHECK_INT(mdb(core, "bill 2"), KIOSK_OK); /* 10 yuan for 2 */
	CHECK(cf_until(core, short_paid));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.vend_back_fen + s.session.vend_owed_fen, 800);
	CHECK(s.session.vend_owed_fen > 0);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM cash_payout WHERE state = 'debt' AND owed_fen = 800"
			  " AND paid_fen < 800"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM outbox WHERE type = 'device.fault' AND"
			  " json_extract(data, '$.fault') = 'change_owed' AND"
			  " json_extract(data, '$.owed_fen') = 800 - json_extract(data, '$.paid_fen')"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM outbox WHERE type LIKE 'payment.cash%'"),
		  0); /* nothing the platform's contract does not know */
	cf_invariants_hold();
	cf_cleanup();
}

static bool board_offered(const struct kiosk_snapshot *s)
{
	return s->vend_ready && s->nvend > 0 && (s->vend_methods & (1u << KIOSK_VEND_BY_BOARD));
}

static bool at_board(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_PAYING && s->session.vend_by_board;
}

static bool board_one_yuan(const struct kiosk_snapshot *s)
{
	return s->session.vend_board_fen == 100;
}

static bool vend_done(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_DONE;
}

static bool vend_failed(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_FAILED;
}

static bool board_return_said(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_RETURNED && s->session.vend_by_board;
}

/* The machine's own money devices ($.vend.board_pays): offered only where configured; the
 * board selects the slot and reports what it took, the item drops at the price (method
 * board); a jam asks the platform for the refund (the kiosk cannot pay the board's money
 * back); a cancel with money in says to use the machine's return; money for nobody's
 * order changes nothing. */
static void the_machines_own_devices_take_money(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, cash_offered));
	struct kiosk_snapshot snap;
	kiosk_core_snapshot(core, &snap);
	CHECK(!(snap.vend_methods & (1u << KIOSK_VEND_BY_BOARD)));
	CHECK_INT(choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(cf_vend_pay(core, KIOSK_VEND_BY_BOARD), KIOSK_ENOTSUP); /* not fitted */
	kiosk_core_stop(core);
	cf_cfg.vend_board_pays = true;
	core = cf_start();
	CHECK(cf_until(core, board_offered));
	CHECK_INT(choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(cf_vend_pay(core, KIOSK_VEND_BY_BOARD), KIOSK_OK);
	CHECK(cf_until(core, at_board));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_VEND, "money 2 100"), KIOSK_OK);
	CHECK(cf_until(core, board_one_yuan));
	/* the sum so far is kept as it comes, for a restart to find */
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE slot = '1' AND state = 'created'"
			  " AND board_fen = 100"),
		  1);
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_VEND, "money 1 500"), KIOSK_OK);
	CHECK(cf_until(core, vend_done));
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'dispensed' AND method ="
			  " 'board' AND amount_fen = 200 AND payment_ref = 'board:1'"),
		  1);
	/* nothing fell: the refund goes to the platform, by the board's way */
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_VEND, "fault jam:2"), KIOSK_OK);
	CHECK_INT(choose(core, "2").rc, KIOSK_OK);
	CHECK_INT(cf_vend_pay(core, KIOSK_VEND_BY_BOARD), KIOSK_OK);
	CHECK(cf_until(core, at_board));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_VEND, "money 3 350"), KIOSK_OK);
	CHECK(cf_until(core, vend_failed));
	CHECK_INT(cf_rows("SELECT count(*) FROM refund WHERE method = 'board' AND amount_fen = 350"),
		  1);
	/* a cancel with money in the machine: its return lever gives it back */
	CHECK_INT(choose(core, "3").rc, KIOSK_OK);
	CHECK_INT(cf_vend_pay(core, KIOSK_VEND_BY_BOARD), KIOSK_OK);
	CHECK(cf_until(core, at_board));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_VEND, "money 2 100"), KIOSK_OK);
	CHECK(cf_until(core, board_one_yuan));
	CHECK_INT(cf_ask(core, KIOSK_CMD_VEND_CANCEL, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, board_return_said));
	/* money with nobody paying: logged, nothing recorded */
	long long before = cf_rows("SELECT count(*) FROM vend_order WHERE method IS NOT NULL");
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_VEND, "money 2 500"), KIOSK_OK);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE method IS NOT NULL"), before);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE slot = '3' AND state ="
			  " 'cancelled'"),
		  1);
	cf_invariants_hold();
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"coins_and_notes_buy_with_change", coins_and_notes_buy_with_change},
		{"cancelling_gives_the_coins_back", cancelling_gives_the_coins_back},
		{"empty_tubes_take_only_exact_money", empty_tubes_take_only_exact_money},
		{"a_payout_that_jams_is_owed", a_payout_that_jams_is_owed},
		{"the_machines_own_devices_take_money", the_machines_own_devices_take_money},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
