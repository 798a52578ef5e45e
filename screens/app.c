#include "screens/app.h"
#include "screens/scan.h"
#include "screens/ui/draw.h"
#include "screens/ui/handwriting.h"
#include "screens/ui/font.h"
#include "screens/ui/image.h"
#include "screens/ui/scroll.h"
#include "screens/sound.h"
#include "screens/speech.h"
#include "screens/warm.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/textcache.h"
#include "screens/ui/widget.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ALIVE_EVERY_MS 5000

static atomic_uint core_event; /* SDL user event type for core notes; 0 = not registered */

const struct kiosk_compartment_view *ui_compartment(const struct ui *ui, const char *id)
{
	for (int i = 0; i < ui->snap.ncompartments; i++)
		if (strcmp(ui->snap.compartments[i].id, id) == 0)
			return &ui->snap.compartments[i];
	return NULL;
}

bool ui_door_open(const struct ui *ui, const char *id)
{
	const struct kiosk_compartment_view *v = ui_compartment(ui, id);
	return v && v->door_open;
}

bool ui_door_left_open(const struct ui *ui, const char *id)
{
	const struct kiosk_compartment_view *v = ui_compartment(ui, id);
	return v && v->door_open && v->left_open;
}

int64_t ui_now_ms(const struct ui *ui)
{
	/* A script's clock is virtual alone: real time spent rendering must not count as a
	 * person's waiting. */
	if (ui->virtual_base_ms)
		return ui->virtual_base_ms + ui->clock_offset_ms;
	return kiosk_now_ms() + ui->clock_offset_ms;
}

int ui_text_px(const struct ui *ui, int px)
{
	return ui->elderly ? (px * 14 + 9) / 10 : px;
}

int ui_min_text(const struct ui *ui)
{
	return ui->elderly ? 40 : 28;
}

#define TOAST_MS 4000
#define COUNTDOWN_MS 10000
#define COUNTDOWN_ELDERLY_MS 30000 /* 长辈模式: time to find the button and tap it */
#define HOLD_MS 5000
#define GIVE_BACK_MS 60000
#define CORNER 140 /* the maintenance corner, reference px */

void ui_toast(struct ui *ui, const char *key)
{
	ui_toast_text(ui, ui_tr(ui, key));
}

void ui_toast_text(struct ui *ui, const char *text)
{
	snprintf(ui->toast, sizeof ui->toast, "%s", text);
	ui->toast_until = ui_now_ms(ui) + TOAST_MS;
	ui_dirty(ui);
}

void ui_dialog_open(struct ui *ui, const char *title_key, const char *body, const char *btn1_id,
		    const char *btn1_key, const char *btn2_id, const char *btn2_key)
{
	struct ui_dialog *d = &ui->dialog;
	memset(d, 0, sizeof *d);
	d->open = true;
	snprintf(d->title_key, sizeof d->title_key, "%s", title_key);
	snprintf(d->body, sizeof d->body, "%s", body);
	snprintf(d->btn_id[0], sizeof d->btn_id[0], "%s", btn1_id);
	snprintf(d->btn_key[0], sizeof d->btn_key[0], "%s", btn1_key);
	if (btn2_id) {
		snprintf(d->btn_id[1], sizeof d->btn_id[1], "%s", btn2_id);
		snprintf(d->btn_key[1], sizeof d->btn_key[1], "%s", btn2_key);
	}
	ui_dirty(ui);
}

void ui_dialog_close(struct ui *ui)
{
	ui->dialog.open = false;
	ui_dirty(ui);
}

static int open_video(const struct ui_app_opts *o, struct ui *ui)
{
	if (o->headless) {
		/* Rendering without a display: dummy video driver, software renderer. The
		 * window is exactly the reference canvas so screenshots are 1:1. */
		const char *drv = getenv("SDL_VIDEODRIVER");
		if (!drv || (strcmp(drv, "offscreen") != 0 && strcmp(drv, "dummy") != 0))
			SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
		SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	}
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		KLOG_ERROR("ui", "event=no_display err=\"%s\"", SDL_GetError());
		return KIOSK_ENODISPLAY;
	}
	SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
	int ww = ui->w, wh = ui->h;
	if (!o->headless) {
		ww = o->cfg->ui_width;
		wh = o->cfg->ui_height;
		if (ui->landscape != (ww > wh)) {
			int t = ww;
			ww = wh;
			wh = t;
		}
		if (o->cfg->ui_fullscreen)
			flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	}
	ui->win = SDL_CreateWindow("一刻钟便民亭 Quarter-Hour Kiosk", SDL_WINDOWPOS_CENTERED,
				   SDL_WINDOWPOS_CENTERED, ww, wh, flags);
	if (!ui->win) {
		KLOG_ERROR("ui", "event=window_failed err=\"%s\"", SDL_GetError());
		return KIOSK_ENODISPLAY;
	}
	ui->ren = SDL_CreateRenderer(ui->win, -1, o->headless ? SDL_RENDERER_SOFTWARE : 0);
	if (!ui->ren)
		ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
	if (!ui->ren) {
		KLOG_ERROR("ui", "event=renderer_failed err=\"%s\"", SDL_GetError());
		return KIOSK_ENODISPLAY;
	}
	SDL_RenderSetLogicalSize(ui->ren, ui->w, ui->h);
	SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
	SDL_RendererInfo info;
	SDL_GetRendererInfo(ui->ren, &info);
	KLOG_INFO("ui", "event=video driver=%s renderer=%s window=%dx%d canvas=%dx%d",
		  SDL_GetCurrentVideoDriver(), info.name, ww, wh, ui->w, ui->h);
	return KIOSK_OK;
}

