#include "screens/app.h"
#include "screens/draw.h"
#include "screens/font.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/textcache.h"
#include "screens/widget.h"
#include "hal/alloc.h"
#include "hal/clock.h"
#include "hal/error.h"
#include "hal/log.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TEXT_CACHE_BYTES (48u << 20)
#define ALIVE_EVERY_MS 5000

static atomic_uint core_event; /* SDL user event type for core notes; 0 = not registered */

int64_t ui_now_ms(const struct ui *ui)
{
	return kiosk_now_ms() + ui->clock_offset_ms;
}

int ui_text_px(const struct ui *ui, int px)
{
	return ui->elderly ? px * 14 / 10 : px;
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
	return ui_textcache_new(ui->ren, ui->fonts, TEXT_CACHE_BYTES, &ui->texts);
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

int ui_app_open(const struct ui_app_opts *o, struct ui **out)
{
	*out = NULL;
	struct ui *ui = kiosk_calloc(1, sizeof *ui);
	if (!ui)
		return KIOSK_ENOMEM;
	ui->cfg = o->cfg;
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
	ui_nav_home(ui, true);
	*out = ui;
	return KIOSK_OK;
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
	int h = ui_text(ui, ui_tr(ui, "app.title"), ui_text_px(ui, 64), UI_C_WHITE, true, in.x,
			in.y, UI_ALIGN_LEFT);
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

void ui_app_frame(struct ui *ui)
{
	ui->seen_len = 0;
	ui->seen[0] = '\0';
	SDL_SetRenderDrawColor(ui->ren, UI_C_BG.r, UI_C_BG.g, UI_C_BG.b, 0xFF);
	SDL_RenderClear(ui->ren);
	ui_widgets_begin(ui);
	SDL_Rect area = {0, 0, ui->w, ui->h};
	draw_header(ui, ui_take_top(&area, ui->elderly ? 260 : 220, 0));
	const struct screen *s = ui_nav_current(ui);
	if (s)
		s->draw(ui, area);
	ui->dirty = false;
}

static void dispatch_tap(struct ui *ui, const char *id)
{
	KLOG_INFO("ui", "event=tap id=%s", id);
	struct ui_event ev = {UI_EV_TAP, id};
	const struct screen *s = ui_nav_current(ui);
	if (s && s->event && s->event(ui, &ev))
		return;
	if (strcmp(id, "nav.back") == 0)
		ui_nav_back(ui);
}

void ui_app_pointer(struct ui *ui, bool down, int x, int y)
{
	const char *hit = ui_widget_at(ui, x, y);
	if (down) {
		snprintf(ui->pressed, sizeof ui->pressed, "%s", hit ? hit : "");
		ui_dirty(ui); /* pressed feedback on the next frame */
		return;
	}
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
	case SDL_KEYDOWN:
		if (e->key.keysym.sym == SDLK_ESCAPE || e->key.keysym.sym == SDLK_AC_BACK)
			ui_nav_back(ui);
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

int ui_app_run(struct ui *ui, struct kiosk_core *core)
{
	kiosk_core_send(core, KIOSK_CMD_HELLO, 0);
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
		if (ui->dirty) {
			ui_app_frame(ui);
			SDL_RenderPresent(ui->ren);
		}
		int64_t mono = kiosk_mono_ms();
		if (mono - last_alive >= ALIVE_EVERY_MS) {
			kiosk_core_send(core, KIOSK_CMD_UI_ALIVE, 0);
			last_alive = mono;
		}
		/* Sleep until an event, the next minute (clock), or the next heartbeat. */
		int64_t wait = 60000 - now % 60000;
		if (wait > ALIVE_EVERY_MS)
			wait = ALIVE_EVERY_MS;
		SDL_Event e;
		if (SDL_WaitEventTimeout(&e, (int)wait)) {
			handle(ui, core, &e);
			while (SDL_PollEvent(&e))
				handle(ui, core, &e);
		}
	}
	KLOG_INFO("ui", "event=quit");
	return KIOSK_OK;
}

int ui_app_wait_snapshot(struct ui *ui, struct kiosk_core *core, int wait_ms)
{
	kiosk_core_send(core, KIOSK_CMD_HELLO, 0);
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
	int rc = ui_app_save_png(ui, png);
	SDL_RenderPresent(ui->ren);
	return rc;
}

void ui_app_close(struct ui *ui)
{
	if (!ui)
		return;
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
