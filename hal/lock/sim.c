#include "hal/lock/sim.h"
#include "hal/lock/frames.h"
#include "hal/pty.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_BOARDS 32

struct lock_sim {
	pthread_mutex_t mu; /* commands may come from another thread than the steps */
	bool wkly; /* else Kerong */
	int master, slave;
	char link[256];
	char pty[128]; /* what link points at: ours to remove */
	int boards, nlocks, auto_close_ms;
	bool closed[MAX_BOARDS][HAL_LOCK_MAX], item[MAX_BOARDS][HAL_LOCK_MAX];
	int64_t opened_at[MAX_BOARDS][HAL_LOCK_MAX];
	struct lock_sim_faults f;
	unsigned long frames[256];
	uint8_t in[512];
	size_t inlen;
	unsigned rng;
	/* replies held back by the slow:MS fault, written when due (never slept on: a
	 * command from another thread must not wait behind a slow board) */
	struct {
		uint8_t b[160];
		size_t n;
		int64_t due;
	} late[8];
	int nlate;
};

int lock_sim_new(const char *driver, const char *link_path, int boards, int auto_close_ms,
		 struct lock_sim **out)
{
	*out = NULL;
	bool wkly = driver && strcmp(driver, "wkly-24") == 0;
	if (!driver || (!wkly && strcmp(driver, "kerong-cu16") != 0))
		return KIOSK_ENOENT;
	if (boards < 1 || boards > (wkly ? 32 : 16) || !link_path || strlen(link_path) >= 256)
		return KIOSK_EINVAL;
	struct lock_sim *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	s->wkly = wkly;
	s->boards = boards;
	s->nlocks = wkly ? 24 : 16;
	s->auto_close_ms = auto_close_ms;
	s->rng = 12345;
	pthread_mutex_init(&s->mu, NULL);
	for (int b = 0; b < MAX_BOARDS; b++)
		for (int l = 0; l < HAL_LOCK_MAX; l++)
			s->closed[b][l] = true;
	int rc = hal_pty_link(link_path, &s->master, &s->slave, s->pty, sizeof s->pty);
	if (rc) {
		pthread_mutex_destroy(&s->mu);
		kiosk_free(s);
		return rc;
	}
	snprintf(s->link, sizeof s->link, "%s", link_path);
	*out = s;
	return KIOSK_OK;
}

void lock_sim_free(struct lock_sim *s)
{
	if (!s)
		return;
	hal_pty_unlink(s->link, s->pty, s->master, s->slave);
	pthread_mutex_destroy(&s->mu);
	kiosk_free(s);
}

struct lock_sim_faults *lock_sim_faults(struct lock_sim *s)
{
	return &s->f;
}

int lock_sim_fd(const struct lock_sim *s)
{
	return s->master;
}

bool lock_sim_closed(const struct lock_sim *s, int board, int lock)
{
	return s->closed[board][lock - 1];
}

unsigned long lock_sim_frames(const struct lock_sim *s, int cmd)
{
	return s->frames[cmd & 0xFF];
}

static int fault(struct lock_sim *s, const char *spec);

