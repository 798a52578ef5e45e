#include "kiosk/geo/category.h"

#include <stddef.h>
#include <string.h>

const struct geo_category geo_categories[] = {
	{"convenience", "便利店", "Convenience store"},
	{"market", "菜市场", "Vegetable market"},
	{"breakfast", "早餐", "Breakfast"},
	{"restaurant", "餐饮", "Restaurants"},
	{"key", "配钥匙", "Key cutting"},
	{"shoe", "修鞋", "Shoe repair"},
	{"bike", "修车", "Bike repair"},
	{"tailor", "改衣", "Tailor"},
	{"appliance", "家电维修", "Appliance repair"},
	{"phone", "手机维修", "Phone repair"},
	{"watch", "修表", "Watch repair"},
	{"hardware", "五金", "Hardware"},
	{"canteen", "社区食堂·助餐", "Community canteen"},
	{"elderly", "养老", "Elderly care"},
	{"childcare", "托育", "Childcare"},
	{"housekeeping", "家政", "Housekeeping"},
	{"laundry", "洗衣", "Laundry"},
	{"beauty", "美容美发", "Hair and beauty"},
	{"optician", "眼镜", "Opticians"},
	{"print", "照相打印", "Photos and printing"},
	{"pharmacy", "药店", "Pharmacy"},
	{"parcel", "快递", "Parcels"},
	{"sports", "文体", "Sports and culture"},
	{"bank", "银行", "Bank"},
	{NULL, NULL, NULL},
};

const struct geo_category *geo_category_find(const char *code)
{
	for (const struct geo_category *c = geo_categories; code && c->code; c++)
		if (strcmp(c->code, code) == 0)
			return c;
	return NULL;
}

/* key=value → category; a value of NULL matches any value; the first match wins. A rule
 * may also need a second tag (and_k=and_v). */
static const struct rule {
	const char *k, *v, *and_k, *and_v, *cat;
} rules[] = {
	{"craft", "key_cutter", NULL, NULL, "key"},
	{"shop", "locksmith", NULL, NULL, "key"},
	{"craft", "locksmith", NULL, NULL, "key"},
	{"craft", "shoemaker", NULL, NULL, "shoe"},
	{"shop", "shoe_repair", NULL, NULL, "shoe"},
	{"craft", "shoe_repair", NULL, NULL, "shoe"},
	{"shop", "bicycle", NULL, NULL, "bike"},
	{"amenity", "bicycle_repair_station", NULL, NULL, "bike"},
	{"service:bicycle:repair", "yes", NULL, NULL, "bike"},
	{"craft", "tailor", NULL, NULL, "tailor"},
	{"shop", "tailor", NULL, NULL, "tailor"},
	{"craft", "electronics_repair", NULL, NULL, "appliance"},
	{"shop", "appliance", "repair", "yes", "appliance"},
	{"shop", "electronics", "repair", "yes", "appliance"},
	{"shop", "mobile_phone", NULL, NULL, "phone"},
	{"shop", "telecommunication", NULL, NULL, "phone"},
	{"craft", "watchmaker", NULL, NULL, "watch"},
	{"shop", "watches", "repair", "yes", "watch"},
	{"shop", "hardware", NULL, NULL, "hardware"},
	{"shop", "doityourself", NULL, NULL, "hardware"},
	{"amenity", "social_facility", "social_facility:for", "senior", "elderly"},
	{"social_facility", "nursing_home", NULL, NULL, "elderly"},
	{"social_facility", "assisted_living", NULL, NULL, "elderly"},
	{"amenity", "nursing_home", NULL, NULL, "elderly"},
	{"amenity", "social_facility", NULL, NULL, "canteen"},
	{"amenity", "canteen", NULL, NULL, "canteen"},
	{"amenity", "food_court", NULL, NULL, "canteen"},
	{"shop", "convenience", NULL, NULL, "convenience"},
	{"shop", "supermarket", NULL, NULL, "convenience"},
	{"shop", "kiosk", NULL, NULL, "convenience"},
	{"shop", "greengrocer", NULL, NULL, "market"},
	{"amenity", "marketplace", NULL, NULL, "market"},
	{"shop", "butcher", NULL, NULL, "market"},
	{"shop", "seafood", NULL, NULL, "market"},
	{"cuisine", "breakfast", NULL, NULL, "breakfast"},
	{"shop", "bakery", NULL, NULL, "breakfast"},
	{"amenity", "restaurant", NULL, NULL, "restaurant"},
	{"amenity", "fast_food", NULL, NULL, "restaurant"},
	{"amenity", "cafe", NULL, NULL, "restaurant"},
	{"amenity", "kindergarten", NULL, NULL, "childcare"},
	{"amenity", "childcare", NULL, NULL, "childcare"},
	{"craft", "cleaning", NULL, NULL, "housekeeping"},
	{"office", "housekeeping", NULL, NULL, "housekeeping"},
	{"shop", "laundry", NULL, NULL, "laundry"},
	{"shop", "dry_cleaning", NULL, NULL, "laundry"},
	{"shop", "hairdresser", NULL, NULL, "beauty"},
	{"shop", "beauty", NULL, NULL, "beauty"},
	{"shop", "optician", NULL, NULL, "optician"},
	{"shop", "copyshop", NULL, NULL, "print"},
	{"shop", "photo", NULL, NULL, "print"},
	{"amenity", "pharmacy", NULL, NULL, "pharmacy"},
	{"shop", "chemist", NULL, NULL, "pharmacy"},
	{"amenity", "post_office", NULL, NULL, "parcel"},
	{"amenity", "parcel_locker", NULL, NULL, "parcel"},
	{"shop", "courier", NULL, NULL, "parcel"},
	{"leisure", "sports_centre", NULL, NULL, "sports"},
	{"leisure", "fitness_centre", NULL, NULL, "sports"},
	{"leisure", "fitness_station", NULL, NULL, "sports"},
	{"amenity", "community_centre", NULL, NULL, "sports"},
	{"amenity", "library", NULL, NULL, "sports"},
	{"amenity", "bank", NULL, NULL, "bank"},
};

const struct geo_category *geo_category_of(const struct geo_tag *tags, int ntags)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const char *v = geo_tag_get(tags, ntags, rules[i].k);
		if (!v || (rules[i].v && strcmp(v, rules[i].v) != 0))
			continue;
		if (rules[i].and_k) {
			const char *w = geo_tag_get(tags, ntags, rules[i].and_k);
			if (!w || strcmp(w, rules[i].and_v) != 0)
				continue;
		}
		return geo_category_find(rules[i].cat);
	}
	return NULL;
}
