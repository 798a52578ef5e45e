/* kioskctl: the operator's and technician's command line. One table of commands; each
 * returns the exit code: 0 fine, 1 the check or the call failed, 2 wrong usage. */
#include "kiosk/config.h"
#include "kiosk/control.h"
#include "kiosk/ctl/ctl.h"
#include "kiosk/store/archive.h"
#include "kiosk/store/store.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct command {
	const char *name, *args, *help;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	/* for commands that take a device class first (hal, sim): the classes this build has
	 * tools for, space-separated; NULL for the others */
	const char *classes;
};

/* Device classes the kiosk knows of but has no tools for in this build, named as such
 * rather than mistaken for a typo. Every class has its tools today; a class added ahead of
 * its tools goes here. */
static const char *const all_classes[] = {NULL};

/* argv[2] of a command that takes a class: one of its classes, or an error naming what is
 * there (exit code) — before anything else, --help included, is looked at. */
static int check_class(const struct command *c, int argc, char **argv)
{
	if (!c->classes || argc < 3 || argv[2][0] == '-')
		return 0;
	char want[16];
	snprintf(want, sizeof want, " %s ", argv[2]);
	char have[64];
	snprintf(have, sizeof have, " %s ", c->classes);
	if (strstr(have, want))
		return 0;
	for (int i = 0; all_classes[i]; i++) {
		if (strcmp(argv[2], all_classes[i]) == 0) {
			fprintf(stderr, "kioskctl %s: the %s class is not built yet (classes: %s)\n",
				c->name, argv[2], c->classes);
			return EXIT_FAIL;
		}
	}
	fprintf(stderr, "kioskctl %s: unknown device class '%s' (classes: %s)\n", c->name,
		argv[2], c->classes);
	return EXIT_USAGE;
}

static const struct command *command_table(void);

static void usage(FILE *f)
{
	fputs("usage: kioskctl [--version] [--help] <command> [args]\n"
	      "       kioskctl <command> --help\n\ncommands:\n", f);
	for (const struct command *c = command_table(); c->name; c++)
		fprintf(f, "  %-7s %s\n          %s\n", c->name, c->args, c->help);
}

static int open_ro(const char *path, struct kiosk_store **st)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		fprintf(stderr, "kioskctl: %s: no such database\n", path);
		return EXIT_FAIL;
	}
	struct kiosk_store_opts o = {.path = path, .readonly = true};
	int rc = kiosk_store_open(&o, st);
	if (rc) {
		fprintf(stderr, "kioskctl: %s: %s\n", path, kiosk_strerror(rc));
		return EXIT_FAIL;
	}
	return 0;
}

static int cmd_db(int argc, char **argv)
{
	bool full = argc == 4 && strcmp(argv[1], "check") == 0 && strcmp(argv[2], "--full") == 0;
	if (!full && (argc != 3 || (strcmp(argv[1], "check") && strcmp(argv[1], "stats")))) {
		fputs("usage: kioskctl db check [--full] DB | kioskctl db stats DB\n", stderr);
		return EXIT_USAGE;
	}
	const char *path = argv[argc - 1];
	struct kiosk_store *st;
	int rc = open_ro(path, &st);
	if (rc)
		return rc;
	if (strcmp(argv[1], "check") == 0) {
		char msg[512];
		int64_t t0 = kiosk_mono_ms();
		rc = full ? kiosk_store_check_full(st, msg, sizeof msg)
			  : kiosk_store_check(st, msg, sizeof msg);
		int64_t open = 0;
		kiosk_store_open_intents(st, &open);
		if (rc == KIOSK_OK)
			printf("%s: ok (5 invariants and the audit chain hold%s; %lld open intents;"
			       " %.2f s)\n",
			       path, full ? ", archive included" : ", from the last checkpoint",
			       (long long)open, (double)(kiosk_mono_ms() - t0) / 1000.0);
		else
			fprintf(stderr, "%s: %s\n", path,
				rc == KIOSK_ECORRUPT ? msg : kiosk_strerror(rc));
		kiosk_store_close(st);
		return rc == KIOSK_OK ? 0 : EXIT_FAIL;
	}
	static const char *const tables[] = {"product", "slot",   "vend_order",  "refund",
					     "compartment", "parcel", "person", "door_op",
					     "outbox", "dead_letter", "audit"};
	sqlite3 *db = kiosk_store_db(st);
	/* Through cJSON: a path may hold any byte a JSON string must escape. */
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "file", path);
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[96];
		sqlite3_stmt *s;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			cJSON_AddNumberToObject(o, tables[i], (double)sqlite3_column_int64(s, 0));
		sqlite3_finalize(s);
	}
	int64_t unsent = 0, last = 0;
	kiosk_outbox_depth(st, &unsent, &last);
	cJSON_AddNumberToObject(o, "outbox_unsent", (double)unsent);
	cJSON_AddNumberToObject(o, "outbox_last_seq", (double)last);
	cJSON_AddNumberToObject(o, "schema", KIOSK_STORE_SCHEMA);
	static const struct {
		const char *name, *sql;
	} archived[] = {
		{"archived_events", "SELECT value FROM meta WHERE key = 'events_archived'"},
		{"archived_audit_through",
		 "SELECT coalesce((SELECT n FROM audit_checkpoint WHERE kind = 'archived'), 0)"},
		{"audit_verified_through",
		 "SELECT coalesce((SELECT n FROM audit_checkpoint WHERE kind = 'verified'), 0)"},
	};
	for (size_t i = 0; i < sizeof archived / sizeof archived[0]; i++) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db, archived[i].sql, -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			cJSON_AddNumberToObject(o, archived[i].name,
						(double)sqlite3_column_int64(s, 0));
		sqlite3_finalize(s);
	}
	char apath[600];
	if (kiosk_store_archive_path(path, apath, sizeof apath) == KIOSK_OK &&
	    access(apath, F_OK) == 0)
		cJSON_AddStringToObject(o, "archive", apath);
	char *line = cJSON_PrintUnformatted(o);
	int ok = line != NULL;
	if (ok)
		puts(line);
	cJSON_free(line);
	cJSON_Delete(o);
	kiosk_store_close(st);
	return ok ? 0 : EXIT_FAIL;
}

