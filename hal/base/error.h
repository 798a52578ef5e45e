/* The project's one error enum.
 *
 * It lives at the bottom layer (hal/) because every layer returns it: a driver's
 * "no reply" must reach the screen unchanged. Values are negative so functions can
 * return "count or error" in one int; 0 is success. Errors are translated from errno at
 * the place they happen and logged there once. */
#ifndef KIOSK_HAL_ERROR_H
#define KIOSK_HAL_ERROR_H

enum kiosk_err {
	KIOSK_OK = 0,
	KIOSK_EINVAL = -1,      /* an argument or input value is wrong */
	KIOSK_ENOMEM = -2,      /* allocation failed */
	KIOSK_EIO = -3,         /* an operating-system I/O call failed */
	KIOSK_ENOENT = -4,      /* a file, record or id does not exist */
	KIOSK_EEXIST = -5,      /* it exists already (duplicate) */
	KIOSK_ETIMEDOUT = -6,   /* the device or peer did not answer in time */
	KIOSK_EBUSY = -7,       /* the resource is in use or full */
	KIOSK_EPARSE = -8,      /* bytes or text from outside could not be parsed */
	KIOSK_ESTATE = -9,      /* the operation is not allowed in the current state */
	KIOSK_ENOSPACE = -10,   /* a bounded buffer or table is full */
	KIOSK_EDEVICE = -11,    /* the device reported a fault */
	KIOSK_EPROTO = -12,     /* the peer broke the protocol (bad frame, checksum) */
	KIOSK_EDENIED = -13,    /* wrong code / PIN, or not permitted */
	KIOSK_ELOCKED = -14,    /* locked out after too many attempts */
	KIOSK_EDB = -15,        /* the database refused or failed */
	KIOSK_EVERSION = -16,   /* written by a newer version, or a foreign file */
	KIOSK_ENOTSUP = -17,    /* not built yet, or not supported by this device */
	KIOSK_ENODISPLAY = -18, /* no video output available */
	KIOSK_ENOFONT = -19,    /* no usable CJK font */
	KIOSK_ECONFIG = -20,    /* the configuration is invalid */
	KIOSK_ECORRUPT = -21,   /* stored data fails its integrity check */
	KIOSK_ESOLDOUT = -22,   /* the slot has no stock */
	KIOSK_ENOFREE = -23,    /* no free compartment of a fitting size */
	KIOSK_EUNPAID = -24,    /* a fee or price must be paid first */
	KIOSK_ERR_LAST = -24
};

/* Returns a static English description; never NULL, also for unknown values. */
const char *kiosk_strerror(int err);

/* Returns the short stable name ("EINVAL") used in logs and JSON; static, never NULL. */
const char *kiosk_errname(int err);

/* Maps an errno value to the closest kiosk_err. */
int kiosk_err_from_errno(int e);

#endif
