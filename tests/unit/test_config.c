/* Config: defaults, every kind of error with its JSON path, nothing changed on error. */
#include "kiosk/config.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void defaults(void)
{
	struct kiosk_config c;
	kiosk_config_defaults(&c);
	CHECK_STR(c.ui_lang, "zh");
	CHECK_STR(c.ui_orientation, "portrait");
	CHECK_STR(c.ui_timezone, "Asia/Shanghai");
	CHECK_INT(c.ui_idle_timeout_s, 60);
	CHECK_STR(c.lock.driver, "");
	CHECK(c.geo_lat > 31 && c.geo_lat < 32);
	CHECK_INT(c.send_size_cm[1][1], 19); /* M: 41 x 19 x 51 */
	CHECK_INT(c.send_size_cm[3][2], 51);
}

static void valid_values(void)
{
	const char *j = "{\"device\":{\"id\":\"K-0042\"},\"ui\":{\"lang\":\"en\",\"fullscreen\":true,"
			"\"idle_timeout_s\":90},\"lock\":{\"driver\":\"kerong-cu16\",\"port\":"
			"\"/dev/kiosk-lock0\"},\"geo\":{\"lat\":57.165,\"lon\":-2.1}}";
	struct kiosk_config c;
	struct kiosk_config_diag d;
	CHECK_INT(kiosk_config_parse(j, strlen(j), &c, &d), KIOSK_OK);
	CHECK_INT(d.count, 0);
	CHECK_STR(c.device_id, "K-0042");
	CHECK_STR(c.ui_lang, "en");
	CHECK(c.ui_fullscreen);
	CHECK_INT(c.ui_idle_timeout_s, 90);
	CHECK_STR(c.lock.port, "/dev/kiosk-lock0");
	CHECK(c.geo_lon < -2.09 && c.geo_lon > -2.11);
	const char *sz = "{\"send\":{\"size_l_cm\":\"45x30x55\"}}";
	CHECK_INT(kiosk_config_parse(sz, strlen(sz), &c, &d), KIOSK_OK);
	CHECK_INT(c.send_size_cm[2][0], 45);
	CHECK_INT(c.send_size_cm[2][1], 30);
	CHECK_INT(c.send_size_cm[2][2], 55);
	/* Absent paths are derived: systemd's folders, else the user's XDG ones. */
	setenv("STATE_DIRECTORY", "/var/lib/kiosk", 1);
	setenv("RUNTIME_DIRECTORY", "/run/kiosk", 1);
	CHECK_INT(kiosk_config_parse(j, strlen(j), &c, &d), KIOSK_OK);
	CHECK_STR(c.store_path, "/var/lib/kiosk/kiosk.db");
	CHECK_STR(c.device_key_file, "/var/lib/kiosk/device.key");
	CHECK_STR(c.control_socket, "/run/kiosk/control.sock");
	unsetenv("STATE_DIRECTORY");
	unsetenv("RUNTIME_DIRECTORY");
	setenv("XDG_STATE_HOME", "/home/li/.state", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	CHECK_INT(kiosk_config_parse(j, strlen(j), &c, &d), KIOSK_OK);
	CHECK_STR(c.store_path, "/home/li/.state/kiosk/kiosk.db");
	CHECK_STR(c.control_socket, "/run/user/1000/kiosk/control.sock");
	setenv("XDG_RUNTIME_DIR", "relative/run", 1); /* invalid by the spec: ignored */
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/li", 1);
	CHECK_INT(kiosk_config_parse(j, strlen(j), &c, &d), KIOSK_OK);
	CHECK_STR(c.store_path, "/home/li/.local/state/kiosk/kiosk.db");
	char want[64];
	snprintf(want, sizeof want, "/tmp/kiosk-%u/control.sock", (unsigned)getuid());
	CHECK_STR(c.control_socket, want);
	/* A path the file sets is kept as it is. */
	const char *p = "{\"store\":{\"path\":\"/srv/k.db\"}}";
	CHECK_INT(kiosk_config_parse(p, strlen(p), &c, &d), KIOSK_OK);
	CHECK_STR(c.store_path, "/srv/k.db");
	unsetenv("XDG_RUNTIME_DIR");
	const char *k = "{\"lock\":{\"driver\":\"wkly-24\",\"compartments\":[{\"id\":\"A01\",\"board\":0,\"lock\":1,"
			"\"size\":\"S\"},{\"id\":\"A02\",\"board\":1,\"lock\":24,\"size\":\"XL\","
			"\"column\":3,\"row\":2}]}}";
	CHECK_INT(kiosk_config_parse(k, strlen(k), &c, &d), KIOSK_OK);
	CHECK_INT(c.ncompartments, 2);
	CHECK_STR(c.compartments[1].id, "A02");
	CHECK_INT(c.compartments[1].lock, 24);
	CHECK_STR(c.compartments[1].size, "XL");
	CHECK_INT(c.compartments[1].column, 3);
	CHECK_INT(c.compartments[1].row, 2);
	/* No place given: the board is a column, the lock its row. */
	CHECK_INT(c.compartments[0].column, 1);
	CHECK_INT(c.compartments[0].row, 1);
}

static const struct {
	const char *json, *error;
} bad[] = {
	{"{\"lock\":{\"port\":5}}", "$.lock.port: expected string"},
	{"{\"lock\":{\"prot\":\"/dev/x\"}}", "$.lock.prot: unknown key"},
	{"{\"lok\":{}}", "$.lok: unknown key"},
	{"{\"lock\":\"kerong\"}", "$.lock: expected object"},
	{"{\"ui\":{\"lang\":\"fr\"}}", "$.ui.lang: expected one of zh|en"},
	{"{\"ui\":{\"fullscreen\":1}}", "$.ui.fullscreen: expected boolean"},
	{"{\"ui\":{\"idle_timeout_s\":2}}", "$.ui.idle_timeout_s: 2 is outside 10..3600"},
	{"{\"ui\":{\"idle_timeout_s\":60.5}}", "$.ui.idle_timeout_s: expected integer"},
	{"{\"ui\":{\"idle_timeout_s\":\"60\"}}", "$.ui.idle_timeout_s: expected integer"},
	{"{\"geo\":{\"lat\":91}}", "$.geo.lat: 91 is outside -90..90"},
	{"{\"send\":{\"size_s_cm\":\"41x8\"}}",
	 "$.send.size_s_cm: expected width x height x depth in whole cm (1..300), like \"41x8x51\""},
	{"{\"send\":{\"size_s_cm\":\"41x8x51cm\"}}",
	 "$.send.size_s_cm: expected width x height x depth in whole cm (1..300), like \"41x8x51\""},
	{"{\"send\":{\"size_s_cm\":\"0x8x51\"}}",
	 "$.send.size_s_cm: expected width x height x depth in whole cm (1..300), like \"41x8x51\""},
	{"{\"send\":{\"size_s_cm\":[41,8,51]}}",
	 "$.send.size_s_cm: expected width x height x depth in whole cm (1..300), like \"41x8x51\""},
	{"{\"device\":{\"id\":\"0123456789012345678901234567890123456789012345678901234567890123"
	 "456789\"}}",
	 "$.device.id: longer than 63 bytes"},
	{"[1,2]", "$: expected object"},
	{"{\"lock\":{\"compartments\":{}}}", "$.lock.compartments: expected array"},
	/* What the kiosk would refuse at start, the checker refuses too. */
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":16,\"lock\":1,\"size\":\"S\"}]}}",
	 "$.lock.compartments[0].board: 16 is outside 0..15 for kerong-cu16"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":17,\"size\":\"S\"}]}}",
	 "$.lock.compartments[0].lock: 17 is outside 1..16 for kerong-cu16"},
	{"{\"lock\":{\"driver\":\"acme\",\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":1,"
	 "\"size\":\"S\"}]}}",
	 "$.lock.driver: 'acme' is not one of this build's lock drivers"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A\\u0007\",\"board\":0,\"lock\":1,\"size\":\"S\"}]}}",
	 "$.lock.compartments[0].id: control character"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1234567890123456\",\"board\":0,\"lock\":1,"
	 "\"size\":\"S\"}]}}",
	 "$.lock.compartments[0].id: expected string of 1..15 bytes"},
	/* A key twice: the last one no longer wins silently. */
	{"{\"ui\":{\"lang\":\"zh\",\"lang\":\"en\"}}", "$.ui.lang: given twice"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":1,\"size\":\"S\","
	 "\"lock\":2}]}}",
	 "$.lock.compartments[0].lock: given twice"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":1,\"size\":\"XXL\"}]}}",
	 "$.lock.compartments[0].size: expected one of S|M|L|XL"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":25,\"size\":\"S\"}]}}",
	 "$.lock.compartments[0].lock: expected integer 1..24"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":1,\"size\":\"S\"},"
	 "{\"id\":\"A2\",\"board\":0,\"lock\":1,\"size\":\"M\"}]}}",
	 "$.lock.compartments[1]: board 0 lock 1 is already compartment A1"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":1,\"size\":\"S\","
	 "\"colour\":\"red\"}]}}",
	 "$.lock.compartments[0].colour: unknown key"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":1,\"size\":\"S\","
	 "\"column\":2,\"row\":1},{\"id\":\"A2\",\"board\":0,\"lock\":2,\"size\":\"M\","
	 "\"column\":2,\"row\":1}]}}",
	 "$.lock.compartments[1]: column 2 row 1 is already compartment A1"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":1,\"size\":\"S\","
	 "\"row\":0}]}}",
	 "$.lock.compartments[0].row: expected integer 1..32"},
	{"{\"lock\":{\"compartments\":[{\"id\":\"A1\",\"board\":0,\"lock\":1,\"size\":\"S\","
	 "\"column\":\"left\"}]}}",
	 "$.lock.compartments[0].column: expected integer 1..32"},
	/* The platform's URL by the link's own rule (the checker passed what the kiosk
	 * then refused, and a password in the URL) */
	{"{\"platform\":{\"url\":\"http://platform.example.com\"}}",
	 "$.platform.url: plain http:// is allowed to loopback only; use https://"},
	{"{\"platform\":{\"url\":\"ftp://127.0.0.1\"}}", "$.platform.url: not an https:// URL"},
	{"{\"platform\":{\"url\":\"https://ops:hunter2@platform.example.com/\"}}",
	 "$.platform.url: a user or password in the URL (user@host): the device key signs "
	 "requests, nothing else goes in it"},
	{"{\"platform\":{\"url\":\"https://\"}}", "$.platform.url: no host after the scheme"},
	{"{\"platform\":{\"url\":\"https://a.example.com/x y\"}}",
	 "$.platform.url: a space or control byte in the URL"},
	{"{\"platform\":{\"url\":\"http://localhost.evil.example/\"}}",
	 "$.platform.url: plain http:// is allowed to loopback only; use https://"},
	/* a NUL would cut the path short, silently */
	{"{\"store\":{\"path\":\"kiosk.db\\u0000.evil\"}}",
	 "$: a string holds \\u0000 (a NUL byte), which no path or name may"},
	/* files that are not files */
	{"{\"store\":{\"path\":\"/tmp\"}}", "$.store.path: /tmp is a directory, not a file"},
	{"{\"device\":{\"key_file\":\"/dev/null\"}}",
	 "$.device.key_file: /dev/null is a device or socket, not a file"},
	{"{\"lock\":{\"port\":\"/dev/x\"},\n\n  \"ui\": {,}}", "$: invalid JSON near line 3"},
	{"", "$: invalid JSON near line 1"},
};

