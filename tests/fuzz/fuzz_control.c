/* libFuzzer: the control socket's request line (a local client's bytes) parses without
 * crashing, and anything it accepts is well-formed: a known verb, and for the verbs that
 * name a compartment a short printable id without spaces. */
#include "kiosk/control.h"
#include "hal/base/error.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[KIOSK_CONTROL_REQ_MAX];
	if (size >= sizeof line)
		size = sizeof line - 1;
	memcpy(line, data, size);
	line[size] = '\0';
	struct kiosk_control_req q;
	int rc = kiosk_control_parse(line, &q);
	if (rc != KIOSK_OK && rc != KIOSK_EINVAL && rc != KIOSK_ENOENT)
		abort();
	if (rc != KIOSK_OK)
		return 0;
	if (q.verb > KIOSK_CTL_SYNC_NOW)
		abort();
	size_t n = strnlen(q.compartment, sizeof q.compartment);
	if (n == sizeof q.compartment)
		abort();
	bool names = q.verb >= KIOSK_CTL_LOCKER_OPEN;
	if (names != (n > 0))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)q.compartment[i] <= ' ' || (unsigned char)q.compartment[i] > '~')
			abort();
	return 0;
}
