/* libFuzzer: the config parser takes any bytes, never crashes, and on error leaves the
 * caller's config untouched. */
#include "kiosk/config.h"
#include "hal/base/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kiosk_config c, before;
	static struct kiosk_config_diag d;
	memset(&c, 0xA5, sizeof c);
	before = c;
	int rc = kiosk_config_parse((const char *)data, size, &c, &d);
	if (rc != KIOSK_OK && memcmp(&c, &before, sizeof c) != 0)
		abort();
	if (rc != KIOSK_OK && d.count == 0)
		abort(); /* every refusal names a reason */
	return 0;
}
