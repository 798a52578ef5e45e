/* What the screens may show: an immutable copy, built on the core thread from the store,
 * the bank's readings, the link and every flow's view of the session, and swapped in under
 * one lock. The UI copies it; it never holds a pointer into core state. */
#include "kiosk/assets.h"
#include "kiosk/core_int.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The store's clock. Scripts (test clock) move it with the UI's virtual clock, so a door
 * "left open for a minute" can be tested without waiting a minute. */
atomic_llong kiosk_core_test_skew_ms; /* the clock_skew port moves it */

int64_t kiosk_core_store_ms(void)
{
	return kiosk_now_ms() + atomic_load(&kiosk_core_test_skew_ms);
}

int64_t kiosk_core_business_ms(const struct kiosk_core *c)
{
	return kiosk_mono_ms() + c->skew_ms;
}

static const char *const comp_states[] = {"free", "reserved", "occupied",
					  "disabled", "faulty", "unknown"};
_Static_assert(sizeof comp_states / sizeof comp_states[0] == KIOSK_COMP_STATE_COUNT,
	       "a name for every compartment state");

const char *kiosk_comp_state_name(enum kiosk_comp_state s)
{
	return (unsigned)s < KIOSK_COMP_STATE_COUNT ? comp_states[s] : "?";
}

static enum kiosk_comp_state comp_state_of(const char *name)
{
	for (int i = 0; i < KIOSK_COMP_STATE_COUNT; i++)
		if (strcmp(name, comp_states[i]) == 0)
			return (enum kiosk_comp_state)i;
	return KIOSK_COMP_UNKNOWN; /* a state this build does not know: the operator looks */
}

static int snap_compartment(void *arg, const struct kiosk_compartment *k)
{
	struct kiosk_snapshot *s = arg;
	if (s->ncompartments == KIOSK_MAX_COMPARTMENTS)
		return 1;
	int i = s->ncompartments++;
	snprintf(s->compartments[i].id, sizeof s->compartments[i].id, "%.15s", k->id);
	s->compartments[i].state = comp_state_of(k->state);
	s->compartments[i].in_service = s->compartments[i].state <= KIOSK_COMP_OCCUPIED;
	snprintf(s->compartments[i].size, sizeof s->compartments[i].size, "%s",
		 kiosk_size_name(k->size));
	s->compartments[i].column = s->compartments[i].row = 0; /* looked up below */
	return 0;
}

/* The bank as the store and the door monitor see it. */
static void snap_bank(struct kiosk_core *c, struct kiosk_snapshot *fresh)
{
	fresh->ncompartments = 0;
	kiosk_compartment_each(c->store, snap_compartment, fresh);
	for (int i = 0; c->locker && i < fresh->ncompartments; i++) {
		struct kiosk_compartment_view *v = &fresh->compartments[i];
		v->door_open = kiosk_locker_door_open(c->locker, v->id);
		v->left_open = v->door_open && kiosk_locker_left_open(c->locker, v->id);
		v->item = kiosk_locker_item(c->locker, v->id);
		/* The place on the bank is the config's (its parser fills in the default). */
		for (int j = 0; j < c->cfg.ncompartments; j++) {
			const struct kiosk_compartment_cfg *k = &c->cfg.compartments[j];
			if (strcmp(k->id, v->id) == 0) {
				v->column = (uint8_t)k->column;
				v->row = (uint8_t)k->row;
				break;
			}
		}
	}
	kiosk_compartment_free_counts(c->store, fresh->free_by_size);
	/* The store's allocation rule: the smallest free compartment at least this large. */
	int free = 0;
	for (int i = 3; i >= 0; i--) {
		free += fresh->free_by_size[i];
		fresh->size_available[i] = free > 0;
	}
	fresh->bank = !c->locker ? KIOSK_BANK_NONE
		      : free > 0 ? KIOSK_BANK_OK
		      : kiosk_locker_healthy(c->locker) ? KIOSK_BANK_FULL
							 : KIOSK_BANK_FAULT_FULL;
}