static int open_fonts(const struct ui_app_opts *o, struct ui *ui)
{
	if (TTF_Init() != 0) {
		KLOG_ERROR("ui", "event=ttf_init_failed err=\"%s\"", TTF_GetError());
		return KIOSK_ENOFONT;
	}
	struct ui_font_face reg, bold;
	int rc = ui_font_find(o->cfg->ui_font, o->cfg->ui_font_index, &reg, &bold);
	if (rc)
		return rc;
	rc = ui_fonts_new(&reg, &bold, &ui->fonts);
	if (rc)
		return rc;
	return ui_textcache_new(ui->ren, ui->fonts, KIOSK_CACHE_TEXT_BYTES,
				KIOSK_CACHE_TEXT_COVERAGE_BYTES, &ui->texts);
}

/* The configured assets folder, else the installed one, else the source tree's (so a
 * build runs in place). */
static void find_assets(const struct kiosk_config *cfg, char *out, size_t n)
{
	const char *cands[] = {cfg->ui_assets, KIOSK_INSTALL_ASSETS, KIOSK_SOURCE_ASSETS};
	for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
		char probe[600];
		snprintf(probe, sizeof probe, "%s/i18n/zh.po", cands[i]);
		if (cands[i][0] && access(probe, R_OK) == 0) {
			snprintf(out, n, "%s", cands[i]);
			return;
		}
	}
	snprintf(out, n, "%s", cfg->ui_assets[0] ? cfg->ui_assets : KIOSK_SOURCE_ASSETS);
}

int ui_app_caches(const struct ui *ui, struct kiosk_cache_stat *out, int max)
{
	int n = 0;
	if (n + 2 < max) {
		ui_textcache_stat(ui->texts, &out[n]);
		n += 3;
	}
	if (n < max)
		ui_images_stat(&out[n++]);
	if (n < max)
		ui_fonts_stat(ui->fonts, &out[n++]);
	for (int i = 0; ui_screens[i]; i++)
		if (ui_screens[i]->caches)
			n += ui_screens[i]->caches(out + n, max - n);
	return n;
}

const char *ui_app_assets(const struct ui *ui)
{
	return ui->assets;
}

int ui_app_open(const struct ui_app_opts *o, struct ui **out)
{
	*out = NULL;
	struct ui *ui = kiosk_calloc(1, sizeof *ui);
	if (!ui)
		return KIOSK_ENOMEM;
	ui->cfg = o->cfg;
	ui->started_mono = o->started_mono ? o->started_mono : kiosk_mono_ms();
	ui->landscape = o->landscape || strcmp(o->cfg->ui_orientation, "landscape") == 0;
	ui->w = ui->landscape ? UI_REF_H : UI_REF_W;
	ui->h = ui->landscape ? UI_REF_W : UI_REF_H;
	find_assets(o->cfg, ui->assets, sizeof ui->assets);
	KLOG_INFO("ui", "event=assets dir=%s", ui->assets);
	ui_strings_load(ui->assets);
	int rc = open_video(o, ui);
	if (rc == KIOSK_OK)
		rc = open_fonts(o, ui);
	if (rc == KIOSK_OK) {
		Uint32 ev = SDL_RegisterEvents(1);
		if (ev == (Uint32)-1)
			rc = KIOSK_ENOSPACE;
		atomic_store(&core_event, ev);
	}
	if (rc) {
		ui_app_close(ui);
		return rc;
	}
	ui_sound_open(ui);
	ui_speech_open(ui);
	ui_nav_home(ui, true);
	*out = ui;
	return KIOSK_OK;
}

/* Not a core note: a screen's own thread has something to show. */
#define WAKE (-1)

void ui_app_wake(void)
{
	SDL_Event ev = {.type = atomic_load(&core_event)};
	ev.user.code = WAKE;
	if (ev.type)
		SDL_PushEvent(&ev);
}

void ui_app_notify(void *arg, enum kiosk_note note)
{
	(void)arg;
	SDL_Event ev = {.type = atomic_load(&core_event)};
	ev.user.code = (Sint32)note;
	if (ev.type)
		SDL_PushEvent(&ev);
}

