/* What the kiosk prints: a receipt as a flow writes it (words, a number to quote, a QR
 * code), turned into an ESC/POS job here, and the printer's test page. Pure. A flow fills
 * the words and never a secret (a pickup code is never printed); the layout is the same
 * for every receipt, so a resident learns where to look. */
#ifndef KIOSK_RECEIPT_H
#define KIOSK_RECEIPT_H

#include <stdint.h>

#define KIOSK_RECEIPT_LINES 16

struct kiosk_receipt {
	char title[64];    /* centred, twice the size: "购物小票" (8 characters fit a 58 mm roll) */
	char title_en[64]; /* under it, plain: "Receipt" */
	char big[32];    /* centred, large and bold: the number to quote; "" none */
	char lines[KIOSK_RECEIPT_LINES][96]; /* left: "商品 Item: 矿泉水 550ml" */
	int nlines;
	char qr[256];    /* a QR code's payload (the same number, a URL); "" none */
	char foot[96];   /* centred, under the code: what to do with the receipt */
};

struct escpos; /* hal/printer/escpos.h */

/* Appends line to r (cut to fit; ignored when full). */
void kiosk_receipt_add(struct kiosk_receipt *r, const char *line);
/* r as a job into e (begun by the caller): the kiosk's name, the title, the number, the
 * lines, the code, the foot, the device and the time (UTC ms, shown at tz_offset_min), the
 * cut. */
void kiosk_receipt_encode(struct escpos *e, const struct kiosk_receipt *r, const char *device,
			  int64_t now_ms, int tz_offset_min);
/* The test page: Chinese, English, bold and large text, a QR code, the cut. */
void kiosk_receipt_test_page(struct escpos *e, const char *device, int64_t now_ms,
			     int tz_offset_min);

#endif
