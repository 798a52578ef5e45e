#include "screens/screen.h"
#include "screens/meal.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

const struct screen *const ui_screens[] = {
	&ui_screen_home,     &ui_screen_placeholder,   &ui_screen_help,
	&ui_screen_service,  &ui_screen_rating,        &ui_screen_maint_login,
	&ui_screen_maint_menu, &ui_screen_maint_logs, &ui_screen_maint_sync, &ui_screen_pickup,
	&ui_screen_courier,    &ui_screen_maint_lockers, &ui_screen_send, &ui_screen_shop, &ui_screen_maint_stock, &ui_screen_maint_devices, &ui_screen_directory,
	&ui_screen_map,        &ui_screen_more,          &ui_screen_maint_coverage, &ui_screen_meal, &ui_screen_meal_staff, NULL,
};

const struct screen *ui_screen_find(const char *name)
{
	for (int i = 0; ui_screens[i]; i++)
		if (strcmp(ui_screens[i]->name, name) == 0)
			return ui_screens[i];
	return NULL;
}

const struct screen *ui_nav_current(const struct ui *ui)
{
	return ui->depth ? ui->stack[ui->depth - 1] : NULL;
}

/* Leaves the screen at level i, once. */
static void leave_at(struct ui *ui, int i)
{
	const struct screen *s = i >= 0 && i < ui->depth ? ui->stack[i] : NULL;
	if (s && ui->live[i] && s->leave)
		s->leave(ui);
	if (i >= 0 && i < UI_NAV_DEPTH)
		ui->live[i] = false;
}

static void leave_current(struct ui *ui)
{
	leave_at(ui, ui->depth - 1);
}

/* What a screen coming to the top (entered, or uncovered) starts with. */
static void fresh_top(struct ui *ui)
{
	ui->pressed[0] = '\0';
	ui->last_input_ms = ui_now_ms(ui);
	/* A note said on the screen before ("谢谢您的评价") is not carried over another
	 * screen's title: a screen that says one sets it after entering. */
	ui->toast[0] = '\0';
	ui->toast_until = 0;
	ui_dirty(ui);
}

static void enter_current(struct ui *ui)
{
	const struct screen *cur = ui_nav_current(ui);
	fresh_top(ui);
	if (ui->depth)
		ui->live[ui->depth - 1] = true;
	if (cur && cur->enter)
		cur->enter(ui);
	KLOG_INFO("ui", "event=screen name=%s", cur ? cur->name : "-");
}

static int push(struct ui *ui, const struct screen *s, const char *arg, bool cover)
{
	if (ui->depth == UI_NAV_DEPTH) {
		KLOG_ERROR("ui", "event=nav_full screen=%s", s->name);
		return KIOSK_ENOSPACE;
	}
	if (cover && ui->depth)
		snprintf(ui->live_arg[ui->depth - 1], sizeof ui->live_arg[0], "%s", ui->arg);
	else
		leave_current(ui);
	ui->stack[ui->depth++] = s;
	snprintf(ui->arg, sizeof ui->arg, "%s", arg ? arg : "");
	enter_current(ui);
	return KIOSK_OK;
}

int ui_nav_push(struct ui *ui, const struct screen *s, const char *arg)
{
	return push(ui, s, arg, false);
}

int ui_nav_cover(struct ui *ui, const struct screen *s, const char *arg)
{
	return push(ui, s, arg, true);
}

void ui_nav_back(struct ui *ui)
{
	if (ui->depth <= 1)
		return;
	leave_current(ui);
	ui->depth--;
	if (ui->live[ui->depth - 1]) { /* uncovered: as it was */
		snprintf(ui->arg, sizeof ui->arg, "%s", ui->live_arg[ui->depth - 1]);
		fresh_top(ui);
		KLOG_INFO("ui", "event=screen name=%s uncovered=1", ui->stack[ui->depth - 1]->name);
		return;
	}
	ui->arg[0] = '\0';
	enter_current(ui);
}

void ui_nav_home(struct ui *ui, bool wipe_session)
{
	for (int i = ui->depth - 1; i >= 0; i--) /* the top, and any screen it covered */
		leave_at(ui, i);
	ui->stack[0] = &ui_screen_home;
	ui->depth = 1;
	ui->arg[0] = '\0';
	if (wipe_session) {
		/* The core forgets what this person proved (code, courier, operator). */
		if (ui->core)
			kiosk_core_submit(ui->core,
					  &(const struct kiosk_cmd){.type = KIOSK_CMD_SESSION_END}, NULL);
		ui->lang = strcmp(ui->cfg->ui_lang, "en") == 0 ? UI_EN : UI_ZH;
		ui->elderly = false;
		ui->operator_id[0] = '\0';
		ui->dialog.open = false;
		ui->countdown_until = 0;
	}
	enter_current(ui);
}
