/* Maintenance: operator login (id + PIN against the store's operators, with its
 * lockout), then the menu shell whose sections later issues fill. Reached by pressing the
 * top-left corner for 5 s; times out after 2 minutes without a touch. */
#include "screens/ui/draw.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

/* Exit codes the systemd unit knows: 64 = stay down (exit to desktop); 0 = restart. */
#define EXIT_TO_DESKTOP 64

static struct {
	char id[16], pin[16];
	bool pin_focus;
	uint32_t req;
	bool checking;
	char msg[160]; /* the last refusal, translated */
} m;

static void login_enter(struct ui *ui)
{
	(void)ui;
	memset(&m, 0, sizeof m);
}

static void login_leave(struct ui *ui)
{
	(void)ui;
	memset(m.pin, 0, sizeof m.pin); /* a PIN does not outlive the screen */
}

static int login_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	if (strcmp(ev->id, "maint.id") == 0 || strcmp(ev->id, "maint.pin") == 0) {
		m.pin_focus = strcmp(ev->id, "maint.pin") == 0;
		return 1;
	}
	if (!m.checking && ui_edit(m.pin_focus ? m.pin : m.id, sizeof m.id, ev->id))
		return 1;
	if (strcmp(ev->id, "key.ok") == 0 && !m.checking) {
		if (!m.pin_focus) {
			m.pin_focus = true;
			return 1;
		}
		if (!m.id[0] || !m.pin[0])
			return 1;
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_LOGIN_OPERATOR};
		snprintf(cmd.u.login.id, sizeof cmd.u.login.id, "%s", m.id);
		snprintf(cmd.u.login.pin, sizeof cmd.u.login.pin, "%s", m.pin);
		m.checking = kiosk_core_submit(ui->core, &cmd, &m.req) == KIOSK_OK;
		memset(m.pin, 0, sizeof m.pin);
		memset(&cmd, 0, sizeof cmd);
		return 1;
	}
	return 0;
}

static void login_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (!m.checking || !kiosk_core_result(ui->core, m.req, &r))
		return;
	m.checking = false;
	ui_dirty(ui);
	if (r.rc == KIOSK_OK) {
		snprintf(ui->operator_id, sizeof ui->operator_id, "%s", m.id);
		ui_nav_back(ui);
		ui_nav_push(ui, &ui_screen_maint_menu, NULL);
	} else if (r.rc == KIOSK_ELOCKED) {
		snprintf(m.msg, sizeof m.msg, "%s%d%s", ui_tr(ui, "maint.locked"),
			 (int)((r.u.login.wait_s + 59) / 60), ui_tr(ui, "unit.min"));
	} else { /* a full disk is not a wrong PIN (right and wrong alike: nothing leaks) */
		snprintf(m.msg, sizeof m.msg, "%s",
			 ui_tr(ui, r.rc == KIOSK_EDISKFULL ? "err.disk_full" : "maint.denied"));
	}
}