/* The vending machine: its slots from the store, whether it can sell and how it is paid. */
static void snap_vend(struct kiosk_core *c, struct kiosk_snapshot *fresh)
{
	static struct kiosk_vend_item items[KIOSK_VEND_VIEW_MAX]; /* core thread only */
	int n = 0;
	fresh->nvend = 0;
	fresh->vend_ready = false;
	fresh->vend_methods = 0;
	snprintf(fresh->vend_why, sizeof fresh->vend_why, "%.95s", c->vend_why);
	if (!c->vending)
		return;
	fresh->vend_ready = kiosk_vending_health(c->vending, fresh->vend_why,
						 sizeof fresh->vend_why);
	fresh->vend_slowest_us = kiosk_vending_slowest_us(c->vending);
	fresh->vend_machine_known = kiosk_vending_machine(c->vending, &fresh->vend_door_open,
							  &fresh->vend_cooling_fault);
	if (c->sync) /* QR needs the platform */
		fresh->vend_methods |= 1u << KIOSK_VEND_BY_QR;
	if (c->cfg.vend_board_pays && kiosk_vending_takes_money(c->vending))
		fresh->vend_methods |= 1u << KIOSK_VEND_BY_BOARD;
	if (c->mdb) { /* a reader set up; a changer to give change */
		struct kiosk_mdb_status st;
		kiosk_mdb_status(c->mdb, &st);
		fresh->vend_methods |= (st.card_ok ? 1u << KIOSK_VEND_BY_CARD : 0) |
				       (st.coin_ok ? 1u << KIOSK_VEND_BY_CASH : 0);
		fresh->mdb_card = st.card_ok, fresh->mdb_coin = st.coin_ok, fresh->mdb_bill = st.bill_ok;
		fresh->ntubes = st.ntubes < 8 ? st.ntubes : 8;
		if (kiosk_cash_debts(c->store, &fresh->cash_debts, &fresh->cash_debt_fen) != KIOSK_OK)
			fresh->cash_debts = fresh->cash_debt_fen = 0;
		struct kiosk_cash_debt d[4];
		if (!fresh->cash_debts || kiosk_cash_debt_list(c->store, d, 4, &fresh->ndebts))
			fresh->ndebts = 0;
		for (int i = 0; i < fresh->ndebts; i++) {
			for (int k = 0; k < 8; k++) /* the reference as the resident's voucher says it */
				fresh->debts[i].ref[k] = (char)toupper((unsigned char)d[i].order[k]);
			fresh->debts[i].ref[8] = '\0';
			fresh->debts[i].owed_fen = d[i].owed_fen;
		}
		for (int t = 0; t < fresh->ntubes; t++) {
			fresh->tube_fen[t] = st.tube_fen[t];
			fresh->tube_count[t] = st.tube_count[t];
		}
	}
	if (kiosk_vend_items(c->store, items, KIOSK_VEND_VIEW_MAX, &n) != KIOSK_OK)
		n = 0;
	for (int i = 0; i < n; i++) {
		struct kiosk_vend_view *v = &fresh->vend_items[i];
		snprintf(v->slot, sizeof v->slot, "%.7s", items[i].slot);
		snprintf(v->name_zh, sizeof v->name_zh, "%.47s", items[i].name_zh);
		snprintf(v->name_en, sizeof v->name_en, "%.47s", items[i].name_en);
		snprintf(v->category, sizeof v->category, "%.23s", items[i].category);
		/* only a picture of ours reaches the screen (a web address, a path out of the
		 * assets folder, a name cut short are drawn plainly) */
		if (kiosk_asset_picture_ok(items[i].image))
			snprintf(v->image, sizeof v->image, "%.39s", items[i].image);
		v->price_fen = items[i].price_fen;
		v->capacity = (int16_t)items[i].capacity;
		v->stock = (int16_t)items[i].stock;
		/* the fafb board knows slots by number: another id cannot be sold here */
		v->enabled = items[i].enabled && kiosk_vend_slot_no(items[i].slot);
	}
	fresh->nvend = n;
}

