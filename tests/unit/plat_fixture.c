#include "plat_fixture.h"
#include "core_fixture.h"
#include "hal/base/clock.h"
#include "../test.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

struct plat *pf_start(const char *device, unsigned seed)
{
	char secret[128], db[128], why[256];
	snprintf(secret, sizeof secret, "%s/device.secret", cf_dir);
	snprintf(db, sizeof db, "%s/platform.db", cf_dir);
	int fd = open(secret, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "0123456789abcdef0123456789abcdef", 32) == 32);
	close(fd);
	struct plat_opts po = {.ndevices = 1, .seed = seed};
	snprintf(po.db, sizeof po.db, "%s", db);
	snprintf(po.host, sizeof po.host, "127.0.0.1");
	snprintf(po.devices[0].id, sizeof po.devices[0].id, "%s", device);
	snprintf(po.devices[0].secret_file, sizeof po.devices[0].secret_file, "%s", secret);
	struct plat *p = NULL;
	CHECK_INT(plat_start(&po, &p, why, sizeof why), 0);
	if (!p)
		return NULL;
	snprintf(cf_cfg.device_id, sizeof cf_cfg.device_id, "%s", device);
	snprintf(cf_cfg.device_secret_file, sizeof cf_cfg.device_secret_file, "%s", secret);
	snprintf(cf_cfg.platform_url, sizeof cf_cfg.platform_url, "http://127.0.0.1:%d",
		 plat_port(p));
	return p;
}

bool pf_until(struct plat *p, const char *sql, long long n)
{
	int64_t until = kiosk_mono_ms() + 10000;
	while (plat_one(p, sql) != n) {
		if (kiosk_mono_ms() > until)
			return false;
		usleep(10000);
	}
	return true;
}

bool pf_settled(const struct kiosk_snapshot *s)
{
	return s->version > 0 && s->outbox_unsent == 0 && s->payments_open == 0;
}
