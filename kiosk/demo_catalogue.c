#include "kiosk/demo_catalogue.h"
#include "kiosk/assets.h"
#include "kiosk/sync/wire.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* The rules a demo catalogue keeps beyond a page's: what index i breaks, or -1. */
static int check(const struct kiosk_change_page *p, char *why, size_t wlen)
{
	for (int i = 0; i < p->n; i++) {
		const struct kiosk_change *c = &p->ch[i];
		if (c->kind != KIOSK_CH_PRODUCT && c->kind != KIOSK_CH_SLOT) {
			snprintf(why, wlen, "changes[%d].kind: a demo catalogue holds products and"
				 " slots only", i);
			return i;
		}
		if (c->del) {
			snprintf(why, wlen, "changes[%d].op: a demo catalogue only adds", i);
			return i;
		}
		if (c->kind == KIOSK_CH_PRODUCT) {
			if (c->u.product.image[0] && !kiosk_asset_picture_ok(c->u.product.image)) {
				snprintf(why, wlen, "changes[%d].data.image_url: not a picture under"
					 " the assets folder (a-z 0-9 - _ . /, .svg or .png, at most"
					 " %d characters)", i, KIOSK_ASSET_NAME_MAX - 1);
				return i;
			}
			continue;
		}
		bool sold = false;
		for (int j = 0; j < p->n; j++) {
			if (p->ch[j].kind == KIOSK_CH_PRODUCT &&
			    strcmp(p->ch[j].id, c->u.slot.product) == 0)
				sold = true;
			if (j < i && p->ch[j].kind == KIOSK_CH_SLOT && strcmp(p->ch[j].id, c->id) == 0) {
				snprintf(why, wlen, "changes[%d].id: slot %s named twice", i, c->id);
				return i;
			}
		}
		if (!sold) {
			snprintf(why, wlen, "changes[%d].data.product: %s is not in this catalogue", i,
				 c->u.slot.product);
			return i;
		}
	}
	return -1;
}

/* Each slot's "stock": absent is full. */
static int stocks(const cJSON *list, struct kiosk_demo_catalogue *out, char *why, size_t wlen)
{
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, list)
	{
		const struct kiosk_change *c = &out->page.ch[i];
		if (c->kind == KIOSK_CH_SLOT) {
			const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "data");
			const cJSON *s = cJSON_GetObjectItemCaseSensitive(d, "stock");
			out->stock[i] = c->u.slot.capacity;
			if (s) {
				double v = cJSON_GetNumberValue(s);
				if (!cJSON_IsNumber(s) || v != (double)(int)v || v < 0) {
					snprintf(why, wlen, "changes[%d].data.stock: not a whole number"
						 " of 0 or more", i);
					return KIOSK_EPARSE;
				}
				if (v > c->u.slot.capacity) {
					snprintf(why, wlen, "changes[%d].data.stock: more than the"
						 " capacity", i);
					return KIOSK_EPARSE;
				}
				out->stock[i] = (int)v;
			}
		}
		i++;
	}
	return KIOSK_OK;
}

int kiosk_demo_catalogue_parse(const char *body, size_t len, struct kiosk_demo_catalogue *out,
			       char *why, size_t wlen)
{
	memset(out, 0, sizeof *out);
	int rc = kiosk_changes_parse(body, len, NULL, &out->page, why, wlen);
	if (rc)
		return rc;
	cJSON *j = NULL;
	if (check(&out->page, why, wlen) >= 0) {
		rc = KIOSK_EPARSE;
		goto out_fail;
	}
	/* parsed once already, so this one cannot fail but for memory */
	if ((rc = kiosk_wire_parse(body, len, &j, why, wlen)))
		goto out_fail;
	rc = stocks(cJSON_GetObjectItemCaseSensitive(j, "changes"), out, why, wlen);
	cJSON_Delete(j);
	if (rc == KIOSK_OK)
		return KIOSK_OK;
out_fail:
	kiosk_demo_catalogue_free(out);
	return rc;
}

int kiosk_demo_catalogue_read(const char *path, struct kiosk_demo_catalogue *out, char *why,
			      size_t wlen)
{
	memset(out, 0, sizeof *out);
	char *buf;
	size_t n;
	int rc = kiosk_asset_read(path, 256 * 1024, &buf, &n, why, wlen);
	if (rc)
		return rc;
	rc = kiosk_demo_catalogue_parse(buf, n, out, why, wlen);
	kiosk_free(buf);
	return rc;
}

void kiosk_demo_catalogue_free(struct kiosk_demo_catalogue *c)
{
	kiosk_change_page_free(&c->page);
	memset(c, 0, sizeof *c);
}
