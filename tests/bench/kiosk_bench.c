/* make bench: prints one table of measured speeds, each beside a baseline measured in the
 * same run on the same machine, and their ratio. Later issues add rows (store, locker,
 * UI); targets are checked by reading the table, never by timed assertions in tests. */
#include "kiosk/config.h"
#include "hal/clock.h"
#include "hal/error.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char cfg_json[] =
	"{\"device\":{\"id\":\"K-0001\",\"key_file\":\"/var/lib/kiosk/device.key\"},"
	"\"store\":{\"path\":\"/var/lib/kiosk/kiosk.db\"},\"ui\":{\"lang\":\"zh\","
	"\"orientation\":\"portrait\",\"fullscreen\":true,\"idle_timeout_s\":60},"
	"\"lock\":{\"driver\":\"kerong-cu16\",\"port\":\"/dev/kiosk-lock0\"},"
	"\"vend\":{\"driver\":\"fafb\",\"port\":\"/dev/kiosk-vend0\"}}";

int main(void)
{
	enum { N = 20000 };
	double t0 = now_s();
	for (int i = 0; i < N; i++) {
		cJSON *j = cJSON_Parse(cfg_json);
		cJSON_Delete(j);
	}
	double base = N / (now_s() - t0);
	struct kiosk_config c;
	struct kiosk_config_diag d;
	t0 = now_s();
	for (int i = 0; i < N; i++)
		if (kiosk_config_parse(cfg_json, sizeof cfg_json - 1, &c, &d) != KIOSK_OK)
			return 1;
	double ours = N / (now_s() - t0);
	printf("| measurement | ours | baseline | ratio |\n|---|---|---|---|\n");
	printf("| config parse+validate (ops/s) vs cJSON_Parse alone | %.0f | %.0f | %.2f |\n", ours,
	       base, ours / base);
	return 0;
}
