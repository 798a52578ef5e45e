/* After a completed transaction: an optional 1–5 star rating (feedback.rating). The
 * screen's argument is the context ("pickup", "vend", …). */
#include "screens/ui/draw.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static uint32_t req;
static bool sending;

static void rating_enter(struct ui *ui)
{
	(void)ui;
	req = 0;
	sending = false;
}

static int rating_event(struct ui *ui, const struct ui_event *ev)
{
	if (strcmp(ev->id, "rating.skip") == 0) {
		ui_nav_home(ui, false);
		return 1;
	}
	int stars;
	if (ui_event_index(ev, "rating.", 6, &stars) && stars >= 1 && !sending) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_FEEDBACK};
		snprintf(cmd.u.feedback.context, sizeof cmd.u.feedback.context, "%.31s",
			 ui->arg[0] ? ui->arg : "kiosk");
		cmd.u.feedback.stars = stars;
		sending = kiosk_core_submit(ui->core, &cmd, &req) == KIOSK_OK;
		if (!sending)
			ui_nav_home(ui, false);
		return 1;
	}
	return 0;
}

static void rating_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (sending && kiosk_core_result(ui->core, req, &r)) {
		sending = false;
		ui_nav_home(ui, false);
		ui_toast(ui, r.rc == KIOSK_OK ? "rating.thanks" : "service.failed");
	}
}

static void rating_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 48);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 32);
	ui_text_fit(ui, ui_tr(ui, "rating.title"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect skip = ui_take_bottom(&rest, ui_control_h(ui), 32);
	ui_button(ui, "rating.skip", skip, "rating.skip", UI_C_MUTED);
	/* One row per grade, most stars on top: large targets, the words say what each
	 * means so nobody has to guess what three stars are. */
	static const char *const words[] = {"rating.w1", "rating.w2", "rating.w3", "rating.w4",
					    "rating.w5"};
	int rh = (rest.h - 4 * 24) / 5;
	if (rh > 200)
		rh = 200;
	for (int g = 5; g >= 1; g--) {
		SDL_Rect row = ui_take_top(&rest, rh, 24);
		char id[16], label[96], stars[32] = "";
		for (int k = 0; k < g; k++)
			strcat(stars, "★");
		snprintf(id, sizeof id, "rating.%d", g);
		snprintf(label, sizeof label, "%s  %s", stars, ui_tr(ui, words[g - 1]));
		ui_button_text(ui, id, row, label, UI_C_HEADER, UI_C_WHITE, UI_ROLE_BUTTON);
	}
}

static const char *const rating_exits[] = {"rating.skip", NULL};

static const char *rating_speech(const struct ui *ui)
{
	(void)ui;
	return "say.rating";
}

const struct screen ui_screen_rating = {
	.speech = rating_speech,
	.name = "rating",
	.exits = rating_exits,
	.enter = rating_enter,
	.event = rating_event,
	.draw = rating_draw,
	.tick = rating_tick,
};
