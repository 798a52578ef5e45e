#include "screens/scan.h"
#include "screens/screen.h"
#include "screens/app.h"

#include <stdio.h>
#include <string.h>

/* The core is told again if it has not caught up after this long (a session end wipes
 * its place while the screen still takes scans). */
#define RESEND_MS 500

void ui_scan_tick(struct ui *ui)
{
	const struct screen *s = ui_nav_current(ui);
	const char *place = s && s->scan_place ? s->scan_place(ui) : NULL;
	if (!place || ui->dialog.open)
		place = "";
	int64_t now = ui_now_ms(ui);
	if (strcmp(ui->snap.session.scan_at, place) != 0 &&
	    (strcmp(ui->scan_sent, place) != 0 || now - ui->scan_sent_ms >= RESEND_MS)) {
		struct kiosk_cmd cmd = {.type = KIOSK_CMD_SCAN_AT};
		snprintf(cmd.u.name.text, sizeof cmd.u.name.text, "%s", place);
		if (kiosk_core_submit(ui->core, &cmd, NULL) == KIOSK_OK) {
			snprintf(ui->scan_sent, sizeof ui->scan_sent, "%s", place);
			ui->scan_sent_ms = now;
		}
	}
	const struct kiosk_session_view *v = &ui->snap.session;
	if (v->scan_seq == ui->scan_seen)
		return;
	ui->scan_seen = v->scan_seq;
	if (v->scan_refused) /* nothing here takes a scan, or it was no code */
		ui_toast(ui, strcmp(v->scan_why, "not_here") == 0 ? "scan.not_here"
							: "scan.unreadable");
}

bool ui_scan_taken(struct ui *ui, const char *place, uint32_t *req)
{
	const struct kiosk_session_view *v = &ui->snap.session;
	if (v->scan_seq == ui->scan_taken || v->scan_refused || !v->scan_req ||
	    strcmp(v->scan_at, place) != 0)
		return false;
	ui->scan_taken = v->scan_seq;
	*req = v->scan_req;
	return true;
}