/* Under snap_mu: the link, as the operator's pages need it. */
static void snap_link(struct kiosk_core *c, struct kiosk_snapshot *s)
{
	struct kiosk_sync_status ss;
	kiosk_sync_status(c->sync, &ss);
	s->net = !c->sync ? KIOSK_NET_NONE
		 : ss.link == KIOSK_LINK_ONLINE ? KIOSK_NET_ONLINE : KIOSK_NET_OFFLINE;
	s->net_connecting = c->sync && ss.link != KIOSK_LINK_ONLINE && ss.attempt == 0 &&
			    ss.last_ok_ms == 0 && !ss.last_error[0];
	s->sync_last_ok_ms = ss.last_ok_ms;
	s->sync_next_try_ms = ss.next_try_ms;
	s->sync_pull_due = ss.pull_due || ss.busy;
	s->map_preparing = !c->nb && (c->map_reading || c->nb_building);
	s->disk_full = c->disk_full;
	s->coverage_working = c->cov_building || c->cov_again;
	s->coverage_views = c->cov_views;
	snprintf(s->coverage_error, sizeof s->coverage_error, "%s", c->cov_error);
	s->coverage_rc = c->cov_rc;
	snprintf(s->sync_error, sizeof s->sync_error, "%s", c->sync ? ss.last_error : c->sync_why);
}

/* The printer and the scanner as the device itself says: ok (simulated under
 * --simulate, while its simulator answers), fault with the reason, or absent. */
static void snap_peripherals(struct kiosk_core *c, struct kiosk_snapshot *s)
{
	const int cls[2] = {KIOSK_DEV_PRINTER, KIOSK_DEV_SCANNER};
	for (int i = 0; i < 2; i++) {
		char *why = s->dev_why[cls[i]];
		bool there = i ? c->scanning != NULL : c->printing != NULL;
		if (there && !i && !kiosk_printing_known(c->printing))
			continue; /* not asked yet (its first answer is on its way): as at start */
		bool ok = false, sim = false;
		if (there && i) {
			ok = kiosk_scanning_health(c->scanning, why, sizeof s->dev_why[0]);
			sim = kiosk_scanning_simulated(c->scanning);
		} else if (there) {
			ok = kiosk_printing_health(c->printing, why, sizeof s->dev_why[0]);
			sim = kiosk_printing_simulated(c->printing);
		}
		const char *failed = i ? c->scan_why : c->print_why;
		if (!there && failed[0])
			snprintf(why, sizeof s->dev_why[0], "%.95s", failed);
		s->dev[cls[i]] = !there ? (failed[0] ? KIOSK_DEVSTATE_FAULT : KIOSK_DEVSTATE_ABSENT)
				 : !ok	 ? KIOSK_DEVSTATE_FAULT
				 : sim	 ? KIOSK_DEVSTATE_SIMULATED
					 : KIOSK_DEVSTATE_OK;
		if (ok)
			why[0] = '\0';
	}
	/* as the fault was said (and sent to the platform), not a moment before */
	s->printer_no_paper = strcmp(c->print_fault, "paper_out") == 0;
}

