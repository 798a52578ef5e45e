/* Maintenance → 商品库存 Stock: every slot of the vending machine with its product, price
 * and stock against capacity (empty ones red), the board's state, and the restock a
 * technician does at the open machine: one more item into the slot chosen, that slot
 * filled, or every slot filled ("lanes refilled", after a confirmation) — each an
 * inventory.restocked event the platform hears. A slot's price is typed in fen on the
 * digits, shown as yuan as it grows (¥3.50 for 350), and applies to orders made after it.
 * The count on screen is the store's after the core recorded it, never the screen's
 * guess. */
#include "screens/ui/draw.h"
#include "screens/pay_panel.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	char sel[8];
	uint32_t req;
	bool busy;
	bool pricing;   /* the price editor open for sel */
	char digits[6]; /* the new price in fen, as typed */
} m;

static void stock_enter(struct ui *ui)
{
	(void)ui;
	memset(&m, 0, sizeof m);
}

static int find(const struct ui *ui, const char *slot)
{
	for (int i = 0; i < ui->snap.nvend; i++)
		if (strcmp(ui->snap.vend_items[i].slot, slot) == 0)
			return i;
	return -1;
}

static void restock(struct ui *ui, const char *slot, int count)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_RESTOCK, .u.vend.count = count};
	snprintf(cmd.u.vend.operator_id, sizeof cmd.u.vend.operator_id, "%s", ui->operator_id);
	snprintf(cmd.u.vend.slot, sizeof cmd.u.vend.slot, "%s", slot);
	m.busy = kiosk_core_submit(ui->core, &cmd, &m.req) == KIOSK_OK;
}

/* The price editor's keys: digits, back, OK (sends it), cancel. */
static int price_event(struct ui *ui, const struct ui_event *ev, int i)
{
	if (strcmp(ev->id, "st.price_cancel") == 0 || i < 0) {
		m.pricing = false;
		return 1;
	}
	if (strcmp(ev->id, "key.ok") == 0) {
		long fen = atol(m.digits);
		if (fen < 1) { /* nothing typed: said, nothing sent */
			char text[96];
			ui_tr_with(ui, "st.price_bad", "¥0.00", text, sizeof text);
			ui_toast_text(ui, text);
			return 1;
		}
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_SLOT, .u.vend.op = KIOSK_SLOT_PRICE,
					.u.vend.count = (int)fen};
		snprintf(cmd.u.vend.operator_id, sizeof cmd.u.vend.operator_id, "%s", ui->operator_id);
		snprintf(cmd.u.vend.slot, sizeof cmd.u.vend.slot, "%s", m.sel);
		m.busy = kiosk_core_submit(ui->core, &cmd, &m.req) == KIOSK_OK;
		return 1;
	}
	if (strcmp(ev->id, "key.0") == 0 && !m.digits[0])
		return 1; /* no leading zero */
	ui_edit(m.digits, sizeof m.digits, ev->id);
	return 1;
}

static int stock_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	int i;
	if (ui_event_index(ev, "slot.", ui->snap.nvend, &i)) {
		snprintf(m.sel, sizeof m.sel, "%s", ui->snap.vend_items[i].slot);
		return 1;
	}
	if (m.busy)
		return 1;
	i = find(ui, m.sel);
	if (m.pricing)
		return price_event(ui, ev, i);
	if (strcmp(ev->id, "st.one") == 0 && i >= 0)
		restock(ui, m.sel, 1);
	else if (strcmp(ev->id, "st.fill") == 0 && i >= 0)
		restock(ui, m.sel, 0);
	else if (strcmp(ev->id, "st.all") == 0)
		ui_dialog_open(ui, "st.all", ui_tr(ui, "st.all_confirm"), "st.all_yes", "maint.yes",
			       "dialog.cancel", "dialog.cancel");
	else if (strcmp(ev->id, "st.all_yes") == 0)
		restock(ui, "", 0);
	else if (strcmp(ev->id, "st.price") == 0 && i >= 0) {
		m.pricing = true;
		m.digits[0] = '\0';
	} else if ((strcmp(ev->id, "st.toggle") == 0 || strcmp(ev->id, "st.test") == 0) && i >= 0) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_SLOT};
		cmd.u.vend.op = strcmp(ev->id, "st.test") == 0 ? KIOSK_SLOT_TEST
				: ui->snap.vend_items[i].enabled ? KIOSK_SLOT_DISABLE
								 : KIOSK_SLOT_ENABLE;
		snprintf(cmd.u.vend.operator_id, sizeof cmd.u.vend.operator_id, "%s", ui->operator_id);
		snprintf(cmd.u.vend.slot, sizeof cmd.u.vend.slot, "%s", m.sel);
		m.busy = kiosk_core_submit(ui->core, &cmd, &m.req) == KIOSK_OK;
	}
	else
		return 0;
	return 1;
}

