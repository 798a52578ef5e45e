/* 投递 Deposit: the logged-in courier's parcel, its door, and the commit. The intent
 * (parcel + door) is one transaction, then the door; the deposit follows its door: closed
 * on the parcel (the item sensor agreeing, where the board has one) it is committed here,
 * not by the screen. A deposit left unfinished earlier is put to the courier to settle. */
#include "kiosk/flow/flow.h"
#include "kiosk/receipt.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

#define SUMMARY 12 /* deposits a summary lists (a courier's round at one kiosk) */

struct deposit {
	enum kiosk_deposit_phase phase;
	char parcel[37], comp[16];
	int64_t op;
	/* what this courier put in during this session, for the summary on paper: each
	 * door and tracking number (no code, no phone) */
	struct {
		char comp[16], tracking[32];
	} in[SUMMARY];
	int nin, more; /* more: beyond SUMMARY, counted only */
};

static void on_outcome(struct kiosk_fctx *x, const struct kiosk_door *door, int rc)
{
	struct deposit *s = x->session;
	if (door->op != s->op)
		return; /* the session ended meanwhile */
	s->phase = rc == KIOSK_OK ? KIOSK_DEPOSIT_OPEN : KIOSK_DEPOSIT_STUCK;
}

/* The code goes out once, in the event for the platform's SMS; the kiosk forgets it. */
static int commit(struct kiosk_fctx *x)
{
	struct deposit *s = x->session;
	char code[9];
	int rc = kiosk_parcel_deposit_commit(x->p->store, s->parcel, code);
	struct kiosk_parcel p;
	if (rc == KIOSK_OK && kiosk_parcel_get(x->p->store, s->parcel, &p) == KIOSK_OK) {
		if (s->nin < SUMMARY) {
			snprintf(s->in[s->nin].comp, sizeof s->in[0].comp, "%.15s", p.compartment);
			snprintf(s->in[s->nin].tracking, sizeof s->in[0].tracking, "%.31s", p.tracking);
			s->nin++;
		} else {
			s->more++;
		}
	}
	/* Scripts and tests (test clock only) stand in for the recipient reading the SMS:
	 * the outbox's copy is gone as soon as the platform has it. */
	if (rc == KIOSK_OK && x->p->test_code)
		memcpy(x->p->test_code, code, sizeof code);
	kiosk_cleanse(code, sizeof code);
	if (rc == KIOSK_OK) {
		s->phase = KIOSK_DEPOSIT_DONE;
		s->parcel[0] = '\0';
	}
	return rc;
}

static void on_round(struct kiosk_fctx *x)
{
	struct deposit *s = x->session;
	struct kiosk_door_reading r;
	if (s->phase != KIOSK_DEPOSIT_OPEN)
		return;
	/* Closed after it opened for this deposit: in — unless a sensor says empty. */
	x->p->door_read(x, s->comp, &r);
	if (r.open)
		return;
	if (r.has_sensor && !r.item) {
		s->phase = KIOSK_DEPOSIT_EMPTY;
		return;
	}
	int rc = commit(x);
	if (rc)
		KLOG_ERROR("core", "event=deposit_not_committed err=%s", kiosk_errname(rc));
}

static int deposit(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	struct deposit *s = x->session;
	struct kiosk_door door;
	KIOSK_TERM(cmd->u.deposit.courier);
	KIOSK_TERM(cmd->u.deposit.tracking);
	KIOSK_TERM(cmd->u.deposit.phone);
	if (!kiosk_flow_is_courier(x, rq, cmd->u.deposit.courier))
		return KIOSK_EDENIED;
	int rc = x->p->door_ready(x);
	if (rc)
		return rc;
	if (cmd->u.deposit.size < 0 || cmd->u.deposit.size > 3)
		return KIOSK_EINVAL;
	rc = kiosk_parcel_deposit_begin(x->p->store, cmd->u.deposit.courier,
					cmd->u.deposit.tracking, cmd->u.deposit.phone,
					(enum kiosk_size)cmd->u.deposit.size, res->u.door.parcel,
					&door);
	if (rc)
		return rc;
	snprintf(s->parcel, sizeof s->parcel, "%s", res->u.door.parcel);
	snprintf(s->comp, sizeof s->comp, "%.15s", door.compartment);
	s->phase = KIOSK_DEPOSIT_OPENING;
	s->op = door.op;
	return x->p->door_open(x, rq, res, &door);
}

/* Is the command's parcel this session's deposit? (terminates it first) */
static bool own_deposit(const struct kiosk_fctx *x, const struct kiosk_request *rq,
			struct kiosk_cmd *cmd)
{
	const struct deposit *s = x->session;
	const char *parcel = cmd->u.parcel.parcel;
	KIOSK_TERM(cmd->u.parcel.parcel);
	return rq->actor.kind == KIOSK_ACTOR_SESSION && x->p->auth->courier[0] &&
	       s->parcel[0] && strcmp(parcel, s->parcel) == 0;
}

/* The courier's word that it is in: only where the core cannot tell by itself (the sensor
 * saw nothing, or a deposit left unfinished earlier). */
static int done(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		struct kiosk_result *res)
{
	(void)res;
	struct deposit *s = x->session;
	if (!own_deposit(x, rq, cmd))
		return KIOSK_EDENIED;
	if (s->phase != KIOSK_DEPOSIT_EMPTY && s->phase != KIOSK_DEPOSIT_UNFINISHED)
		return KIOSK_ESTATE; /* the door decides: closed on it is committed */
	return commit(x);
}

