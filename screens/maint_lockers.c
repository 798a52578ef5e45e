/* Maintenance → 格口管理 Lockers: every compartment with its state and door, open one,
 * disable / enable it, open all empty ones for cleaning (after a confirmation), and the
 * faults at a glance. */
#include "screens/ui/draw.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static struct {
	char sel[16];
	uint32_t req;
	bool busy;
	/* Enabling a lost compartment that may hold a parcel: the core asked to look first.
	 * The panel offers to open it, then "the parcel is inside" or "it is empty". */
	bool look;
	char look_id[16];
	struct kiosk_result why;
} m;

static void lockers_enter(struct ui *ui)
{
	(void)ui;
	memset(&m, 0, sizeof m);
}

static int find(const struct ui *ui, const char *id)
{
	for (int i = 0; i < ui->snap.ncompartments; i++)
		if (strcmp(ui->snap.compartments[i].id, id) == 0)
			return i;
	return -1;
}

static int lockers_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	if (strncmp(ev->id, "cell.", 5) == 0) {
		snprintf(m.sel, sizeof m.sel, "%s", ev->id + 5);
		return 1;
	}
	if (m.busy)
		return 1;
	int i = find(ui, m.sel);
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_OPEN_COMPARTMENT};
	snprintf(cmd.u.compartment.id, sizeof cmd.u.compartment.id, "%s", m.sel);
	snprintf(cmd.u.compartment.operator_id, sizeof cmd.u.compartment.operator_id, "%s",
		 ui->operator_id);
	if (m.look && (strcmp(ev->id, "lk.inspect") == 0 || strcmp(ev->id, "lk.keep") == 0 ||
		       strcmp(ev->id, "lk.empty") == 0)) {
		snprintf(cmd.u.compartment.id, sizeof cmd.u.compartment.id, "%s", m.look_id);
		cmd.type = strcmp(ev->id, "lk.inspect") == 0 ? KIOSK_CMD_INSPECT : KIOSK_CMD_RESOLVE;
		cmd.u.compartment.keep = strcmp(ev->id, "lk.keep") == 0;
		m.busy = kiosk_core_submit(ui->core, &cmd, &m.req) == KIOSK_OK;
	} else if (strcmp(ev->id, "lk.look_cancel") == 0) {
		m.look = false;
	} else if (strcmp(ev->id, "lk.open") == 0 && i >= 0) {
		m.busy = kiosk_core_submit(ui->core, &cmd, &m.req) == KIOSK_OK;
	} else if (strcmp(ev->id, "lk.toggle") == 0 && i >= 0) {
		cmd.type = KIOSK_CMD_SET_COMPARTMENT;
		cmd.u.compartment.disable = ui->snap.compartments[i].in_service;
		m.busy = kiosk_core_submit(ui->core, &cmd, &m.req) == KIOSK_OK;
	} else if (strcmp(ev->id, "lk.all") == 0) {
		ui_dialog_open(ui, "lk.all", ui_tr(ui, "lk.all_confirm"), "lk.all_yes", "maint.yes",
			       "dialog.cancel", "dialog.cancel");
	} else if (strcmp(ev->id, "lk.all_yes") == 0) {
		struct kiosk_cmd all = {.type = KIOSK_CMD_OPEN_ALL};
		snprintf(all.u.all.operator_id, sizeof all.u.all.operator_id, "%s",
			 ui->operator_id);
		m.busy = kiosk_core_submit(ui->core, &all, &m.req) == KIOSK_OK;
	} else {
		return 0;
	}
	return 1;
}

static void lockers_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (m.busy && kiosk_core_result(ui->core, m.req, &r)) {
		m.busy = false;
		ui_dirty(ui);
		if (r.rc == KIOSK_ELOOK) {
			m.look = true;
			m.why = r;
			snprintf(m.look_id, sizeof m.look_id, "%s", m.sel);
			return;
		}
		if (r.type == KIOSK_CMD_RESOLVE && r.rc == KIOSK_OK)
			m.look = false;
		ui_toast(ui, r.rc == KIOSK_OK	     ? "lk.done"
			     : r.rc == KIOSK_EDEVICE ? "lk.jammed"
			     : r.rc == KIOSK_EITEM   ? "lk.item_inside"
						     : "lk.failed");
	}
}

static SDL_Color state_colour(enum kiosk_comp_state s)
{
	switch (s) {
	case KIOSK_COMP_FREE:
		return (SDL_Color){0x1D, 0x6F, 0x42, 0xFF};
	case KIOSK_COMP_OCCUPIED:
		return (SDL_Color){0x1F, 0x5F, 0x8B, 0xFF};
	case KIOSK_COMP_RESERVED:
		return (SDL_Color){0x7A, 0x4E, 0x0A, 0xFF};
	case KIOSK_COMP_DISABLED:
		return (SDL_Color){0x4A, 0x50, 0x58, 0xFF};
	default:
		return UI_C_ALERT; /* faulty, unknown */
	}
}

