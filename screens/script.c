#include "screens/script.h"
#include "screens/app.h"
#include "screens/screen.h"
#include "screens/widget.h"
#include "hal/error.h"
#include "hal/log.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
	struct ui *ui;
	struct kiosk_core *core;
	const char *path, *dir;
	int line;
};

static int fail(struct run *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct run *r, int err, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: ", r->path, r->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	const struct screen *s = ui_nav_current(r->ui);
	fprintf(stderr, "\n  screen: %s\n  visible texts:\n", s ? s->name : "-");
	for (const char *p = r->ui->seen; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		fprintf(stderr, "    %.*s\n", n, p);
		p += n + (nl ? 1 : 0);
	}
	char base[256], shot[512];
	snprintf(base, sizeof base, "%s", r->path);
	char *name = basename(base);
	char *dot = strrchr(name, '.');
	if (dot)
		*dot = '\0';
	snprintf(shot, sizeof shot, "%s/%s-fail.png", r->dir, name);
	if (ui_app_save_png(r->ui, shot) == KIOSK_OK)
		fprintf(stderr, "  screenshot: %s\n", shot);
	return err;
}

/* Brings the screen up to date: pending core notes, then a fresh frame so widgets and
 * texts reflect what a person would see now. */
static void settle(struct run *r)
{
	ui_app_pump(r->ui, r->core, 0);
	ui_app_frame(r->ui);
}

static int tap_at(struct run *r, int x, int y)
{
	ui_app_pointer(r->ui, true, x, y);
	ui_app_frame(r->ui); /* the pressed state is drawn, as on the panel */
	ui_app_pointer(r->ui, false, x, y);
	settle(r);
	return KIOSK_OK;
}

static int do_line(struct run *r, char *verb, char *arg)
{
	if (strcmp(verb, "tap") == 0) {
		const struct ui_widget *w = ui_widget_find(r->ui, arg);
		if (!w)
			return fail(r, KIOSK_ESTATE, "tap: no visible widget with id or label '%s'",
				    arg);
		return tap_at(r, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
	}
	if (strcmp(verb, "tap-at") == 0) {
		int x, y;
		char extra;
		if (sscanf(arg, "%d %d %c", &x, &y, &extra) != 2)
			return fail(r, KIOSK_EINVAL, "tap-at: expected two integers, got '%s'", arg);
		return tap_at(r, x, y);
	}
	if (strcmp(verb, "wait") == 0) {
		char *end;
		errno = 0;
		long ms = strtol(arg, &end, 10);
		if (errno || end == arg || *end || ms < 0 || ms > 24L * 3600 * 1000)
			return fail(r, KIOSK_EINVAL, "wait: expected milliseconds, got '%s'", arg);
		r->ui->clock_offset_ms += ms;
		ui_dirty(r->ui);
		ui_app_pump(r->ui, r->core, 10); /* let the core answer anything in flight */
		settle(r);
		return KIOSK_OK;
	}
	if (strcmp(verb, "key") == 0) {
		if (strcmp(arg, "escape") == 0 || strcmp(arg, "back") == 0) {
			ui_nav_back(r->ui);
			settle(r);
			return KIOSK_OK;
		}
		if (strcmp(arg, "enter") == 0 || strcmp(arg, "backspace") == 0)
			return fail(r, KIOSK_ESTATE, "key %s: no text field has the focus", arg);
		return fail(r, KIOSK_EINVAL, "key: unknown key '%s'", arg);
	}
	if (strcmp(verb, "type") == 0)
		return fail(r, KIOSK_ESTATE, "type '%s': no text field has the focus", arg);
	if (strcmp(verb, "expect-screen") == 0) {
		const struct screen *s = ui_nav_current(r->ui);
		if (!s || strcmp(s->name, arg) != 0)
			return fail(r, KIOSK_ESTATE, "expected screen '%s'", arg);
		return KIOSK_OK;
	}
	if (strcmp(verb, "expect-text") == 0) {
		if (!strstr(r->ui->seen, arg))
			return fail(r, KIOSK_ESTATE, "expected visible text '%s'", arg);
		return KIOSK_OK;
	}
	if (strcmp(verb, "expect-no-text") == 0) {
		if (strstr(r->ui->seen, arg))
			return fail(r, KIOSK_ESTATE, "expected no visible text '%s'", arg);
		return KIOSK_OK;
	}
	if (strcmp(verb, "screenshot") == 0) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", r->dir, arg);
		if (ui_app_save_png(r->ui, path) != KIOSK_OK)
			return fail(r, KIOSK_EIO, "screenshot: cannot write '%s'", path);
		return KIOSK_OK;
	}
	return fail(r, KIOSK_EINVAL, "unknown verb '%s'", verb);
}

int ui_script_run(struct ui *ui, struct kiosk_core *core, const char *path, const char *shots_dir)
{
	struct run r = {ui, core, path, shots_dir ? shots_dir : ".", 0};
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open script: %s\n", path, strerror(errno));
		return KIOSK_ENOENT;
	}
	ui_app_wait_snapshot(ui, core, 2000);
	settle(&r);
	int rc = KIOSK_OK;
	char buf[512];
	while (rc == KIOSK_OK && fgets(buf, sizeof buf, f)) {
		r.line++;
		size_t n = strlen(buf);
		if (n == sizeof buf - 1 && buf[n - 1] != '\n') {
			rc = fail(&r, KIOSK_EINVAL, "line longer than %d bytes", 510);
			break;
		}
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
			buf[--n] = '\0';
		char *verb = buf + strspn(buf, " \t");
		if (!*verb || *verb == '#')
			continue;
		char *arg = verb + strcspn(verb, " \t");
		if (*arg)
			*arg++ = '\0';
		arg += strspn(arg, " \t");
		KLOG_DEBUG("script", "line=%d verb=%s", r.line, verb);
		rc = do_line(&r, verb, arg);
	}
	fclose(f);
	if (rc == KIOSK_OK)
		KLOG_INFO("script", "event=passed file=%s lines=%d", path, r.line);
	return rc;
}
