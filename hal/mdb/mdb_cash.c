#include "hal/mdb/mdb_cash.h"

#include <string.h>

bool mdb_changer_setup_parse(const uint8_t *d, size_t n, struct mdb_changer_setup *out)
{
	memset(out, 0, sizeof *out);
	if (n < 7 || n > 7 + MDB_COIN_TYPES || d[3] == 0)
		return false;
	out->level = d[0];
	out->country = (uint16_t)(d[1] << 8 | d[2]);
	out->scale = d[3];
	out->decimals = d[4];
	out->routing = (uint16_t)(d[5] << 8 | d[6]);
	for (size_t t = 0; t + 7 < n; t++)
		out->credit[t] = d[7 + t] == 0xFF ? 0 : d[7 + t]; /* FF: a token, not money */
	return true;
}

bool mdb_tubes_parse(const uint8_t *d, size_t n, struct mdb_tubes *out)
{
	memset(out, 0, sizeof *out);
	if (n < 2 || n > 2 + MDB_COIN_TYPES)
		return false;
	out->full = (uint16_t)(d[0] << 8 | d[1]);
	for (size_t t = 0; t + 2 < n; t++)
		out->count[t] = d[2 + t];
	return true;
}

bool mdb_coin_poll_parse(const uint8_t *d, size_t n, struct mdb_coin_event *ev, size_t cap,
			 size_t *count)
{
	*count = 0;
	for (size_t i = 0; i < n;) {
		struct mdb_coin_event e = {0};
		uint8_t b = d[i];
		if (b & 0x80) { /* 1yyy xxxx zzzzzzzz: paid out by hand */
			if (i + 1 >= n)
				return false;
			e.kind = MDB_COIN_DISPENSED;
			e.count = (uint8_t)(b >> 4 & 7);
			e.type = b & 0x0F;
			e.tube = d[i + 1];
			i += 2;
		} else if (b & 0x40) { /* 01yy xxxx zzzzzzzz: deposited */
			if (i + 1 >= n)
				return false;
			e.kind = MDB_COIN_DEPOSITED;
			e.routing = (uint8_t)(b >> 4 & 3);
			e.type = b & 0x0F;
			e.tube = d[i + 1];
			i += 2;
		} else if (b & 0x20) { /* 001x xxxx: slugs */
			e.kind = MDB_COIN_SLUG;
			e.count = b & 0x1F;
			i++;
		} else {
			e.kind = MDB_COIN_STATUS;
			e.code = b;
			i++;
		}
		if (*count < cap)
			ev[(*count)++] = e;
	}
	return true;
}

bool mdb_bill_setup_parse(const uint8_t *d, size_t n, struct mdb_bill_setup *out)
{
	memset(out, 0, sizeof *out);
	if (n < 11 || n > 11 + MDB_BILL_TYPES || (d[3] == 0 && d[4] == 0))
		return false;
	out->level = d[0];
	out->country = (uint16_t)(d[1] << 8 | d[2]);
	out->scale = (uint16_t)(d[3] << 8 | d[4]);
	out->decimals = d[5];
	out->stacker = (uint16_t)(d[6] << 8 | d[7]);
	out->escrow = d[10];
	for (size_t t = 0; t + 11 < n; t++)
		out->credit[t] = d[11 + t] == 0xFF ? 0 : d[11 + t];
	return true;
}

bool mdb_bill_poll_parse(const uint8_t *d, size_t n, struct mdb_bill_event *ev, size_t cap,
			 size_t *count)
{
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		struct mdb_bill_event e = {0};
		uint8_t b = d[i];
		if (b & 0x80) { /* 1yyy xxxx: a note routed */
			e.kind = MDB_BILL_ROUTED;
			e.routing = (uint8_t)(b >> 4 & 7);
			e.type = b & 0x0F;
		} else if ((b & 0xE0) == 0x40) { /* 010x xxxx: tries while disabled */
			e.kind = MDB_BILL_ATTEMPTS;
			e.count = b & 0x1F;
		} else {
			e.kind = MDB_BILL_STATUS;
			e.code = b;
		}
		if (*count < cap)
			ev[(*count)++] = e;
	}
	return true;
}

/* Bounded change-making as a 0/1 knapsack over each tube split in powers of two (1, 2, 4 …
 * coins), fewest coins: at most 16 × 8 items over MDB_CHANGE_MAX + 1 amounts, and a bit
 * per (item, amount) to read the coins back. */
bool mdb_change_plan(const uint8_t value[MDB_COIN_TYPES], const uint8_t have[MDB_COIN_TYPES],
		     int amount, uint8_t pay[MDB_COIN_TYPES])
{
	enum { ITEMS = MDB_COIN_TYPES * 8, INF = 0xFFFF };
	uint16_t best[MDB_CHANGE_MAX + 1];
	uint8_t took[ITEMS][(MDB_CHANGE_MAX + 8) / 8];
	uint8_t it_type[ITEMS], it_k[ITEMS];
	int items = 0;
	memset(pay, 0, MDB_COIN_TYPES);
	if (amount < 0 || amount > MDB_CHANGE_MAX)
		return false;
	if (amount == 0)
		return true;
	for (int t = 0; t < MDB_COIN_TYPES; t++) {
		if (!value[t])
			continue;
		for (int left = have[t], k = 1; left > 0; k *= 2) {
			int take = left < k ? left : k;
			it_type[items] = (uint8_t)t, it_k[items] = (uint8_t)take;
			items++;
			left -= take;
		}
	}
	best[0] = 0;
	for (int a = 1; a <= amount; a++)
		best[a] = INF;
	memset(took, 0, sizeof took[0] * (size_t)items);
	for (int i = 0; i < items; i++) {
		int w = value[it_type[i]] * it_k[i];
		for (int a = amount; a >= w; a--)
			if (best[a - w] != INF && best[a - w] + it_k[i] < best[a]) {
				best[a] = (uint16_t)(best[a - w] + it_k[i]);
				took[i][a / 8] |= (uint8_t)(1u << (a % 8));
			}
	}
	if (best[amount] == INF)
		return false;
	for (int i = items - 1, a = amount; i >= 0 && a > 0; i--)
		if (took[i][a / 8] & (1u << (a % 8))) {
			pay[it_type[i]] = (uint8_t)(pay[it_type[i]] + it_k[i]);
			a -= value[it_type[i]] * it_k[i];
		}
	return true;
}
