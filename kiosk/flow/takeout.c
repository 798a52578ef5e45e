/* 取回 / 揽收 A courier takes parcels out: expired parcels back (retrieval), and the sends
 * of the courier's company (collection). The oldest one's door opens for the logged-in
 * courier; the store moves the parcel on when the door opens. */
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"

static int take_out(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	struct kiosk_door door;
	const char *who = cmd->u.courier.courier;
	char *parcel = res->u.door.parcel;
	KIOSK_TERM(cmd->u.courier.courier);
	if (!kiosk_flow_is_courier(x, rq, who))
		return KIOSK_EDENIED;
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
	return x->p->door_open(x, rq, res, &door);
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_RETRIEVE, take_out},
	{KIOSK_CMD_COLLECT, take_out},
	{0},
};

const struct kiosk_flow kiosk_flow_takeout = {
	.name = "takeout",
	.handlers = handlers,
};
