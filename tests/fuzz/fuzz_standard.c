/* libFuzzer: the quarter-hour standard (assets/coverage/standard.json, the operator's to
 * change) — any bytes, never a crash; a refusal names a path and leaves the output as it
 * was; an accepted standard keeps its own limits (minutes 1..60, known categories, groups
 * naming its own items). */
#include "kiosk/geo/category.h"
#include "kiosk/geo/standard.h"
#include "hal/base/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct geo_standard s, before;
	char why[200] = "";
	memset(&s, 0x5A, sizeof s);
	before = s;
	int rc = geo_standard_parse((const char *)data, size, &s, why, sizeof why);
	if (rc != KIOSK_OK) {
		if (why[0] != '$' || memcmp(&s, &before, sizeof s) != 0)
			abort();
		return 0;
	}
	if (s.nitems < 1 || s.nitems > GEO_STD_MAX_ITEMS || s.ngroups < 0 ||
	    s.ngroups > GEO_STD_MAX_GROUPS)
		abort();
	for (int i = 0; i < s.nitems; i++) {
		const struct geo_std_item *it = &s.items[i];
		if (it->minutes < 1 || it->minutes > 60 || it->ncats < 1 ||
		    it->ncats > GEO_STD_MAX_CATS || !memchr(it->id, '\0', sizeof it->id))
			abort();
		for (int k = 0; k < it->ncats; k++)
			if (!geo_category_find(it->cats[k]))
				abort();
	}
	for (int g = 0; g < s.ngroups; g++)
		for (int k = 0; k < s.groups[g].nitems; k++)
			if (s.groups[g].items[k] < 0 || s.groups[g].items[k] >= s.nitems)
				abort();
	return 0;
}
