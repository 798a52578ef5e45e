/* kioskctl: the operator's and technician's command line. Commands arrive with the issues
 * that build what they act on (db, outbox, locker, hal, sim). */
#include "hal/error.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: kioskctl [--version] [--help] <command> [args]\n"
	      "\n"
	      "No commands are built yet: database checks, the outbox, lockers, device\n"
	      "bench tools and simulators arrive with the issues that build them.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("kioskctl %s\n", KIOSK_VERSION);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc < 2)
		fputs("kioskctl: missing command\n", stderr);
	else
		fprintf(stderr, "kioskctl: unknown command or option '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
