/* 缺什么服务? Missing a service: pick a category or type a few letters (pinyin or English);
 * the wish goes to the platform as a feedback.service_request event (需求清单). */
#include "screens/ui/draw.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static const char *const cats[] = {"svc.key",	   "svc.shoe",	   "svc.bike",
				   "svc.tailor",   "svc.appliance", "svc.phone",
				   "svc.canteen",  "svc.childcare", "svc.housekeeping",
				   "svc.laundry",  "svc.pharmacy",  "svc.other"};
#define NCATS (int)(sizeof cats / sizeof cats[0])

static struct {
	int cat;      /* -1 = none */
	char text[64];
	bool typing;  /* the keyboard is up */
	int page;
	uint32_t req;
	bool sending;
} s;

static void service_enter(struct ui *ui)
{
	(void)ui;
	memset(&s, 0, sizeof s);
	s.cat = -1;
}

static int per_page(const struct ui *ui)
{
	return ui->elderly ? 6 : NCATS; /* fewer choices at a time in 长辈模式 */
}

static int service_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	if (s.typing && ui_edit(s.text, sizeof s.text, ev->id))
		return 1;
	if (strcmp(ev->id, "key.ok") == 0 || strcmp(ev->id, "service.text") == 0) {
		s.typing = strcmp(ev->id, "service.text") == 0;
		return 1;
	}
	if (strcmp(ev->id, "svc.more") == 0) {
		s.page = (s.page + 1) % ((NCATS + per_page(ui) - 1) / per_page(ui));
		return 1;
	}
	for (int i = 0; i < NCATS; i++) {
		if (strcmp(ev->id, cats[i]) == 0) {
			s.cat = s.cat == i ? -1 : i;
			return 1;
		}
	}
	if (strcmp(ev->id, "service.send") == 0 && !s.sending && (s.cat >= 0 || s.text[0])) {
		const char *cat = s.cat >= 0 ? cats[s.cat] + 4 : "other";
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_SERVICE_REQ};
		snprintf(cmd.u.service.category, sizeof cmd.u.service.category, "%s", cat);
		snprintf(cmd.u.service.text, sizeof cmd.u.service.text, "%s", s.text);
		s.sending = kiosk_core_submit(ui->core, &cmd, &s.req) == KIOSK_OK;
		if (!s.sending)
			ui_toast(ui, "service.failed");
		return 1;
	}
	return 0;
}

static void service_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (s.sending && kiosk_core_result(ui->core, s.req, &r)) {
		s.sending = false;
		if (r.rc == KIOSK_OK) {
			/* kept at the kiosk now; with the platform reachable it is on its way,
			 * without, it goes when the link is back — say which */
			bool online = ui->snap.net == KIOSK_NET_ONLINE;
			ui_nav_home(ui, false);
			ui_toast(ui, online ? "service.thanks_online" : "service.thanks_offline");
		} else {
			ui_toast(ui, "service.failed");
		}
	}
}

static void service_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 12, 8);
	ui_text_fit(ui, ui_tr(ui, "service.title"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect sub = ui_take_top(&rest, ui_text_px(ui, 32) + 12, 24);
	ui_text_fit(ui, ui_tr(ui, "service.hint"), ui_text_px(ui, 32), 28, UI_C_MUTED, false, sub);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 24);
	/* The one action bar: back on the left, the primary action on the right. */
	ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 24, 0), "nav.back", UI_C_MUTED);
	ui_button_state(ui, "service.send", ui_grid_cell(bottom, 2, 1, 24, 1), "service.send",
			UI_C_HEADER, (s.cat >= 0 || s.text[0]) && !s.sending);
	if (s.typing) {
		/* The field under the hint, and the keyboard as large as the rest allows (its
		 * keys grow with the height; categories come back with "done"). */
		ui_field(ui, "service.text", ui_take_top(&rest, ch, 24), s.text, UI_FIELD_PLAIN,
			 true, "service.placeholder");
		int kh = ui->elderly ? 1000 : 860;
		ui_keypad(ui, ui_take_bottom(&rest, rest.h < kh ? rest.h : kh, 0), UI_KEYPAD_LETTERS,
			  "key.done");
		return;
	}
	SDL_Rect field = ui_take_bottom(&rest, ch, 24);
	ui_field(ui, "service.text", field, s.text, UI_FIELD_PLAIN, false, "service.placeholder");
	int pp = per_page(ui), pages = (NCATS + pp - 1) / pp;
	if (pages > 1) {
		SDL_Rect more = ui_take_bottom(&rest, ch, 16);
		ui_button(ui, "svc.more", more, "svc.more", UI_C_MUTED);
	}
	int cols = ui->landscape ? 4 : 3, rows = (pp + cols - 1) / cols;
	if (ui->elderly)
		cols = 2, rows = 3;
	for (int i = 0; i < pp && s.page * pp + i < NCATS; i++) {
		int c = s.page * pp + i;
		ui_toggle(ui, cats[c], ui_grid_cell(rest, cols, rows, 20, i), cats[c], s.cat == c,
			  true);
	}
}

static const char *service_speech(const struct ui *ui)
{
	(void)ui;
	return "say.service";
}

const struct screen ui_screen_service = {
	.speech = service_speech,
	.name = "service",
	.enter = service_enter,
	.event = service_event,
	.draw = service_draw,
	.tick = service_tick,
};
