#include "hal/mdb/mdb_sim.h"
#include "hal/mdb/mdb_cash.h"
#include "hal/mdb/mdb_frames.h"
#include "hal/pty.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TUBE_CAP 50
static const int coin_fen[3] = {10, 50, 100};
static const int bill_fen[6] = {100, 500, 1000, 2000, 5000, 10000};

enum cl_state { CL_INACTIVE, CL_DISABLED, CL_ENABLED, CL_SESSION, CL_VEND };

struct mdb_sim {
	pthread_mutex_t mu; /* lines may come from another thread than the steps */
	int master, slave;
	char link[256], pty[128];
	char in[256];
	size_t nin;
	bool master_on;
	bool has[3]; /* cashless, coin, bill */
	bool deny, silent, nak, bad_chk, coin_jam;
	/* cashless */
	enum cl_state cl;
	bool cl_reset_said;
	int funds;         /* fen on the card tapped (−1: none waiting) */
	int pending_reply; /* the next POLL's answer: 0 none, else its first byte */
	int vend_price;
	/* coin changer: its tubes (types 0..2: 1 jiao, 5 jiao, 1 yuan), the types enabled,
	 * coins dropped in and not yet polled, a payout under way (polls saying busy) */
	bool coin_reset_said, bill_reset_said;
	int tube[3];
	uint16_t coin_on;
	int coin_q[8], ncoin_q;
	int payout_busy;
	bool payout_jam, tube_jam_say;
	/* bill validator: the types enabled, notes fed and not yet polled, the one held in
	 * escrow, what the last escrow command did (polled once) */
	uint16_t bill_on;
	int bill_q[4], nbill_q;
	bool bill_escrow;
	int bill_type;
	int bill_routed; /* −1 nothing to say; else the routing of bill_type to report */
	int attempts;
	long long cup; /* fen given back to the resident: returned coins and notes, change */
};

int mdb_sim_new(const char *link_path, bool cashless, bool coin, bool bill,
		struct mdb_sim **out)
{
	*out = NULL;
	if (!link_path || strlen(link_path) >= 256)
		return KIOSK_EINVAL;
	struct mdb_sim *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	int rc = hal_pty_link(link_path, &s->master, &s->slave, s->pty, sizeof s->pty);
	if (rc) {
		kiosk_free(s);
		return rc;
	}
	snprintf(s->link, sizeof s->link, "%s", link_path);
	pthread_mutex_init(&s->mu, NULL);
	s->has[0] = cashless, s->has[1] = coin, s->has[2] = bill;
	s->funds = -1;
	s->tube[0] = 20, s->tube[1] = 10, s->tube[2] = 8;
	s->bill_routed = -1;
	*out = s;
	return KIOSK_OK;
}

void mdb_sim_free(struct mdb_sim *s)
{
	if (!s)
		return;
	hal_pty_unlink(s->link, s->pty, s->master, s->slave);
	pthread_mutex_destroy(&s->mu);
	kiosk_free(s);
}

int mdb_sim_fd(const struct mdb_sim *s)
{
	return s->master;
}

static int fault(struct mdb_sim *s, const char *spec)
{
	if (strcmp(spec, "clear") == 0)
		s->deny = s->silent = s->nak = s->bad_chk = s->coin_jam = s->payout_jam = false;
	else if (strcmp(spec, "deny") == 0)
		s->deny = true;
	else if (strcmp(spec, "no-response") == 0)
		s->silent = true;
	else if (strcmp(spec, "nak") == 0)
		s->nak = true;
	else if (strcmp(spec, "checksum") == 0)
		s->bad_chk = true;
	else if (strcmp(spec, "coin-jam") == 0)
		s->coin_jam = true;
	else if (strcmp(spec, "payout-jam") == 0)
		s->payout_jam = true;
	else
		return KIOSK_EINVAL;
	return KIOSK_OK;
}

