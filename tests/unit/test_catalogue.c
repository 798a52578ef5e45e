/* The demo vending machine's catalogue (assets/demo/catalogue.json): the shipped file reads
 * and seeds the machine in one transaction, its pictures are ours and present, and a file
 * that is wrong is refused with the change and field named, writing nothing. */
#include "store_fixture.h"
#include "kiosk/assets.h"
#include "kiosk/demo_catalogue.h"
#include "kiosk/store/store.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[256];
static struct kiosk_store *st;

static void setup(void)
{
	fx_now = 1795867200000LL;
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
}

static void teardown(void)
{
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	CHECK_STR(msg, "ok");
	kiosk_store_close(st);
	st = NULL;
	fx_cleanup(path);
}

static long long restocked(void)
{
	return fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'inventory.restocked'");
}

/* What a resident would see at 购物 after a fresh --simulate: every slot of the file, at
 * its price, with its stock and a picture that is there to draw. */
static void the_shipped_catalogue_seeds_the_machine(void)
{
	setup();
	char file[512], why[200];
	snprintf(file, sizeof file, "%s/demo/catalogue.json", ASSETS_DIR);
	struct kiosk_demo_catalogue cat;
	CHECK_INT(kiosk_demo_catalogue_read(file, &cat, why, sizeof why), KIOSK_OK);
	int slots = 0, stocked = 0, bad = 7;
	for (int i = 0; i < cat.page.n; i++) {
		const struct kiosk_change *c = &cat.page.ch[i];
		if (c->kind == KIOSK_CH_SLOT) {
			slots++;
			stocked += cat.stock[i] > 0;
			continue;
		}
		char pic[600];
		CHECK(kiosk_asset_picture_ok(c->u.product.image));
		snprintf(pic, sizeof pic, "%s/%s", ASSETS_DIR, c->u.product.image);
		if (access(pic, R_OK) != 0)
			fprintf(stderr, "missing picture %s\n", pic);
		CHECK_INT(access(pic, R_OK), 0);
	}
	CHECK(slots >= 12); /* drinks, snacks and daily needs: more than a page of the grid */
	CHECK(stocked < slots); /* one sold out, to show how that looks */
	CHECK_INT(kiosk_catalogue_seed(st, &cat.page, cat.stock, "demo", &bad), KIOSK_OK);
	CHECK_INT(bad, -1);

	struct kiosk_vend_item items[64];
	int n = 0;
	CHECK_INT(kiosk_vend_items(st, items, 64, &n), KIOSK_OK);
	CHECK_INT(n, slots);
	for (int i = 0; i < cat.page.n; i++) {
		const struct kiosk_change *c = &cat.page.ch[i];
		if (c->kind != KIOSK_CH_SLOT)
			continue;
		struct kiosk_slot s;
		CHECK_INT(kiosk_slot_get(st, c->id, &s), KIOSK_OK);
		CHECK_INT(s.stock, cat.stock[i]);
		CHECK_INT(s.price_fen, c->u.slot.price_fen);
		CHECK_STR(s.product, c->u.slot.product);
	}
	/* each first stock is a restock the ledger and the platform see */
	CHECK_INT(restocked(), stocked);
	kiosk_demo_catalogue_free(&cat);
	teardown();
}

static const char *page(const char *changes)
{
	static char buf[2048];
	snprintf(buf, sizeof buf, "{\"cursor\":\"demo\",\"more\":false,\"changes\":[%s]}", changes);
	return buf;
}

#define PRODUCT(id, img)                                                                           \
	"{\"kind\":\"product\",\"op\":\"upsert\",\"id\":\"" id "\",\"data\":{\"name_zh\":\"水\","   \
	"\"name_en\":\"Water\",\"category\":\"drinks\",\"image_url\":\"" img "\"}}"
#define SLOT(id, prod, extra)                                                                      \
	"{\"kind\":\"slot\",\"op\":\"upsert\",\"id\":\"" id "\",\"data\":{\"product\":\"" prod      \
	"\",\"price_fen\":200,\"capacity\":5,\"enabled\":true" extra "}}"

