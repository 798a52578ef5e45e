/* Every flow the core runs: the one registration table, like a driver table. Adding a
 * flow is a file in kiosk/flow/ and a line here; the core names none of them. */
#include "kiosk/flow/flow.h"

extern const struct kiosk_flow kiosk_flow_pickup, kiosk_flow_courier, kiosk_flow_deposit,
	kiosk_flow_takeout, kiosk_flow_send, kiosk_flow_pay, kiosk_flow_maint,
	kiosk_flow_resident, kiosk_flow_test, kiosk_flow_vend, kiosk_flow_meal;

const struct kiosk_flow *const kiosk_flows[] = {
	&kiosk_flow_pickup, &kiosk_flow_courier,  &kiosk_flow_deposit, &kiosk_flow_takeout,
	&kiosk_flow_send,   &kiosk_flow_pay,      &kiosk_flow_maint,   &kiosk_flow_resident,
	&kiosk_flow_test,   &kiosk_flow_vend,     &kiosk_flow_meal,    NULL,
};

int kiosk_flows_door_rules(struct kiosk_door_rules *out, int cap)
{
	int n = 0;
	for (const struct kiosk_flow *const *f = kiosk_flows; *f; f++)
		for (const struct kiosk_door_rules *r = (*f)->door_rules; r && r->purpose; r++)
			if (n < cap - 1)
				out[n++] = *r;
	out[n] = (struct kiosk_door_rules){0};
	return n;
}

int kiosk_door_outcome_by_flows(struct kiosk_store *st, int64_t op, enum kiosk_door_result r)
{
	struct kiosk_door_rules all[32];
	kiosk_flows_door_rules(all, 32);
	return kiosk_door_outcome(st, op, r, all);
}
