/* A page of GET /v1/changes read into typed changes, every field checked (type, range,
 * length, known kind) before anything is written: one bad change refuses the whole page,
 * with the change's index and field named. Pure (fuzzed). */
#ifndef KIOSK_SYNC_CHANGES_H
#define KIOSK_SYNC_CHANGES_H

#include "kiosk/store/store.h"

#include <stdbool.h>
#include <stddef.h>

#define KIOSK_CHANGES_PAGE 200 /* the limit the kiosk asks for */
#define KIOSK_CURSOR_MAX 256

/* Where the kiosk stands: services must lie within reach of it. */
struct kiosk_changes_ctx {
	double lat, lon;
	double max_km; /* a service farther than this is not in this neighbourhood */
};

/* Parses body; on KIOSK_OK *out holds the page (free with kiosk_change_page_free).
 * KIOSK_EPARSE with why ("changes[3].data.price_fen: negative") otherwise, *out empty. */
int kiosk_changes_parse(const char *body, size_t len, const struct kiosk_changes_ctx *ctx,
			struct kiosk_change_page *out, char *why, size_t wlen);
void kiosk_change_page_free(struct kiosk_change_page *p);

#endif