static void login_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 48);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 24);
	ui_text_fit(ui, ui_tr(ui, "maint.title"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	ui_field(ui, "maint.id", ui_take_top(&rest, ch, 20), m.id, UI_FIELD_PLAIN, !m.pin_focus,
		 "maint.id_hint");
	ui_field(ui, "maint.pin", ui_take_top(&rest, ch, 20), m.pin, UI_FIELD_SECRET, m.pin_focus,
		 "maint.pin_hint");
	SDL_Rect msg = ui_take_top(&rest, ui_text_px(ui, 36) + 16, 16);
	if (m.checking)
		ui_spinner(ui, msg);
	else if (m.msg[0])
		ui_text_fit(ui, m.msg, ui_text_px(ui, 36), 28, UI_C_ALERT,
			    true, msg);
	SDL_Rect back = ui_take_bottom(&rest, ch, 24);
	ui_button(ui, "nav.back", back, "nav.back", UI_C_MUTED);
	ui_keypad(ui, rest, UI_KEYPAD_DIGITS, m.pin_focus ? "maint.login" : "key.next");
}

const struct screen ui_screen_maint_login = {
	.name = "maint_login",
	.flags = UI_SCREEN_OPERATOR,
	.idle_s = 120,
	.enter = login_enter,
	.leave = login_leave,
	.event = login_event,
	.draw = login_draw,
	.tick = login_tick,
};

static const char *const sections[] = {"maint.stock", "maint.lockers", "maint.devices",
				       "maint.sync",  "maint.logs",    "maint.coverage"};
#define NSECTIONS ((int)(sizeof sections / sizeof sections[0]))

static int menu_event(struct ui *ui, const struct ui_event *ev)
{
	if (strcmp(ev->id, "maint.devices") == 0)
		return ui_nav_push(ui, &ui_screen_maint_devices, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "maint.stock") == 0)
		return ui_nav_push(ui, &ui_screen_maint_stock, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "maint.logs") == 0)
		return ui_nav_push(ui, &ui_screen_maint_logs, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "maint.sync") == 0)
		return ui_nav_push(ui, &ui_screen_maint_sync, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "maint.lockers") == 0)
		return ui_nav_push(ui, &ui_screen_maint_lockers, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "maint.coverage") == 0)
		return ui_nav_push(ui, &ui_screen_maint_coverage, NULL) == KIOSK_OK;
	for (int i = 0; i < NSECTIONS; i++) {
		if (strcmp(ev->id, sections[i]) == 0) {
			ui_nav_push(ui, &ui_screen_placeholder, sections[i]);
			return 1;
		}
	}
	if (strcmp(ev->id, "maint.exit_desktop") == 0 || strcmp(ev->id, "maint.restart") == 0) {
		bool desk = strcmp(ev->id, "maint.exit_desktop") == 0;
		ui_dialog_open(ui, desk ? "maint.exit_desktop" : "maint.restart",
			       ui_tr(ui, desk ? "maint.exit_confirm" : "maint.restart_confirm"),
			       desk ? "maint.exit_yes" : "maint.restart_yes", "maint.yes",
			       "dialog.cancel", "dialog.cancel");
		return 1;
	}
	if (strcmp(ev->id, "maint.exit_yes") == 0 || strcmp(ev->id, "maint.restart_yes") == 0) {
		ui->exit_code = strcmp(ev->id, "maint.exit_yes") == 0 ? EXIT_TO_DESKTOP : 0;
		ui->quit = true;
		return 1;
	}
	if (strcmp(ev->id, "maint.logout") == 0 || strcmp(ev->id, "nav.back") == 0) {
		ui_nav_home(ui, true); /* leaving the menu ends the operator's session */
		return 1;
	}
	return 0;
}

static void menu_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	int ch = ui_control_h(ui);
	char title[128];
	snprintf(title, sizeof title, "%s · %s", ui_tr(ui, "maint.menu"), ui->operator_id);
	ui_text_fit(ui, title, ui_text_px(ui, 52), 40, UI_C_INK, true,
		    ui_take_top(&rest, ui_text_px(ui, 52) + 16, 16));
	/* What an operator checks first: devices and the unsent outbox. */
	char line[256];
	int n = snprintf(line, sizeof line, "%s:", ui_tr(ui, "status.devices"));
	static const char *const st[] = {"dev.absent", "dev.simulated", "dev.not_built", "dev.ok",
					 "dev.fault"};
	for (int d = 0; d < KIOSK_DEV_COUNT && n < (int)sizeof line; d++)
		n += snprintf(line + n, sizeof line - (size_t)n, " %s=%s",
			      kiosk_devclass_name((enum kiosk_devclass)d),
			      ui_tr(ui, st[ui->snap.dev[d]]));
	ui_label(ui, line, ui_text_px(ui, 30), UI_C_INK, false, ui_take_top(&rest, 90, 8), false);
	snprintf(line, sizeof line, "%s%s%lld", ui_tr(ui, "maint.outbox"), ui_tr(ui, "punct.colon"),
		 (long long)ui->snap.outbox_unsent);
	ui_text(ui, line, ui_text_px(ui, 30), UI_C_INK, false, rest.x, rest.y, UI_ALIGN_LEFT);
	ui_take_top(&rest, 56, 16);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 16);
	ui_button(ui, "maint.logout", ui_grid_cell(bottom, 3, 1, 16, 0), "maint.logout",
		  UI_C_HEADER);
	ui_button(ui, "maint.restart", ui_grid_cell(bottom, 3, 1, 16, 1), "maint.restart",
		  UI_C_MUTED);
	ui_button(ui, "maint.exit_desktop", ui_grid_cell(bottom, 3, 1, 16, 2),
		  "maint.exit_desktop", UI_C_ALERT);
	int cols = ui->landscape ? 3 : 2;
	for (int i = 0; i < NSECTIONS; i++)
		ui_button(ui, sections[i], ui_grid_cell(rest, cols, (NSECTIONS + cols - 1) / cols, 20, i),
			  sections[i], (SDL_Color){0x2F, 0x4F, 0x6F, 0xFF});
}

const struct screen ui_screen_maint_menu = {
	.name = "maint_menu",
	.flags = UI_SCREEN_OPERATOR,
	.idle_s = 120,
	.event = menu_event,
	.draw = menu_draw,
};
