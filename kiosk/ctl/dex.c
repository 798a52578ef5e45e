/* kioskctl dex export: the vending machine's audit file (EVA-DTS style, kiosk/dex.h) from
 * the store, read-only — beside a running kiosk too (its WAL lets a reader in). The store
 * and the machine's id and zone come from the kiosk's config (--config, else the
 * defaults); --db names another store file. The file is written whole or not at all: a
 * temporary beside it, renamed. */
#include "kiosk/config.h"
#include "kiosk/ctl/ctl.h"
#include "kiosk/dex.h"
#include "kiosk/store/store.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define USAGE "usage: kioskctl dex export [--config FILE] [--db DB] [--out FILE]\n"
#define DEX_MAX (256 * 1024)

/* "YYYYMMDD" and "HHMM" now, in the zone named (the kiosk's $.ui.timezone). */
static void local_now(const char *zone, char date[16], char hm[8])
{
	time_t t = time(NULL);
	struct tm tm;
	if (zone && *zone) {
		setenv("TZ", zone, 1); /* this tool's own process: one thread */
		tzset();
	}
	if (!localtime_r(&t, &tm))
		memset(&tm, 0, sizeof tm);
	strftime(date, 16, "%Y%m%d", &tm);
	strftime(hm, 8, "%H%M", &tm);
}

static int write_whole(const char *path, const char *text, size_t len)
{
	char tmp[KIOSK_PATH_MAX + 16];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	bool ok = fwrite(text, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int ctl_dex(int argc, char **argv)
{
	const char *config = NULL, *db = NULL, *out = NULL;
	if (argc < 2 || strcmp(argv[1], "export") != 0) {
		fputs(USAGE, stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char **to = strcmp(argv[i], "--config") == 0 ? &config
				  : strcmp(argv[i], "--db") == 0   ? &db
				  : strcmp(argv[i], "--out") == 0  ? &out
								   : NULL;
		if (!to || i + 1 >= argc || !*argv[i + 1]) {
			fprintf(stderr, "kioskctl dex: unknown or incomplete option '%s'\n%s", argv[i],
				USAGE);
			return 2;
		}
		*to = argv[++i];
	}
	struct kiosk_config cfg;
	struct kiosk_config_diag d;
	kiosk_config_defaults(&cfg);
	if (config && kiosk_config_load(config, &cfg, &d) != KIOSK_OK) {
		for (int k = 0; k < d.count && k < KIOSK_CONFIG_MAX_ERRORS; k++)
			fprintf(stderr, "%s: %s\n", config, d.msg[k]);
		return 2;
	}
	const char *path = db ? db : cfg.store_path;
	struct stat sb;
	if (stat(path, &sb) != 0) {
		fprintf(stderr, "kioskctl dex: %s: no such database\n", path);
		return 1;
	}
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.path = path, .readonly = true};
	int rc = kiosk_store_open(&o, &st);
	if (rc) {
		fprintf(stderr, "kioskctl dex: %s: %s\n", path, kiosk_strerror(rc));
		return 1;
	}
	struct kiosk_vend_audit *a = kiosk_calloc(1, sizeof *a);
	char *text = kiosk_malloc(DEX_MAX);
	rc = a && text ? kiosk_vend_audit(st, a) : KIOSK_ENOMEM;
	kiosk_store_close(st);
	int len = 0;
	if (rc == KIOSK_OK) {
		char date[16], hm[8];
		local_now(cfg.ui_timezone, date, hm);
		struct kiosk_dex_head h = {.machine = cfg.device_id, .version = KIOSK_VERSION,
					   .date = date, .time = hm};
		len = kiosk_dex_write(&h, a, text, DEX_MAX);
		rc = len < 0 ? len : KIOSK_OK;
	}
	if (rc == KIOSK_OK && out && write_whole(out, text, (size_t)len) != 0) {
		fprintf(stderr, "kioskctl dex: cannot write %s\n", out);
		rc = KIOSK_EIO;
	} else if (rc == KIOSK_OK && !out) {
		fwrite(text, 1, (size_t)len, stdout);
	} else if (rc) {
		fprintf(stderr, "kioskctl dex: %s: %s\n", path, kiosk_strerror(rc));
	}
	kiosk_free(text);
	kiosk_free(a);
	return rc ? 1 : 0;
}
