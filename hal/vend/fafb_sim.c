#include "hal/vend/fafb_sim.h"
#include "hal/pty.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define POLL_MS 200
#define ACK_WAIT_MS 100
#define QUEUE 16

struct fafb_sim {
	pthread_mutex_t mu; /* lines may come from another thread than the steps */
	int master, slave;
	char link[256], pty[128];
	int nslots;
	int stock[FAFB_SIM_SLOTS + 1];
	bool jam[FAFB_SIM_SLOTS + 1], no_motor[FAFB_SIM_SLOTS + 1];
	uint8_t last[FAFB_SIM_SLOTS + 1]; /* the drop sensor's record: last drive's status */
	bool lost_ack, resend, silent;
	uint8_t door, cooling; /* the machine status's door and temperature controller: 0 ok */
	uint8_t in[512];
	size_t nin;
	int64_t next_poll;
	/* reports waiting to go, the first one out until ACKed */
	struct fafb_frame q[QUEUE];
	int nq;
	bool sent;          /* q[0] is out */
	int64_t sent_at;
	int tries;
	bool ack_lost_once; /* lost-ack: q[0]'s first ACK already lost */
	uint8_t pack;       /* the board's next PackNO */
	bool host_seen;
	uint8_t host_pack;  /* the last host command acted on */
	unsigned long drives;
	/* the bench's figures (mono µs): each POLL's answer time, the polls never answered
	 * before the next was due, the last polls' send times, the last DRIVE's arrival */
	int64_t poll_at;
	bool waiting; /* a POLL out, no answer yet */
	double lat_ms[FAFB_SIM_LATENCIES];
	int nlat;
	unsigned long unanswered;
	int64_t polls_at[16];
	int npolls;
	int64_t drive_at;
};

int fafb_sim_new(const char *link_path, int nslots, int stock, struct fafb_sim **out)
{
	*out = NULL;
	if (!link_path || strlen(link_path) >= 256 || nslots < 1 || nslots > FAFB_SIM_SLOTS ||
	    stock < 0)
		return KIOSK_EINVAL;
	struct fafb_sim *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	int rc = hal_pty_link(link_path, &s->master, &s->slave, s->pty, sizeof s->pty);
	if (rc) {
		kiosk_free(s);
		return rc;
	}
	snprintf(s->link, sizeof s->link, "%s", link_path);
	pthread_mutex_init(&s->mu, NULL);
	s->nslots = nslots;
	for (int i = 1; i <= nslots; i++)
		s->stock[i] = stock;
	s->pack = 1;
	*out = s;
	return KIOSK_OK;
}

void fafb_sim_free(struct fafb_sim *s)
{
	if (!s)
		return;
	hal_pty_unlink(s->link, s->pty, s->master, s->slave);
	pthread_mutex_destroy(&s->mu);
	kiosk_free(s);
}

int fafb_sim_fd(const struct fafb_sim *s)
{
	return s->master;
}

int fafb_sim_stock(struct fafb_sim *s, int slot)
{
	pthread_mutex_lock(&s->mu);
	int n = slot >= 1 && slot <= s->nslots ? s->stock[slot] : -1;
	pthread_mutex_unlock(&s->mu);
	return n;
}

unsigned long fafb_sim_drives(struct fafb_sim *s)
{
	pthread_mutex_lock(&s->mu);
	unsigned long n = s->drives;
	pthread_mutex_unlock(&s->mu);
	return n;
}

static int fault(struct fafb_sim *s, const char *spec)
{
	int slot;
	if (strcmp(spec, "clear") == 0) {
		memset(s->jam, 0, sizeof s->jam);
		memset(s->no_motor, 0, sizeof s->no_motor);
		s->lost_ack = s->resend = s->silent = false;
	} else if (strcmp(spec, "lost-ack") == 0) {
		s->lost_ack = true;
	} else if (strcmp(spec, "resend") == 0) {
		s->resend = true;
	} else if (strcmp(spec, "silent") == 0) {
		s->silent = true;
	} else if (sscanf(spec, "jam:%d", &slot) == 1 && slot >= 1 && slot <= s->nslots) {
		s->jam[slot] = true;
	} else if (sscanf(spec, "no-motor:%d", &slot) == 1 && slot >= 1 && slot <= s->nslots) {
		s->no_motor[slot] = true;
	} else {
		return KIOSK_EINVAL;
	}
	return KIOSK_OK;
}

