/* Maintenance → 日志 Logs: the most recent log lines, newest first, in a scrolling list, so
 * a technician can read what happened without a laptop. Secrets are never logged, so
 * nothing here needs hiding. */
#include "screens/ui/draw.h"
#include "screens/screen.h"
#include "screens/ui/scroll.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/log.h"

#include <string.h>

static struct ui_scroll list;

static void logs_enter(struct ui *ui)
{
	(void)ui;
	memset(&list, 0, sizeof list);
}

static void logs_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 32);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 52) + 16, 16);
	ui_text_fit(ui, ui_tr(ui, "maint.logs"), ui_text_px(ui, 52), 40, UI_C_INK, true, t);
	SDL_Rect back = ui_take_bottom(&rest, ui_control_h(ui), 24);
	ui_button(ui, "nav.back", back, "nav.back", UI_C_MUTED);
	ui_fill_round(ui, rest, 16, UI_C_PANEL);
	SDL_Rect view = ui_inset(rest, 12);
	int px = ui_text_px(ui, 28), row = px + 24, n = 0;
	char line[200];
	while (n < KIOSK_LOG_RECENT && kiosk_log_recent(n, line, sizeof line))
		n++;
	ui_scroll_begin(ui, &list, view, n * row);
	/* Only the rows in view are drawn (and seen by scripts). */
	int first = (int)list.offset / row;
	for (int i = first; i < n; i++) {
		int y = view.y + i * row - (int)list.offset;
		if (y > view.y + view.h)
			break;
		if (!kiosk_log_recent(i, line, sizeof line))
			break;
		const char *shown = strncmp(line, "ts=", 3) == 0 && strchr(line, ' ')
					    ? strchr(line, ' ') + 1
					    : line; /* the date is the same on every line */
		ui_label(ui, shown, px, UI_C_INK, false,
			 (SDL_Rect){view.x + 8, y + 12, view.w - 32, px + 10}, false);
	}
	ui_scroll_end(ui, &list);
}

const struct screen ui_screen_maint_logs = {
	.name = "maint_logs",
	.flags = UI_SCREEN_OPERATOR,
	.idle_s = 120,
	.enter = logs_enter,
	.draw = logs_draw,
};