static void draw_header(struct ui *ui, SDL_Rect r)
{
	ui_fill(ui, r, UI_C_HEADER);
	SDL_Rect in = ui_inset(r, 40);
	/* The title keeps clear of the clock: it shrinks (to the legible minimum) to fit. */
	int tw = in.w - ui_text_px(ui, 64) * 3, w = 0, h = 0;
	int px = ui_text_px(ui, 64);
	/* 遇到问题, where the step has problems to offer: always here, left of the clock, the
	 * same on every screen; the title gives way to it */
	const struct screen *cur = ui_nav_current(ui);
	bool resident = !ui->operator_id[0] && cur && !(cur->flags & UI_SCREEN_OPERATOR);
	if (resident && cur->problems && cur->problems(ui)) {
		int bw = ui->elderly ? 300 : 260, bh = r.h - 56 < 140 ? r.h - 56 : 140;
		SDL_Rect pb = {in.x + in.w - ui_text_px(ui, 64) * 3 - bw, r.y + (r.h - bh) / 2, bw, bh};
		ui_button(ui, "status.problem", pb, "status.problem", UI_C_ALERT);
		tw = pb.x - in.x - 24;
	}
	for (ui_text_size(ui, ui_tr(ui, "app.title"), px, true, &w, &h); w > tw && px > 44;
	     ui_text_size(ui, ui_tr(ui, "app.title"), px, true, &w, &h))
		px -= 4;
	h = ui_text(ui, ui_tr(ui, "app.title"), px, UI_C_WHITE, true, in.x, in.y, UI_ALIGN_LEFT);
	ui_text(ui, ui_tr_other(ui, "app.title"), ui_text_px(ui, 32), UI_C_WHITE, false, in.x,
		in.y + h, UI_ALIGN_LEFT);

	time_t now = (time_t)(ui_now_ms(ui) / 1000);
	struct tm tm;
	localtime_r(&now, &tm);
	char clock[16], date[64], wk[8];
	snprintf(clock, sizeof clock, "%02d:%02d", tm.tm_hour, tm.tm_min);
	snprintf(wk, sizeof wk, "week.%d", tm.tm_wday);
	if (ui->lang == UI_ZH)
		snprintf(date, sizeof date, "%d月%d日 %s", tm.tm_mon + 1, tm.tm_mday, ui_tr(ui, wk));
	else
		strftime(date, sizeof date, "%a %d %b", &tm);
	int x = in.x + in.w;
	h = ui_text(ui, clock, ui_text_px(ui, 64), UI_C_WHITE, true, x, in.y, UI_ALIGN_RIGHT);
	ui_text(ui, date, ui_text_px(ui, 30), UI_C_WHITE, false, x, in.y + h, UI_ALIGN_RIGHT);
}

static const char *instruction(const struct ui *ui);

/* The status bar: the platform link for everyone — residents only whether it is up and
 * that parcels and help work either way; operators the link and the queue — and device
 * faults for operators. */
static void draw_status(struct ui *ui, SDL_Rect r)
{
	ui_fill(ui, r, (SDL_Color){0x23, 0x3A, 0x38, 0xFF});
	SDL_Rect in = ui_inset(r, 6);
	in.x += 32;
	in.w -= 64;
	char line[256];
	const struct screen *cur = ui_nav_current(ui);
	bool online = ui->snap.net == KIOSK_NET_ONLINE;
	if (ui->operator_id[0] || (cur && (cur->flags & UI_SCREEN_OPERATOR))) {
		char queued[48] = "";
		if (ui->snap.net != KIOSK_NET_NONE && ui->snap.outbox_unsent > 0)
			snprintf(queued, sizeof queued, " · %s %lld", ui_tr(ui, "sync.depth"),
				 (long long)ui->snap.outbox_unsent);
		snprintf(line, sizeof line, "%s%s%s%s", ui_tr(ui, "status.network"),
			 ui_tr(ui, "punct.colon"),
			 ui_tr(ui, ui->snap.net == KIOSK_NET_NONE ? "net.none"
				   : online		       ? "net.online"
				   : ui->snap.net_connecting   ? "net.connecting"
							       : "net.offline"),
			 queued);
	} else {
		snprintf(line, sizeof line, "%s",
			 ui_tr(ui, online		    ? "net.online_resident"
				   : ui->snap.net_connecting ? "net.connecting"
							     : "net.offline_resident"));
	}
	/* A full disk before anything else: what is true now, and whom to call */
	if (ui->snap.disk_full)
		snprintf(line, sizeof line, "%s", ui_tr(ui, "err.disk_full"));
	int px = ui_text_px(ui, 28);
	/* room for the speaker and the language buttons on the right */
	bool resident = !ui->operator_id[0] && cur && !(cur->flags & UI_SCREEN_OPERATOR);
	int reserved = (resident && ui->speech && instruction(ui) ? 212 : 0) +
		       (resident && ui->depth > 1 ? 280 : 0);
	SDL_Rect left = {in.x, in.y, reserved ? in.w - reserved : in.w * 2 / 3, px + 12};
	if (ui->snap.disk_full) /* said in the alert colour, on a white band */
		ui_fill_round(ui, ui_inset(left, -4), 8, UI_C_WHITE);
	ui_label(ui, line, px, ui->snap.disk_full ? UI_C_ALERT : UI_C_WHITE, ui->snap.disk_full,
		 left, false); /* one line, "…" if long */
	const struct screen *s = ui_nav_current(ui);
	if (!ui->operator_id[0] && instruction(ui) && ui->speech) {
		/* The speaker: the screen's instruction read aloud, in any mode. */
		int right = ui->depth > 1 ? 264 + 16 : 0;
		SDL_Rect b = {r.x + r.w - right - 204, r.y + 4, 180, r.h - 8};
		ui_button_text(ui, "status.speak", b, ui_tr(ui, "status.speak"), UI_C_PANEL,
			       UI_C_INK, UI_ROLE_BUTTON);
	}
	if (!ui->operator_id[0] && s && !(s->flags & UI_SCREEN_OPERATOR) && ui->depth > 1) {
		/* The language can change at any moment, from every resident screen (home
		 * has its own, larger switch). */
		SDL_Rect b = {r.x + r.w - 264, r.y + 4, 240, r.h - 8};
		ui_button_text(ui, "status.lang", b, ui_tr(ui, "home.lang"), UI_C_PANEL, UI_C_INK,
			       UI_ROLE_BUTTON);
		return;
	}
	if (!ui->operator_id[0])
		return;
	int faults = 0;
	for (int d = 0; d < KIOSK_DEV_COUNT; d++)
		faults += ui->snap.dev[d] == KIOSK_DEVSTATE_FAULT;
	snprintf(line, sizeof line, "%s%s%d", ui_tr(ui, "status.faults"), ui_tr(ui, "punct.colon"),
		 faults);
	ui_text(ui, line, px, UI_C_WHITE, true, in.x + in.w, in.y, UI_ALIGN_RIGHT);
}

