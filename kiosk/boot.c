/* Starting the core: the device classes as configured, the store (one kiosk per store, the
 * device key, recovery inside kiosk_store_open) and the demo's known PINs — only in a store
 * that --simulate made. */
#include "kiosk/core_int.h"
#include "kiosk/assets.h"
#include "kiosk/demo_catalogue.h"
#include "kiosk/crypto.h"
#include "kiosk/paths.h"
#include "hal/lock/lock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static const char *const class_names[] = {"lock", "vend", "mdb", "printer", "scanner"};
static const char *const state_names[] = {"absent", "simulated", "not_built", "ok", "fault"};

const char *kiosk_devclass_name(enum kiosk_devclass c)
{
	return (unsigned)c < KIOSK_DEV_COUNT ? class_names[c] : "?";
}

const char *kiosk_devstate_name(enum kiosk_devstate s)
{
	return (unsigned)s <= KIOSK_DEVSTATE_FAULT ? state_names[s] : "?";
}

static const struct kiosk_device_cfg *dev_cfg(const struct kiosk_config *c, enum kiosk_devclass d)
{
	const struct kiosk_device_cfg *tab[] = {&c->lock, &c->vend, &c->mdb, &c->printer,
						&c->scanner};
	return tab[d];
}

/* What status may say before any bus reports: never a device that is not there. The lock
 * class is built, and its state is the bank's (no compartments configured: no lock
 * device, whatever the driver); its bus reports faults from then on. The printer and the
 * scanner are fitted when their port names a device (or simulated); the snapshot says
 * what each device says of itself from then on. */
void kiosk_core_init_devices(struct kiosk_core *c)
{
	for (int d = 0; d < KIOSK_DEV_COUNT; d++) {
		const struct kiosk_device_cfg *dc = dev_cfg(&c->cfg, (enum kiosk_devclass)d);
		enum kiosk_devstate s = KIOSK_DEVSTATE_ABSENT;
		if (d == KIOSK_DEV_LOCK) {
			bool known = !dc->driver[0] || hal_lock_driver_find(dc->driver);
			if (c->cfg.ncompartments && (dc->driver[0] || c->simulate))
				s = !known	       ? KIOSK_DEVSTATE_NOT_BUILT
				    : c->simulate ? KIOSK_DEVSTATE_SIMULATED
						  : KIOSK_DEVSTATE_OK;
		} else if ((d == KIOSK_DEV_VEND || d == KIOSK_DEV_MDB) &&
			   (dc->driver[0] || c->simulate)) {
			bool known = !dc->driver[0] ||
				     strcmp(dc->driver, d == KIOSK_DEV_VEND ? "fafb" : "adapter") == 0;
			s = !known	       ? KIOSK_DEVSTATE_NOT_BUILT
			    : c->simulate ? KIOSK_DEVSTATE_SIMULATED
					  : KIOSK_DEVSTATE_OK;
		} else if (dc->port[0] || c->simulate) { /* the printer, the scanner: a spec */
			s = c->simulate ? KIOSK_DEVSTATE_SIMULATED : KIOSK_DEVSTATE_OK;
		}
		c->snap.dev[d] = s;
		KLOG_INFO("core", "event=device class=%s state=%s driver=%s", class_names[d],
			  state_names[s], dc->driver[0] ? dc->driver : "-");
	}
	c->snap.simulate = c->simulate;
}

/* Why a store or its folder cannot be used, in the words an operator acts on. */
static void store_why(char *why, size_t why_len, const char *path, int rc)
{
	if (rc == KIOSK_EPERM || rc == KIOSK_EDISKFULL)
		snprintf(why, why_len, "cannot write %s: %s", path, kiosk_strerror(rc));
	else
		snprintf(why, why_len, "store %s: %s", path, kiosk_strerror(rc));
}

/* The demo machine (--simulate) needs someone to log in with: operator 8001, PIN 2468,
 * couriers 9001 (SF) and 9002 (JD), PIN 1357, and canteen staff 7001, PIN 3579 (助餐),
 * documented in the README; the couriers' two companies are the carriers a resident can
 * send with. Only into a store that --simulate made (marked as a demo store), so a real
 * deployment never gets known PINs. */
