/* Maintenance → 设备状态 Devices: each device class as its bus found it — ok, simulated,
 * fault with the reason (a silent board, a port that could not be opened), not fitted, or
 * configured with a driver this build does not have — the ways a resident can pay now,
 * the vending board's slowest answer to a poll against its 100 ms limit, and each MDB
 * device with the coins in the changer's tubes. Never a
 * device that is not there. */
#include "screens/ui/draw.h"
#include "screens/pay_panel.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"

#include <stdio.h>
#include <string.h>

static const char *const state_keys[] = {"dev.absent", "dev.simulated", "dev.not_built",
					 "dev.ok", "dev.fault"};

/* The MDB link's devices one by one, and what each coin tube holds (change runs out there
 * first: a technician refills it before residents see "exact money only"). */
static void mdb_line(struct ui *ui, char *line, size_t cap)
{
	const struct kiosk_snapshot *v = &ui->snap;
	const char *ok = ui_tr(ui, "dev.ok"), *no = ui_tr(ui, "dev.absent");
	int n = snprintf(line, cap, "%s %s · %s %s · %s %s", ui_tr(ui, "devs.reader"),
			 v->mdb_card ? ok : no, ui_tr(ui, "devs.changer"), v->mdb_coin ? ok : no,
			 ui_tr(ui, "devs.validator"), v->mdb_bill ? ok : no);
	for (int t = 0; t < v->ntubes && n > 0 && (size_t)n < cap; t++) {
		char fen[24];
		ui_money(v->tube_fen[t], fen, sizeof fen);
		n += snprintf(line + n, cap - (size_t)n, "%s%s×%d", t ? " " : " · ", fen,
			      v->tube_count[t]);
	}
}

static bool d_busy;
static uint32_t d_req;

static void devices_enter(struct ui *ui)
{
	(void)ui;
	d_busy = false;
}

/* Staff paid a resident the change the machine owed: marked in the store, said when the
 * core recorded it. */
static int devices_event(struct ui *ui, const struct ui_event *ev)
{
	int i;
	if (!ui_event_index(ev, "devs.settle.", ui->snap.ndebts, &i) || d_busy)
		return 0;
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_CASH_SETTLE};
	snprintf(cmd.u.vend.operator_id, sizeof cmd.u.vend.operator_id, "%s", ui->operator_id);
	snprintf(cmd.u.vend.slot, sizeof cmd.u.vend.slot, "%s", ui->snap.debts[i].ref);
	d_busy = kiosk_core_submit(ui->core, &cmd, &d_req) == KIOSK_OK;
	ui_dirty(ui);
	return 1;
}

static void devices_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (!d_busy || !kiosk_core_result(ui->core, d_req, &r))
		return;
	d_busy = false;
	ui_toast(ui, r.rc == KIOSK_OK ? "devs.settled" : "st.failed");
	ui_dirty(ui);
}

