#include "screens/strings.h"
#include "hal/log.h"

#include <string.h>

static const struct {
	const char *key, *zh, *en;
} tab[] = {
	{"app.title", "一刻钟便民亭", "Quarter-Hour Kiosk"},
	{"app.tagline", "15分钟便民生活圈", "Your 15-minute neighbourhood"},
	{"home.shop", "购物", "Shop"},
	{"home.pickup", "取件", "Pick up"},
	{"home.send", "寄件", "Send"},
	{"home.map", "便民地图", "Repair map"},
	{"home.directory", "服务指南", "Services"},
	{"home.help", "一键呼叫", "Help"},
	{"home.elderly", "长辈模式", "Elderly mode"},
	{"home.lang", "English", "中文"}, /* names the language it switches to */
	{"home.touch", "请点击您需要的服务", "Tap the service you need"},
	{"nav.back", "返回", "Back"},
	{"soon.title", "即将推出", "Coming soon"},
	{"soon.body", "这部分还在建设中，暂时不能使用。", "This part of the kiosk is not built yet."},
	{"soon.next", "请点击“返回”回到首页。", "Tap \"Back\" to return to the home screen."},
	{"status.devices", "设备", "Devices"},
	{"dev.simulated", "模拟", "simulated"},
	{"dev.absent", "未安装", "not fitted"},
	{"dev.not_built", "驱动未完成", "driver not built"},
	{"dev.ok", "正常", "ok"},
	{"dev.fault", "故障", "fault"},
	{"dev.starting", "启动中", "starting"},
	{"week.0", "周日", "Sun"},
	{"week.1", "周一", "Mon"},
	{"week.2", "周二", "Tue"},
	{"week.3", "周三", "Wed"},
	{"week.4", "周四", "Thu"},
	{"week.5", "周五", "Fri"},
	{"week.6", "周六", "Sat"},
};

const char *ui_tr_lang(enum ui_lang lang, const char *key)
{
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(tab[i].key, key) == 0)
			return lang == UI_EN ? tab[i].en : tab[i].zh;
	/* Shown as the key itself; logged once per key, not once per frame. */
	static const char *logged[32];
	static int nlogged;
	for (int i = 0; i < nlogged; i++)
		if (logged[i] == key || strcmp(logged[i], key) == 0)
			return key;
	if (nlogged < 32)
		logged[nlogged++] = key;
	KLOG_WARN("i18n", "event=missing_string key=%s", key);
	return key;
}

const char *ui_tr(const struct ui *ui, const char *key)
{
	return ui_tr_lang(ui->lang, key);
}

const char *ui_tr_other(const struct ui *ui, const char *key)
{
	return ui_tr_lang(ui->lang == UI_EN ? UI_ZH : UI_EN, key);
}

const char *ui_strings_key(int i)
{
	return i >= 0 && (size_t)i < sizeof tab / sizeof tab[0] ? tab[i].key : NULL;
}