/* Prints events as JSON lines; a pickup code still waiting for its ack is masked. */
static int cmd_outbox(int argc, char **argv)
{
	long tail = -1;
	if (argc == 4 && strcmp(argv[2], "--tail") == 0) {
		char *end;
		tail = strtol(argv[3], &end, 10);
		if (*end || tail < 1) {
			fprintf(stderr, "kioskctl: --tail needs a positive number, got '%s'\n",
				argv[3]);
			return EXIT_USAGE;
		}
	} else if (argc != 2) {
		fputs("usage: kioskctl outbox DB [--tail N]\n", stderr);
		return EXIT_USAGE;
	}
	struct kiosk_store *st;
	int rc = open_ro(argv[1], &st);
	if (rc)
		return rc;
	sqlite3_stmt *s;
	const char *sql = "SELECT seq, id, type, at_ms, sent, data FROM (SELECT * FROM outbox"
			  " ORDER BY seq DESC LIMIT ?) ORDER BY seq";
	if (sqlite3_prepare_v2(kiosk_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		kiosk_store_close(st);
		return EXIT_FAIL;
	}
	sqlite3_bind_int64(s, 1, tail);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char at[32];
		kiosk_format_utc(sqlite3_column_int64(s, 3), at, sizeof at);
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "seq", (double)sqlite3_column_int64(s, 0));
		cJSON_AddStringToObject(e, "id", (const char *)sqlite3_column_text(s, 1));
		cJSON_AddStringToObject(e, "type", (const char *)sqlite3_column_text(s, 2));
		cJSON_AddStringToObject(e, "at", at);
		cJSON_AddBoolToObject(e, "sent", sqlite3_column_int(s, 4));
		cJSON *data = cJSON_Parse((const char *)sqlite3_column_text(s, 5));
		if (data && cJSON_GetObjectItem(data, "pickup_code"))
			cJSON_ReplaceItemInObject(data, "pickup_code",
						  cJSON_CreateString("********"));
		cJSON_AddItemToObject(e, "data", data ? data : cJSON_CreateNull());
		char *line = cJSON_PrintUnformatted(e);
		if (line)
			puts(line);
		cJSON_free(line);
		cJSON_Delete(e);
	}
	sqlite3_finalize(s);
	kiosk_store_close(st);
	return 0;
}

/* Talks to the running kiosk: [--socket P | --config F] then the request words. */
static int call_kiosk(int argc, char **argv, const char *usage_line, int min_words,
		      int max_words)
{
	struct kiosk_config cfg;
	kiosk_config_defaults(&cfg);
	const char *sock = cfg.control_socket;
	int i = 1;
	if (argc >= 3 && strcmp(argv[1], "--socket") == 0) {
		sock = argv[2];
		i = 3;
	} else if (argc >= 3 && strcmp(argv[1], "--config") == 0) {
		struct kiosk_config_diag d;
		if (kiosk_config_load(argv[2], &cfg, &d) != KIOSK_OK) {
			for (int k = 0; k < d.count && k < KIOSK_CONFIG_MAX_ERRORS; k++)
				fprintf(stderr, "%s: %s\n", argv[2], d.msg[k]);
			return EXIT_USAGE;
		}
		sock = cfg.control_socket;
		i = 3;
	}
	if (argc - i < min_words || argc - i > max_words) {
		fprintf(stderr, "usage: %s\n", usage_line);
		return EXIT_USAGE;
	}
	char req[256] = "", reply[16384];
	snprintf(req, sizeof req, "%s", argv[0]);
	for (; i < argc; i++)
		snprintf(req + strlen(req), sizeof req - strlen(req), " %s", argv[i]);
	int rc = kiosk_control_call(sock, req, reply, sizeof reply, 10000);
	if (rc) {
		fprintf(stderr, "kioskctl: %s: %s\n", sock,
			rc == KIOSK_ENOENT ? "no kiosk is running there" : kiosk_strerror(rc));
		return EXIT_FAIL;
	}
	puts(reply);
	return strstr(reply, "\"error\"") ? EXIT_FAIL : 0;
}

