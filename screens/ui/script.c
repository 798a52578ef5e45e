#include "screens/ui/script.h"
#include "screens/speech.h"
#include "screens/ui/a11y.h"
#include "screens/app.h"
#include "screens/screen.h"
#include "screens/ui/widget.h"
#include "screens/ui/memory.h"
#include "screens/ui/script_text.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"
#include "hal/base/mem.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_NEST 4

struct run {
	struct ui *ui;
	struct kiosk_core *core;
	const char *path, *dir;
	const char *where; /* the file of the line running (an included one, or path) */
	int line;
	long actions;     /* what a person did so far: taps, drags, keys */
	struct ui_mem_sample mark; /* memory-mark */
	bool marked;
	struct {
		int line; /* the `repeat` line's index */
		long left;
	} loop[MAX_NEST];
	int nloop;
};

static int fail(struct run *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct run *r, int err, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: ", r->where ? r->where : r->path, r->line);
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
	ui_app_tick(r->ui);
	ui_app_frame(r->ui);
	/* a screen drawn in parts over a few frames (the map's streets), or waiting for what
	 * it fetches (base-map tiles, real time, bounded), is checked whole */
	for (int i = 0; i < 400 && (r->ui->hurry || r->ui->waiting); i++) {
		if (r->ui->waiting)
			ui_app_pump(r->ui, r->core, 10);
		ui_app_frame(r->ui);
	}
	ui_a11y_record(r->ui);
}

/* Waits (really) for the core to answer a request, pumping UI events meanwhile. */
static int core_call(struct run *r, const struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	uint32_t req;
	int rc = kiosk_core_submit(r->core, cmd, &req);
	for (int i = 0; rc == KIOSK_OK && i < 300; i++) {
		if (kiosk_core_result(r->core, req, res))
			return KIOSK_OK;
		ui_app_pump(r->ui, r->core, 10);
	}
	return rc ? rc : KIOSK_ETIMEDOUT;
}

/* The commands a script sends itself: a name (event type, simulator line), or time. */
static int core_call_name(struct run *r, enum kiosk_cmd_type t, const char *name,
			  struct kiosk_result *res)
{
	struct kiosk_cmd cmd = {.type = t};
	if (name && strlen(name) >= sizeof cmd.u.name.text)
		return KIOSK_EINVAL;
	snprintf(cmd.u.name.text, sizeof cmd.u.name.text, "%s", name ? name : "");
	return core_call(r, &cmd, res);
}

/* Pumps until cond holds on a fresh snapshot (bounded: a core that never gets there
 * fails the line that waited, by what the screen then shows). */
static void pump_until(struct run *r, bool (*cond)(const struct kiosk_snapshot *, unsigned long),
		       unsigned long arg)
{
	struct kiosk_snapshot s;
	for (int i = 0; i < 2000; i++) {
		kiosk_core_snapshot(r->core, &s);
		if (cond(&s, arg))
			break;
		ui_app_pump(r->ui, r->core, 5);
	}
	ui_app_pump(r->ui, r->core, 0);
}

/* The newest pickup code in the outbox (the SMS a script cannot read) into code (9
 * bytes); false when there is none. The result holding it is wiped. */
static bool last_code(struct run *r, char code[9])
{
	struct kiosk_result res;
	int rc = core_call_name(r, KIOSK_CMD_TEST_LAST_CODE, NULL, &res);
	bool ok = rc == KIOSK_OK && res.rc == KIOSK_OK;
	snprintf(code, 9, "%.8s", ok ? res.u.code.digits : "");
	memset(&res, 0, sizeof res);
	return ok;
}

static bool scan_seen(const struct kiosk_snapshot *s, unsigned long before)
{
	return s->session.scan_seq != (uint32_t)before;
}

/* A scan through the simulated scanner, its bytes over the pty as a real scanner's: the
 * line returns once the core has had it (routed, or refused). */
