/* The audit export's format: an EVA-DTS style DEX/UCS report (the vending industry's
 * audit file, read by route-management software) built from the store's audit figures.
 * Pure: a buffer in, nothing else touched. docs/dex.md maps each block to our tables.
 *
 * Lines end CR LF. The G85 block carries the CRC-16 of every byte from the ST line's
 * first through the CR LF of the line before G85 (CRC-16/ARC: polynomial 0x8005
 * reflected, initial 0 — our reading of the standard), as four upper-case hex digits. */
#ifndef KIOSK_DEX_H
#define KIOSK_DEX_H

#include "kiosk/store/store.h"

#include <stddef.h>
#include <stdint.h>

struct kiosk_dex_head {
	const char *machine; /* the kiosk's device id ("" → "UNSET") */
	const char *version; /* this build's */
	const char *date;    /* when it was read, in the kiosk's zone: "YYYYMMDD" */
	const char *time;    /* … "HHMM" */
};

/* The report into out (cap bytes, NUL-terminated): its length, or KIOSK_ENOSPACE when it
 * does not fit (out is then ""). Fields the format cannot carry (a '*' or a line break in
 * an id) are written with those characters replaced by '_'. */
int kiosk_dex_write(const struct kiosk_dex_head *h, const struct kiosk_vend_audit *a, char *out,
		    size_t cap);
/* CRC-16/ARC of n bytes. */
uint16_t kiosk_dex_crc(const char *p, size_t n);

#endif