static void seed_demo(struct kiosk_core *c)
{
	int64_t n = 0;
	char hash[KIOSK_PINHASH_MAX];
	static const char *const couriers[][2] = {{"9001", "SF"}, {"9002", "JD"}};
	if (kiosk_person_count(c->store, "courier", &n) == KIOSK_OK && !n &&
	    kiosk_pin_hash("1357", KIOSK_PIN_MIN_ITER, hash, sizeof hash) == KIOSK_OK)
		for (size_t i = 0; i < sizeof couriers / sizeof couriers[0]; i++)
			if (kiosk_person_upsert(c->store, couriers[i][0], "courier",
						"演示快递员 Demo courier", couriers[i][1],
						hash) == KIOSK_OK)
				KLOG_INFO("core", "event=demo_courier_seeded id=%s company=%s",
					  couriers[i][0], couriers[i][1]);
	if (kiosk_person_count(c->store, "canteen", &n) == KIOSK_OK && !n &&
	    kiosk_pin_hash("3579", KIOSK_PIN_MIN_ITER, hash, sizeof hash) == KIOSK_OK &&
	    kiosk_person_upsert(c->store, "7001", "canteen", "演示食堂 Demo canteen staff", "",
				hash) == KIOSK_OK)
		KLOG_INFO("core", "event=demo_canteen_staff_seeded id=7001");
	if (kiosk_person_count(c->store, "operator", &n) || n)
		return;
	if (kiosk_pin_hash("2468", KIOSK_PIN_MIN_ITER, hash, sizeof hash) == KIOSK_OK &&
	    kiosk_person_upsert(c->store, "8001", "operator", "演示运维 Demo operator", "", hash) ==
		    KIOSK_OK)
		KLOG_INFO("core", "event=demo_operator_seeded id=8001");
}

/* The demo vending machine's catalogue and planogram (assets/demo/catalogue.json: drinks,
 * snacks and daily needs at the prices a compound-gate machine asks, with pictures made for
 * the project). Seeded once, into an empty demo catalogue, in one transaction; the
 * simulated board is stocked from it (kiosk/vending.c). A file that is missing or wrong is
 * said, and the kiosk runs without a catalogue (购物 then says nothing is for sale). */
static void seed_demo_vend(struct kiosk_core *c)
{
	struct kiosk_vend_item none[1];
	int n = 0;
	if (kiosk_vend_items(c->store, none, 1, &n) != KIOSK_OK || n)
		return;
	char path[KIOSK_PATH_MAX + 32], why[200];
	struct kiosk_demo_catalogue cat;
	kiosk_asset_path(c->cfg.ui_assets, "demo/catalogue.json", path, sizeof path);
	int rc = kiosk_demo_catalogue_read(path, &cat, why, sizeof why);
	if (rc) {
		KLOG_ERROR("core", "event=demo_catalogue_refused err=%s why=\"%s\"",
			   kiosk_errname(rc), why);
		return;
	}
	int bad;
	rc = kiosk_catalogue_seed(c->store, &cat.page, cat.stock, "demo", &bad);
	if (rc)
		KLOG_ERROR("core", "event=demo_catalogue_not_seeded err=%s change=%d",
			   kiosk_errname(rc), bad);
	else
		KLOG_INFO("core", "event=demo_catalogue_seeded file=%s changes=%d", path,
			  cat.page.n);
	kiosk_demo_catalogue_free(&cat);
}

/* A demo store (known PINs) never serves a real run; a real store never gets demo PINs. */
static int check_demo(struct kiosk_core *c, char *why, size_t why_len)
{
	bool demo = false;
	int rc = kiosk_store_is_demo(c->store, &demo);
	if (rc == KIOSK_OK && c->simulate && kiosk_store_created(c->store))
		rc = kiosk_store_mark_demo(c->store);
	if (rc) {
		store_why(why, why_len, c->cfg.store_path, rc);
		return rc;
	}
	demo = demo || (c->simulate && kiosk_store_created(c->store));
	if (demo && !c->simulate) {
		snprintf(why, why_len,
			 "store %s is a demo store (made by --simulate, with the demo PINs): run it "
			 "with --simulate, or give this kiosk a new store",
			 c->cfg.store_path);
		return KIOSK_ECONFIG;
	}
	if (demo) {
		seed_demo(c);
		seed_demo_vend(c);
	}
	else if (c->simulate)
		KLOG_WARN("core", "event=demo_not_seeded store=%s reason=\"not a demo store\"",
			  c->cfg.store_path);
	return KIOSK_OK;
}