static int core_call_scan(struct run *r, const char *line, struct kiosk_result *res)
{
	struct kiosk_snapshot s;
	kiosk_core_snapshot(r->core, &s);
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_SIM_SCANNER};
	if (strlen(line) >= sizeof cmd.u.sim.line)
		return KIOSK_EINVAL;
	snprintf(cmd.u.sim.line, sizeof cmd.u.sim.line, "%s", line);
	int rc = core_call(r, &cmd, res);
	if (rc == KIOSK_OK && res->rc == KIOSK_OK)
		pump_until(r, scan_seen, s.session.scan_seq);
	return rc;
}

static bool no_doors_out(const struct kiosk_snapshot *s, unsigned long arg)
{
	(void)arg;
	return s->requests_waiting == 0;
}

static bool rounds_past(const struct kiosk_snapshot *s, unsigned long arg)
{
	return s->lock_rounds >= arg;
}

/* Lets the core finish what a tap asked of it: the requests in its queue (FIFO: answered
 * once a later one is), then any door outcomes they wait for. */
static void let_core_answer(struct run *r)
{
	struct kiosk_result res;
	core_call_name(r, KIOSK_CMD_COUNT_EVENTS, "-", &res);
	pump_until(r, no_doors_out, 0);
}

/* Two door-monitor rounds from now: the second one read the boards after this moment. */
static void let_monitor_read(struct run *r)
{
	struct kiosk_snapshot s;
	kiosk_core_snapshot(r->core, &s);
	if (s.dev[KIOSK_DEV_LOCK] != KIOSK_DEVSTATE_ABSENT) /* a bank with a monitor */
		pump_until(r, rounds_past, s.lock_rounds + 2);
}

/* What a tap, a door or time started may be a chain (check a code, then open the door;
 * a door closed, then the counts asked again): the core answers and the screen reacts,
 * until a round in which the screen asked nothing new and has nothing in flight. */
static void run_chain(struct run *r)
{
	for (int round = 0; round < 16; round++) {
		unsigned sent = kiosk_core_requests_sent(r->core);
		let_core_answer(r);
		settle(r);
		const struct screen *s = ui_nav_current(r->ui);
		/* +1: let_core_answer's own request */
		if (kiosk_core_requests_sent(r->core) == sent + 1 &&
		    (!s || !s->busy || !s->busy(r->ui)))
			break;
	}
}

/* Time passes as a person would see it: the virtual clock steps through every deadline
 * of the UI in order (the idle countdown opens, then sends the session home), and moves
 * the core's business clock by as much; the door monitor then reads the boards at the new
 * time (a door open "for a minute" is seen). */
static int wait_virtual(struct run *r, long ms)
{
	int64_t left = ms;
	struct kiosk_result res;
	for (int i = 0; left > 0 && i < 10000; i++) {
		int64_t due = ui_app_next_deadline(r->ui), now = ui_now_ms(r->ui);
		int64_t step = due > now && due - now < left ? due - now : left;
		struct kiosk_cmd skew = {.type = KIOSK_CMD_CLOCK_SKEW, .u.skew.ms = step};
		core_call(r, &skew, &res);
		r->ui->clock_offset_ms += step;
		left -= step;
		ui_dirty(r->ui);
		settle(r);
	}
	let_monitor_read(r);
	settle(r);
	run_chain(r);
	return KIOSK_OK;
}

/* The speech thread synthesises what was said (really, a few seconds at most). */
static void let_speech_finish(struct run *r)
{
	for (int i = 0; i < 500 && r->ui->speech && ui_speech_done(r->ui) < r->ui->said; i++)
		SDL_Delay(10);
}

/* Before memory is read: nothing in flight on the other threads (a request, an utterance
 * being synthesised), so a sample counts what is kept, not what happens to be working. */
static void quiesce(struct run *r)
{
	let_core_answer(r);
	let_speech_finish(r);
	settle(r);
}