void kiosk_core_publish(struct kiosk_core *c)
{
	/* Any write of the core's that failed for space (a request, a flow's own commit on a
	 * door closing): the screens and the operator are told with this snapshot. */
	if (kiosk_store_disk_full_seen(c->store) && !c->disk_full) {
		KLOG_ERROR("core", "event=disk_full store=%s", c->cfg.store_path);
		kiosk_core_disk_full(c);
	}
	int64_t unsent = 0, oldest = 0, dead = 0, pay_open = 0;
	kiosk_outbox_stats(c->store, &unsent, &oldest, &dead);
	kiosk_payment_count_open(c->store, &pay_open);
	/* Built outside the lock (store reads), copied in under it. */
	static struct kiosk_snapshot fresh; /* core thread only */
	snap_bank(c, &fresh);
	snap_vend(c, &fresh);
	kiosk_core_flows_view(c, &fresh.session);
	static char msg_zh[256], msg_en[256]; /* core thread only */
	int64_t msg_until = 0;
	if (kiosk_message_get(c->store, kiosk_now_ms(), msg_zh, msg_en, &msg_until) != KIOSK_OK)
		msg_zh[0] = msg_en[0] = '\0';
	pthread_mutex_lock(&c->snap_mu);
	struct kiosk_snapshot *s = &c->snap;
	s->ncompartments = fresh.ncompartments;
	memcpy(s->compartments, fresh.compartments, sizeof fresh.compartments);
	memcpy(s->free_by_size, fresh.free_by_size, sizeof fresh.free_by_size);
	memcpy(s->size_available, fresh.size_available, sizeof fresh.size_available);
	s->bank = fresh.bank;
	s->vend_ready = fresh.vend_ready;
	memcpy(s->vend_why, fresh.vend_why, sizeof s->vend_why);
	s->vend_methods = fresh.vend_methods;
	s->vend_slowest_us = fresh.vend_slowest_us;
	s->vend_machine_known = fresh.vend_machine_known;
	s->vend_door_open = fresh.vend_door_open, s->vend_cooling_fault = fresh.vend_cooling_fault;
	s->mdb_card = fresh.mdb_card, s->mdb_coin = fresh.mdb_coin, s->mdb_bill = fresh.mdb_bill;
	s->ntubes = fresh.ntubes;
	s->cash_debts = fresh.cash_debts, s->cash_debt_fen = fresh.cash_debt_fen;
	s->ndebts = fresh.ndebts;
	memcpy(s->debts, fresh.debts, sizeof s->debts);
	memcpy(s->tube_fen, fresh.tube_fen, sizeof s->tube_fen);
	memcpy(s->tube_count, fresh.tube_count, sizeof s->tube_count);
	s->nvend = fresh.nvend;
	memcpy(s->vend_items, fresh.vend_items, (size_t)fresh.nvend * sizeof fresh.vend_items[0]);
	if (c->vending)
		s->dev[KIOSK_DEV_VEND] = !fresh.vend_ready ? KIOSK_DEVSTATE_FAULT
					 : kiosk_vending_simulated(c->vending)
						 ? KIOSK_DEVSTATE_SIMULATED
						 : KIOSK_DEVSTATE_OK;
	else if (c->vend_why[0] && s->dev[KIOSK_DEV_VEND] != KIOSK_DEVSTATE_NOT_BUILT)
		s->dev[KIOSK_DEV_VEND] = KIOSK_DEVSTATE_FAULT; /* its port could not be opened */
	memset(s->dev_why, 0, sizeof s->dev_why);
	if (c->mdb) {
		bool ok = kiosk_mdb_health(c->mdb, s->dev_why[KIOSK_DEV_MDB], sizeof s->dev_why[0]);
		s->dev[KIOSK_DEV_MDB] = !ok ? KIOSK_DEVSTATE_FAULT
				       : kiosk_mdb_simulated(c->mdb) ? KIOSK_DEVSTATE_SIMULATED
								       : KIOSK_DEVSTATE_OK;
		if (ok)
			s->dev_why[KIOSK_DEV_MDB][0] = '\0';
	} else if (c->mdb_why[0] && s->dev[KIOSK_DEV_MDB] != KIOSK_DEVSTATE_NOT_BUILT) {
		s->dev[KIOSK_DEV_MDB] = KIOSK_DEVSTATE_FAULT;
		snprintf(s->dev_why[KIOSK_DEV_MDB], sizeof s->dev_why[0], "%.95s", c->mdb_why);
	}
	snap_peripherals(c, s);
	if (s->dev[KIOSK_DEV_VEND] == KIOSK_DEVSTATE_FAULT)
		memcpy(s->dev_why[KIOSK_DEV_VEND], fresh.vend_why, sizeof s->dev_why[0]);
	if (c->locker && !kiosk_locker_healthy(c->locker))
		kiosk_locker_health(c->locker, s->dev_why[KIOSK_DEV_LOCK], sizeof s->dev_why[0]);
	if (c->locker)
		s->dev[KIOSK_DEV_LOCK] = !kiosk_locker_healthy(c->locker) ? KIOSK_DEVSTATE_FAULT
					 : c->simulate			   ? KIOSK_DEVSTATE_SIMULATED
									   : KIOSK_DEVSTATE_OK;
	s->outbox_unsent = unsent;
	snprintf(s->settings.help_phone, sizeof s->settings.help_phone, "%s", c->cfg.help_phone);
	s->settings.idle_timeout_s = c->cfg.ui_idle_timeout_s;
	memcpy(s->settings.send_price_fen, c->cfg.send_price_fen,
	       sizeof s->settings.send_price_fen);
	s->settings.meal_max_portions = c->cfg.meal_max_portions;
	memcpy(s->settings.meal_full_price_note_zh, c->cfg.meal_full_price_note_zh,
	       sizeof s->settings.meal_full_price_note_zh);
	memcpy(s->settings.meal_full_price_note_en, c->cfg.meal_full_price_note_en,
	       sizeof s->settings.meal_full_price_note_en);
	s->payments_open = pay_open;
	snap_link(c, s);
	s->outbox_oldest_ms = oldest;
	s->dead_letters = dead;
	memcpy(s->message_zh, msg_zh, sizeof msg_zh);
	memcpy(s->message_en, msg_en, sizeof msg_en);
	s->message_until_ms = msg_until;
	s->restart_requested = c->restart_requested;
	s->session = fresh.session;
	s->requests_waiting = kiosk_work_pending(c->work); /* a PIN being checked */
	for (int i = 0; i < KIOSK_CORE_NWAITERS; i++)
		s->requests_waiting += c->waiters[i].used && c->waiters[i].left > 0;
	s->lock_rounds = c->locker ? kiosk_locker_rounds(c->locker) : 0;
	if (c->locker) {
		c->shown_door_changes = kiosk_locker_door_changes(c->locker);
		c->shown_healthy = kiosk_locker_healthy(c->locker);
	}
	s->version++;
	s->now_ms = kiosk_now_ms();
	s->uptime_s = (kiosk_mono_ms() - c->started_mono) / 1000;
	pthread_mutex_unlock(&c->snap_mu);
	kiosk_cleanse(&fresh.session, sizeof fresh.session);
	if (c->notify)
		c->notify(c->notify_arg, KIOSK_NOTE_SNAPSHOT);
	kiosk_sync_kick(c->sync); /* a change may have left an event for the platform */
}

/* A monitor round: the flows that follow doors look, and the screens see what changed. */
void kiosk_core_round(struct kiosk_core *c)
{
	uint64_t before = kiosk_core_flows_digest(c);
	kiosk_core_flows_round(c);
	int64_t unsent = 0, last = 0;
	kiosk_outbox_depth(c->store, &unsent, &last); /* an alarm the round raised */
	pthread_mutex_lock(&c->snap_mu);
	bool same = before == kiosk_core_flows_digest(c) &&
		    c->shown_door_changes == kiosk_locker_door_changes(c->locker) &&
		    c->shown_healthy == kiosk_locker_healthy(c->locker) &&
		    c->snap.outbox_unsent == unsent;
	if (same) /* scripts and tests wait on the count; nothing to redraw */
		c->snap.lock_rounds = kiosk_locker_rounds(c->locker);
	pthread_mutex_unlock(&c->snap_mu);
	if (!same)
		kiosk_core_publish(c);
}
