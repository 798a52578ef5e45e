#include "hal/base/error.h"

#include <errno.h>
#include <stddef.h>

static const struct {
	const char *name;
	const char *text;
} errtab[] = {
	[0] = {"OK", "success"},
	[1] = {"EINVAL", "invalid argument"},
	[2] = {"ENOMEM", "out of memory"},
	[3] = {"EIO", "input/output error"},
	[4] = {"ENOENT", "not found"},
	[5] = {"EEXIST", "already exists"},
	[6] = {"ETIMEDOUT", "timed out"},
	[7] = {"EBUSY", "busy"},
	[8] = {"EPARSE", "cannot parse input"},
	[9] = {"ESTATE", "not allowed in the current state"},
	[10] = {"ENOSPACE", "no space left in table or buffer"},
	[11] = {"EDEVICE", "device fault"},
	[12] = {"EPROTO", "protocol error"},
	[13] = {"EDENIED", "denied"},
	[14] = {"ELOCKED", "locked out, try again later"},
	[15] = {"EDB", "database error"},
	[16] = {"EVERSION", "unsupported version or foreign file"},
	[17] = {"ENOTSUP", "not supported"},
	[18] = {"ECONFIG", "invalid configuration"},
	[19] = {"ECORRUPT", "integrity check failed"},
	[20] = {"EPERM", "permission denied"},
	[21] = {"EDISKFULL", "disk full"},
	[22] = {"EEXPIRED", "not done: its time ran out before it was sent"},
};

static const struct kiosk_err_desc *app_tab;
static int app_n;

void kiosk_err_register_app(const struct kiosk_err_desc *tab, int n)
{
	app_tab = tab;
	app_n = tab ? n : 0;
}

/* The application's range, or NULL. */
static const struct kiosk_err_desc *app_desc(int err)
{
	int i = KIOSK_ERR_APP_FIRST - err;
	return err <= KIOSK_ERR_APP_FIRST && i < app_n ? &app_tab[i] : NULL;
}

_Static_assert(sizeof errtab / sizeof errtab[0] == 1 - KIOSK_ERR_LAST,
	       "every kiosk_err needs a name and a text");

static int index_of(int err)
{
	if (err > 0 || err < KIOSK_ERR_LAST)
		return -1;
	return -err;
}

const char *kiosk_strerror(int err)
{
	int i = index_of(err);
	const struct kiosk_err_desc *a = app_desc(err);
	return i >= 0 ? errtab[i].text : a ? a->text : "unknown error";
}

const char *kiosk_errname(int err)
{
	int i = index_of(err);
	const struct kiosk_err_desc *a = app_desc(err);
	return i >= 0 ? errtab[i].name : a ? a->name : "EUNKNOWN";
}

int kiosk_err_from_errno(int e)
{
	switch (e) {
	case 0:
		return KIOSK_OK;
	case EINVAL:
		return KIOSK_EINVAL;
	case ENOMEM:
		return KIOSK_ENOMEM;
	case ENOENT:
		return KIOSK_ENOENT;
	case EEXIST:
		return KIOSK_EEXIST;
	case ETIMEDOUT:
		return KIOSK_ETIMEDOUT;
	case EBUSY:
	case EAGAIN:
		return KIOSK_EBUSY;
	case ENOSPC:
	case EDQUOT:
		return KIOSK_EDISKFULL;
	case EACCES:
	case EPERM:
	case EROFS:
		return KIOSK_EPERM;
	case ENOTSUP:
		return KIOSK_ENOTSUP;
	default:
		return KIOSK_EIO;
	}
}
