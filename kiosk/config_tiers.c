/* $.meal.discounts (the platform's `meal.discounts`): the canteens' discount per age tier,
 * {"60+": {"percent": 20}, "80+": {"percent": 50}, "90+": {"percent": 100}}. Every tier at
 * most once, each a whole percent 0..100; a tier left out has no discount. */
#include "kiosk/config.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const tier_names[3] = {"60+", "80+", "90+"};

int kiosk_config_tiers_parse(const cJSON *v, int pct[3], char *why, size_t wlen)
{
	int out[3] = {0, 0, 0};
	bool seen[3] = {false, false, false};
	const cJSON *t;
	if (!cJSON_IsObject(v)) {
		snprintf(why, wlen, ": expected an object of tiers (60+, 80+, 90+)");
		return KIOSK_EINVAL;
	}
	cJSON_ArrayForEach(t, v)
	{
		int i = 0;
		while (i < 3 && strcmp(t->string, tier_names[i]) != 0)
			i++;
		if (i == 3) {
			snprintf(why, wlen, ".%.16s: not a tier (60+, 80+, 90+)", t->string);
			return KIOSK_EINVAL;
		}
		if (seen[i]) {
			snprintf(why, wlen, ".%s: given twice", tier_names[i]);
			return KIOSK_EINVAL;
		}
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(t, "percent");
		if (!cJSON_IsNumber(p) || p->valuedouble != floor(p->valuedouble) ||
		    !(p->valuedouble >= 0 && p->valuedouble <= 100)) {
			snprintf(why, wlen, ".%s.percent: expected a whole number 0..100",
				 tier_names[i]);
			return KIOSK_EINVAL;
		}
		seen[i] = true;
		out[i] = (int)p->valuedouble;
	}
	memcpy(pct, out, sizeof out);
	return KIOSK_OK;
}
