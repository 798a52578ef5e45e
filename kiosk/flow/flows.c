/* Every flow the core runs: the one registration table, like a driver table. Adding a
 * flow is a file in kiosk/flow/ and a line here; the core names none of them. */
#include "kiosk/flow/flow.h"

extern const struct kiosk_flow kiosk_flow_pickup, kiosk_flow_courier, kiosk_flow_deposit,
	kiosk_flow_takeout, kiosk_flow_send, kiosk_flow_pay, kiosk_flow_maint,
	kiosk_flow_resident, kiosk_flow_test;

const struct kiosk_flow *const kiosk_flows[] = {
	&kiosk_flow_pickup, &kiosk_flow_courier,  &kiosk_flow_deposit, &kiosk_flow_takeout,
	&kiosk_flow_send,   &kiosk_flow_pay,      &kiosk_flow_maint,   &kiosk_flow_resident,
	&kiosk_flow_test,   NULL,
};