static void send_frame(struct fafb_sim *s, const struct fafb_frame *f)
{
	uint8_t b[300];
	size_t n = fafb_encode(f, b, sizeof b);
	if (n && write(s->master, b, n) != (ssize_t)n) {
		/* the host's side is not reading: the bytes are lost, as on a wire */
	}
}

static void report(struct fafb_sim *s, uint8_t cmd, const uint8_t *text, int n)
{
	if (s->nq == QUEUE)
		return; /* a board's buffer is small too */
	struct fafb_frame *f = &s->q[s->nq++];
	*f = (struct fafb_frame){.cmd = cmd, .has_pack = true};
	memcpy(f->text, text, (size_t)n);
	f->ntext = n;
}

int fafb_sim_fault(struct fafb_sim *s, const char *spec)
{
	pthread_mutex_lock(&s->mu);
	int rc = fault(s, spec);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int command(struct fafb_sim *s, const char *line)
{
	unsigned mode, fen;
	int slot, n;
	char spec[64];
	if (sscanf(line, "money %u %u", &mode, &fen) == 2 && mode <= 255) {
		uint8_t t[5] = {(uint8_t)mode, (uint8_t)(fen >> 24), (uint8_t)(fen >> 16),
				(uint8_t)(fen >> 8), (uint8_t)fen};
		report(s, FAFB_MONEY, t, 5);
		return KIOSK_OK;
	}
	char end;
	if (sscanf(line, "stock %d %d %c", &slot, &n, &end) == 2 && slot >= 1 &&
	    slot <= s->nslots && n >= 0) {
		s->stock[slot] = n;
		return KIOSK_OK;
	}
	/* the drop sensor's record, as a board that ran on while the host was away keeps it */
	if (sscanf(line, "last %d %d %c", &slot, &n, &end) == 2 && slot >= 1 &&
	    slot <= s->nslots && n >= 0 && n <= 255) {
		s->last[slot] = (uint8_t)n;
		return KIOSK_OK;
	}
	if (strcmp(line, "door open") == 0 || strcmp(line, "door closed") == 0) {
		s->door = line[5] == 'o';
		return KIOSK_OK;
	}
	if (strcmp(line, "cooling fault") == 0 || strcmp(line, "cooling ok") == 0) {
		s->cooling = line[8] == 'f';
		return KIOSK_OK;
	}
	if (sscanf(line, "fault %63s", spec) == 1)
		return fault(s, spec);
	return KIOSK_EINVAL;
}

int fafb_sim_command(struct fafb_sim *s, const char *line)
{
	pthread_mutex_lock(&s->mu);
	int rc = command(s, line);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* A host command, ACKed; acted on unless it repeats the last one's PackNO. */
static void on_command(struct fafb_sim *s, const struct fafb_frame *f)
{
	struct fafb_frame ack = fafb_ack();
	send_frame(s, &ack);
	if (s->host_seen && f->pack == s->host_pack)
		return; /* a resend: acted on already */
	s->host_seen = true;
	s->host_pack = f->pack;
	if (f->cmd == FAFB_DRIVE && f->ntext >= 4) {
		int slot = f->text[2] << 8 | f->text[3];
		uint8_t st;
		s->drives++;
		s->drive_at = kiosk_mono_us();
		if (slot < 1 || slot > s->nslots || s->no_motor[slot])
			st = FAFB_NO_MOTOR;
		else if (s->jam[slot] || s->stock[slot] == 0)
			st = FAFB_JAMMED; /* it turned; the drop sensor saw nothing fall */
		else
			st = FAFB_DISPENSED;
		uint8_t t[3] = {FAFB_DISPENSING, f->text[2], f->text[3]};
		if (st != FAFB_NO_MOTOR)
			report(s, FAFB_DISPENSE_REPORT, t, 3);
		t[0] = st;
		report(s, FAFB_DISPENSE_REPORT, t, 3);
		if (slot >= 1 && slot <= s->nslots)
			s->last[slot] = st;
		if (st == FAFB_DISPENSED)
			s->stock[slot]--;
	} else if (f->cmd == FAFB_CHECK && f->ntext >= 2) {
		int slot = f->text[0] << 8 | f->text[1];
		uint8_t st = slot < 1 || slot > s->nslots ? FAFB_SLOT_NONE
			     : s->stock[slot] == 0	   ? FAFB_SLOT_SOLD_OUT
							   : FAFB_SLOT_NORMAL;
		uint8_t t[4] = {st, f->text[0], f->text[1],
				slot >= 1 && slot <= s->nslots ? s->last[slot] : 0};
		report(s, FAFB_CHECK_REPLY, t, 4);
	} else if (f->cmd == FAFB_STATUS) {
		uint8_t t[5] = {0, 0, 0, s->cooling, s->door};
		report(s, FAFB_STATUS_REPLY, t, 5);
	}
}

static void send_report(struct fafb_sim *s, int64_t now)
{
	s->q[0].pack = s->pack;
	send_frame(s, &s->q[0]);
	if (s->resend && !s->sent)
		send_frame(s, &s->q[0]);
	s->sent = true;
	s->sent_at = now;
}

static void report_done(struct fafb_sim *s)
{
	memmove(s->q, s->q + 1, (size_t)(s->nq - 1) * sizeof s->q[0]);
	s->nq--;
	s->sent = false;
	s->tries = 0;
	s->ack_lost_once = false;
	s->pack = fafb_next_pack(s->pack);
}

static void step(struct fafb_sim *s)
{
	int64_t now = kiosk_mono_ms();
	ssize_t r = read(s->master, s->in + s->nin, sizeof s->in - s->nin);
	if (r > 0)
		s->nin += (size_t)r;
	if (s->silent) {
		s->nin = 0;
		return;
	}
	for (;;) {
		struct fafb_frame f;
		size_t used = 0;
		int d = fafb_decode(s->in, s->nin, &f, &used);
		if (d == HAL_FRAME_NEED) {
			if (s->nin == sizeof s->in)
				s->nin = 0;
			break;
		}
		memmove(s->in, s->in + used, s->nin - used);
		s->nin -= used;
		if (d != HAL_FRAME_OK)
			continue;
		if (s->waiting) { /* the host's answer to our POLL (an ACK or a command) */
			s->waiting = false;
			if (s->nlat < FAFB_SIM_LATENCIES)
				s->lat_ms[s->nlat++] = (double)(kiosk_mono_us() - s->poll_at) / 1000.0;
		}
		if (f.cmd == FAFB_ACK) {
			if (s->sent && s->lost_ack && !s->ack_lost_once)
				s->ack_lost_once = true; /* lost on the wire: resent below */
			else if (s->sent)
				report_done(s);
		} else if (f.has_pack) {
			on_command(s, &f);
		}
	}
	if (s->sent && now - s->sent_at >= ACK_WAIT_MS) {
		if (++s->tries > 5)
			report_done(s); /* given up: the host is not there */
		else
			send_report(s, now);
		return;
	}
	if (!s->sent && now >= s->next_poll) {
		s->next_poll = now + POLL_MS;
		if (s->nq) {
			send_report(s, now);
		} else {
			struct fafb_frame p = fafb_poll();
			if (s->waiting)
				s->unanswered++; /* the last one went unanswered for 200 ms */
			send_frame(s, &p);
			s->poll_at = kiosk_mono_us();
			s->waiting = true;
			s->polls_at[s->npolls++ % 16] = s->poll_at;
		}
	}
}

void fafb_sim_step(struct fafb_sim *s)
{
	pthread_mutex_lock(&s->mu);
	step(s);
	pthread_mutex_unlock(&s->mu);
}

int fafb_sim_poll_latencies(struct fafb_sim *s, double *ms, int cap, unsigned long *unanswered)
{
	pthread_mutex_lock(&s->mu);
	int n = s->nlat < cap ? s->nlat : cap;
	memcpy(ms, s->lat_ms, (size_t)n * sizeof *ms);
	*unanswered = s->unanswered;
	s->nlat = 0;
	s->unanswered = 0;
	pthread_mutex_unlock(&s->mu);
	return n;
}

int64_t fafb_sim_drive_at(struct fafb_sim *s)
{
	pthread_mutex_lock(&s->mu);
	int64_t t = s->drive_at;
	pthread_mutex_unlock(&s->mu);
	return t;
}

int64_t fafb_sim_poll_after(struct fafb_sim *s, int64_t t)
{
	int64_t best = 0;
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < 16 && i < s->npolls; i++)
		if (s->polls_at[i] >= t && (!best || s->polls_at[i] < best))
			best = s->polls_at[i];
	pthread_mutex_unlock(&s->mu);
	return best;
}
