#include "kiosk/receipt.h"
#include "hal/printer/escpos.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* "2026-12-05 18:30" in the kiosk's local time. */
static void when(int64_t ms, int tz_offset_min, char out[32])
{
	time_t t = (time_t)(ms / 1000) + (time_t)tz_offset_min * 60;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

void kiosk_receipt_test_page(struct escpos *e, const char *device, int64_t now_ms,
			     int tz_offset_min)
{
	char t[32], line[96];
	when(now_ms, tz_offset_min, t);
	escpos_align(e, ESCPOS_CENTRE);
	escpos_size(e, 2, 2);
	escpos_bold(e, true);
	escpos_line(e, "一刻钟便民亭");
	escpos_size(e, 1, 1);
	escpos_bold(e, false);
	escpos_line(e, "打印测试 Printer test");
	escpos_feed(e, 1);
	escpos_align(e, ESCPOS_LEFT);
	escpos_line(e, "中文：你好，邻居！欢迎使用便民亭。");
	escpos_line(e, "English: Hello, neighbour!");
	escpos_bold(e, true);
	escpos_line(e, "粗体 Bold");
	escpos_bold(e, false);
	escpos_size(e, 2, 2);
	escpos_line(e, "大字 Large");
	escpos_size(e, 1, 1);
	snprintf(line, sizeof line, "设备 Device: %s", device);
	escpos_line(e, line);
	snprintf(line, sizeof line, "时间 Time: %s", t);
	escpos_line(e, line);
	escpos_align(e, ESCPOS_CENTRE);
	snprintf(line, sizeof line, "KIOSK-TEST %s", device);
	escpos_qr(e, line, strlen(line), 6);
	escpos_line(e, "扫码应显示 The code reads:");
	escpos_line(e, line);
	escpos_cut(e);
}

void kiosk_receipt_add(struct kiosk_receipt *r, const char *line)
{
	if (r->nlines < KIOSK_RECEIPT_LINES)
		snprintf(r->lines[r->nlines++], sizeof r->lines[0], "%s", line);
}

void kiosk_receipt_encode(struct escpos *e, const struct kiosk_receipt *r, const char *device,
			  int64_t now_ms, int tz_offset_min)
{
	char t[32], line[128];
	when(now_ms, tz_offset_min, t);
	escpos_align(e, ESCPOS_CENTRE);
	escpos_bold(e, true);
	escpos_line(e, "一刻钟便民亭 Quarter-Hour Kiosk");
	escpos_bold(e, false);
	escpos_size(e, 2, 2);
	escpos_line(e, r->title);
	escpos_size(e, 1, 1);
	if (r->title_en[0])
		escpos_line(e, r->title_en);
	if (r->big[0]) {
		escpos_size(e, 2, 2);
		escpos_bold(e, true);
		escpos_line(e, r->big);
		escpos_bold(e, false);
		escpos_size(e, 1, 1);
	}
	escpos_feed(e, 1);
	escpos_align(e, ESCPOS_LEFT);
	for (int i = 0; i < r->nlines && i < KIOSK_RECEIPT_LINES; i++)
		escpos_line(e, r->lines[i]);
	escpos_align(e, ESCPOS_CENTRE);
	if (r->qr[0])
		escpos_qr(e, r->qr, strnlen(r->qr, sizeof r->qr), 6);
	if (r->foot[0])
		escpos_line(e, r->foot);
	snprintf(line, sizeof line, "%s  %s", device, t);
	escpos_line(e, line);
	escpos_cut(e);
}