static void draw_dialog(struct ui *ui)
{
	struct ui_dialog *d = &ui->dialog;
	/* Dim what is behind; from here on only the dialog takes taps. */
	SDL_SetRenderDrawColor(ui->ren, 0, 0, 0, 0x99);
	SDL_Rect all = {0, 0, ui->w, ui->h};
	SDL_RenderFillRect(ui->ren, &all);
	ui->modal_from = ui->nwidgets;
	ui->texts_from = ui->ntexts;
	/* The idle countdown shows a large ring of the seconds left: seen from a step away,
	 * and read without reading (长辈模式 gets it larger). */
	bool ring = ui->countdown_until && strcmp(d->title_key, "idle.title") == 0;
	int w = ui->w - 160, h = ring ? (ui->elderly ? 1240 : 1040) : ui->elderly ? 760 : 640;
	if (h > ui->h - 80)
		h = ui->h - 80;
	SDL_Rect box = {(ui->w - w) / 2, (ui->h - h) / 2, w, h};
	ui_fill_round(ui, box, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(box, 48);
	SDL_Rect t = ui_take_top(&in, ui_text_px(ui, 52) + 12, 24);
	ui_text_fit(ui, ui_tr(ui, d->title_key), ui_text_px(ui, 52), 40, UI_C_INK, true, t);
	SDL_Rect btns = ui_take_bottom(&in, ui_control_h(ui), 24);
	if (ring) {
		int64_t left = ui->countdown_until - ui_now_ms(ui);
		int bp = ui_text_px(ui, 38);
		struct ui_item it[] = {{ui_label_height(ui, d->body, bp, false, in.w), 0},
				       {200, ui->elderly ? 560 : 440}};
		SDL_Rect r[2];
		ui_column(in, 24, it, 2, r);
		ui_label(ui, d->body, bp, UI_C_INK, false, r[0], true);
		ui_ring(ui, r[1],
			(double)left / (ui->elderly ? COUNTDOWN_ELDERLY_MS : COUNTDOWN_MS),
			(int)((left + 999) / 1000));
	} else if (strlen(d->body) <= 16) { /* something to check (a phone number): large */
		ui_label(ui, d->body, ui_text_px(ui, 72), UI_C_INK, true, ui_take_top(&in, in.h / 2, 0),
			 true);
	} else {
		ui_label(ui, d->body, ui_text_px(ui, 38), UI_C_INK, false, in, true);
	}
	int n = d->btn_id[1][0] ? 2 : 1;
	for (int i = 0; i < n; i++)
		ui_button(ui, d->btn_id[i], ui_grid_cell(btns, n, 1, 24, i), d->btn_key[i],
			  i == 0 ? UI_C_HEADER : UI_C_MUTED);
}

static void draw_toast(struct ui *ui)
{
	int px = ui_text_px(ui, 36), w = 0, h = 0;
	ui_text_size(ui, ui->toast, px, true, &w, &h);
	if (w > ui->w - 200)
		w = ui->w - 200;
	SDL_Rect r = {(ui->w - w) / 2 - 40, ui->h - 40 - h - 48, w + 80, h + 48};
	/* Above the controls, never over them (it once hid 长辈模式 for 4 s): moved up past
	 * every control it would cover, from the bottom bar upwards. */
	for (int pass = 0; pass < 16; pass++) {
		bool moved = false;
		for (int i = ui->modal_from; i < ui->nwidgets; i++) {
			if (SDL_HasIntersection(&r, &ui->widgets[i].r)) {
				r.y = ui->widgets[i].r.y - r.h - 16;
				moved = true;
			}
		}
		if (!moved || r.y < 0)
			break;
	}
	/* What the toast covers is not readable for now: the a11y report leaves it out. */
	for (int i = 0; i < ui->ntexts; i++) {
		SDL_Point c = {ui->textrecs[i].r.x + ui->textrecs[i].r.w / 2,
			       ui->textrecs[i].r.y + ui->textrecs[i].r.h / 2};
		if (SDL_PointInRect(&c, &r))
			ui->textrecs[i].hidden = true;
	}
	ui_fill_round(ui, r, 24, (SDL_Color){0x1B, 0x1F, 0x24, 0xFF});
	ui_text_fit(ui, ui->toast, px, 28, UI_C_WHITE, true, ui_inset(r, 12));
}

void ui_app_frame(struct ui *ui)
{
	ui->seen_len = 0;
	ui->seen[0] = '\0';
	ui_textcache_frame(ui->texts, ui_now_ms(ui));
	SDL_SetRenderDrawColor(ui->ren, UI_C_BG.r, UI_C_BG.g, UI_C_BG.b, 0xFF);
	SDL_RenderClear(ui->ren);
	ui_widgets_begin(ui);
	ui->animating = ui->hurry = ui->waiting = false;
	SDL_Rect area = {0, 0, ui->w, ui->h};
	draw_header(ui, ui_take_top(&area, ui->elderly ? 260 : 220, 0));
	draw_status(ui, ui_take_top(&area, ui->elderly ? 80 : 64, 0));
	const struct screen *s = ui_nav_current(ui);
	ui->content_y = area.y;
	if (s)
		s->draw(ui, area);
	if (ui->toast_until > ui_now_ms(ui))
		draw_toast(ui);
	if (ui->dialog.open)
		draw_dialog(ui);
	ui->dirty = false;
}

/* Can this session time out now, and after how long (*idle_s)? Only a session that
 * differs from a fresh home screen can; not while a door of this session is opening or
 * open (the core says so: the person is at the bank, busy, and the countdown must not
 * cover the door's instructions), nor while the screen has an operation in progress. */
static bool idle_applies(const struct ui *ui, const struct screen *s, int *idle_s)
{
	bool session = ui->depth > 1 || ui->elderly || ui->operator_id[0] ||
		       ui->lang != (strcmp(ui->cfg->ui_lang, "en") == 0 ? UI_EN : UI_ZH);
	/* the operator's setting (the core's, from the platform), the file's before the
	 * first snapshot */
	int base = ui->snap.settings.idle_timeout_s ? ui->snap.settings.idle_timeout_s
						    : ui->cfg->ui_idle_timeout_s;
	*idle_s = s->idle_s ? s->idle_s : base;
	if (ui->elderly && !(s->flags & UI_SCREEN_OPERATOR))
		*idle_s *= 3; /* 长辈模式: time to read, and to find the glasses */
	bool busy = ui->snap.session.door_busy || (s->busy && s->busy(ui));
	return session && !(s->flags & UI_SCREEN_NO_IDLE) && !busy;
}

int64_t ui_app_next_deadline(const struct ui *ui)
{
	int64_t best = -1, t[4] = {0};
	const struct screen *s = ui_nav_current(ui);
	int idle_s = 0;
	if (ui->countdown_until)
		t[0] = ui->countdown_until;
	else if (s && idle_applies(ui, s, &idle_s))
		t[0] = ui->last_input_ms + (int64_t)idle_s * 1000;
	t[1] = ui->toast_until;
	t[2] = ui->hold_since ? ui->hold_since + HOLD_MS : 0;
	for (int i = 0; i < 3; i++)
		if (t[i] > 0 && (best < 0 || t[i] < best))
			best = t[i];
	return best;
}

/* A restart the platform asked for (reboot) happens when nobody is at the kiosk: at
 * home, no dialog, no operator, untouched for half a minute (someone just back home may
 * be about to tap). The service manager starts the kiosk again. */
#define RESTART_CALM_MS 30000
static void remote_restart(struct ui *ui)
{
	if (!ui->snap.restart_requested || ui->depth > 1 || ui->dialog.open || ui->operator_id[0] ||
	    ui->quit || ui_now_ms(ui) - ui->last_touch_ms < RESTART_CALM_MS)
		return;
	KLOG_INFO("ui", "event=remote_restart");
	ui->exit_code = 0;
	ui->quit = true;
}

/* Time-driven UI state: the idle countdown, the maintenance corner, toasts, and the
 * current screen's own tick (picking up core results). Called every loop turn. */
/* The current resident screen's spoken instruction key, or NULL. */
static const char *instruction(const struct ui *ui)
{
	const struct screen *s = ui_nav_current(ui);
	return s && s->speech && !(s->flags & UI_SCREEN_OPERATOR) ? s->speech(ui) : NULL;
}

/* 长辈模式 speaks each new instruction: on entering a screen and at each new step. */
static void guide(struct ui *ui)
{
	if (!ui->elderly) {
		ui->spoken_key = NULL;
		return;
	}
	const char *key = instruction(ui);
	if (key && key != ui->spoken_key)
		ui_speech_say(ui, ui_tr(ui, key));
	ui->spoken_key = key;
}

void ui_app_tick(struct ui *ui)
{
	guide(ui);
	remote_restart(ui);
	int64_t now = ui_now_ms(ui);
	const struct screen *s = ui_nav_current(ui);
	if (ui->hold_since && now - ui->hold_since >= HOLD_MS) {
		ui->hold_since = 0;
		ui->pressed[0] = '\0';
		if (!(s->flags & UI_SCREEN_OPERATOR)) {
			KLOG_INFO("ui", "event=maintenance_entry");
			ui_nav_push(ui, &ui_screen_maint_login, NULL);
			s = ui_nav_current(ui);
		}
	}
	if (ui->toast_until && now >= ui->toast_until) {
		ui->toast_until = 0;
		ui_dirty(ui);
	}
	/* A minute untouched: give back the heap pages the busy time freed, so they do not
	 * stay resident through a quiet night. Once per quiet spell; nobody waits on it. */
	if (now - ui->last_touch_ms >= GIVE_BACK_MS && ui->gave_back_ms <= ui->last_touch_ms) {
		int64_t t0 = kiosk_mono_us();
		kiosk_alloc_give_back();
		ui->gave_back_ms = now;
		KLOG_DEBUG("ui", "event=heap_given_back us=%lld", (long long)(kiosk_mono_us() - t0));
	}
	int idle_s = 0;
	if (!idle_applies(ui, s, &idle_s)) {
		if (ui->countdown_until && ui->dialog.open &&
		    strcmp(ui->dialog.title_key, "idle.title") == 0)
			ui_dialog_close(ui);
		ui->countdown_until = 0;
		ui->last_input_ms = now; /* the minute starts again when the operation ends */
	} else if (ui->countdown_until) {
		if (now >= ui->countdown_until) {
			KLOG_INFO("ui", "event=idle_timeout screen=%s", s->name);
			ui_nav_home(ui, true);
		} else {
			char body[160];
			snprintf(body, sizeof body, "%s %d %s", ui_tr(ui, "idle.body_a"),
				 (int)((ui->countdown_until - now + 999) / 1000),
				 ui_tr(ui, "idle.body_b"));
			if (strcmp(body, ui->dialog.body) != 0) {
				snprintf(ui->dialog.body, sizeof ui->dialog.body, "%s", body);
				ui_dirty(ui);
			}
		}
	} else if (now - ui->last_input_ms >= (int64_t)idle_s * 1000) {
		ui->countdown_until = now + (ui->elderly ? COUNTDOWN_ELDERLY_MS : COUNTDOWN_MS);
		ui_dialog_open(ui, "idle.title", "", "idle.continue", "idle.continue", NULL, NULL);
		ui_app_tick(ui); /* fills in the seconds */
		return;
	}
	ui_scroll_tick(ui);
	ui_scan_tick(ui);
	if (s->tick)
		s->tick(ui);
}

static void dispatch_tap(struct ui *ui, const char *id)
{
	/* Keypad keys are not logged by name: they may be spelling a PIN or a pickup code. */
	KLOG_INFO("ui", "event=tap id=%s", strncmp(id, "key.", 4) == 0 ? "key" : id);
	struct ui_event ev = {UI_EV_TAP, id};
	if (strcmp(id, "idle.continue") == 0) {
		ui->countdown_until = 0;
		ui_dialog_close(ui);
		return;
	}
	if (ui->dialog.open && strcmp(id, "dialog.cancel") == 0) {
		ui_dialog_close(ui);
		return;
	}
	if (ui->dialog.open)
		ui_dialog_close(ui); /* any other dialog button: the screen acts on it */
	if (strcmp(id, "status.lang") == 0) {
		ui->lang = ui->lang == UI_ZH ? UI_EN : UI_ZH;
		ui->spoken_key = NULL; /* said again, in the new language */
		ui_dirty(ui);
		return;
	}
	if (strcmp(id, "status.problem") == 0) {
		const struct screen *cur = ui_nav_current(ui);
		ui->problems = cur && cur->problems ? cur->problems(ui) : NULL;
		if (ui->problems) {
			snprintf(ui->problem_where, sizeof ui->problem_where, "%s", cur->name);
			ui_nav_cover(ui, &ui_screen_help, cur->name);
		}
		return;
	}
	if (strcmp(id, "status.speak") == 0) {
		const struct screen *cur = ui_nav_current(ui);
		char words[1536];
		if (cur && cur->say && !(cur->flags & UI_SCREEN_OPERATOR) &&
		    cur->say(ui, words, sizeof words)) {
			ui_speech_say(ui, words);
			return;
		}
		const char *key = instruction(ui);
		if (key)
			ui_speech_say(ui, ui_tr(ui, key));
		return;
	}
	const struct screen *s = ui_nav_current(ui);
	if (s && s->event && s->event(ui, &ev))
		return;
	if (strcmp(id, "nav.back") == 0)
		ui_nav_back(ui);
}

void ui_app_back_key(struct ui *ui)
{
	/* Not away from a door operation in progress (the same rule as the idle countdown);
	 * the operator's corner hold still gets in. */
	const struct screen *cur = ui_nav_current(ui);
	if (cur && cur->busy && cur->busy(ui))
		return;
	ui->last_input_ms = ui->last_touch_ms = ui_now_ms(ui);
	ui_nav_back(ui);
}

/* A drag on a panning area (the map): past a finger's wobble it pans, and the press is no
 * longer a tap on what is under it. */
static int pan_motion(struct ui *ui, int x, int y)
{
	if (!ui->pan.active || !ui->pan.dragging)
		return 0;
	ui->pan.dx += x - ui->pan.last_x;
	ui->pan.dy += y - ui->pan.last_y;
	ui->pan.moved += abs(x - ui->pan.last_x) + abs(y - ui->pan.last_y);
	ui->pan.last_x = x;
	ui->pan.last_y = y;
	if (ui->pan.moved > 12)
		ui->pressed[0] = '\0';
	ui_dirty(ui);
	return 1;
}

/* A finger on the handwriting pad: its strokes, point by point. */
static int sketch_pointer(struct ui *ui, bool down, bool move, int x, int y)
{
	SDL_Point p = {x, y};
	SDL_Rect a = ui->sketch.area;
	if (move) {
		if (!ui->sketch.drawing)
			return 0;
		ui_hw_point(ui->hw, false, x - a.x, y - a.y, a.w);
		ui_dirty(ui);
		return 1;
	}
	if (down && ui->sketch.active && ui->hw && !ui->dialog.open && SDL_PointInRect(&p, &a)) {
		ui->sketch.drawing = true;
		ui_hw_point(ui->hw, true, x - a.x, y - a.y, a.w);
		ui_dirty(ui);
		return 1;
	}
	if (!down && ui->sketch.drawing) {
		ui->sketch.drawing = false;
		ui->sketch.strokes++;
		ui_dirty(ui);
		return 1;
	}
	return 0;
}

void ui_app_motion(struct ui *ui, int x, int y)
{
	ui->last_input_ms = ui->last_touch_ms = ui_now_ms(ui);
	if (sketch_pointer(ui, false, true, x, y))
		return;
	if (ui_scroll_motion(ui, x, y) | pan_motion(ui, x, y))
		ui->hold_since = 0; /* a moving finger is not holding the corner */
}

void ui_app_pointer(struct ui *ui, bool down, int x, int y)
{
	const char *hit = ui_widget_at(ui, x, y);
	ui->last_input_ms = ui->last_touch_ms = ui_now_ms(ui);
	if (sketch_pointer(ui, down, false, x, y))
		return;
	if (!ui->dialog.open)
		ui_scroll_pointer(ui, down, x, y);
	SDL_Point p = {x, y};
	if (down && ui->pan.active && !ui->dialog.open && SDL_PointInRect(&p, &ui->pan.view)) {
		ui->pan.dragging = true;
		ui->pan.moved = 0;
		ui->pan.last_x = x;
		ui->pan.last_y = y;
	} else if (!down) {
		ui->pan.dragging = false;
	}
	if (down) {
		snprintf(ui->pressed, sizeof ui->pressed, "%s", hit ? hit : "");
		if (hit)
			ui_sound_click(ui);
		/* The maintenance corner: top-left, held, outside any widget. */
		ui->hold_since = !hit && x < CORNER && y < CORNER ? ui_now_ms(ui) : 0;
		ui_dirty(ui); /* pressed feedback on the next frame */
		return;
	}
	ui->hold_since = 0;
	char id[32];
	snprintf(id, sizeof id, "%s", ui->pressed);
	ui->pressed[0] = '\0';
	ui_dirty(ui);
	if (hit && id[0] && strcmp(hit, id) == 0)
		dispatch_tap(ui, id);
}

static void handle(struct ui *ui, struct kiosk_core *core, const SDL_Event *e)
{
	if (e->type == atomic_load(&core_event)) {
		if (e->user.code == KIOSK_NOTE_SNAPSHOT) {
			kiosk_core_snapshot(core, &ui->snap);
			ui_dirty(ui);
		} else if (e->user.code == KIOSK_NOTE_RESULT) {
			ui_app_tick(ui);
		} else if (e->user.code == WAKE) {
			ui_dirty(ui);
		}
		return;
	}
	switch (e->type) {
	case SDL_QUIT:
		ui->quit = true;
		break;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		/* Touch arrives here too: SDL turns fingers into mouse events in canvas
		 * coordinates (logical size), which is what widgets are laid out in. */
		ui_app_pointer(ui, e->type == SDL_MOUSEBUTTONDOWN, e->button.x, e->button.y);
		break;
	case SDL_MOUSEMOTION:
		if (e->motion.state & SDL_BUTTON_LMASK)
			ui_app_motion(ui, e->motion.x, e->motion.y);
		break;
	case SDL_MULTIGESTURE: /* two fingers: a pinch zooms the panning area */
		if (ui->pan.active && fabs(e->mgesture.dDist) > 0.002) {
			ui->pan.zoom += e->mgesture.dDist * 4;
			ui->pan.dragging = false; /* no pan while pinching */
			ui->last_input_ms = ui->last_touch_ms = ui_now_ms(ui);
			ui_dirty(ui);
		}
		break;
	case SDL_KEYDOWN:
		if (e->key.keysym.sym == SDLK_ESCAPE || e->key.keysym.sym == SDLK_AC_BACK)
			ui_app_back_key(ui);
		break;
	case SDL_WINDOWEVENT:
		ui_dirty(ui);
		break;
	default:
		break;
	}
}

void ui_app_pump(struct ui *ui, struct kiosk_core *core, int wait_ms)
{
	SDL_Event e;
	int64_t until = kiosk_mono_ms() + wait_ms;
	do {
		while (SDL_PollEvent(&e))
			handle(ui, core, &e);
		if (kiosk_mono_ms() >= until)
			break;
		SDL_Delay(2);
	} while (1);
}

/* SDL_WaitEventTimeout sleeps in the kernel only on drivers that can wait (X11, Wayland);
 * on the others (KMS/DRM on a bare panel, dummy) it polls every millisecond, which costs
 * a few percent of a core while the kiosk stands idle. There we poll at a gentler pace:
 * every 10 ms for two seconds after a touch (a tap is answered within a frame), then every
 * 30 ms. */
static int wait_event(struct ui *ui, SDL_Event *e, int timeout_ms)
{
	if (ui->driver_waits)
		return SDL_WaitEventTimeout(e, timeout_ms);
	int64_t until = kiosk_mono_ms() + timeout_ms;
	for (;;) {
		SDL_PumpEvents();
		if (SDL_PeepEvents(e, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0)
			return 1;
		int64_t left = until - kiosk_mono_ms();
		if (left <= 0)
			return 0;
		int pace = ui_now_ms(ui) - ui->last_input_ms < 2000 ? 10 : 30;
		SDL_Delay((Uint32)(left < pace ? left : pace));
	}
}

int ui_app_run(struct ui *ui, struct kiosk_core *core)
{
	const char *drv = SDL_GetCurrentVideoDriver();
	ui->driver_waits = drv && (strcmp(drv, "x11") == 0 || strcmp(drv, "wayland") == 0);
	ui->core = core;
	kiosk_core_send(core, KIOSK_CMD_HELLO);
	int64_t last_alive = 0;
	long shown_minute = -1;
	KLOG_INFO("ui", "event=ready");
	while (!ui->quit) {
		int64_t now = kiosk_now_ms();
		long minute = (long)(now / 60000);
		if (minute != shown_minute) {
			shown_minute = minute;
			ui_dirty(ui);
		}
		ui_app_tick(ui);
		if (ui->dirty || ui->animating || ui->hurry) {
			ui_app_frame(ui);
			SDL_RenderPresent(ui->ren);
			if (!ui->frames++)
				KLOG_INFO("ui", "event=first_frame since_start_ms=%lld",
					  (long long)(kiosk_mono_ms() - ui->started_mono));
		}
		/* home or the login quiet: the next screens drawn ahead, one a turn (warm.c) */
		bool warming = ui_warm_step(ui, ui_now_ms(ui));
		bool fonts_held = ui_fonts_tick(ui->fonts, kiosk_mono_ms());
		/* at rest too, with no frame drawn: textures not drawn for a while go (the next
		 * frame paints them again from the texts' coverage, in microseconds) */
		ui_textcache_frame(ui->texts, ui_now_ms(ui));
		int64_t mono = kiosk_mono_ms();
		if (mono - last_alive >= ALIVE_EVERY_MS) {
			kiosk_core_send(core, KIOSK_CMD_UI_ALIVE);
			last_alive = mono;
		}
		/* Sleep until an event, the next minute (clock), or the next heartbeat. */
		int64_t wait = 60000 - now % 60000;
		if (wait > ALIVE_EVERY_MS)
			wait = ALIVE_EVERY_MS;
		/* Something moves or counts down: wake often enough to show it. */
		if (ui->hurry)
			wait = 0; /* events first, then the rest of the frame */
		else if (ui->animating || ui->hold_since || ui->countdown_until || ui->toast_until ||
			 warming)
			wait = 100;
		else if (ui->depth > 1 || ui->elderly || ui->operator_id[0] || fonts_held)
			wait = wait > 1000 ? 1000 : wait; /* the idle timeout needs a clock */
		else if (ui_textcache_holds_textures(ui->texts) &&
			 wait > KIOSK_CACHE_TEXTURE_IDLE_MS + 500)
			wait = KIOSK_CACHE_TEXTURE_IDLE_MS + 500; /* once more, to let them go */
		SDL_Event e;
		if (wait_event(ui, &e, (int)wait)) {
			handle(ui, core, &e);
			while (SDL_PollEvent(&e))
				handle(ui, core, &e);
		}
	}
	KLOG_INFO("ui", "event=quit exit_code=%d", ui->exit_code);
	return ui->exit_code;
}

int ui_app_wait_snapshot(struct ui *ui, struct kiosk_core *core, int wait_ms)
{
	ui->core = core;
	kiosk_core_send(core, KIOSK_CMD_HELLO);
	int64_t until = kiosk_mono_ms() + wait_ms;
	while (ui->snap.version == 0 && kiosk_mono_ms() < until) {
		SDL_Event e;
		if (SDL_WaitEventTimeout(&e, 50))
			handle(ui, core, &e);
	}
	return ui->snap.version ? KIOSK_OK : KIOSK_ETIMEDOUT;
}

int ui_app_save_png(struct ui *ui, const char *png)
{
	int w, h;
	SDL_GetRendererOutputSize(ui->ren, &w, &h);
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return KIOSK_ENOMEM;
	int rc = KIOSK_OK;
	if (SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) ||
	    IMG_SavePNG(s, png)) {
		KLOG_ERROR("ui", "event=screenshot_failed file=%s err=\"%s\"", png, SDL_GetError());
		rc = KIOSK_EIO;
	} else {
		KLOG_INFO("ui", "event=screenshot file=%s size=%dx%d", png, w, h);
	}
	SDL_FreeSurface(s);
	return rc;
}

int ui_app_screenshot(struct ui *ui, struct kiosk_core *core, int wait_ms, const char *png)
{
	ui_app_wait_snapshot(ui, core, wait_ms);
	ui_app_frame(ui);
	/* the whole of what it draws in parts, and of what it fetches (bounded) */
	for (int i = 0; i < 400 && (ui->hurry || ui->waiting); i++) {
		if (ui->waiting)
			ui_app_pump(ui, core, 10);
		ui_app_frame(ui);
	}
	int rc = ui_app_save_png(ui, png);
	SDL_RenderPresent(ui->ren);
	return rc;
}

void ui_app_close(struct ui *ui)
{
	if (!ui)
		return;
	ui_speech_close(ui);
	ui_sound_close(ui);
	ui_hw_close(ui->hw);
	ui_images_free(ui);
	ui_textcache_free(ui->texts);
	ui_fonts_free(ui->fonts);
	if (TTF_WasInit())
		TTF_Quit();
	if (ui->ren)
		SDL_DestroyRenderer(ui->ren);
	if (ui->win)
		SDL_DestroyWindow(ui->win);
	SDL_Quit();
	FcFini(); /* fontconfig's caches would otherwise show as leaks at exit */
	ui_strings_free();
	kiosk_free(ui);
}