static void stock_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (!m.busy || !kiosk_core_result(ui->core, m.req, &r))
		return;
	m.busy = false;
	ui_dirty(ui);
	if (r.type == KIOSK_CMD_VEND_SLOT && m.pricing) {
		char fen[24], text[96];
		m.pricing = r.rc != KIOSK_OK; /* refused: the editor stays, to type it again */
		ui_money(atol(m.digits), fen, sizeof fen);
		ui_tr_with(ui, r.rc == KIOSK_OK ? "st.price_set" : "st.price_bad", fen, text,
			   sizeof text);
		ui_toast_text(ui, text);
		return;
	}
	if (r.type == KIOSK_CMD_VEND_SLOT) { /* a toggle, or a test dispense and how it ended */
		char text[160];
		if (r.rc == KIOSK_OK && r.u.vend_test.words[0])
			snprintf(text, sizeof text, "%s", ui_tr(ui, "st.test_fell"));
		else if (r.u.vend_test.words[0]) {
			/* the board's words in the page's language where we know them */
			char key[64];
			snprintf(key, sizeof key, "vendout.%s", r.u.vend_test.words);
			for (char *c = key; *c; c++)
				*c = *c == ' ' ? '_' : *c;
			snprintf(text, sizeof text, "%s%s%s", ui_tr(ui, "st.test_not"),
				 ui_tr(ui, "punct.colon"), ui_tr_or(ui, key, r.u.vend_test.words));
		}
		else
			snprintf(text, sizeof text, "%s",
				 ui_tr(ui, r.rc == KIOSK_OK ? "lk.done"
					   : r.rc == KIOSK_EBUSY ? "st.busy"
								 : "st.failed"));
		ui_toast_text(ui, text);
		return;
	}
	if (r.rc == KIOSK_OK) {
		char n[16];
		snprintf(n, sizeof n, "%lld", (long long)r.u.count.n);
		char text[96];
		ui_tr_with(ui, "st.added", n, text, sizeof text);
		ui_toast_text(ui, text);
		return;
	}
	ui_toast(ui, r.rc == KIOSK_EINVAL ? "st.full" : "st.failed");
}

/* The price editor: the slot, its price now, the new one as typed, the digits. */
static void draw_price(struct ui *ui, SDL_Rect rest, const struct kiosk_vend_view *v)
{
	char now[24], typed[24], line[160];
	ui_money(v->price_fen, now, sizeof now);
	ui_money(atol(m.digits), typed, sizeof typed);
	snprintf(line, sizeof line, "%s %s · %s %s", v->slot,
		 ui->lang == UI_ZH ? v->name_zh : v->name_en, ui_tr(ui, "st.price_now"), now);
	int px = ui_text_px(ui, 36), big = ui_text_px(ui, 72), ch = ui_control_h(ui);
	ui_text_fit(ui, line, px, 24, UI_C_INK, true, ui_take_top(&rest, px + 12, 12));
	ui_text_fit(ui, typed, big, 40, UI_C_ALERT, true, ui_take_top(&rest, big + 16, 12));
	ui_label(ui, ui_tr(ui, "st.price_how"), ui_text_px(ui, 28), UI_C_MUTED, false,
		 ui_take_top(&rest, px * 2, 12), true);
	ui_button(ui, "st.price_cancel", ui_take_bottom(&rest, ch, 16), "dialog.cancel",
		  UI_C_MUTED);
	ui_keypad(ui, rest, UI_KEYPAD_DIGITS, "st.price_ok");
}