static void devices_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 32);
	int ch = ui_control_h(ui), px = ui_text_px(ui, 34), sp = ui_text_px(ui, 28);
	ui_text_fit(ui, ui_tr(ui, "maint.devices"), ui_text_px(ui, 52), 40, UI_C_INK, true,
		    ui_take_top(&rest, ui_text_px(ui, 52) + 12, 16));
	ui_button(ui, "nav.back", ui_take_bottom(&rest, ch, 16), "nav.back", UI_C_MUTED);
	for (int d = 0; d < KIOSK_DEV_COUNT; d++) {
		enum kiosk_devstate st = ui->snap.dev[d];
		char key[32], line[256];
		snprintf(key, sizeof key, "devclass.%s", kiosk_devclass_name((enum kiosk_devclass)d));
		SDL_Rect row = ui_take_top(&rest, px + sp + 40, 12);
		ui_fill_round(ui, row, 20, UI_C_PANEL);
		SDL_Rect in = ui_inset(row, 14);
		snprintf(line, sizeof line, "%s%s%s", ui_tr(ui, key), ui_tr(ui, "punct.colon"),
			 ui_tr(ui, state_keys[(unsigned)st < 5 ? st : 0]));
		ui_text_fit(ui, line, px, 24, st == KIOSK_DEVSTATE_FAULT ? UI_C_ALERT : UI_C_INK,
			    true, ui_take_top(&in, px + 4, 4));
		const char *why = ui->snap.dev_why[d];
		if (d == KIOSK_DEV_VEND && st != KIOSK_DEVSTATE_ABSENT && !why[0]) {
			int n = snprintf(line, sizeof line,
					 ui->lang == UI_ZH ? "最慢应答 %.2f 毫秒（上限 100）"
							   : "slowest answer %.2f ms (limit 100)",
					 (double)ui->snap.vend_slowest_us / 1000.0);
			if (ui->snap.vend_machine_known && n > 0 && (size_t)n < sizeof line)
				snprintf(line + n, sizeof line - (size_t)n, " · %s · %s",
					 ui_tr(ui, ui->snap.vend_door_open ? "devs.door_open"
									   : "devs.door_closed"),
					 ui_tr(ui, ui->snap.vend_cooling_fault ? "devs.cooling_fault"
									       : "devs.cooling_ok"));
			why = line;
		}
		if (d == KIOSK_DEV_MDB && st != KIOSK_DEVSTATE_ABSENT && !why[0]) {
			mdb_line(ui, line, sizeof line);
			why = line;
		}
		ui_text_fit(ui, why, sp, 20, UI_C_MUTED, false, in);
	}
	/* How residents can pay now: only what works is offered to them. */
	char pay[256];
	int n = snprintf(pay, sizeof pay, "%s%s", ui_tr(ui, "devs.methods"), ui_tr(ui, "punct.colon"));
	static const char *const methods[] = {"devs.qr", "devs.card", "devs.cash"};
	bool any = false;
	for (int m = 0; m < 3 && n > 0 && (size_t)n < sizeof pay; m++)
		if (ui->snap.vend_methods & (1u << m)) {
			n += snprintf(pay + n, sizeof pay - (size_t)n, "%s%s", any ? " " : "",
				      ui_tr(ui, methods[m]));
			any = true;
		}
	if (!any && n > 0 && (size_t)n < sizeof pay)
		snprintf(pay + n, sizeof pay - (size_t)n, "%s", ui_tr(ui, "devs.none"));
	ui_label(ui, pay, px, UI_C_INK, true, ui_take_top(&rest, px * 3, 16), false);
	/* What the machine owes residents in cash: the oldest, each with its voucher's
	 * reference, for staff to pay by hand and mark paid. */
	if (ui->snap.cash_debts > 0) {
		char fen[24], count[16], line[200];
		ui_money(ui->snap.cash_debt_fen, fen, sizeof fen);
		snprintf(count, sizeof count, "%lld", (long long)ui->snap.cash_debts);
		ui_tr_with(ui, "devs.debts", count, line, sizeof line);
		snprintf(pay, sizeof pay, "%s %s", line, fen);
		ui_label(ui, pay, px, UI_C_ALERT, true, ui_take_top(&rest, px * 2, 12), false);
	}
	for (int i = 0; i < ui->snap.ndebts; i++) {
		char fen[24], line[96], id[24];
		SDL_Rect row = ui_take_top(&rest, ch, 10);
		ui_money(ui->snap.debts[i].owed_fen, fen, sizeof fen);
		snprintf(line, sizeof line, "%s %s  %s", ui_tr(ui, "shop.ref"), ui->snap.debts[i].ref,
			 fen);
		SDL_Rect btn = {row.x + row.w * 3 / 5, row.y, row.w - row.w * 3 / 5, row.h};
		SDL_Rect text = {row.x, row.y, row.w * 3 / 5 - 12, row.h};
		ui_text_fit(ui, line, sp, 20, UI_C_INK, true, text);
		snprintf(id, sizeof id, "devs.settle.%d", i);
		ui_button_text(ui, id, btn, ui_tr(ui, "devs.settle"), d_busy ? UI_C_MUTED : UI_C_HEADER,
			       UI_C_WHITE, UI_ROLE_BUTTON);
	}
}

const struct screen ui_screen_maint_devices = {
	.name = "maint_devices",
	.flags = UI_SCREEN_OPERATOR,
	.idle_s = 120,
	.enter = devices_enter,
	.event = devices_event,
	.draw = devices_draw,
	.tick = devices_tick,
};
