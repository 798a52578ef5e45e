/* The application's own errors: what only the kiosk's flows and screens can say (sold
 * out, unpaid, no free compartment; no display, no font). They continue the one error
 * numbering of hal/base/error.h in the range it leaves to the application, and register
 * their names and texts with it, so kiosk_strerror() and kiosk_errname() know them too. */
#ifndef KIOSK_ERRORS_H
#define KIOSK_ERRORS_H

#include "hal/base/error.h"

enum kiosk_app_err {
	KIOSK_ESOLDOUT = KIOSK_ERR_APP_FIRST, /* the slot has no stock */
	KIOSK_ENOFREE = KIOSK_ERR_APP_FIRST - 1, /* no free compartment of a fitting size */
	KIOSK_EUNPAID = KIOSK_ERR_APP_FIRST - 2, /* a fee or price must be paid first */
	KIOSK_ENODISPLAY = KIOSK_ERR_APP_FIRST - 3, /* no video output available */
	KIOSK_ENOFONT = KIOSK_ERR_APP_FIRST - 4,    /* no usable CJK font */
	KIOSK_ELOOK = KIOSK_ERR_APP_FIRST - 5,  /* a parcel may be inside: look before enabling */
	KIOSK_EITEM = KIOSK_ERR_APP_FIRST - 6,  /* the item sensor sees something inside */
	KIOSK_APP_ERR_LAST = KIOSK_ERR_APP_FIRST - 6
};

/* Registers the names and texts (idempotent; also run before main() wherever this file
 * is linked). */
void kiosk_errors_init(void);

#endif