static void errors_name_the_path_and_change_nothing(void)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kiosk_config c, before;
		struct kiosk_config_diag d;
		memset(&c, 0x5A, sizeof c);
		before = c;
		CHECK_INT(kiosk_config_parse(bad[i].json, strlen(bad[i].json), &c, &d),
			  KIOSK_ECONFIG);
		CHECK_INT(d.count, 1);
		CHECK_STR(d.msg[0], bad[i].error);
		CHECK(memcmp(&c, &before, sizeof c) == 0);
	}
}

static void every_error_is_reported(void)
{
	const char *j = "{\"lock\":{\"port\":1,\"driver\":2},\"ui\":{\"lang\":\"x\"},\"zz\":0}";
	struct kiosk_config c;
	struct kiosk_config_diag d;
	CHECK_INT(kiosk_config_parse(j, strlen(j), &c, &d), KIOSK_ECONFIG);
	CHECK_INT(d.count, 4);
	CHECK_STR(d.msg[0], "$.lock.port: expected string");
	CHECK_STR(d.msg[1], "$.lock.driver: expected string");
	CHECK_STR(d.msg[2], "$.ui.lang: expected one of zh|en");
	CHECK_STR(d.msg[3], "$.zz: unknown key");
}

/* A FIFO as the store (which hung the kiosk's open) and a plain-http platform, together:
 * both named in one run, as the kiosk at start would refuse them. */
