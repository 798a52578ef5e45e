#include "hal/mdb/mdb_link.h"
#include "hal/mdb/mdb_adapter.h"
#include "hal/mdb/mdb_uart9.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <string.h>

static int adapter_open(const char *path, void **out)
{
	return mdb_adapter_open(path, (struct mdb_adapter **)out);
}

static void adapter_close(void *l)
{
	mdb_adapter_close(l);
}

static int adapter_call(void *l, const uint8_t *b, size_t n, struct mdb_reply *r)
{
	return mdb_adapter_call(l, b, n, r);
}

static int adapter_reset(void *l)
{
	return mdb_adapter_bus_reset(l);
}

static int uart9_open(const char *path, void **out)
{
	return mdb_uart9_open(path, (struct mdb_uart9 **)out);
}

static void uart9_close(void *l)
{
	mdb_uart9_close(l);
}

static int uart9_call(void *l, const uint8_t *b, size_t n, struct mdb_reply *r)
{
	return mdb_uart9_call(l, b, n, r);
}

static int uart9_reset(void *l)
{
	return mdb_uart9_bus_reset(l);
}

static const struct mdb_link_ops adapter = {"adapter", adapter_open, adapter_close,
					    adapter_call, adapter_reset};
static const struct mdb_link_ops uart9 = {"uart9", uart9_open, uart9_close, uart9_call,
					  uart9_reset};
static const struct mdb_link_ops *const links[] = {&adapter, &uart9, NULL};

struct mdb_link {
	const struct mdb_link_ops *ops;
	void *l;
};

int mdb_link_open(const char *name, const char *path, struct mdb_link **out)
{
	*out = NULL;
	const struct mdb_link_ops *ops = NULL;
	for (int i = 0; links[i] && !ops; i++)
		if (strcmp(links[i]->name, name) == 0)
			ops = links[i];
	if (!ops)
		return KIOSK_ENOTSUP;
	struct mdb_link *k = kiosk_calloc(1, sizeof *k);
	if (!k)
		return KIOSK_ENOMEM;
	k->ops = ops;
	int rc = ops->open(path, &k->l);
	if (rc) {
		kiosk_free(k);
		return rc;
	}
	*out = k;
	return KIOSK_OK;
}

void mdb_link_close(struct mdb_link *l)
{
	if (!l)
		return;
	l->ops->close(l->l);
	kiosk_free(l);
}

int mdb_link_call(struct mdb_link *l, const uint8_t *b, size_t n, struct mdb_reply *r)
{
	return l->ops->call(l->l, b, n, r);
}

int mdb_link_bus_reset(struct mdb_link *l)
{
	return l->ops->bus_reset(l->l);
}

const char *mdb_link_names(void)
{
	return "adapter, uart9";
}