int lock_sim_fault(struct lock_sim *s, const char *spec)
{
	pthread_mutex_lock(&s->mu);
	int rc = fault(s, spec);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int fault(struct lock_sim *s, const char *spec)
{
	int a, b;
	if (strcmp(spec, "clear") == 0) /* the technician fixed it: every fault gone */
		memset(&s->f, 0, sizeof s->f);
	else if (strcmp(spec, "no-reply") == 0)
		s->f.no_reply = true;
	else if (strcmp(spec, "bad-checksum") == 0)
		s->f.bad_checksum = true;
	else if (strcmp(spec, "garbage") == 0)
		s->f.garbage = true;
	else if (strcmp(spec, "brownout") == 0)
		s->f.brownout = true;
	else if (strcmp(spec, "short-query") == 0)
		s->f.short_query = true;
	else if (sscanf(spec, "slow:%d", &a) == 1 && a >= 0 && a <= 60000)
		s->f.slow_ms = a;
	else if (sscanf(spec, "drop-first:%d", &a) == 1 && a >= 0)
		s->f.drop_first = a;
	else if (sscanf(spec, "silent:%d", &a) == 1 && a >= 0 && a < s->boards && a < 32)
		s->f.silent[a] = true;
	else if (sscanf(spec, "jam:%d:%d", &a, &b) == 2 && a >= 0 && a < s->boards && b >= 1 &&
		 b <= s->nlocks)
		s->f.jam[a][b - 1] = true;
	else
		return KIOSK_EINVAL;
	return KIOSK_OK;
}

static void emit(struct lock_sim *s, const uint8_t *b, size_t n)
{
	uint8_t buf[160];
	size_t len = 0;
	if (n > 128)
		return;
	if (s->f.garbage) {
		for (int i = 0; i < 7; i++) {
			s->rng = s->rng * 1103515245u + 12345u;
			buf[len++] = (uint8_t)(0x80 | (s->rng >> 16)); /* never a frame start */
		}
	}
	memcpy(buf + len, b, n);
	len += n;
	if (s->f.bad_checksum)
		buf[len - 1] ^= 0x5A;
	if (s->f.slow_ms && s->nlate < (int)(sizeof s->late / sizeof s->late[0])) {
		memcpy(s->late[s->nlate].b, buf, len);
		s->late[s->nlate].n = len;
		s->late[s->nlate].due = kiosk_mono_ms() + s->f.slow_ms;
		s->nlate++;
		return;
	}
	ssize_t w = write(s->master, buf, len);
	(void)w;
}

/* Writes the held-back replies that are due, oldest first. */
static void write_late(struct lock_sim *s)
{
	int64_t now = kiosk_mono_ms();
	while (s->nlate && s->late[0].due <= now) {
		ssize_t w = write(s->master, s->late[0].b, s->late[0].n);
		(void)w;
		memmove(&s->late[0], &s->late[1], sizeof s->late[0] * (size_t)(s->nlate - 1));
		s->nlate--;
	}
}

static void push_change(struct lock_sim *s, int b, int l)
{
	if (!s->wkly)
		return; /* Kerong boards only answer */
	struct wk_frame f = {.addr = (uint8_t)b, .cmd = WK_PUSH, .ndata = 2};
	f.data[0] = (uint8_t)l;
	f.data[1] = s->closed[b][l - 1] ? 0x01 : 0x00;
	uint8_t out[16];
	emit(s, out, wk_encode(&f, out, sizeof out));
}

static void set_door(struct lock_sim *s, int b, int l, bool closed)
{
	if (s->closed[b][l - 1] == closed)
		return;
	s->closed[b][l - 1] = closed;
	s->opened_at[b][l - 1] = closed ? 0 : kiosk_mono_ms();
	push_change(s, b, l);
}

static int command(struct lock_sim *s, const char *line);

int lock_sim_command(struct lock_sim *s, const char *line)
{
	pthread_mutex_lock(&s->mu);
	int rc = command(s, line);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int command(struct lock_sim *s, const char *line)
{
	int b, l, v;
	char extra;
	if (strncmp(line, "fault ", 6) == 0)
		return fault(s, line + 6);
	if (sscanf(line, "close %d %d %c", &b, &l, &extra) == 2 && b >= 0 && b < s->boards &&
	    l >= 1 && l <= s->nlocks) {
		set_door(s, b, l, true);
		return KIOSK_OK;
	}
	/* What a person does at an open door: puts a parcel in and closes it, or takes it
	 * out and closes it (the item sensor follows). */
	char verb[8];
	if (sscanf(line, "%7s %d %d %c", verb, &b, &l, &extra) == 3 &&
	    (strcmp(verb, "put") == 0 || strcmp(verb, "take") == 0) && b >= 0 && b < s->boards &&
	    l >= 1 && l <= s->nlocks) {
		s->item[b][l - 1] = verb[0] == 'p';
		set_door(s, b, l, true);
		return KIOSK_OK;
	}
	if (sscanf(line, "force-open %d %d %c", &b, &l, &extra) == 2 && b >= 0 && b < s->boards &&
	    l >= 1 && l <= s->nlocks) {
		set_door(s, b, l, false);
		return KIOSK_OK;
	}
	if (sscanf(line, "item %d %d %d %c", &b, &l, &v, &extra) == 3 && b >= 0 &&
	    b < s->boards && l >= 1 && l <= s->nlocks && (v == 0 || v == 1)) {
		s->item[b][l - 1] = v;
		return KIOSK_OK;
	}
	return KIOSK_EINVAL;
}

static void open_door(struct lock_sim *s, int b, int l)
{
	if (!s->f.jam[b][l - 1])
		set_door(s, b, l, false);
	if (s->f.brownout)
		s->f.no_reply = true; /* the latch's current dip reset the board's MCU */
}

static void kr_reply_status(struct lock_sim *s, int b)
{
	struct kr_frame r = {.addr = (uint8_t)(b << 4), .cmd = KR_STATUS, .ndata = 4};
	for (int i = 0; i < 16; i++) {
		r.data[i / 8] |= (uint8_t)(s->closed[b][i] << (i % 8));
		r.data[2 + i / 8] |= (uint8_t)(s->item[b][i] << (i % 8));
	}
	uint8_t out[16];
	emit(s, out, kr_encode(&r, out, sizeof out));
}

static void kr_handle(struct lock_sim *s, const struct kr_frame *f)
{
	int b = f->addr >> 4, l = (f->addr & 0x0F) + 1;
	if (f->cmd == KR_QUERY_BUS) {
		for (int i = 0; i < s->boards; i++)
			kr_reply_status(s, i);
		return;
	}
	if (b >= s->boards)
		return; /* no such board on the bus: silence, as on the wire */
	if (f->cmd == KR_QUERY)
		kr_reply_status(s, b);
	else if (f->cmd == KR_UNLOCK)
		open_door(s, b, l); /* unlock is not answered */
	else if (f->cmd == KR_UNLOCK_ALL)
		for (int i = 1; i <= 16; i++)
			open_door(s, b, i);
}

static void wk_reply(struct lock_sim *s, int b, uint8_t cmd, const uint8_t *d, int n)
{
	struct wk_frame r = {.addr = (uint8_t)b, .cmd = cmd, .ndata = n};
	memcpy(r.data, d, (size_t)n);
	uint8_t out[64];
	emit(s, out, wk_encode(&r, out, sizeof out));
}

static void wk_handle(struct lock_sim *s, const struct wk_frame *f)
{
	int b = f->addr;
	if (b >= s->boards)
		return;
	uint8_t d[32];
	int ch = f->ndata ? f->data[0] : 0;
	switch (f->cmd) {
	case WK_OPEN:
	case WK_QUERY:
		if (ch < 1 || ch > 24)
			return;
		if (f->cmd == WK_OPEN)
			open_door(s, b, ch);
		d[0] = f->cmd == WK_OPEN && s->f.jam[b][ch - 1] ? 0xFF : 0x00;
		d[1] = (uint8_t)ch;
		d[2] = s->closed[b][ch - 1] ? 0x01 : 0x00;
		if (f->cmd == WK_QUERY && s->f.short_query) /* the variant: no ST byte */
			wk_reply(s, b, f->cmd, d + 1, 2);
		else
			wk_reply(s, b, f->cmd, d, 3);
		break;
	case WK_QUERY_ALL:
		d[0] = 0x00;
		d[1] = 0x18;
		for (int i = 0; i < 24; i++)
			d[2 + i] = s->closed[b][i] ? 0x01 : 0x00;
		wk_reply(s, b, f->cmd, d, 26);
		break;
	case WK_OPEN_ALL:
		for (int i = 1; i <= 24; i++)
			open_door(s, b, i);
		d[0] = 0x00;
		wk_reply(s, b, f->cmd, d, 1);
		break;
	default:
		break;
	}
}

static void step(struct lock_sim *s);

void lock_sim_step(struct lock_sim *s)
{
	struct pollfd p = {s->master, POLLIN, 0};
	poll(&p, 1, 10);
	pthread_mutex_lock(&s->mu);
	step(s);
	pthread_mutex_unlock(&s->mu);
}

static void step(struct lock_sim *s)
{
	write_late(s);
	ssize_t r = read(s->master, s->in + s->inlen, sizeof s->in - s->inlen); /* non-blocking */
	if (r > 0)
		s->inlen += (size_t)r;
	for (;;) {
		size_t used = 0;
		union {
			struct kr_frame kr;
			struct wk_frame wk;
		} f;
		int d = s->wkly ? wk_decode(s->in, s->inlen, &f.wk, &used)
				: kr_decode(s->in, s->inlen, &f.kr, &used);
		if (d == HAL_FRAME_NEED)
			break;
		if (d == HAL_FRAME_OK) {
			s->frames[s->wkly ? f.wk.cmd : f.kr.cmd]++;
			/* The board a frame is for (a Kerong broadcast goes to board 0's
			 * address range). */
			int to = s->wkly ? f.wk.addr : f.kr.addr >> 4;
			if (s->f.drop_first > 0)
				s->f.drop_first--;
			else if (to >= 0 && to < 32 && s->f.silent[to])
				; /* that board is dead: the others still answer */
			else if (!s->f.no_reply && s->wkly)
				wk_handle(s, &f.wk);
			else if (!s->f.no_reply)
				kr_handle(s, &f.kr);
		}
		memmove(s->in, s->in + used, s->inlen - used);
		s->inlen -= used;
	}
	if (s->inlen == sizeof s->in)
		s->inlen = 0;
	if (s->auto_close_ms > 0) {
		int64_t now = kiosk_mono_ms();
		for (int b = 0; b < s->boards; b++)
			for (int l = 1; l <= s->nlocks; l++)
				if (!s->closed[b][l - 1] &&
				    now - s->opened_at[b][l - 1] >= s->auto_close_ms)
					set_door(s, b, l, true);
	}
}

void lock_sim_run(struct lock_sim *s, volatile int *stop)
{
	while (!*stop)
		lock_sim_step(s);
}