static int cmd_status(int argc, char **argv)
{
	return call_kiosk(argc, argv, "kioskctl status [--socket PATH | --config FILE]", 0, 0);
}

static int cmd_locker(int argc, char **argv)
{
	const char *u = "kioskctl locker [--socket PATH | --config FILE] list | open C | disable C |"
			" enable C";
	int rc = call_kiosk(argc, argv, u, 1, 2);
	return rc;
}

static int cmd_sync(int argc, char **argv)
{
	return call_kiosk(argc, argv, "kioskctl sync [--socket PATH | --config FILE] status | now",
			  1, 1);
}

static const struct command commands[] = {
	{"status", "[--socket P | --config F]", "ask the running kiosk for its state", cmd_status, NULL},
	{"db", "check [--full] DB | stats DB",
	 "verify invariants and audit chain (--full: the archive too) / count rows", cmd_db, NULL},
	{"outbox", "DB [--tail N]", "events for the platform, as JSON lines", cmd_outbox, NULL},
	{"locker", "list | open C | disable C | enable C", "the running kiosk's compartments",
	 cmd_locker, NULL},
	{"sync", "status | now", "the platform link: queue, last success, next retry; retry now",
	 cmd_sync, NULL},
	{"map", "import FILE --db DB | times --db DB [--from LAT,LON] [--speed M_PER_S]",
	 "import an OpenStreetMap or GeoJSON file; walking times to every service (TSV)",
	 ctl_map, NULL},
	{"report", "coverage --db DB [--from LAT,LON] [--config F] [--standard FILE] [--json]",
	 "一刻钟达标: each item of the quarter-hour standard over the whole map, what to add first",
	 ctl_report, NULL},
	{"dex", "export [--config F] [--db DB] [--out FILE]",
	 "the vending machine's audit file (EVA-DTS style DEX): sales by slot and by payment",
	 ctl_dex, NULL},
	{"directory", "search --db DB [--from LAT,LON] [--category C] [--open-now] QUERY",
	 "find services by hanzi, pinyin or initials, best first (TSV)", ctl_directory, NULL},
	{"hal", "lock --driver D --port P [--board N] status | open LOCK | open-all\n"
		"      | vend --driver fafb --port P dispense SLOT | check SLOT | status\n"
		"      | mdb --link adapter --port P probe | cashless-vend PRICE_FEN ITEM [--wait S]\n"
		"      | usb list [--config F] | print --device SPEC --test | --status\n"
		"      | scan --device SPEC [--count N] [--wait S]",
	 "bench tool: talk to a lock board, the vending board, the MDB bus, the printer or a"
	 " scanner directly; list USB devices", ctl_hal,
	 "lock vend mdb usb print scan"},
	{"sim", "lock --driver D --link P [--boards N] [--auto-close MS] [--fault SPEC]...\n"
		"      | vend --driver fafb --link P [--slots N] [--stock N] [--fault SPEC]...\n"
		"      | mdb --link P [--cashless] [--coin] [--bill] [--fault SPEC]...\n"
		"      | printer --out FILE [--port N] [--paper-out] | scanner --link P [--cr]",
	 "simulate lock boards, the vending board, an MDB adapter or a scanner on a pty, or a"
	 " network printer on the loopback", ctl_sim,
	 "lock vend mdb printer scanner"},
	{0},
};

static const struct command *command_table(void)
{
	return commands;
}

int main(int argc, char **argv)
{
	kiosk_errors_init();
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("kioskctl %s\n", KIOSK_VERSION);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc < 2) {
		fputs("kioskctl: missing command\n", stderr);
		usage(stderr);
		return EXIT_USAGE;
	}
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(argv[1], c->name) != 0)
			continue;
		int bad = check_class(c, argc, argv);
		if (bad)
			return bad;
		/* "kioskctl locker --help": that command's usage, asked for, is no error. */
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
				printf("usage: kioskctl %s %s\n  %s\n", c->name, c->args, c->help);
				return 0;
			}
		}
		return c->run(argc - 1, argv + 1);
	}
	fprintf(stderr, "kioskctl: unknown command or option '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
