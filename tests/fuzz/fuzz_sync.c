/* libFuzzer: the platform's answers (events acks, pages of changes, error bodies) parse
 * without crashing, within the size and nesting limits, and what is accepted keeps the
 * contract: an ack inside the range that was sent, a page of at most 200 changes with a
 * cursor, every string terminated. The first byte picks the parser. */
#include "kiosk/sync/changes.h"
#include "kiosk/sync/wire.h"
#include "hal/base/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	char why[160];
	switch (data[0] % 3) {
	case 0: {
		struct kiosk_wire_ack a;
		int rc = kiosk_wire_parse_ack(body, len, 100, 599, &a, why, sizeof why);
		if (rc == KIOSK_OK) {
			if (a.acked_through < 99 || a.acked_through > 599 || a.nrejected < 0 ||
			    a.nrejected > KIOSK_WIRE_MAX_REJECTED)
				abort();
			for (int i = 0; i < a.nrejected; i++)
				if (a.rejected[i].seq <= a.acked_through || a.rejected[i].seq > 599 ||
				    !memchr(a.rejected[i].error, 0, sizeof a.rejected[i].error))
					abort();
		} else if (rc != KIOSK_EPARSE || a.acked_through || a.nrejected) {
			abort();
		}
		break;
	}
	case 1: {
		struct kiosk_change_page p;
		struct kiosk_changes_ctx ctx = {31.2304, 121.4737, 50};
		int rc = kiosk_changes_parse(body, len, &ctx, &p, why, sizeof why);
		if (rc == KIOSK_OK) {
			if (!p.cursor[0] || p.n < 0 || p.n > KIOSK_CHANGES_PAGE || (p.n && !p.ch))
				abort();
			for (int i = 0; i < p.n; i++)
				if (!p.ch[i].id[0] || !memchr(p.ch[i].id, 0, sizeof p.ch[i].id))
					abort();
			kiosk_change_page_free(&p);
		} else if ((rc != KIOSK_EPARSE && rc != KIOSK_ENOMEM) || p.n || p.ch) {
			abort();
		}
		break;
	}
	default: {
		char code[40];
		kiosk_wire_error_code(body, len, code, sizeof code);
		if (!memchr(code, 0, sizeof code))
			abort();
	}
	}
	return 0;
}
