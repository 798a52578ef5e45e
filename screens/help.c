/* 一键呼叫 Help: confirm, call the duty staff through the outbox, and say what is true of
 * the call at each moment — being sent; received (the platform acknowledged it: staff
 * were paged); or not got through (offline, refused, or no answer in time: the hotline in
 * large digits, and the call keeps trying). The core decides which (session view's
 * help); a second call within 2 minutes is the same call, so the screen cannot page
 * twice. */
#include "screens/ui/draw.h"
#include "screens/ui/image.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>


static struct {
	enum { ASK, SENDING, DONE, FAILED } st;
	uint32_t req;
	bool again; /* the core said: already called */
	/* opened by 遇到问题 at a step (ui->problems, ui->problem_where): the problems to
	 * choose from, the one chosen, and the way back is to that step */
	const char *const *problems;
	const char *chosen;
} h;

static void help_enter(struct ui *ui)
{
	memset(&h, 0, sizeof h);
	if (ui->arg[0] && ui->problems && strcmp(ui->arg, ui->problem_where) == 0)
		h.problems = ui->problems;
}

/* The call: about a problem at a step (where, and the code the key ends in), or 一键呼叫. */
static void call(struct ui *ui, const char *problem_key)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_HELP};
	snprintf(cmd.u.help.lang, sizeof cmd.u.help.lang, "%s", ui->lang == UI_EN ? "en" : "zh");
	cmd.u.help.elderly = ui->elderly;
	if (problem_key) {
		snprintf(cmd.u.help.where, sizeof cmd.u.help.where, "%s", ui->problem_where);
		snprintf(cmd.u.help.problem, sizeof cmd.u.help.problem, "%s",
			 strrchr(problem_key, '.') + 1);
	}
	h.chosen = problem_key;
	int rc = kiosk_core_submit(ui->core, &cmd, &h.req);
	h.st = rc == KIOSK_OK ? SENDING : FAILED;
	ui_dirty(ui);
}

static int help_event(struct ui *ui, const struct ui_event *ev)
{
	if (strcmp(ev->id, "help.confirm") == 0 && h.st == ASK && !h.problems) {
		call(ui, NULL);
		return 1;
	}
	for (int i = 0; h.st == ASK && h.problems && h.problems[i]; i++)
		if (strcmp(ev->id, h.problems[i]) == 0) {
			call(ui, h.problems[i]);
			return 1;
		}
	if (strcmp(ev->id, "help.done") == 0) {
		ui_nav_home(ui, false);
		return 1;
	}
	if (strcmp(ev->id, "help.return") == 0) { /* back to the step the problem was at */
		ui_nav_back(ui);
		return 1;
	}
	return 0;
}

static void help_tick(struct ui *ui)
{
	struct kiosk_result r;
	if (h.st == SENDING && kiosk_core_result(ui->core, h.req, &r)) {
		h.st = r.rc == KIOSK_OK ? DONE : FAILED;
		h.again = r.u.help.already;
		ui_dirty(ui);
	}
}

/* What to say after the call was made: the phase the core reports. */
static enum kiosk_help_phase phase(const struct ui *ui)
{
	enum kiosk_help_phase p = ui->snap.session.help;
	return p == KIOSK_HELP_NONE ? KIOSK_HELP_CALLING : p;
}