static void files_and_urls_in_one_run(void)
{
	char fifo[64], j[256];
	snprintf(fifo, sizeof fifo, "/tmp/kiosk-fifo-%d", (int)getpid());
	unlink(fifo);
	CHECK_INT(mkfifo(fifo, 0600), 0);
	snprintf(j, sizeof j,
		 "{\"store\":{\"path\":\"%s\"},\"platform\":{\"url\":\"http://10.0.0.1/\"}}",
		 fifo);
	struct kiosk_config c;
	struct kiosk_config_diag d;
	CHECK_INT(kiosk_config_parse(j, strlen(j), &c, &d), KIOSK_ECONFIG);
	CHECK_INT(d.count, 2);
	CHECK_STR(d.msg[0], "$.platform.url: plain http:// is allowed to loopback only; use https://");
	char want[128];
	snprintf(want, sizeof want, "$.store.path: %s is a FIFO, not a file", fifo);
	CHECK_STR(d.msg[1], want);
	unlink(fifo);
}

static void too_many_errors_are_counted(void)
{
	char j[4096] = "{";
	for (int i = 0; i < 40; i++)
		snprintf(j + strlen(j), sizeof j - strlen(j), "%s\"k%d\":0", i ? "," : "", i);
	strcat(j, "}");
	struct kiosk_config c;
	struct kiosk_config_diag d;
	CHECK_INT(kiosk_config_parse(j, strlen(j), &c, &d), KIOSK_ECONFIG);
	CHECK_INT(d.count, 40);
	CHECK_STR(d.msg[KIOSK_CONFIG_MAX_ERRORS - 1], "$.k31: unknown key");
}

static void load_names_the_file(void)
{
	struct kiosk_config c;
	struct kiosk_config_diag d;
	CHECK_INT(kiosk_config_load("/nonexistent/kiosk.json", &c, &d), KIOSK_ECONFIG);
	CHECK_STR(d.msg[0], "/nonexistent/kiosk.json: cannot open: No such file or directory");

	char path[] = "/tmp/kiosk-config-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	const char *j = "{\"ui\":{\"orientation\":\"landscape\"}}";
	CHECK(write(fd, j, strlen(j)) == (ssize_t)strlen(j));
	close(fd);
	CHECK_INT(kiosk_config_load(path, &c, &d), KIOSK_OK);
	CHECK_STR(c.ui_orientation, "landscape");
	unlink(path);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"defaults", defaults},
		{"valid_values", valid_values},
		{"errors_name_the_path_and_change_nothing", errors_name_the_path_and_change_nothing},
		{"every_error_is_reported", every_error_is_reported},
		{"too_many_errors_are_counted", too_many_errors_are_counted},
		{"files_and_urls_in_one_run", files_and_urls_in_one_run},
		{"load_names_the_file", load_names_the_file},
		{0},
	};
	return test_main(argc, argv, cases);
}