int mdb_sim_fault(struct mdb_sim *s, const char *spec)
{
	pthread_mutex_lock(&s->mu);
	int rc = fault(s, spec);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int command(struct mdb_sim *s, const char *line)
{
	int v, a, b, c;
	char spec[64];
	if (sscanf(line, "tap %d", &v) == 1 && v >= 0 && v <= 65535)
		s->funds = v;
	else if (sscanf(line, "coin %d", &v) == 1 && v >= 0 && v < 3) {
		if (!s->has[1] || !(s->coin_on >> v & 1) || s->ncoin_q == 8)
			s->cup += coin_fen[v]; /* refused: it falls to the return cup */
		else
			s->coin_q[s->ncoin_q++] = v;
	} else if (sscanf(line, "bill %d", &v) == 1 && v >= 0 && v < 6) {
		if (!s->has[2] || s->nbill_q == 4)
			return KIOSK_EBUSY;
		s->bill_q[s->nbill_q++] = v;
	} else if (sscanf(line, "tubes %d %d %d", &a, &b, &c) == 3 && a >= 0 && a <= TUBE_CAP &&
		   b >= 0 && b <= TUBE_CAP && c >= 0 && c <= TUBE_CAP) {
		s->tube[0] = a, s->tube[1] = b, s->tube[2] = c;
	} else if (sscanf(line, "fault %63s", spec) == 1)
		return fault(s, spec);
	else
		return KIOSK_EINVAL;
	return KIOSK_OK;
}

static void say(struct mdb_sim *s, const char *text)
{
	size_t n = strlen(text);
	if (write(s->master, text, n) != (ssize_t)n) {
		/* nobody reading: lost, as on a wire */
	}
}

static void say_data(struct mdb_sim *s, const uint8_t *d, size_t n)
{
	char line[2 + 2 * MDB_MAX_BLOCK + 2];
	static const char hex[] = "0123456789ABCDEF";
	size_t at = 0;
	line[at++] = 'p', line[at++] = ',';
	for (size_t i = 0; i < n && i < MDB_MAX_BLOCK; i++) {
		line[at++] = hex[d[i] >> 4];
		line[at++] = hex[d[i] & 15];
	}
	line[at++] = '\n';
	line[at] = '\0';
	say(s, line);
}

/* The cashless reader's answer to b[0..n) (address 10). */
static void cashless(struct mdb_sim *s, const uint8_t *b, size_t n)
{
	uint8_t cmd = b[0] & 7, sub = n > 1 ? b[1] : 0;
	switch (cmd) {
	case 0: /* RESET */
		s->cl = CL_INACTIVE;
		s->cl_reset_said = false;
		s->pending_reply = 0;
		say(s, "p,ACK\n");
		return;
	case 1: /* SETUP */
		if (sub == 0) {
			/* config: level 1, CNY (1156), scale 1, 2 decimals, 5 s, no options */
			static const uint8_t cfg[] = {0x01, 0x01, 0x11, 0x56, 0x01, 0x02, 0x05, 0x00};
			if (s->cl == CL_INACTIVE)
				s->cl = CL_DISABLED;
			say_data(s, cfg, sizeof cfg);
		} else {
			say(s, "p,ACK\n");
		}
		return;
	case 2: /* POLL */
		if (!s->cl_reset_said) {
			s->cl_reset_said = true;
			say_data(s, (const uint8_t[]){0x00}, 1); /* just reset */
		} else if (s->pending_reply == 0x05) {
			s->pending_reply = 0;
			say_data(s, (const uint8_t[]){0x05, (uint8_t)(s->vend_price >> 8),
						      (uint8_t)s->vend_price},
				 3);
		} else if (s->pending_reply == 0x06 || s->pending_reply == 0x07) {
			uint8_t r = (uint8_t)s->pending_reply;
			s->pending_reply = 0;
			say_data(s, &r, 1);
		} else if (s->cl == CL_ENABLED && s->funds >= 0) {
			s->cl = CL_SESSION;
			uint8_t d[3] = {0x03, (uint8_t)(s->funds >> 8), (uint8_t)s->funds};
			say_data(s, d, 3);
		} else {
			say(s, "p,ACK\n");
		}
		return;
	case 3: /* VEND */
		if (sub == 0 && n >= 6 && s->cl == CL_SESSION) {
			s->vend_price = b[2] << 8 | b[3];
			bool ok = !s->deny && s->vend_price <= s->funds;
			s->pending_reply = ok ? 0x05 : 0x06;
			s->cl = ok ? CL_VEND : CL_SESSION;
			say(s, "p,ACK\n");
		} else if ((sub == 2 || sub == 3) && s->cl == CL_VEND) {
			if (sub == 2)
				s->funds -= s->vend_price;
			s->cl = CL_SESSION;
			say(s, "p,ACK\n");
		} else if (sub == 4 && s->cl == CL_SESSION) {
			s->cl = CL_ENABLED;
			s->funds = -1; /* the card taken away */
			s->pending_reply = 0x07;
			say(s, "p,ACK\n");
		} else {
			say_data(s, (const uint8_t[]){0x0B}, 1); /* out of sequence */
		}
		return;
	case 4: /* READER */
		if (sub == 1 && s->cl == CL_DISABLED)
			s->cl = CL_ENABLED;
		else if (sub == 0 && s->cl >= CL_ENABLED)
			s->cl = CL_DISABLED;
		say(s, "p,ACK\n");
		return;
	default:
		say(s, "p,NACK\n");
	}
}

static void coin(struct mdb_sim *s, const uint8_t *b, size_t n)
{
	switch (b[0] & 7) {
	case 0:
		s->coin_reset_said = false;
		s->coin_on = 0;
		s->payout_busy = 0;
		say(s, "p,ACK\n");
		return;
	case 1: { /* SETUP: level 3, CNY, scale 10 fen, 2 decimals, routing, credits 1 5 10 */
		static const uint8_t cfg[] = {0x03, 0x11, 0x56, 0x0A, 0x02, 0x00, 0x07,
					      0x01, 0x05, 0x0A};
		say_data(s, cfg, sizeof cfg);
		return;
	}
	case 2: { /* TUBE STATUS: full flags, the counts */
		uint8_t d[5] = {0, 0, (uint8_t)s->tube[0], (uint8_t)s->tube[1], (uint8_t)s->tube[2]};
		for (int t = 0; t < 3; t++)
			if (s->tube[t] >= TUBE_CAP)
				d[1] |= (uint8_t)(1u << t);
		say_data(s, d, sizeof d);
		return;
	}
	case 3: /* POLL */
		if (!s->coin_reset_said) {
			s->coin_reset_said = true;
			say_data(s, (const uint8_t[]){MDB_COIN_JUST_RESET}, 1);
		} else if (s->payout_busy > 0) {
			s->payout_busy--;
			say_data(s, (const uint8_t[]){MDB_COIN_PAYOUT_BUSY}, 1);
		} else if (s->tube_jam_say) {
			s->tube_jam_say = false;
			say_data(s, (const uint8_t[]){MDB_COIN_TUBE_JAM}, 1);
		} else if (s->ncoin_q > 0) {
			int t = s->coin_q[0];
			memmove(s->coin_q, s->coin_q + 1, (size_t)--s->ncoin_q * sizeof s->coin_q[0]);
			if (s->coin_jam) { /* swallowed: never reported */
				say(s, "p,ACK\n");
				return;
			}
			/* 01rr tttt: to its tube (1) while there is room, else the cash box (0) */
			int route = s->tube[t] < TUBE_CAP ? 1 : 0;
			s->tube[t] += route;
			uint8_t d[2] = {(uint8_t)(0x40 | route << 4 | t), (uint8_t)s->tube[t]};
			say_data(s, d, 2);
		} else {
			say(s, "p,ACK\n");
		}
		return;
	case 4: /* COIN TYPE: enable 2, manual dispense 2 */
		if (n < 5) {
			say(s, "p,NACK\n");
			return;
		}
		s->coin_on = (uint16_t)(b[1] << 8 | b[2]);
		say(s, "p,ACK\n");
		return;
	case 5: { /* DISPENSE: count << 4 | type, paid from the tube at once, busy a while */
		int t = n > 1 ? (b[1] & 0x0F) : 99, want = n > 1 ? b[1] >> 4 : 0;
		if (t >= 3) {
			say(s, "p,NACK\n");
			return;
		}
		int paid = want < s->tube[t] ? want : s->tube[t];
		if (s->payout_jam && paid > 1) { /* one coin, and the tube jams */
			paid = 1;
			s->tube_jam_say = true;
		}
		s->tube[t] -= paid;
		s->cup += (long long)paid * coin_fen[t];
		s->payout_busy = 2;
		say(s, "p,ACK\n");
		return;
	}
	default:
		say(s, "p,ACK\n");
	}
}

static void bill(struct mdb_sim *s, const uint8_t *b, size_t n)
{
	switch (b[0] & 7) {
	case 0:
		s->bill_reset_said = false;
		s->bill_on = 0;
		s->bill_routed = -1;
		if (s->bill_escrow) /* a reset gives a held note back */
			s->cup += bill_fen[s->bill_type];
		s->bill_escrow = false;
		say(s, "p,ACK\n");
		return;
	case 1: { /* SETUP: level 1, CNY, scale 100 fen, 2 decimals, stacker 500, credits */
		static const uint8_t cfg[] = {0x01, 0x11, 0x56, 0x00, 0x64, 0x02, 0x01, 0xF4,
					      0x00, 0x00, 0xFF, 1, 5, 10, 20, 50, 100};
		say_data(s, cfg, sizeof cfg);
		return;
	}
	case 3: /* POLL */
		if (!s->bill_reset_said) {
			s->bill_reset_said = true;
			say_data(s, (const uint8_t[]){MDB_BILL_JUST_RESET}, 1);
		} else if (s->bill_routed >= 0) {
			uint8_t d = (uint8_t)(0x80 | s->bill_routed << 4 | s->bill_type);
			s->bill_routed = -1;
			say_data(s, &d, 1);
		} else if (s->attempts) {
			uint8_t d = (uint8_t)(0x40 | (s->attempts & 0x1F));
			s->attempts = 0;
			say_data(s, &d, 1);
		} else if (s->nbill_q > 0 && !s->bill_escrow) {
			int t = s->bill_q[0];
			memmove(s->bill_q, s->bill_q + 1, (size_t)--s->nbill_q * sizeof s->bill_q[0]);
			if (!(s->bill_on >> t & 1)) { /* disabled: pushed back out */
				s->cup += bill_fen[t];
				s->attempts++;
				say(s, "p,ACK\n");
				return;
			}
			s->bill_type = t;
			s->bill_escrow = true;
			say_data(s, (const uint8_t[]){(uint8_t)(0x90 | t)}, 1);
		} else {
			say(s, "p,ACK\n");
		}
		return;
	case 4: /* BILL TYPE: enable 2, escrow 2 */
		if (n < 5) {
			say(s, "p,NACK\n");
			return;
		}
		s->bill_on = (uint16_t)(b[1] << 8 | b[2]);
		say(s, "p,ACK\n");
		return;
	case 5: /* ESCROW: 01 stack, 00 return */
		if (s->bill_escrow && n > 1) {
			s->bill_escrow = false;
			s->bill_routed = b[1] ? MDB_BILL_STACKED : MDB_BILL_RETURNED;
			if (!b[1])
				s->cup += bill_fen[s->bill_type];
			say(s, "p,ACK\n");
		} else {
			say(s, "p,NACK\n");
		}
		return;
	default:
		say(s, "p,ACK\n");
	}
}

static void request(struct mdb_sim *s, const char *line, size_t len)
{
	if (len == 3 && memcmp(line, "M,1", 3) == 0) {
		s->master_on = true;
		say(s, "p,ACK\n");
		return;
	}
	if (len == 7 && memcmp(line, "R,RESET", 7) == 0) {
		s->cl = CL_INACTIVE;
		s->cl_reset_said = s->coin_reset_said = s->bill_reset_said = false;
		say(s, "p,ACK\n");
		return;
	}
	uint8_t b[MDB_MAX_BLOCK];
	size_t n = 0;
	if (len < 4 || line[0] != 'R' || line[1] != ',' || !s->master_on) {
		say(s, "p,ERR\n");
		return;
	}
	for (size_t i = 2; i < len && n < sizeof b;) {
		if (line[i] == ',') {
			i++;
			continue;
		}
		unsigned v;
		if (i + 1 >= len || sscanf(line + i, "%2x", &v) != 1) {
			say(s, "p,ERR\n");
			return;
		}
		b[n++] = (uint8_t)v;
		i += 2;
	}
	uint8_t addr = b[0] & 0xF8;
	int dev = addr == MDB_CASHLESS1 ? 0 : addr == MDB_CHANGER ? 1 : addr == MDB_BILL ? 2 : -1;
	if (dev < 0 || !s->has[dev] || s->silent) {
		say(s, "p,TIMEOUT\n");
		return;
	}
	if (s->nak) {
		say(s, "p,NACK\n");
		return;
	}
	if (s->bad_chk) {
		say(s, "p,ERR\n");
		return;
	}
	if (dev == 0)
		cashless(s, b, n);
	else if (dev == 1)
		coin(s, b, n);
	else
		bill(s, b, n);
}

int mdb_sim_command(struct mdb_sim *s, const char *line)
{
	pthread_mutex_lock(&s->mu);
	int rc = command(s, line);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static void step(struct mdb_sim *s)
{
	ssize_t r = read(s->master, s->in + s->nin, sizeof s->in - 1 - s->nin);
	if (r > 0)
		s->nin += (size_t)r;
	char *nl;
	while ((nl = memchr(s->in, '\n', s->nin))) {
		size_t len = (size_t)(nl - s->in);
		size_t l = len && s->in[len - 1] == '\r' ? len - 1 : len;
		request(s, s->in, l);
		memmove(s->in, nl + 1, s->nin - len - 1);
		s->nin -= len + 1;
	}
	if (s->nin == sizeof s->in - 1)
		s->nin = 0; /* a line too long for any request: dropped */
}

void mdb_sim_step(struct mdb_sim *s)
{
	pthread_mutex_lock(&s->mu);
	step(s);
	pthread_mutex_unlock(&s->mu);
}

long long mdb_sim_cup(struct mdb_sim *s)
{
	pthread_mutex_lock(&s->mu);
	long long v = s->cup;
	pthread_mutex_unlock(&s->mu);
	return v;
}

void mdb_sim_tubes(struct mdb_sim *s, int count[3])
{
	pthread_mutex_lock(&s->mu);
	memcpy(count, s->tube, sizeof s->tube);
	pthread_mutex_unlock(&s->mu);
}
