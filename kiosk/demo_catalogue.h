/* The demo vending machine's catalogue (assets/demo/catalogue.json): products and slots as
 * a page of the platform's changes (PLATFORM-API.md, GET /v1/changes), so it is read by
 * the same checks as the platform's, with one field of its own: a slot's "stock", what the
 * simulated machine holds at first (0..capacity; capacity when absent). Pictures are
 * names under the assets folder (kiosk_asset_picture_ok). Pure (fuzzed in fuzz_sync). */
#ifndef KIOSK_DEMO_CATALOGUE_H
#define KIOSK_DEMO_CATALOGUE_H

#include "kiosk/sync/changes.h"

struct kiosk_demo_catalogue {
	struct kiosk_change_page page; /* products and slots, upserts only */
	int stock[KIOSK_CHANGES_PAGE]; /* change i's first stock (slots; 0 for products) */
};

/* KIOSK_OK with *out filled (free with kiosk_demo_catalogue_free), or KIOSK_EPARSE with
 * why naming the change and field ("changes[13].data.stock: more than the capacity"),
 * *out empty. Refused beyond the page's own checks: a kind other than product or slot, a
 * delete, a picture that is not ours, a slot selling a product the file does not hold, a
 * slot named twice. */
int kiosk_demo_catalogue_parse(const char *body, size_t len, struct kiosk_demo_catalogue *out,
			       char *why, size_t wlen);
/* Reads and parses the file at path (at most 256 KiB); errors as above, or the file's. */
int kiosk_demo_catalogue_read(const char *path, struct kiosk_demo_catalogue *out, char *why,
			      size_t wlen);
void kiosk_demo_catalogue_free(struct kiosk_demo_catalogue *c);

#endif