/* The look panel: what may be inside and why, and the three answers. */
static void draw_look(struct ui *ui, SDL_Rect *rest, SDL_Rect acts, int ch)
{
	char text[320];
	int n = snprintf(text, sizeof text, "%s %s", m.look_id, ui_tr(ui, "lk.look_title"));
	if (m.why.u.look.item && n > 0 && (size_t)n < sizeof text)
		n += snprintf(text + n, sizeof text - (size_t)n, " %s", ui_tr(ui, "lk.look_item"));
	if (m.why.u.look.in_flight && n > 0 && (size_t)n < sizeof text)
		snprintf(text + n, sizeof text - (size_t)n, " %s %.40s", ui_tr(ui, "lk.look_parcel"),
			 m.why.u.look.tracking);
	ui_label(ui, text, ui_text_px(ui, 36), UI_C_INK, false,
		 ui_take_top(rest, ui_text_px(ui, 36) * 4, 16), true);
	SDL_Rect row = ui_take_bottom(rest, ch, 16);
	ui_button(ui, "lk.inspect", ui_grid_cell(row, 2, 1, 16, 0), "lk.inspect", UI_C_HEADER);
	ui_button(ui, "lk.look_cancel", ui_grid_cell(row, 2, 1, 16, 1), "lk.look_cancel",
		  UI_C_MUTED);
	ui_button(ui, "lk.keep", ui_grid_cell(acts, 2, 1, 16, 0), "lk.keep", UI_C_HEADER);
	ui_button(ui, "lk.empty", ui_grid_cell(acts, 2, 1, 16, 1), "lk.empty",
		  UI_C_ALERT);
}

static void lockers_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 32);
	int ch = ui_control_h(ui);
	ui_text_fit(ui, ui_tr(ui, "maint.lockers"), ui_text_px(ui, 52), 40, UI_C_INK, true,
		    ui_take_top(&rest, ui_text_px(ui, 52) + 12, 12));
	SDL_Rect back = ui_take_bottom(&rest, ch, 16);
	ui_button(ui, "nav.back", back, "nav.back", UI_C_MUTED);
	SDL_Rect acts = ui_take_bottom(&rest, ch, 16);
	int i = find(ui, m.sel);
	if (m.look) {
		draw_look(ui, &rest, acts, ch);
		return;
	}
	char label[96];
	snprintf(label, sizeof label, "%s %s", ui_tr(ui, "lk.open"), i >= 0 ? m.sel : "");
	ui_button_text(ui, "lk.open", ui_grid_cell(acts, 3, 1, 16, 0), label,
		       i >= 0 ? UI_C_HEADER : UI_C_MUTED, UI_C_WHITE, UI_ROLE_BUTTON);
	/* Out of service: the toggle offers to enable it (after a fault, the technician has
	 * checked the door). */
	bool disabled = i >= 0 && !ui->snap.compartments[i].in_service;
	ui_button_text(ui, "lk.toggle", ui_grid_cell(acts, 3, 1, 16, 1),
		       ui_tr(ui, disabled ? "lk.enable" : "lk.disable"),
		       i >= 0 ? UI_C_HEADER : UI_C_MUTED, UI_C_WHITE, UI_ROLE_BUTTON);
	ui_button_text(ui, "lk.all", ui_grid_cell(acts, 3, 1, 16, 2), ui_tr(ui, "lk.all"),
		       UI_C_ALERT, UI_C_WHITE, UI_ROLE_BUTTON);
	/* Faults first: what a technician came for. */
	char faults[256] = "";
	int nf = 0;
	for (int k = 0; k < ui->snap.ncompartments; k++) {
		enum kiosk_comp_state s = ui->snap.compartments[k].state;
		if (s == KIOSK_COMP_FAULTY || s == KIOSK_COMP_UNKNOWN)
			nf += snprintf(faults + strlen(faults), sizeof faults - strlen(faults),
				       "%s%s(%s)", nf ? " " : "", ui->snap.compartments[k].id,
				       ui_tr(ui, s == KIOSK_COMP_FAULTY ? "lk.faulty" : "lk.unknown")) > 0;
	}
	char line[320];
	snprintf(line, sizeof line, "%.40s%s%.256s", ui_tr(ui, "lk.faults"), ui_tr(ui, "punct.colon"),
		 nf ? faults : ui_tr(ui, "lk.none"));
	ui_label(ui, line, ui_text_px(ui, 30), UI_C_INK, true, ui_take_top(&rest, 84, 12), false);
	int n = ui->snap.ncompartments, cols = ui->landscape ? 8 : 4;
	int rows = n ? (n + cols - 1) / cols : 1;
	for (int k = 0; k < n; k++) {
		char id[32], text[64];
		const struct kiosk_compartment_view *c = &ui->snap.compartments[k];
		SDL_Rect cell = ui_grid_cell(rest, cols, rows < 4 ? 4 : rows, 12, k);
		snprintf(id, sizeof id, "cell.%s", c->id);
		snprintf(text, sizeof text, "%s %s%s%s", c->id, c->size, c->door_open ? " · " : "",
			 c->door_open ? ui_tr(ui, "courier.door_open") : "");
		SDL_Color bg = state_colour(c->state);
		if (strcmp(m.sel, c->id) == 0)
			ui_fill_round(ui, ui_inset(cell, -6), 22, UI_C_INK);
		ui_button_text(ui, id, cell, text, bg, UI_C_WHITE, UI_ROLE_BUTTON);
	}
}

const struct screen ui_screen_maint_lockers = {
	.name = "maint_lockers",
	.flags = UI_SCREEN_OPERATOR,
	.idle_s = 120,
	.enter = lockers_enter,
	.event = lockers_event,
	.draw = lockers_draw,
	.tick = lockers_tick,
};
