/* What the kiosk prints (ESC/POS jobs, hal/printer/escpos.h): the printer's test page, and
 * the receipts the flows offer. Pure: each builds a job into an escpos the caller began and
 * frees; the printer bus carries it. No secret is ever printed (a pickup code never is). */
#ifndef KIOSK_RECEIPT_H
#define KIOSK_RECEIPT_H

#include "hal/printer/escpos.h"

#include <stdint.h>

/* The test page: Chinese, English, bold and large text, a QR code, the cut. device is the
 * kiosk's id; now_ms the time printed (UTC epoch ms, shown in tz_offset_min's local time). */
void kiosk_receipt_test_page(struct escpos *e, const char *device, int64_t now_ms,
			     int tz_offset_min);

#endif
