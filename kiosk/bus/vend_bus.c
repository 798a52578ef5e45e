#include "kiosk/bus/vend_bus.h"
#include "kiosk/bus/bus.h"
#include "hal/vend/fafb_host.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdatomic.h>
#include <string.h>

/* A command in the mailbox: small, as every command the host sends is. */
struct mail {
	int64_t tag;
	uint8_t cmd, ntext;
	uint8_t text[8];
};

struct dev {
	struct hal_serial *s;
	struct fafb_host h;
	int64_t tag;       /* the command out (or last out) */
	int64_t last_poll; /* mono ms */
	bool hello;        /* the first answer: a machine-status request (below) */
	int64_t next_status; /* mono ms: the next idle POLL asks the machine's status */
	bool faulty;
	atomic_llong slowest_us;
};

struct kiosk_vend_bus {
	struct kiosk_bus *bus;
	struct dev *dev; /* the worker's; slowest_us read across */
};

static void post(struct kiosk_bus *bus, enum kiosk_vend_outcome_kind kind, int64_t tag,
		 const struct fafb_frame *f)
{
	struct kiosk_vend_outcome o = {.kind = kind, .tag = tag};
	if (f)
		o.frame = *f;
	if (!kiosk_bus_post(bus, &o))
		KLOG_WARN("vend", "event=outcome_dropped kind=%d", kind);
}

/* Answers one POLL from the mailbox (the command out first: a resend). */
static void answer(struct dev *d, struct kiosk_bus *bus, int64_t seen_us)
{
	struct fafb_frame next, *pnext = NULL;
	struct mail m;
	if (!d->h.out && d->hello) {
		/* The board's last PackNO is not known to a host just started, and a command
		 * repeating it would be taken for a resend: a status request goes first, and the
		 * commands follow its PackNO (its reply comes as a report tagged -1). */
		next = fafb_status(0);
		pnext = &next;
		d->hello = false;
		d->tag = -1;
	} else if (!d->h.out && kiosk_bus_mail_take(bus, &m, sizeof m) == sizeof m) {
		next = (struct fafb_frame){.cmd = m.cmd, .has_pack = true, .ntext = m.ntext};
		memcpy(next.text, m.text, m.ntext);
		pnext = &next;
		d->tag = m.tag;
	} else if (!d->h.out && kiosk_mono_ms() >= d->next_status) {
		/* Now and then, at a POLL with nothing to send, the machine's status (door,
		 * cooling): asked only when idle, it never makes a resident's dispense wait a
		 * poll; its reply is a report tagged -1 like the hello's. */
		next = fafb_status(0);
		pnext = &next;
		d->tag = -1;
	}
	if (pnext && pnext->cmd == FAFB_STATUS)
		d->next_status = kiosk_mono_ms() + KIOSK_VEND_STATUS_MS;
	uint8_t out[300];
	bool took, gave_up;
	size_t n = fafb_host_answer(&d->h, pnext, out, sizeof out, &took, &gave_up);
	if (gave_up) /* (mail is taken only when no command is out: d->tag is the lost one's) */
		post(bus, KIOSK_VEND_LOST, d->tag, NULL);
	if (hal_serial_write(d->s, out, n) == KIOSK_OK) {
		int64_t took_us = kiosk_mono_us() - seen_us;
		if (took_us > atomic_load(&d->slowest_us))
			atomic_store(&d->slowest_us, took_us);
	}
}

