#include "screens/print_offer.h"
#include "screens/strings.h"
#include "screens/ui/draw.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static bool printer_can(const struct ui *ui)
{
	enum kiosk_devstate d = ui->snap.dev[KIOSK_DEV_PRINTER];
	return d == KIOSK_DEVSTATE_OK || d == KIOSK_DEVSTATE_SIMULATED;
}

bool ui_print_shown(const struct ui *ui, const struct ui_print *p)
{
	return p->st != UI_PRINT_IDLE || printer_can(ui) || ui->snap.printer_no_paper;
}

void ui_print_draw(struct ui *ui, const struct ui_print *p, SDL_Rect r, const char *label)
{
	if (p->st == UI_PRINT_IDLE && printer_can(ui)) {
		ui_button(ui, "print.receipt", r, label, UI_C_MUTED);
		return;
	}
	const char *key = p->st == UI_PRINT_IDLE    ? "print.no_paper_now"
			  : p->st == UI_PRINT_ASKED ? "print.printing"
			  : p->st == UI_PRINT_DONE ? "print.done"
			  : p->rc == KIOSK_EDEVICE ? "print.no_paper"
						   : "print.failed";
	ui_fill_round(ui, r, 16, UI_C_PANEL);
	ui_text_fit(ui, ui_tr(ui, key), ui_text_px(ui, 32), ui_min_text(ui),
		    p->st == UI_PRINT_FAILED ? UI_C_ALERT : UI_C_INK, true, ui_inset(r, 8));
}

int ui_print_event(struct ui *ui, struct ui_print *p, const char *id,
		   enum kiosk_cmd_type cmd_type, const char *what)
{
	if (strcmp(id, "print.receipt") != 0 || p->st == UI_PRINT_ASKED || !printer_can(ui))
		return 0;
	struct kiosk_cmd cmd = {.type = cmd_type};
	if (what)
		snprintf(cmd.u.name.text, sizeof cmd.u.name.text, "%s", what);
	if (kiosk_core_submit(ui->core, &cmd, &p->req) == KIOSK_OK)
		p->st = UI_PRINT_ASKED;
	ui_dirty(ui);
	return 1;
}

void ui_print_tick(struct ui *ui, struct ui_print *p)
{
	struct kiosk_result r;
	if (p->st != UI_PRINT_ASKED || !kiosk_core_result(ui->core, p->req, &r))
		return;
	p->rc = r.rc;
	p->st = r.rc == KIOSK_OK ? UI_PRINT_DONE : UI_PRINT_FAILED;
	ui_dirty(ui);
}
