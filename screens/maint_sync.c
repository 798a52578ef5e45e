/* Maintenance → 同步 Sync: the platform link as the operator needs it — is it up, how
 * much waits to go and since when, what the platform refused, when it last worked and
 * when it tries next — and "立即同步" to try now instead of waiting out the backoff. */
#include "screens/ui/draw.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static struct {
	uint32_t req;
	bool asked;
} m;

static void sync_enter(struct ui *ui)
{
	(void)ui;
	memset(&m, 0, sizeof m);
}

/* "14:05:09" for a UTC ms in the kiosk's zone, or "—" for none. */
static void clock_text(int64_t ms, char *out, size_t cap)
{
	if (ms <= 0) {
		snprintf(out, cap, "—");
		return;
	}
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(out, cap, "%m-%d %H:%M:%S", &tm))
		snprintf(out, cap, "?");
}

static int sync_event(struct ui *ui, const struct ui_event *ev)
{
	if (strcmp(ev->id, "sync.now") != 0)
		return 0;
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_SYNC_NOW};
	snprintf(cmd.u.all.operator_id, sizeof cmd.u.all.operator_id, "%s", ui->operator_id);
	m.asked = kiosk_core_submit(ui->core, &cmd, &m.req) == KIOSK_OK;
	ui_toast(ui, m.asked ? "sync.now_sent" : "sync.now_failed");
	return 1;
}

static void sync_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (m.asked && kiosk_core_result(ui->core, m.req, &r)) {
		m.asked = false;
		if (r.rc)
			ui_toast(ui, r.rc == KIOSK_ENOTSUP ? "sync.none" : "sync.now_failed");
	}
}

static void sync_draw(struct ui *ui, SDL_Rect area)
{
	const struct kiosk_snapshot *sn = &ui->snap;
	SDL_Rect rest = ui_inset(area, 32);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 52) + 16, 16);
	ui_text_fit(ui, ui_tr(ui, "maint.sync"), ui_text_px(ui, 52), 40, UI_C_INK, true, t);
	SDL_Rect bar = ui_take_bottom(&rest, ui_control_h(ui), 24);
	ui_button(ui, "nav.back", ui_grid_cell(bar, 2, 1, 24, 0), "nav.back", UI_C_MUTED);
	ui_button_state(ui, "sync.now", ui_grid_cell(bar, 2, 1, 24, 1), "sync.now", UI_C_HEADER,
			sn->net != KIOSK_NET_NONE);
	ui_fill_round(ui, rest, 24, UI_C_PANEL);
	SDL_Rect in = ui_inset(rest, 32);
	static const char *const links[] = {"sync.link_none", "sync.link_offline",
					    "sync.link_online"};
	char oldest[32], last[32], next[32], depth[32], dead[32], pays[32];
	clock_text(sn->outbox_oldest_ms, oldest, sizeof oldest);
	clock_text(sn->sync_last_ok_ms, last, sizeof last);
	clock_text(sn->sync_next_try_ms, next, sizeof next);
	snprintf(depth, sizeof depth, "%lld", (long long)sn->outbox_unsent);
	snprintf(dead, sizeof dead, "%lld", (long long)sn->dead_letters);
	snprintf(pays, sizeof pays, "%lld", (long long)sn->payments_open);
	const char *rows[][2] = {
		{"sync.link", ui_tr(ui, links[sn->net])},
		{"sync.platform", ui->cfg->platform_url[0] ? ui->cfg->platform_url : "—"},
		{"sync.depth", depth},
		{"sync.oldest", oldest},
		{"sync.dead", dead},
		{"sync.payments_open", pays},
		{"sync.last_ok", last},
		{"sync.next_try", next},
		{"sync.error", sn->sync_error[0] ? sn->sync_error : "—"},
	};
	enum { N = sizeof rows / sizeof rows[0] };
	int px = ui_text_px(ui, 32);
	char line[320];
	for (int i = 0; i < N; i++) {
		snprintf(line, sizeof line, "%s%s%s", ui_tr(ui, rows[i][0]), ui_tr(ui, "punct.colon"),
			 rows[i][1]);
		int h = ui_label_height(ui, line, px, false, in.w);
		ui_label(ui, line, px, i == N - 1 && sn->sync_error[0] ? UI_C_ALERT : UI_C_INK, false,
			 ui_take_top(&in, h, 16), false);
	}
}

const struct screen ui_screen_maint_sync = {
	.name = "maint_sync",
	.flags = UI_SCREEN_OPERATOR,
	.idle_s = 120,
	.enter = sync_enter,
	.event = sync_event,
	.draw = sync_draw,
	.tick = sync_tick,
};
