/* libFuzzer: translation catalogues are files a translator edits by hand. */
#include "screens/ui/po.h"
#include "hal/base/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *arg, const char *id, const char *str)
{
	(void)str;
	if (!*id)
		abort(); /* the header entry is never passed on */
	++*(int *)arg;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int n = 0, line = -1;
	int rc = ui_po_parse((const char *)data, size, count, &n, &line);
	if (rc != KIOSK_OK && (rc != KIOSK_EPARSE && rc != KIOSK_ENOMEM))
		abort();
	if (rc == KIOSK_EPARSE && line < 0)
		abort();
	return 0;
}
