#include "screens/strings.h"
#include "screens/ui/po.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

/* Loaded once at start-up on the UI thread, read-only afterwards. */
static struct ui_catalog *cat[2];

int ui_strings_load(const char *assets_dir)
{
	static const char *const files[2] = {"zh.po", "en.po"};
	int rc = KIOSK_OK;
	for (int i = 0; i < 2; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/i18n/%s", assets_dir, files[i]);
		int r = ui_catalog_load(path, &cat[i]);
		if (r) {
			/* The kiosk still runs: every string shows its key, visibly wrong. */
			KLOG_ERROR("i18n", "event=catalog_missing file=%s err=%s", path,
				   kiosk_errname(r));
			rc = r;
		} else {
			KLOG_INFO("i18n", "event=catalog file=%s entries=%d", path,
				  ui_catalog_count(cat[i]));
		}
	}
	return rc;
}

void ui_strings_free(void)
{
	for (int i = 0; i < 2; i++) {
		ui_catalog_free(cat[i]);
		cat[i] = NULL;
	}
}

const char *ui_tr_lang(enum ui_lang lang, const char *key)
{
	const char *s = ui_catalog_get(cat[lang == UI_EN], key);
	if (s)
		return s;
	/* Shown as the key itself; logged once per key, not once per frame. */
	static const char *logged[32];
	static int nlogged;
	for (int i = 0; i < nlogged; i++)
		if (logged[i] == key || strcmp(logged[i], key) == 0)
			return key;
	if (nlogged < 32)
		logged[nlogged++] = key;
	KLOG_WARN("i18n", "event=missing_string key=%s lang=%s", key, lang == UI_EN ? "en" : "zh");
	return key;
}

const char *ui_tr(const struct ui *ui, const char *key)
{
	/* 长辈模式 uses plainer words where the catalogue has them ("<key>.elderly"). */
	if (ui->elderly) {
		char k[96];
		snprintf(k, sizeof k, "%s.elderly", key);
		const char *s = ui_catalog_get(cat[ui->lang == UI_EN], k);
		if (s)
			return s;
	}
	return ui_tr_lang(ui->lang, key);
}

const char *ui_tr_other(const struct ui *ui, const char *key)
{
	return ui_tr_lang(ui->lang == UI_EN ? UI_ZH : UI_EN, key);
}

const char *ui_tr_or(const struct ui *ui, const char *key, const char *fallback)
{
	const char *s = ui_catalog_get(cat[ui->lang == UI_EN], key);
	return s ? s : fallback;
}

void ui_tr_with(const struct ui *ui, const char *key, const char *value, char *out, size_t len)
{
	const char *t = ui_tr(ui, key), *at = strstr(t, "{}");
	if (at)
		snprintf(out, len, "%.*s%s%s", (int)(at - t), t, value, at + 2);
	else
		snprintf(out, len, "%s", t);
}