/* Each wrong file: refused, the change and field named, nothing handed out. */
static void a_wrong_catalogue_is_refused_by_name(void)
{
	static const struct {
		const char *changes, *why;
	} cases[] = {
		{PRODUCT("w", "demo/products/w.svg") "," SLOT("1", "w", ",\"stock\":6"),
		 "changes[1].data.stock: more than the capacity"},
		{PRODUCT("w", "demo/products/w.svg") "," SLOT("1", "w", ",\"stock\":-1"),
		 "changes[1].data.stock: not a whole number"},
		{PRODUCT("w", "demo/products/w.svg") "," SLOT("1", "w", ",\"stock\":1.5"),
		 "changes[1].data.stock: not a whole number"},
		{PRODUCT("w", "demo/products/w.svg") "," SLOT("1", "w", ",\"stock\":\"3\""),
		 "changes[1].data.stock: not a whole number"},
		{PRODUCT("w", "../../etc/w.svg"), "changes[0].data.image_url: not a picture"},
		{PRODUCT("w", "https://example.com/w.png"), "changes[0].data.image_url"},
		{PRODUCT("w", "demo/w.exe"), "changes[0].data.image_url"},
		{PRODUCT("w", "") "," SLOT("1", "tea", ""),
		 "changes[1].data.product: tea is not in this catalogue"},
		{PRODUCT("w", "") "," SLOT("1", "w", "") "," SLOT("1", "w", ""),
		 "changes[2].id: slot 1 named twice"},
		{"{\"kind\":\"config\",\"op\":\"upsert\",\"id\":\"c\",\"data\":{\"key\":\"parcel.keep_days\","
		 "\"value\":1}}",
		 "changes[0].kind: a demo catalogue holds products and slots only"},
		{"{\"kind\":\"product\",\"op\":\"delete\",\"id\":\"w\"}",
		 "changes[0].op: a demo catalogue only adds"},
		{SLOT("1", "w", ",\"capacity\":0"), "changes[0]"}, /* the page's own checks */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct kiosk_demo_catalogue cat;
		char why[200] = "";
		const char *body = page(cases[i].changes);
		CHECK_INT(kiosk_demo_catalogue_parse(body, strlen(body), &cat, why, sizeof why),
			  KIOSK_EPARSE);
		if (!strstr(why, cases[i].why))
			fprintf(stderr, "case %zu: %s\n", i, why);
		CHECK_HAS(why, cases[i].why);
		CHECK_INT(cat.page.n, 0);
		CHECK(cat.page.ch == NULL);
	}
	/* the same file, right: read */
	struct kiosk_demo_catalogue cat;
	char why[200];
	const char *body = page(PRODUCT("w", "demo/products/w.svg") "," SLOT("1", "w",
									       ",\"stock\":5"));
	CHECK_INT(kiosk_demo_catalogue_parse(body, strlen(body), &cat, why, sizeof why), KIOSK_OK);
	CHECK_INT(cat.page.n, 2);
	CHECK_INT(cat.stock[1], 5);
	kiosk_demo_catalogue_free(&cat);
	/* a file that is not there is said as such */
	CHECK_INT(kiosk_demo_catalogue_read("/nonexistent/catalogue.json", &cat, why, sizeof why),
		  KIOSK_ENOENT);
	CHECK_HAS(why, "/nonexistent/catalogue.json");
}

/* A seed that fails anywhere writes nothing: not the products before it, not a restock. */
static void a_seed_is_all_or_nothing(void)
{
	setup();
	struct kiosk_demo_catalogue cat;
	char why[200], before[65], after[65];
	const char *body = page(PRODUCT("w", "") "," SLOT("1", "w", ",\"stock\":2") "," SLOT(
		"2", "w", ",\"stock\":1"));
	CHECK_INT(kiosk_demo_catalogue_parse(body, strlen(body), &cat, why, sizeof why), KIOSK_OK);
	fx_digest(st, before);
	int bad = -7;
	cat.stock[2] = 9; /* past slot 2's capacity: its restock fails, after the rest went in */
	CHECK_INT(kiosk_catalogue_seed(st, &cat.page, cat.stock, "demo", &bad), KIOSK_EINVAL);
	CHECK_INT(bad, 2);
	fx_digest(st, after);
	CHECK_STR(after, before);
	/* a change of another kind is refused before anything is begun */
	cat.stock[2] = 1;
	cat.page.ch[0].kind = KIOSK_CH_SERVICE;
	CHECK_INT(kiosk_catalogue_seed(st, &cat.page, cat.stock, "demo", &bad), KIOSK_EINVAL);
	CHECK_INT(bad, 0);
	fx_digest(st, after);
	CHECK_STR(after, before);
	cat.page.ch[0].kind = KIOSK_CH_PRODUCT;
	CHECK_INT(kiosk_catalogue_seed(st, &cat.page, cat.stock, "demo", &bad), KIOSK_OK);
	CHECK_INT(restocked(), 2);
	kiosk_demo_catalogue_free(&cat);
	teardown();
}

/* Only a picture of ours is drawn: never a path out of the assets folder, never the web. */
static void only_our_pictures_are_drawn(void)
{
	static const char *ok[] = {"demo/products/water.svg", "icons/shop.svg", "a.png"};
	static const char *no[] = {"",
				   "/etc/passwd.svg",
				   "../x.svg",
				   "demo/../../x.svg",
				   "demo//x.svg",
				   "https://cdn.example.com/x.png",
				   "Demo/X.svg",
				   "demo/x.svg.exe",
				   "demo/x .svg",
				   "demo/products/a-name-far-too-long-to-fit.svg"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		CHECK(kiosk_asset_picture_ok(ok[i]));
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		if (kiosk_asset_picture_ok(no[i]))
			fprintf(stderr, "taken: %s\n", no[i]);
		CHECK(!kiosk_asset_picture_ok(no[i]));
	}
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"the_shipped_catalogue_seeds_the_machine", the_shipped_catalogue_seeds_the_machine},
		{"a_wrong_catalogue_is_refused_by_name", a_wrong_catalogue_is_refused_by_name},
		{"a_seed_is_all_or_nothing", a_seed_is_all_or_nothing},
		{"only_our_pictures_are_drawn", only_our_pictures_are_drawn},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
