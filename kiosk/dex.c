#include "kiosk/dex.h"
#include "hal/base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

uint16_t kiosk_dex_crc(const char *p, size_t n)
{
	uint16_t crc = 0;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint8_t)p[i];
		for (int b = 0; b < 8; b++)
			crc = (uint16_t)(crc & 1 ? (crc >> 1) ^ 0xA001 : crc >> 1);
	}
	return crc;
}

struct out {
	char *p;
	size_t cap, len;
	bool full;
	int segments; /* ST … SE, for SE's count */
};

/* One line (a segment) ended CR LF. */
static void seg(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void seg(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = o->full ? -1 : vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 >= o->cap - o->len) {
		o->full = true;
		return;
	}
	o->len += (size_t)n;
	memcpy(o->p + o->len, "\r\n", 3);
	o->len += 2;
	o->segments++;
}

/* An id as a field: no element separator, no line break. */
static void field(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src && *src ? src : "UNSET");
	for (char *c = dst; *c; c++)
		if (*c == '*' || *c == '\r' || *c == '\n')
			*c = '_';
}

int kiosk_dex_write(const struct kiosk_dex_head *h, const struct kiosk_vend_audit *a, char *out,
		    size_t cap)
{
	struct out o = {.p = out, .cap = cap};
	char machine[64], version[32], date[16], hm[8];
	if (!cap)
		return KIOSK_ENOSPACE;
	out[0] = '\0';
	field(machine, sizeof machine, h->machine);
	field(version, sizeof version, h->version);
	field(date, sizeof date, h->date);
	field(hm, sizeof hm, h->time);
	seg(&o, "DXS*%s*VA*V0/6*1", machine);
	size_t crc_from = o.len;
	o.segments = 0;
	seg(&o, "ST*001*0001");
	seg(&o, "ID1*%s*QHK**%s", machine, version);
	seg(&o, "ID4*2*156*CNY");
	seg(&o, "ID5*%s*%s", date, hm);
	int64_t vends = 0, fen = 0;
	for (int m = 0; m < 4; m++) {
		vends += a->by_method[m].vends;
		fen += a->by_method[m].fen;
	}
	/* since initialisation and since the last reset: this kiosk never resets its counts */
	seg(&o, "VA1*%lld*%lld*%lld*%lld", (long long)fen, (long long)vends, (long long)fen,
	    (long long)vends);
	const struct { int m; const char *block; } money[] = {
		{KIOSK_PAY_CASH, "CA2"}, /* cash: coins and notes */
		{KIOSK_PAY_MDB, "DA2"},  /* cashless #1: the MDB card reader */
		{KIOSK_PAY_QR, "DB2"},   /* cashless #2: QR through the platform (our rule) */
	};
	for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) {
		const int64_t f = a->by_method[money[i].m].fen, v = a->by_method[money[i].m].vends;
		seg(&o, "%s*%lld*%lld*%lld*%lld", money[i].block, (long long)f, (long long)v,
		    (long long)f, (long long)v);
	}
	for (int i = 0; i < a->nslots; i++) {
		char slot[24], product[80];
		field(slot, sizeof slot, a->slots[i].slot);
		field(product, sizeof product, a->slots[i].product);
		seg(&o, "PA1*%s*%lld*%s", slot, (long long)a->slots[i].price_fen, product);
		seg(&o, "PA2*%lld*%lld*%lld*%lld", (long long)a->slots[i].vends,
		    (long long)a->slots[i].fen, (long long)a->slots[i].vends,
		    (long long)a->slots[i].fen);
	}
	/* (our rule) EJ: vends that failed (jam, no motor …, refunded); RF: refunds, with
	 * their value */
	seg(&o, "EA2*EJ*%lld*%lld", (long long)a->failed, (long long)a->failed);
	seg(&o, "EA2*RF*%lld*%lld*%lld", (long long)a->refunds, (long long)a->refunds,
	    (long long)a->refunded_fen);
	if (!o.full)
		seg(&o, "G85*%04X", kiosk_dex_crc(out + crc_from, o.len - crc_from));
	seg(&o, "SE*%d*0001", o.segments + 1);
	seg(&o, "DXE*1*1");
	if (o.full) {
		out[0] = '\0';
		return KIOSK_ENOSPACE;
	}
	return (int)o.len;
}
