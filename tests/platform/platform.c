/* kiosk-platform: a local operator platform that follows ../shared/PLATFORM-API.md
 * strictly, for the tests and `make run`. libmicrohttpd (a thread per connection, so an
 * added delay stalls only its own request) over one SQLite file.
 *
 *   kiosk-platform --db FILE --device ID=SECRET_FILE [--listen 127.0.0.1:PORT]
 *                  [--port-file F] [--cert PEM --key PEM]
 *                  [--fail-rate 0..1] [--close-rate 0..1] [--delay-ms N] [--seed N]
 *                  [--demo-meals]
 *
 * Port 0 picks a free one; --port-file gets it (written when the server is ready).
 * Contract side: signatures and clock skew verified (401 with Date), events stored once
 * per (device, id), batch limits (413), events that break the contract refused (422).
 * Test side, /admin/… without signing (loopback only): received events, stats, faults. */
#include "tests/platform/platform.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage(const char *msg)
{
	fprintf(stderr,
		"kiosk-platform: %s\n"
		"usage: kiosk-platform --db FILE --device ID=SECRET_FILE [--listen HOST:PORT]\n"
		"       [--port-file F] [--cert PEM --key PEM] [--fail-rate P] [--close-rate P]\n"
		"       [--delay-ms N] [--seed N] [--demo-meals]\n",
		msg);
	return 2;
}

int main(int argc, char **argv)
{
	struct plat_opts o = {.port = 0};
	snprintf(o.host, sizeof o.host, "127.0.0.1");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0)
			return usage("a local platform for tests and the demo"), 0;
		if (strcmp(a, "--demo-meals") == 0) { /* a week of menus at two canteens */
			o.demo_meals = true;
			continue;
		}
		if (!v)
			return usage("missing value after an option");
		i++;
		if (strcmp(a, "--db") == 0) {
			snprintf(o.db, sizeof o.db, "%s", v);
		} else if (strcmp(a, "--device") == 0) {
			if (o.ndevices == PLAT_MAX_DEVICES)
				return usage("too many --device");
			const char *eq = strchr(v, '=');
			if (!eq || eq == v || !eq[1])
				return usage("--device wants ID=SECRET_FILE");
			struct plat_device *d = &o.devices[o.ndevices++];
			snprintf(d->id, sizeof d->id, "%.*s", (int)(eq - v), v);
			snprintf(d->secret_file, sizeof d->secret_file, "%s", eq + 1);
		} else if (strcmp(a, "--listen") == 0) {
			const char *c = strrchr(v, ':');
			char *end;
			long p = c ? strtol(c + 1, &end, 10) : -1;
			if (!c || *end || p < 0 || p > 65535)
				return usage("--listen wants HOST:PORT");
			snprintf(o.host, sizeof o.host, "%.*s", (int)(c - v), v);
			o.port = (int)p;
		} else if (strcmp(a, "--port-file") == 0) {
			snprintf(o.port_file, sizeof o.port_file, "%s", v);
		} else if (strcmp(a, "--cert") == 0) {
			snprintf(o.cert, sizeof o.cert, "%s", v);
		} else if (strcmp(a, "--key") == 0) {
			snprintf(o.key, sizeof o.key, "%s", v);
		} else if (strcmp(a, "--fail-rate") == 0) {
			o.faults.fail_rate = atof(v);
		} else if (strcmp(a, "--close-rate") == 0) {
			o.faults.close_rate = atof(v);
		} else if (strcmp(a, "--delay-ms") == 0) {
			o.faults.delay_ms = atoi(v);
		} else if (strcmp(a, "--seed") == 0) {
			o.seed = (unsigned)strtoul(v, NULL, 10);
		} else {
			return usage("unknown option");
		}
	}
	if (!o.db[0] || o.ndevices == 0)
		return usage("--db and at least one --device are needed");
	if (!!o.cert[0] != !!o.key[0])
		return usage("--cert and --key go together");
	/* SIGINT/SIGTERM are blocked before the server's threads start (they
	 * inherit the mask) and taken by sigwait here: a handler plus pause()
	 * lost a signal that came to another thread or between the check and
	 * the pause, and the server never stopped. */
	sigset_t stops;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stops, NULL);
	struct plat *p;
	char why[256];
	if (plat_start(&o, &p, why, sizeof why) != 0) {
		fprintf(stderr, "kiosk-platform: %s\n", why);
		return 1;
	}
	fprintf(stderr, "kiosk-platform: listening on %s://%s:%d\n", o.cert[0] ? "https" : "http",
		o.host, plat_port(p));
	int sig = 0;
	while (sigwait(&stops, &sig) != 0)
		;
	plat_stop(p);
	return 0;
}