static void help_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 48);
	SDL_Rect buttons = ui_take_bottom(&rest, ui_control_h(ui) + 40, 32);
	SDL_Rect panel = rest;
	ui_fill_round(ui, panel, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(panel, 48);
	int big = ui_text_px(ui, 64), body = ui_text_px(ui, 40);
	if (h.st == ASK && h.problems) {
		/* what went wrong, in the words of this step: one large choice each */
		int n = 0;
		while (h.problems[n] && n < 8)
			n++;
		const char *text = ui_tr(ui, "help.problem_body");
		int ch = ui_control_h(ui);
		struct ui_item it[11] = {{120, 260}, {big + 16, 0},
					 {ui_label_height(ui, text, body, false, in.w), 0}};
		for (int i = 0; i < n; i++)
			it[3 + i] = (struct ui_item){ch, ch * 2};
		SDL_Rect r[11];
		ui_column(in, 24, it, 3 + n, r);
		ui_image(ui, "alert.svg", r[0]);
		ui_text_fit(ui, ui_tr(ui, "help.problem_title"), big, 40, UI_C_INK, true, r[1]);
		ui_label(ui, text, body, UI_C_INK, false, r[2], true);
		for (int i = 0; i < n; i++)
			ui_button(ui, h.problems[i], r[3 + i], h.problems[i], UI_C_HEADER);
		ui_button(ui, "nav.back", buttons, "nav.back", UI_C_MUTED);
		return;
	}
	if (h.st == ASK) {
		/* The bell large: 一键呼叫 is the screen a worried resident must recognise. */
		const char *text = ui_tr(ui, "help.ask_body");
		struct ui_item it[] = {{200, 420}, {big + 24, 0},
				       {ui_label_height(ui, text, body, false, in.w), 0}};
		SDL_Rect r[3];
		ui_column(in, 32, it, 3, r);
		ui_image(ui, "call.svg", r[0]);
		ui_text_fit(ui, ui_tr(ui, "help.title"), big, 40, UI_C_INK, true, r[1]);
		ui_label(ui, text, body, UI_C_INK, false, r[2], true);
		ui_button(ui, "nav.back", ui_grid_cell(buttons, 2, 1, 32, 0), "nav.back",
			  UI_C_MUTED);
		ui_button(ui, "help.confirm", ui_grid_cell(buttons, 2, 1, 32, 1), "help.confirm",
			  UI_C_ALERT);
		return;
	}
	if (h.st == SENDING) {
		ui_wait(ui, in, ui_tr(ui, "help.calling_title"));
		return;
	}
	enum kiosk_help_phase p = h.st == FAILED ? KIOSK_HELP_UNREACHABLE : phase(ui);
	const char *title = h.st == FAILED		 ? "help.failed_title"
			    : p == KIOSK_HELP_RECEIVED	 ? "help.done_title"
			    : p == KIOSK_HELP_UNREACHABLE ? "help.unreachable_title"
							 : "help.calling_title";
	const char *text = h.st == FAILED		? "help.failed_body"
			   : p == KIOSK_HELP_RECEIVED	? (h.again ? "help.again_body" : "help.done_body")
			   : p == KIOSK_HELP_UNREACHABLE ? "help.unreachable_body"
							: "help.calling_body";
	/* The hotline: in very large digits when nobody has been told (the resident dials
	 * it), and as a QR code a phone scans to dial, no typing. */
	char tel[48], cap[128];
	const char *phone = ui->snap.settings.help_phone[0] ? ui->snap.settings.help_phone
							    : ui->cfg->help_phone;
	snprintf(tel, sizeof tel, "tel:%s", phone);
	bool dial = p == KIOSK_HELP_UNREACHABLE;
	snprintf(cap, sizeof cap, "%s %s", ui_tr(ui, "help.scan_to_call"), dial ? "" : phone);
	int cp = ui_text_px(ui, 36), digits = ui_text_px(ui, 96);
	struct ui_item it[] = {{big + 24, 0},
			       {ui_label_height(ui, ui_tr(ui, text), body, false, in.w), 0},
			       {dial ? digits + 24 : 0, 0},
			       {dial ? 260 : 300, dial ? 420 : 560},
			       {cp + 16, 0}};
	SDL_Rect r[5];
	ui_column(in, 32, it, 5, r);
	ui_text_fit(ui, ui_tr(ui, title), big, 40,
		    p == KIOSK_HELP_RECEIVED ? UI_C_INK : UI_C_ALERT, true, r[0]);
	ui_label(ui, ui_tr(ui, text), body, UI_C_INK, false, r[1], true);
	if (dial)
		ui_text_fit(ui, phone, digits, 48, UI_C_INK, true, r[2]);
	ui_qr(ui, tel, r[3]);
	ui_text_fit(ui, cap, cp, 28, UI_C_INK, false, r[4]);
	/* a problem at a step: back to it (the door, the code), not home */
	if (h.problems)
		ui_button(ui, "help.return", buttons, "help.return", UI_C_HEADER);
	else
		ui_button(ui, "help.done", buttons, "help.done", UI_C_HEADER);
}

static const char *const help_exits[] = {"help.done", "help.return", NULL};

static const char *help_speech(const struct ui *ui)
{
	if (h.st == ASK)
		return h.problems ? "say.help_problem" : "say.help_ask";
	if (h.st == FAILED)
		return "say.help_unreachable";
	if (h.st != DONE)
		return NULL;
	enum kiosk_help_phase p = phase(ui);
	return p == KIOSK_HELP_RECEIVED	   ? "say.help_done"
	       : p == KIOSK_HELP_UNREACHABLE ? "say.help_unreachable"
					     : "say.help_calling";
}

const struct screen ui_screen_help = {
	.speech = help_speech,
	.name = "help",
	.exits = help_exits,
	.enter = help_enter,
	.event = help_event,
	.draw = help_draw,
	.tick = help_tick,
};