static int cancel(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		  struct kiosk_result *res)
{
	(void)res;
	struct deposit *s = x->session;
	if (!own_deposit(x, rq, cmd))
		return KIOSK_EDENIED;
	int rc = kiosk_parcel_deposit_cancel(x->p->store, cmd->u.parcel.parcel);
	if (rc == KIOSK_OK) {
		s->parcel[0] = '\0';
		s->phase = KIOSK_DEPOSIT_NONE;
	}
	return rc;
}

static int unfinished(struct kiosk_fctx *x, const struct kiosk_request *rq,
		      struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct deposit *s = x->session;
	struct kiosk_parcel p;
	KIOSK_TERM(cmd->u.courier.courier);
	if (!kiosk_flow_is_courier(x, rq, cmd->u.courier.courier))
		return KIOSK_EDENIED;
	int rc = kiosk_parcel_unfinished(x->p->store, cmd->u.courier.courier, &p);
	if (rc)
		return rc;
	size_t n = strlen(p.tracking);
	snprintf(res->u.unfinished.parcel, sizeof res->u.unfinished.parcel, "%s", p.id);
	snprintf(res->u.unfinished.tracking_tail, sizeof res->u.unfinished.tracking_tail, "%s",
		 p.tracking + (n > 8 ? n - 8 : 0));
	snprintf(res->u.unfinished.compartment, sizeof res->u.unfinished.compartment, "%.15s",
		 p.compartment);
	/* Put to this courier: finishing or cancelling it is now this session's step. */
	snprintf(s->parcel, sizeof s->parcel, "%.36s", p.id);
	s->phase = KIOSK_DEPOSIT_UNFINISHED;
	return KIOSK_OK;
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	const struct deposit *s = x->session;
	v->deposit = s->phase;
	v->door_busy |= s->phase == KIOSK_DEPOSIT_OPENING || s->phase == KIOSK_DEPOSIT_OPEN;
}

/* A deposit stays depositing when its door opens, until the courier closes it on the parcel
 * (on_round); a door that jammed or never opened gives the parcel up (a jammed compartment
 * is faulty; one never opened is free again). */
static const struct kiosk_door_rules door_rules[] = {
	{"deposit", "|depositing|", KIOSK_MOVE_NONE, KIOSK_MOVE_DEPOSIT_CANCEL,
	 KIOSK_MOVE_DEPOSIT_CANCEL_RELEASE},
	{0},
};

/* A help call from this session: its door and parcel. */
static void help_about(struct kiosk_fctx *x, struct kiosk_help_about *a)
{
	const struct deposit *s = x->session;
	kiosk_flow_help_about(a, s->comp, s->parcel, NULL);
}

/* A parcel's label scanned while the courier fills the form: its tracking number for the
 * field (letters, digits and dashes, 6 to 30), checked again when the deposit is made. */
static int on_scan(struct kiosk_fctx *x, const char *where, const char *code,
		   struct kiosk_cmd *intent, struct kiosk_result *res)
{
	(void)where, (void)intent;
	if (!x->p->auth->courier[0])
		return KIOSK_EDENIED; /* nobody logged in: the form is not open */
	if (!kiosk_flow_scan_word(code, 6, 30, "-"))
		return KIOSK_EPARSE;
	snprintf(res->u.scan.text, sizeof res->u.scan.text, "%s", code);
	return KIOSK_OK;
}

static const char *const scan_places[] = {"deposit", NULL};

/* The courier's deposits of this session on paper: how many, each door and tracking
 * number, for the courier's own records. Nothing of the recipient's is printed. */
static int print_summary(struct kiosk_fctx *x, const struct kiosk_request *rq,
			 struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd, (void)res;
	const struct deposit *s = x->session;
	const char *courier = x->p->auth->courier;
	if (rq->actor.kind != KIOSK_ACTOR_SESSION || !courier[0])
		return KIOSK_EDENIED;
	if (!s->nin)
		return KIOSK_ESTATE; /* nothing put in yet */
	struct kiosk_receipt r = {0};
	char line[96];
	snprintf(r.title, sizeof r.title, "存件汇总");
	snprintf(r.title_en, sizeof r.title_en, "Deposits");
	snprintf(r.big, sizeof r.big, "%d 件", s->nin + s->more);
	snprintf(line, sizeof line, "快递员 Courier: %.31s", courier);
	kiosk_receipt_add(&r, line);
	for (int i = 0; i < s->nin && i < SUMMARY; i++) {
		snprintf(line, sizeof line, "%.15s  %.31s", s->in[i].comp, s->in[i].tracking);
		kiosk_receipt_add(&r, line);
	}
	if (s->more) {
		snprintf(line, sizeof line, "…另 %d 件 and %d more", s->more, s->more);
		kiosk_receipt_add(&r, line);
	}
	snprintf(r.foot, sizeof r.foot, "取件码由短信发给收件人 Recipients get codes by SMS");
	return x->p->print(x, rq, KIOSK_CMD_PRINT_DEPOSITS, &r);
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_DEPOSIT, deposit},
	{KIOSK_CMD_DEPOSIT_DONE, done},
	{KIOSK_CMD_DEPOSIT_CANCEL, cancel},
	{KIOSK_CMD_UNFINISHED, unfinished},
	{KIOSK_CMD_PRINT_DEPOSITS, print_summary},
	{0},
};

const struct kiosk_flow kiosk_flow_deposit = {
	.name = "deposit",
	.session_size = sizeof(struct deposit),
	.handlers = handlers,
	.door_rules = door_rules,
	.on_device_outcome = on_outcome,
	.on_round = on_round,
	.help_about = help_about,
	.scan_at = scan_places,
	.on_scan = on_scan,
	.view = view,
};
