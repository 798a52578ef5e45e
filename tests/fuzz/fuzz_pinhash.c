/* libFuzzer: PIN hashes arrive from the platform (courier and operator credentials). Any
 * bytes must be refused or accepted without crashing; an accepted one must be well formed
 * enough to verify a PIN against (verification itself is too slow to run per input). */
#include "kiosk/crypto.h"
#include "hal/base/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[512];
	if (size >= sizeof buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	int rc = kiosk_pin_hash_valid(buf);
	if (rc != KIOSK_OK && rc != KIOSK_EINVAL)
		abort();
	if (rc == KIOSK_OK && strncmp(buf, "pbkdf2-sha256$", 14) != 0)
		abort();
	return 0;
}
