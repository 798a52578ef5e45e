#include "kiosk/errors.h"

static const struct kiosk_err_desc app[] = {
	{"ESOLDOUT", "sold out"},
	{"ENOFREE", "no free compartment of that size"},
	{"EUNPAID", "payment required first"},
	{"ENODISPLAY", "no display available"},
	{"ENOFONT", "no CJK font available"},
	{"ELOOK", "a parcel may be inside: open the door and look, then say what is inside"},
	{"EITEM", "the item sensor sees something inside"},
};

_Static_assert(sizeof app / sizeof app[0] == KIOSK_ERR_APP_FIRST - KIOSK_APP_ERR_LAST + 1,
	       "every application error needs a name and a text");

void kiosk_errors_init(void)
{
	kiosk_err_register_app(app, (int)(sizeof app / sizeof app[0]));
}

/* Before main(), in every program that links this file: no code path can print an
 * application error before its name is known. */
__attribute__((constructor)) static void register_at_start(void)
{
	kiosk_errors_init();
}