static void serve(void *dev, struct kiosk_bus *bus, int wait_ms)
{
	struct dev *d = dev;
	uint8_t in[128];
	int n = hal_serial_read(d->s, in, sizeof in, wait_ms);
	int64_t now = kiosk_mono_ms(), seen_us = kiosk_mono_us();
	if (now - d->last_poll >= KIOSK_VEND_SILENT_MS && !d->faulty) {
		d->faulty = true;
		kiosk_bus_set_health(bus, KIOSK_BUS_FAULT, "no POLL from the board for 2 s");
		KLOG_WARN("vend", "event=board_silent port=%s", hal_serial_path(d->s));
	}
	for (size_t at = 0; n > 0 && at < (size_t)n;) {
		at += fafb_host_feed(&d->h, in + at, (size_t)n - at);
		struct fafb_event ev;
		while ((ev = fafb_host_next(&d->h)).kind != FAFB_EV_NONE) {
			if (ev.nreply)
				hal_serial_write(d->s, ev.reply, ev.nreply);
			switch (ev.kind) {
			case FAFB_EV_POLL:
				d->last_poll = now;
				if (d->faulty) {
					d->faulty = false;
					kiosk_bus_set_health(bus, KIOSK_BUS_OK, "");
				}
				answer(d, bus, seen_us);
				break;
			case FAFB_EV_ACKED:
				post(bus, KIOSK_VEND_ACKED, d->tag, NULL);
				break;
			case FAFB_EV_REPORT:
				post(bus, KIOSK_VEND_REPORT, d->tag, &ev.frame);
				break;
			default: /* a resend ACKed again, junk dropped */
				break;
			}
		}
	}
}

static void close_dev(void *dev)
{
	struct dev *d = dev;
	hal_serial_close(d->s);
}

static const struct kiosk_bus_ops vend_ops = {
	.name = "vend",
	.job_size = 1,
	.outcome_size = sizeof(struct kiosk_vend_outcome),
	.jobs = 1,
	.outcomes = 32,
	.outcomes_for_jobs = 1,
	.run_job = kiosk_bus_no_job, /* everything it is told goes through the mailbox */
	.expire_job = kiosk_bus_no_expire,
	.serve = serve,
	.close = close_dev,
};

int kiosk_vend_bus_start(struct hal_serial *s, struct kiosk_vend_bus **out)
{
	*out = NULL;
	struct kiosk_vend_bus *b = kiosk_calloc(1, sizeof *b);
	struct dev *d = kiosk_calloc(1, sizeof *d);
	if (!b || !d) {
		kiosk_free(b);
		kiosk_free(d);
		return KIOSK_ENOMEM;
	}
	d->s = s;
	fafb_host_init(&d->h);
	d->last_poll = kiosk_mono_ms();
	d->hello = true;
	b->dev = d;
	int rc = kiosk_bus_start(&vend_ops, d, &b->bus);
	if (rc) {
		kiosk_free(d);
		kiosk_free(b);
		return rc;
	}
	*out = b;
	return KIOSK_OK;
}

void kiosk_vend_bus_stop(struct kiosk_vend_bus *b)
{
	if (!b)
		return;
	kiosk_bus_stop(b->bus); /* frees dev */
	kiosk_free(b);
}

int kiosk_vend_bus_send(struct kiosk_vend_bus *b, int64_t tag, const struct fafb_frame *cmd)
{
	if (cmd->ntext < 0 || cmd->ntext > 8)
		return KIOSK_EINVAL;
	struct mail m = {.tag = tag, .cmd = cmd->cmd, .ntext = (uint8_t)cmd->ntext};
	memcpy(m.text, cmd->text, (size_t)cmd->ntext);
	return kiosk_bus_mail_put(b->bus, &m, sizeof m);
}

int kiosk_vend_bus_fd(const struct kiosk_vend_bus *b)
{
	return kiosk_bus_fd(b->bus);
}

int kiosk_vend_bus_take(struct kiosk_vend_bus *b, struct kiosk_vend_outcome *out)
{
	return kiosk_bus_take(b->bus, out);
}

bool kiosk_vend_bus_health(struct kiosk_vend_bus *b, char *why, size_t cap)
{
	return kiosk_bus_health(b->bus, why, cap) == KIOSK_BUS_OK;
}

int64_t kiosk_vend_bus_slowest_us(struct kiosk_vend_bus *b)
{
	return atomic_load(&b->dev->slowest_us);
}
