/* The project's one error numbering.
 *
 * Its base lives at the bottom layer (hal/base) because every layer returns it: a
 * driver's "no reply" must reach the screen unchanged. The application's own errors
 * (sold out, unpaid, no font …) are defined with the core in kiosk/errors.h, in a range
 * of their own below KIOSK_ERR_APP_FIRST, and register their names here. Values are
 * negative so functions can return "count or error" in one int; 0 is success. Errors
 * are translated from errno at the place they happen and logged there once. */
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
	KIOSK_ECONFIG = -18,    /* the configuration is invalid */
	KIOSK_ECORRUPT = -19,   /* stored data fails its integrity check */
	KIOSK_EPERM = -20,      /* the OS refused access to a file (permissions, read-only) */
	KIOSK_EDISKFULL = -21,  /* the disk (or quota) is full */
	KIOSK_EEXPIRED = -22,   /* its deadline passed before it was carried out: not done */
	KIOSK_ERR_LAST = -22,   /* the base's last */
	KIOSK_ERR_APP_FIRST = -32 /* the application's errors start here, going down */
};

/* A name and a text for an error code. */
struct kiosk_err_desc {
	const char *name, *text;
};

/* The application's errors: tab[i] describes KIOSK_ERR_APP_FIRST - i, for n codes. tab is
 * kept (static storage). Registering again replaces the table. */
void kiosk_err_register_app(const struct kiosk_err_desc *tab, int n);

/* Returns a static English description; never NULL, also for unknown values. */
const char *kiosk_strerror(int err);

/* Returns the short stable name ("EINVAL") used in logs and JSON; static, never NULL. */
const char *kiosk_errname(int err);

/* Maps an errno value to the closest kiosk_err. */
int kiosk_err_from_errno(int e);

#endif