static void stock_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 32);
	int ch = ui_control_h(ui);
	ui_text_fit(ui, ui_tr(ui, "maint.stock"), ui_text_px(ui, 52), 40, UI_C_INK, true,
		    ui_take_top(&rest, ui_text_px(ui, 52) + 12, 12));
	SDL_Rect back = ui_take_bottom(&rest, ch, 16);
	ui_button(ui, "nav.back", back, "nav.back", UI_C_MUTED);
	/* The board first: a technician at a silent machine needs to know before counting. */
	char line[200];
	snprintf(line, sizeof line, "%s%s%s", ui_tr(ui, "st.board"), ui_tr(ui, "punct.colon"),
		 ui->snap.vend_ready ? ui_tr(ui, "dev.ok")
		 : ui->snap.vend_why[0] ? ui->snap.vend_why
					: ui_tr(ui, "dev.absent"));
	ui_label(ui, line, ui_text_px(ui, 30), ui->snap.vend_ready ? UI_C_INK : UI_C_ALERT, true,
		 ui_take_top(&rest, 84, 12), false);
	if (!ui->snap.nvend) {
		ui_label(ui, ui_tr(ui, "st.none"), ui_text_px(ui, 36), UI_C_INK, false, rest, true);
		return;
	}
	int i = find(ui, m.sel);
	if (m.pricing && i >= 0) {
		draw_price(ui, rest, &ui->snap.vend_items[i]);
		return;
	}
	SDL_Rect acts2 = ui_take_bottom(&rest, ch, 16);
	SDL_Rect acts = ui_take_bottom(&rest, ch, 16);
	/* the lane itself: out of sale (a lane that jams) or back, and a test turn */
	bool off = i >= 0 && !ui->snap.vend_items[i].enabled;
	ui_button_text(ui, "st.toggle", ui_grid_cell(acts2, 3, 1, 16, 0),
		       ui_tr(ui, off ? "st.enable" : "st.disable"), i >= 0 ? UI_C_HEADER : UI_C_MUTED,
		       UI_C_WHITE, UI_ROLE_BUTTON);
	ui_button_text(ui, "st.test", ui_grid_cell(acts2, 3, 1, 16, 1), ui_tr(ui, "st.test"),
		       i >= 0 && !m.busy ? UI_C_HEADER : UI_C_MUTED, UI_C_WHITE, UI_ROLE_BUTTON);
	ui_button_text(ui, "st.price", ui_grid_cell(acts2, 3, 1, 16, 2), ui_tr(ui, "st.price"),
		       i >= 0 ? UI_C_HEADER : UI_C_MUTED, UI_C_WHITE, UI_ROLE_BUTTON);
	char label[96];
	snprintf(label, sizeof label, "%s %s", ui_tr(ui, "st.one"), i >= 0 ? m.sel : "");
	ui_button_text(ui, "st.one", ui_grid_cell(acts, 3, 1, 16, 0), label,
		       i >= 0 ? UI_C_HEADER : UI_C_MUTED, UI_C_WHITE, UI_ROLE_BUTTON);
	ui_button_text(ui, "st.fill", ui_grid_cell(acts, 3, 1, 16, 1), ui_tr(ui, "st.fill"),
		       i >= 0 ? UI_C_HEADER : UI_C_MUTED, UI_C_WHITE, UI_ROLE_BUTTON);
	ui_button_text(ui, "st.all", ui_grid_cell(acts, 3, 1, 16, 2), ui_tr(ui, "st.all"),
		       UI_C_ALERT, UI_C_WHITE, UI_ROLE_BUTTON);
	int n = ui->snap.nvend, cols = ui->landscape ? 6 : 3;
	int rows = (n + cols - 1) / cols;
	for (int k = 0; k < n; k++) {
		const struct kiosk_vend_view *v = &ui->snap.vend_items[k];
		char id[24], name[96], sub[64], price[24];
		SDL_Rect cell = ui_grid_cell(rest, cols, rows < 5 ? 5 : rows, 12, k);
		snprintf(id, sizeof id, "slot.%d", k);
		ui_money(v->price_fen, price, sizeof price);
		/* two lines: which slot holds what; its price and stock against capacity */
		snprintf(name, sizeof name, "%s %s", v->slot, ui->lang == UI_ZH ? v->name_zh : v->name_en);
		snprintf(sub, sizeof sub, "%s · %d/%d", price, v->stock, v->capacity);
		SDL_Color bg = !v->enabled     ? (SDL_Color){0x4A, 0x50, 0x58, 0xFF}
			       : v->stock == 0 ? UI_C_ALERT
					       : (SDL_Color){0x1F, 0x5F, 0x8B, 0xFF};
		if (strcmp(m.sel, v->slot) == 0)
			ui_fill_round(ui, ui_inset(cell, -6), 22, UI_C_INK);
		ui_fill_round(ui, cell, 20, bg);
		ui_widget_add(ui, id, name, cell, UI_ROLE_BUTTON);
		SDL_Rect in = ui_inset(cell, 10);
		int px = ui_text_px(ui, 30);
		SDL_Rect top = {in.x, in.y + in.h / 2 - px - 6, in.w, px + 4};
		SDL_Rect bot = {in.x, in.y + in.h / 2 + 6, in.w, px + 4};
		ui_text_fit(ui, name, px, 20, UI_C_WHITE, true, top);
		ui_text_fit(ui, sub, px, 20, UI_C_WHITE, false, bot);
	}
}

const struct screen ui_screen_maint_stock = {
	.name = "maint_stock",
	.flags = UI_SCREEN_OPERATOR,
	.idle_s = 120,
	.enter = stock_enter,
	.event = stock_event,
	.draw = stock_draw,
	.tick = stock_tick,
};