static int claim_one(const char *path, const char *what, int *fd, char *why, size_t why_len)
{
	long holder = 0;
	int rc = kiosk_paths_lock(path, fd, &holder);
	if (rc == KIOSK_EBUSY)
		snprintf(why, why_len, "another kiosk is running (pid %ld) on %s %s", holder, what,
			 path);
	else if (rc)
		store_why(why, why_len, path, rc);
	return rc;
}

void kiosk_claim_release(struct kiosk_claim *cl)
{
	if (cl->socket_fd >= 0)
		close(cl->socket_fd);
	if (cl->store_fd >= 0)
		close(cl->store_fd);
	cl->store_fd = cl->socket_fd = -1;
}

int kiosk_core_claim(const struct kiosk_config *k, struct kiosk_claim *out, char *why,
		     size_t why_len)
{
	*out = (struct kiosk_claim){-1, -1};
	/* First start for this user: the folders are made, private. */
	const char *made = k->device_key_file;
	int rc = kiosk_paths_make_parent(made);
	if (rc == KIOSK_OK)
		rc = kiosk_paths_make_parent(made = k->store_path);
	if (rc == KIOSK_OK)
		rc = kiosk_paths_make_parent(made = k->control_socket);
	if (rc) {
		snprintf(why, why_len, "folder for %s: %s", made, kiosk_strerror(rc));
		return rc;
	}
	if ((rc = kiosk_paths_private(k->store_path, why, why_len)) ||
	    (rc = kiosk_paths_private(k->device_key_file, why, why_len)))
		return rc == KIOSK_EPERM ? KIOSK_ECONFIG : rc;
	/* One kiosk per store, before the store, the socket or a port is touched: a second
	 * one would run recovery on the first one's doors; and one per control socket, which
	 * a second kiosk (with a store of its own) would otherwise unlink and take. */
	rc = claim_one(k->store_path, "store", &out->store_fd, why, why_len);
	if (rc == KIOSK_OK)
		rc = claim_one(k->control_socket, "control socket", &out->socket_fd, why, why_len);
	if (rc)
		kiosk_claim_release(out);
	return rc;
}

int kiosk_core_open_store(struct kiosk_core *c, char *why, size_t why_len)
{
	uint8_t key[KIOSK_DEVKEY_LEN];
	const struct kiosk_config *k = &c->cfg;
	int rc;
	if (c->claim.store_fd < 0 && (rc = kiosk_core_claim(k, &c->claim, why, why_len)))
		return rc;
	/* A new key only with a new store: with an existing store a new key would turn every
	 * outstanding pickup code "wrong". */
	struct stat sb;
	int store_exists = stat(k->store_path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
	rc = kiosk_devkey_load(k->device_key_file, key, !store_exists);
	if (rc == KIOSK_ENOENT && store_exists) {
		snprintf(why, why_len,
			 "device key %s is missing but store %s exists: restore the key (a new one "
			 "would make every pickup code wrong), or start with a new store",
			 k->device_key_file, k->store_path);
		return KIOSK_ECONFIG;
	}
	if (rc) {
		snprintf(why, why_len, "device key %s: %s", k->device_key_file, kiosk_strerror(rc));
		return rc;
	}
	struct kiosk_store_opts so = {
		.path = k->store_path,
		.device_key = key,
		.now_ms = kiosk_core_store_ms,
		.parcel_keep_days = k->parcel_keep_days,
		.retention_days = k->store_retention_days,
		.fee = {k->parcel_free_hours, k->parcel_fee_block_hours, k->parcel_fee_block_fen,
			k->parcel_fee_cap_fen},
	};
	rc = kiosk_store_open(&so, &c->store);
	kiosk_cleanse(key, sizeof key);
	if (rc) {
		store_why(why, why_len, k->store_path, rc);
		return rc;
	}
	return check_demo(c, why, why_len);
}
