/* 取回 / 揽收 A courier takes parcels out: expired parcels back (retrieval), and the sends
 * of the courier's company (collection). The oldest one's door opens for the logged-in
 * courier; the takeout follows its door: closed on an empty compartment (the item sensor
 * agreeing, where fitted; without one the closing is all there is) it is committed here —
 * never on the opening alone. Closed with the parcel still inside, nothing is marked and the
 * courier may open it again. */
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

struct takeout {
	enum kiosk_takeout_phase phase;
	char parcel[37], comp[16];
	int64_t op;
};

static int take_out(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	struct takeout *s = x->session;
	struct kiosk_door door;
	const char *who = cmd->u.courier.courier;
	char *parcel = res->u.door.parcel;
	KIOSK_TERM(cmd->u.courier.courier);
	if (!kiosk_flow_is_courier(x, rq, who))
		return KIOSK_EDENIED;
	if (s->phase == KIOSK_TAKEOUT_OPENING || s->phase == KIOSK_TAKEOUT_OPEN)
		return KIOSK_EBUSY; /* one door at a time: this one first */
	int rc = x->p->door_ready(x);
	if (rc)
		return rc;
	if (cmd->type == KIOSK_CMD_RETRIEVE) {
		rc = kiosk_parcel_next_expired(x->p->store, parcel);
		if (rc == KIOSK_OK)
			rc = kiosk_parcel_retrieve_open(x->p->store, who, parcel, &door);
	} else {
		rc = kiosk_send_next_to_collect(x->p->store, who, parcel);
		if (rc == KIOSK_OK)
			rc = kiosk_send_collect_open(x->p->store, who, parcel, &door);
	}
	if (rc)
		return rc;
	/* the courier is told what to take out: its tracking number (a send: its number) */
	struct kiosk_parcel pk;
	if (kiosk_parcel_get(x->p->store, parcel, &pk) == KIOSK_OK)
		snprintf(res->u.door.tracking, sizeof res->u.door.tracking, "%s", pk.tracking);
	snprintf(s->parcel, sizeof s->parcel, "%s", parcel);
	snprintf(s->comp, sizeof s->comp, "%.15s", door.compartment);
	s->op = door.op;
	s->phase = KIOSK_TAKEOUT_OPENING;
	return x->p->door_open(x, rq, res, &door);
}

static void on_outcome(struct kiosk_fctx *x, const struct kiosk_door *door, int rc)
{
	struct takeout *s = x->session;
	if (door->op == s->op)
		s->phase = rc == KIOSK_OK ? KIOSK_TAKEOUT_OPEN : KIOSK_TAKEOUT_STUCK;
}

/* The door as it reads now decides: still open (nothing yet), empty (done), or the
 * parcel left inside. */
static void settle(struct kiosk_fctx *x, bool leaving)
{
	struct takeout *s = x->session;
	struct kiosk_door_reading r;
	if (s->phase != KIOSK_TAKEOUT_OPEN)
		return;
	x->p->door_read(x, s->comp, &r);
	if (r.open && !leaving)
		return;
	if (r.item || r.open) {
		/* Closed on it (or left open by a courier who walked away): it stays where
		 * it is, for the next takeout or the operator. */
		s->phase = KIOSK_TAKEOUT_LEFT_INSIDE;
		KLOG_INFO("core", "event=takeout_left_inside compartment=%s open=%d", s->comp,
			  r.open);
		return;
	}
	int rc = kiosk_takeout_done(x->p->store, s->parcel);
	if (rc) {
		KLOG_ERROR("core", "event=takeout_not_committed err=%s", kiosk_errname(rc));
		return;
	}
	s->phase = KIOSK_TAKEOUT_DONE;
	s->parcel[0] = '\0';
}

static void on_round(struct kiosk_fctx *x)
{
	settle(x, false);
}

/* The courier left: the door as it reads now decides, as it would at the next round. */
static void on_session_end(struct kiosk_fctx *x)
{
	settle(x, true);
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	const struct takeout *s = x->session;
	v->takeout = s->phase;
	snprintf(v->takeout_compartment, sizeof v->takeout_compartment, "%s", s->comp);
	v->door_busy |= s->phase == KIOSK_TAKEOUT_OPENING || s->phase == KIOSK_TAKEOUT_OPEN;
}

/* The opening alone takes nothing out (on_round commits it when the door closes on an empty
 * compartment); an opened door finds the parcel where the takeout expects it, or records
 * that it moved on. */
static const struct kiosk_door_rules door_rules[] = {
	{"retrieve", "|expired|", KIOSK_MOVE_NONE, KIOSK_MOVE_NONE, KIOSK_MOVE_NONE},
	{"collect", "|send_deposited|", KIOSK_MOVE_NONE, KIOSK_MOVE_NONE, KIOSK_MOVE_NONE},
	{0},
};

/* A help call from this session: its door and parcel. */
static void help_about(struct kiosk_fctx *x, struct kiosk_help_about *a)
{
	const struct takeout *s = x->session;
	kiosk_flow_help_about(a, s->comp, s->parcel, NULL);
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_RETRIEVE, take_out},
	{KIOSK_CMD_COLLECT, take_out},
	{0},
};

const struct kiosk_flow kiosk_flow_takeout = {
	.name = "takeout",
	.session_size = sizeof(struct takeout),
	.handlers = handlers,
	.door_rules = door_rules,
	.on_device_outcome = on_outcome,
	.on_round = on_round,
	.on_session_end = on_session_end,
	.help_about = help_about,
	.view = view,
};