static int tap_at(struct run *r, int x, int y)
{
	ui_app_pointer(r->ui, true, x, y);
	ui_app_frame(r->ui); /* the pressed state is drawn, as on the panel */
	ui_app_pointer(r->ui, false, x, y);
	run_chain(r);
	return KIOSK_OK;
}

static int tap_id(struct run *r, const char *id)
{
	const struct ui_widget *w = ui_widget_find(r->ui, id);
	if (!w)
		return fail(r, KIOSK_ESTATE, "no visible widget with id or label '%s'", id);
	return tap_at(r, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
}

/* memory: a sample printed; memory-mark: one kept; expect-memory-growth <KiB>: what is
 * allocated grew by that much at most since the mark (the heap in use, exact: the
 * resident set also moves with the heap's free pages, printed beside it). */
static int memory_line(struct run *r, const char *verb, const char *arg)
{
	struct ui_mem_sample m;
	if (strcmp(verb, "memory") == 0 || strcmp(verb, "memory-mark") == 0) {
		quiesce(r);
		ui_mem_sample(r->ui, &m);
		if (verb[6])
			r->mark = m, r->marked = true;
		else
			ui_mem_print(stdout, r->actions, &m);
		return KIOSK_OK;
	}
	if (strcmp(verb, "expect-memory-growth") != 0)
		return fail(r, KIOSK_EINVAL, "unknown verb '%s'", verb);
	char *end;
	errno = 0;
	long kb = strtol(arg, &end, 10);
	if (errno || end == arg || *end || kb < 0)
		return fail(r, KIOSK_EINVAL, "expect-memory-growth: expected KiB, got '%s'", arg);
	if (!r->marked)
		return fail(r, KIOSK_ESTATE, "expect-memory-growth: no memory-mark before");
	quiesce(r);
	ui_mem_sample(r->ui, &m);
	long heap = m.heap_kb - r->mark.heap_kb, rss = m.rss_kb - r->mark.rss_kb;
	if (!ui_mem_measurable()) {
		KLOG_INFO("script", "event=memory_growth_not_checked reason=sanitizer rss_kb=%+ld",
			  rss);
		return KIOSK_OK;
	}
	KLOG_INFO("script", "event=memory_growth actions=%ld heap_kb=%+ld rss_kb=%+ld limit_kb=%ld",
		  r->actions, heap, rss, kb);
	if (heap > kb)
		return fail(r, KIOSK_ESTATE,
			    "memory in use grew %ld KiB since memory-mark (%ld → %ld KiB; resident "
			    "set %+ld KiB), more than %ld KiB",
			    heap, r->mark.heap_kb, m.heap_kb, rss, kb);
	return KIOSK_OK;
}

/* Where name is on screen: the widget with that id or label, or else the visible text
 * that is exactly name (a mark on the map such as 您在这里). False when neither. */
static bool find_rect(const struct ui *ui, const char *name, SDL_Rect *out)
{
	const struct ui_widget *w = ui_widget_find(ui, name);
	if (w) {
		*out = w->r;
		return true;
	}
	for (int i = 0; i < ui->ntexts; i++)
		if (!ui->textrecs[i].hidden && strcmp(ui->textrecs[i].text, name) == 0) {
			*out = ui->textrecs[i].r;
			return true;
		}
	return false;
}

/* "<a> <b>", or "<a> | <b>" when a name has a space in it: two things on screen by id,
 * label or text. */
static int two_rects(struct run *r, const char *verb, const char *arg, SDL_Rect *a, SDL_Rect *b)
{
	char first[64];
	const char *sp = strstr(arg, " | "), *second = sp ? sp + 3 : NULL;
	if (!sp) {
		sp = strchr(arg, ' ');
		second = sp && !strchr(sp + 1, ' ') ? sp + 1 : NULL;
	}
	if (!second || !*second || sp == arg || (size_t)(sp - arg) >= sizeof first)
		return fail(r, KIOSK_EINVAL, "%s: expected <a> <b> or <a> | <b>, got '%s'", verb,
			    arg);
	memcpy(first, arg, (size_t)(sp - arg));
	first[sp - arg] = '\0';
	bool fa = find_rect(r->ui, first, a);
	if (!fa || !find_rect(r->ui, second, b))
		return fail(r, KIOSK_ESTATE, "%s: nothing visible with id, label or text '%s'", verb,
			    fa ? second : first);
	return KIOSK_OK;
}

static int do_line(struct run *r, char *verb, char *arg)
{
	if (strcmp(verb, "tap") == 0) {
		if (!ui_widget_find(r->ui, arg))
			return fail(r, KIOSK_ESTATE, "tap: no visible widget with id or label '%s'",
				    arg);
		return tap_id(r, arg);
	}
	if (strcmp(verb, "hold") == 0) {
		int x, y, ms;
		char extra;
		if (sscanf(arg, "%d %d %d %c", &x, &y, &ms, &extra) != 3 || ms < 0)
			return fail(r, KIOSK_EINVAL, "hold: expected <x> <y> <ms>, got '%s'", arg);
		ui_app_pointer(r->ui, true, x, y);
		r->ui->clock_offset_ms += ms;
		ui_app_tick(r->ui);
		ui_app_pointer(r->ui, false, x, y);
		settle(r);
		return KIOSK_OK;
	}
	if (strcmp(verb, "drag") == 0) {
		int x1, y1, x2, y2, ms;
		char extra;
		if (sscanf(arg, "%d %d %d %d %d %c", &x1, &y1, &x2, &y2, &ms, &extra) != 5 ||
		    ms < 10)
			return fail(r, KIOSK_EINVAL,
				    "drag: expected <x1> <y1> <x2> <y2> <ms ≥ 10>, got '%s'", arg);
		/* A finger moving in 10 ms steps, as touch panels report. */
		ui_app_pointer(r->ui, true, x1, y1);
		for (int t = 10; t <= ms; t += 10) {
			r->ui->clock_offset_ms += 10;
			ui_app_motion(r->ui, x1 + (x2 - x1) * t / ms, y1 + (y2 - y1) * t / ms);
		}
		ui_app_pointer(r->ui, false, x2, y2);
		settle(r);
		return KIOSK_OK;
	}
	if (strcmp(verb, "drag-onto") == 0) { /* the first widget's centre onto the second's */
		SDL_Rect a, b;
		int why = two_rects(r, verb, arg, &a, &b);
		if (why != KIOSK_OK)
			return why;
		SDL_Point pa = {a.x + a.w / 2, a.y + a.h / 2};
		SDL_Point pb = {b.x + b.w / 2, b.y + b.h / 2};
		ui_app_pointer(r->ui, true, pa.x, pa.y);
		for (int t = 10; t <= 300; t += 10) {
			r->ui->clock_offset_ms += 10;
			ui_app_motion(r->ui, pa.x + (pb.x - pa.x) * t / 300,
				      pa.y + (pb.y - pa.y) * t / 300);
		}
		ui_app_pointer(r->ui, false, pb.x, pb.y);
		settle(r);
		return KIOSK_OK;
	}
	if (strcmp(verb, "stroke") == 0) {
		/* A stroke on the handwriting pad: points "x,y" on a 0–100 scale of the pad
		 * (so scripts do not depend on its place), the finger moving through them. */
		SDL_Rect a = r->ui->sketch.area;
		if (!r->ui->sketch.active || a.w <= 0)
			return fail(r, KIOSK_ESTATE, "stroke: no handwriting pad on screen");
		int pt[64][2], n = 0, used = 0;
		for (const char *p = arg;
		     n < 64 && sscanf(p, " %d,%d%n", &pt[n][0], &pt[n][1], &used) == 2; p += used) {
			if (pt[n][0] < 0 || pt[n][0] > 100 || pt[n][1] < 0 || pt[n][1] > 100)
				return fail(r, KIOSK_EINVAL, "stroke: point %d,%d outside 0–100",
					    pt[n][0], pt[n][1]);
			pt[n][0] = a.x + pt[n][0] * (a.w - 1) / 100;
			pt[n][1] = a.y + pt[n][1] * (a.h - 1) / 100;
			n++;
		}
		if (n < 2)
			return fail(r, KIOSK_EINVAL, "stroke: expected 2 to 64 x,y points, got '%s'",
				    arg);
		ui_app_pointer(r->ui, true, pt[0][0], pt[0][1]);
		for (int i = 1; i < n; i++) {
			r->ui->clock_offset_ms += 10;
			ui_app_motion(r->ui, pt[i][0], pt[i][1]);
		}
		ui_app_pointer(r->ui, false, pt[n - 1][0], pt[n - 1][1]);
		settle(r);
		return KIOSK_OK;
	}
	if (strcmp(verb, "sim") == 0) {
		bool lock = strncmp(arg, "lock ", 5) == 0, vend = strncmp(arg, "vend ", 5) == 0;
		bool mdb = strncmp(arg, "mdb ", 4) == 0, scan = strncmp(arg, "scanner ", 8) == 0;
		bool print = strncmp(arg, "printer ", 8) == 0;
		if (!lock && !vend && !mdb && !scan && !print)
			return fail(r, KIOSK_EINVAL,
				    "sim: expected 'sim lock|vend|mdb|scanner|printer <line>', got '%s'",
				    arg);
		struct kiosk_result res;
		int rc = scan ? core_call_scan(r, arg + 8, &res)
			 : core_call_name(r, lock    ? KIOSK_CMD_SIM_LOCK
					     : vend  ? KIOSK_CMD_SIM_VEND
					     : print ? KIOSK_CMD_SIM_PRINTER
						     : KIOSK_CMD_SIM_MDB,
					  arg + (mdb ? 4 : scan || print ? 8 : 5), &res);
		if (rc || res.rc)
			return fail(r, KIOSK_ESTATE, "sim '%s': %s", arg,
				    kiosk_strerror(rc ? rc : res.rc));
		let_monitor_read(r);
		settle(r);
		run_chain(r); /* what the screen asked of the core on seeing the change */
		return KIOSK_OK;
	}
	if (strcmp(verb, "type-last-code") == 0) {
		/* Stands in for the recipient reading the SMS: the newest code in the outbox. */
		char code[9];
		if (!last_code(r, code))
			return fail(r, KIOSK_ESTATE, "type-last-code: no pickup code in the outbox%s",
				    "");
		int trc = KIOSK_OK;
		for (const char *c = code; *c && trc == KIOSK_OK; c++) {
			char id[8];
			snprintf(id, sizeof id, "key.%c", *c);
			trc = tap_id(r, id);
		}
		memset(code, 0, sizeof code);
		return trc;
	}
	if (strcmp(verb, "scan-last-code") == 0) {
		/* The recipient shows the SMS's QR to the scanner: the newest code, as itself or
		 * (with an argument) as the URL the QR carries, arg ending before the code. */
		char code[9], line[200];
		if (!last_code(r, code))
			return fail(r, KIOSK_ESTATE, "scan-last-code: no pickup code in the outbox%s",
				    "");
		snprintf(line, sizeof line, "%.150s%s", arg, code);
		struct kiosk_result res;
		int rc = core_call_scan(r, line, &res);
		memset(code, 0, sizeof code);
		memset(line, 0, sizeof line);
		if (rc)
			return fail(r, KIOSK_ESTATE, "scan-last-code: %s", kiosk_strerror(rc));
		settle(r);
		run_chain(r);
		return KIOSK_OK;
	}
	if (strcmp(verb, "type") == 0) {
		for (const char *c = arg; *c; c++) {
			char id[16];
			snprintf(id, sizeof id, *c == ' ' ? "key.space" : "key.%c", *c);
			if (!ui_widget_find(r->ui, id))
				return fail(r, KIOSK_ESTATE, "type: no visible key for '%c'", *c);
			int rc = tap_id(r, id);
			if (rc)
				return rc;
		}
		return KIOSK_OK;
	}
	if (strcmp(verb, "goto") == 0) {
		char name[32] = "", sarg[64] = "";
		sscanf(arg, "%31s %63s", name, sarg);
		const struct screen *s = ui_screen_find(name);
		if (!s)
			return fail(r, KIOSK_EINVAL, "goto: no screen named '%s'", name);
		ui_nav_push(r->ui, s, sarg[0] ? sarg : NULL);
		settle(r);
		return KIOSK_OK;
	}
	if (strcmp(verb, "expect-event") == 0) {
		char type[48];
		long want;
		char extra;
		if (sscanf(arg, "%47s %ld %c", type, &want, &extra) != 2)
			return fail(r, KIOSK_EINVAL, "expect-event: expected <type> <count>, got '%s'",
				    arg);
		struct kiosk_result res;
		int rc = core_call_name(r, KIOSK_CMD_COUNT_EVENTS, type, &res);
		if (rc || res.rc)
			return fail(r, KIOSK_ESTATE, "expect-event: the core did not answer (%s)",
				    kiosk_strerror(rc ? rc : res.rc));
		if (res.u.count.n != want)
			return fail(r, KIOSK_ESTATE, "expected %ld '%s' events in the outbox, found %lld",
				    want, type, (long long)res.u.count.n);
		return KIOSK_OK;
	}
	if (strcmp(verb, "sync-wait") == 0) {
		/* Real time, not the script's clock: the platform is another process. */
		char *end;
		errno = 0;
		long sec = strtol(arg, &end, 10);
		if (errno || end == arg || *end || sec < 1 || sec > 600)
			return fail(r, KIOSK_EINVAL, "sync-wait: expected seconds (1-600), got '%s'",
				    arg);
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct kiosk_snapshot sn;
		for (;;) {
			kiosk_core_snapshot(r->core, &sn);
			if (sn.net == KIOSK_NET_NONE)
				return fail(r, KIOSK_ESTATE, "sync-wait: no platform link (%s)",
					    sn.sync_error[0] ? sn.sync_error : "none configured");
			/* (doors out may still add events: a remote unlock's command.done) */
			if (sn.net == KIOSK_NET_ONLINE && sn.outbox_unsent == 0 && !sn.sync_pull_due &&
			    sn.requests_waiting == 0 && sn.payments_open == 0)
				break;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (t1.tv_sec - t0.tv_sec >= sec)
				return fail(r, KIOSK_ETIMEDOUT,
					    "sync-wait: after %ld s still %s with %lld events unsent, "
					    "pull %s, %d requests and %lld payments open (%s)",
					    sec, sn.net == KIOSK_NET_ONLINE ? "online" : "offline",
					    (long long)sn.outbox_unsent,
					    sn.sync_pull_due ? "due" : "not due", sn.requests_waiting,
					    (long long)sn.payments_open, sn.sync_error);
			ui_app_pump(r->ui, r->core, 20);
		}
		settle(r);
		return KIOSK_OK;
	}
	if (strcmp(verb, "await") == 0) {
		/* Real time: until a widget (id or label) or a text is on screen — what another
		 * process (the platform, a payer's phone) makes happen. */
		char *end;
		errno = 0;
		long sec = strtol(arg, &end, 10);
		if (errno || end == arg || *end != ' ' || sec < 1 || sec > 600 || !end[1])
			return fail(r, KIOSK_EINVAL, "await: expected <seconds 1-600> <id or text>, got '%s'",
				    arg);
		const char *what = end + 1;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (;;) {
			settle(r);
			if (ui_widget_find(r->ui, what) || strstr(r->ui->seen, what))
				break;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (t1.tv_sec - t0.tv_sec >= sec)
				return fail(r, KIOSK_ETIMEDOUT, "await: '%s' not on screen after %ld s",
					    what, sec);
			ui_app_pump(r->ui, r->core, 20);
		}
		run_chain(r);
		return KIOSK_OK;
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
		return wait_virtual(r, ms);
	}
	if (strcmp(verb, "key") == 0) {
		if (strcmp(arg, "escape") == 0 || strcmp(arg, "back") == 0) {
			ui_app_back_key(r->ui);
			settle(r);
			return KIOSK_OK;
		}
		if (strcmp(arg, "enter") == 0 || strcmp(arg, "backspace") == 0) {
			const char *id = arg[0] == 'e' ? "key.ok" : "key.back";
			if (!ui_widget_find(r->ui, id))
				return fail(r, KIOSK_ESTATE, "key %s: no keypad is showing", arg);
			return tap_id(r, id);
		}
		return fail(r, KIOSK_EINVAL, "key: unknown key '%s'", arg);
	}
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
	if (strcmp(verb, "expect-spoken") == 0) {
		/* Said, and (with a synthesiser) synthesised and queued to the sound device:
		 * waits for the speech thread, really, a few seconds at most. */
		let_speech_finish(r);
		if (!strstr(r->ui->spoken, arg))
			return fail(r, KIOSK_ESTATE, "expected spoken '%s'", arg);
		return KIOSK_OK;
	}
	if (strcmp(verb, "expect-qr") == 0) { /* a line of what a QR code on screen holds */
		if (!strstr(r->ui->qr_seen, arg))
			return fail(r, KIOSK_ESTATE, "expected a QR code holding '%s'; they hold:\n%s",
				    arg, r->ui->qr_seen);
		return KIOSK_OK;
	}
	if (strcmp(verb, "expect-widget") == 0) {
		if (!ui_widget_find(r->ui, arg))
			return fail(r, KIOSK_ESTATE, "expected something to tap with id or label '%s'",
				    arg);
		return KIOSK_OK;
	}
	if (strcmp(verb, "expect-apart") == 0) {
		SDL_Rect a, b;
		int why = two_rects(r, verb, arg, &a, &b);
		if (why != KIOSK_OK)
			return why;
		if (SDL_HasIntersection(&a, &b))
			return fail(r, KIOSK_ESTATE,
				    "expected %s apart; they overlap (%d,%d %dx%d and %d,%d %dx%d)", arg,
				    a.x, a.y, a.w, a.h, b.x, b.y, b.w, b.h);
		return KIOSK_OK;
	}
	if (strcmp(verb, "expect-no-widget") == 0) {
		if (ui_widget_find(r->ui, arg))
			return fail(r, KIOSK_ESTATE, "expected nothing to tap with id or label '%s'",
				    arg);
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
	if (strncmp(verb, "memory", 6) == 0 || strcmp(verb, "expect-memory-growth") == 0)
		return memory_line(r, verb, arg);
	return fail(r, KIOSK_EINVAL, "unknown verb '%s'", verb);
}

/* What a person did on the line: a tap, a drag, a key each; one per key typed. */
static long actions_of(const char *verb, const char *arg)
{
	static const char *const acts[] = {"tap",    "tap-at", "hold", "drag", "key", "stroke",
					   "scan-last-code", NULL};
	if (strcmp(verb, "type") == 0)
		return (long)strlen(arg);
	if (strcmp(verb, "type-last-code") == 0)
		return 8;
	for (int i = 0; acts[i]; i++)
		if (strcmp(verb, acts[i]) == 0)
			return 1;
	return 0;
}

/* `repeat N` … `end`: the lines between, N times (nested up to MAX_NEST deep). Returns
 * the index of the next line to run. */
static int flow_line(struct run *r, const char *verb, const char *arg, int i, int *rc)
{
	if (strcmp(verb, "repeat") == 0) {
		char *end;
		errno = 0;
		long n = strtol(arg, &end, 10);
		if (errno || end == arg || *end || n < 1 || n > 1000000) {
			*rc = fail(r, KIOSK_EINVAL, "repeat: expected a count (1-1000000), got '%s'",
				   arg);
			return i + 1;
		}
		if (r->nloop == MAX_NEST) {
			*rc = fail(r, KIOSK_EINVAL, "repeat: nested more than %d deep", MAX_NEST);
			return i + 1;
		}
		r->loop[r->nloop].line = i;
		r->loop[r->nloop++].left = n;
		return i + 1;
	}
	/* end */
	if (*arg) {
		*rc = fail(r, KIOSK_EINVAL, "end: takes nothing, got '%s'", arg);
		return i + 1;
	}
	if (!r->nloop) {
		*rc = fail(r, KIOSK_EINVAL, "end without repeat");
		return i + 1;
	}
	if (--r->loop[r->nloop - 1].left > 0)
		return r->loop[r->nloop - 1].line + 1;
	r->nloop--;
	return i + 1;
}

int ui_script_run(struct ui *ui, struct kiosk_core *core, const char *path, const char *shots_dir,
		  const char *a11y_report)
{
	struct run r = {.ui = ui, .core = core, .path = path, .dir = shots_dir ? shots_dir : "."};
	struct ui_script_text t;
	char why[600];
	int rc = ui_script_text_read(path, &t, why, sizeof why);
	if (rc) {
		fprintf(stderr, "%s\n", why);
		ui_script_text_free(&t);
		return rc;
	}
	if (a11y_report && !(ui->a11y = fopen(a11y_report, "w"))) {
		fprintf(stderr, "%s: cannot write: %s\n", a11y_report, strerror(errno));
		ui_script_text_free(&t);
		return KIOSK_EIO;
	}
	ui->virtual_base_ms = kiosk_now_ms();
	ui->last_input_ms = ui->last_touch_ms = ui_now_ms(ui);
	ui_app_wait_snapshot(ui, core, 2000);
	/* A script starts on a kiosk that is ready: the map, read and built on the core's
	 * worker at start (the screens are up meanwhile), is in (real time, bounded). */
	for (int i = 0; i < 3000 && ui->snap.map_preparing; i++)
		ui_app_pump(ui, core, 10);
	settle(&r);
	char buf[512];
	for (int i = 0; rc == KIOSK_OK && i < t.nlines;) {
		r.where = t.line[i].file;
		r.line = t.line[i].n;
		snprintf(buf, sizeof buf, "%s", t.line[i].text);
		char *verb = buf + strspn(buf, " \t");
		char *arg = verb + strcspn(verb, " \t");
		if (*arg)
			*arg++ = '\0';
		arg += strspn(arg, " \t");
		if (!*verb || *verb == '#') {
			i++;
			continue;
		}
		if (strcmp(verb, "repeat") == 0 || strcmp(verb, "end") == 0) {
			i = flow_line(&r, verb, arg, i, &rc);
			continue;
		}
		KLOG_DEBUG("script", "line=%d verb=%s", r.line, verb);
		if (ui->quit) { /* a line after the kiosk ended: it quit too soon */
			rc = fail(&r, KIOSK_ESTATE, "the kiosk quit before this line (exit code %d)",
				  ui->exit_code);
			break;
		}
		rc = do_line(&r, verb, arg);
		r.actions += actions_of(verb, arg);
		i++;
	}
	if (rc == KIOSK_OK && r.nloop) {
		r.where = t.line[r.loop[r.nloop - 1].line].file;
		r.line = t.line[r.loop[r.nloop - 1].line].n;
		rc = fail(&r, KIOSK_EINVAL, "repeat without end");
	}
	int nlines = t.nlines;
	ui_script_text_free(&t);
	if (ui->a11y) {
		fclose(ui->a11y);
		ui->a11y = NULL;
	}
	if (rc == KIOSK_OK)
		KLOG_INFO("script", "event=passed file=%s lines=%d actions=%ld", path, nlines,
			  r.actions);
	return rc;
}
