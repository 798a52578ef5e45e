/* The directory: opening hours (the common subset, and "unknown" for the rest — never a
 * guess), pinyin readings with polyphones, and search by hanzi, full pinyin, initials and
 * English, ranked by match and then walking time, with the category and open-now filters.
 * Table-driven. */
#include "kiosk/directory/hours.h"
#include "kiosk/directory/pinyin.h"
#include "kiosk/directory/search.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A local time on a day of the week (0 Sunday, as C) at h:m. */
static struct tm at(int wday, int h, int m)
{
	struct tm t = {0};
	t.tm_wday = wday;
	t.tm_hour = h;
	t.tm_min = m;
	return t;
}

static void opening_hours_table(void)
{
	static const struct {
		const char *spec;
		int wday, h, m;
		enum dir_open want;
	} t[] = {
		{"24/7", 3, 3, 0, DIR_OPEN},
		{"08:00-18:00", 0, 8, 0, DIR_OPEN},
		{"08:00-18:00", 0, 18, 0, DIR_CLOSED},
		{"08:00-18:00", 0, 7, 59, DIR_CLOSED},
		{"Mo-Fr 08:00-18:00", 1, 9, 0, DIR_OPEN},
		{"Mo-Fr 08:00-18:00", 6, 9, 0, DIR_CLOSED},
		{"Mo-Fr 09:00-17:00; Sa,Su 09:00-16:00", 0, 15, 30, DIR_OPEN},
		{"Mo-Fr 09:00-17:00; Sa,Su 09:00-16:00", 0, 16, 30, DIR_CLOSED},
		{"Mo-Sa 08:00-18:00; Su off", 0, 12, 0, DIR_CLOSED},
		{"Mo-Sa 08:00-18:00; Su off", 6, 12, 0, DIR_OPEN},
		{"Mo-Su 05:30-13:00,15:30-19:00", 2, 14, 0, DIR_CLOSED},
		{"Mo-Su 05:30-13:00,15:30-19:00", 2, 16, 0, DIR_OPEN},
		{"Mo-Su 18:00-02:00", 2, 1, 0, DIR_OPEN},  /* Tuesday 01:00: Monday's night */
		{"Mo-Su 18:00-02:00", 2, 3, 0, DIR_CLOSED},
		{"Fr 22:00-02:00", 6, 1, 30, DIR_OPEN},    /* Saturday 01:30 */
		{"Fr 22:00-02:00", 0, 1, 30, DIR_CLOSED},
		{"Sa-Mo 10:00-12:00", 0, 11, 0, DIR_OPEN}, /* a range across the week's end */
		{"Sa-Mo 10:00-12:00", 2, 11, 0, DIR_CLOSED},
		{"Tu-Su 09:00-17:00", 1, 10, 0, DIR_CLOSED},
		{"08:00-24:00", 4, 23, 59, DIR_OPEN},
		{" Mo-Fr 08:00-18:00 ; ", 1, 9, 0, DIR_OPEN},
		/* not the subset: unknown, never guessed */
		{"", 1, 9, 0, DIR_HOURS_UNKNOWN},
		{"PH off; 09:00-17:00", 1, 10, 0, DIR_HOURS_UNKNOWN},
		{"Jan-Mar 08:00-18:00", 1, 10, 0, DIR_HOURS_UNKNOWN},
		{"sunrise-sunset", 1, 10, 0, DIR_HOURS_UNKNOWN},
		{"Mo-Fr", 1, 10, 0, DIR_HOURS_UNKNOWN},
		{"Mo-Fr 8:00-18:00", 1, 10, 0, DIR_HOURS_UNKNOWN},
		{"Mo-Fr 08:00-25:00", 1, 10, 0, DIR_HOURS_UNKNOWN},
		{"Mo-Fr 08:00-18:00 \"by appointment\"", 1, 10, 0, DIR_HOURS_UNKNOWN},
		{"Xy 08:00-18:00", 1, 10, 0, DIR_HOURS_UNKNOWN},
		{"10:00-10:00", 1, 10, 0, DIR_HOURS_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct tm tm = at(t[i].wday, t[i].h, t[i].m);
		enum dir_open got = dir_hours_open(t[i].spec, &tm);
		if (got != t[i].want)
			fprintf(stderr, "  '%s' on %d at %02d:%02d\n", t[i].spec, t[i].wday, t[i].h,
				t[i].m);
		CHECK_INT(got, t[i].want);
	}
}

/* Does c have reading r? */
static bool reads(const char *utf8, const char *r)
{
	const char *p = utf8;
	const char *out[DIR_MAX_READINGS];
	int n = dir_pinyin(dir_utf8_next(&p), out);
	for (int i = 0; i < n; i++)
		if (strcmp(out[i], r) == 0)
			return true;
	return false;
}

static void polyphones_have_every_reading(void)
{
	CHECK(reads("行", "xing"));
	CHECK(reads("行", "hang"));
	CHECK(reads("长", "zhang"));
	CHECK(reads("长", "chang"));
	CHECK(reads("绿", "lv"));
	CHECK(reads("修", "xiu"));
	CHECK(!reads("修", "xing"));
	const char *out[DIR_MAX_READINGS];
	const char *p = "行";
	CHECK(dir_pinyin(dir_utf8_next(&p), out) >= 2);
	CHECK_STR(out[0], "xing"); /* the common one first */
	p = "A";
	CHECK_INT(dir_pinyin(dir_utf8_next(&p), out), 0);
	/* a broken byte is one replacement character, and the text goes on */
	p = "\xff修";
	CHECK_INT(dir_utf8_next(&p), 0xFFFD);
	CHECK_INT(dir_utf8_next(&p), 0x4FEE);
}

static const struct kiosk_service svc[] = {
	{.id = "a", .name_zh = "王师傅修鞋", .name_en = "Master Wang Shoe Repair", .category = "shoe",
	 .opening_hours = "08:00-18:00"},
	{.id = "b", .name_zh = "修鞋铺", .name_en = "Shoe Repair Shop", .category = "shoe",
	 .opening_hours = "Mo-Fr 09:00-17:00"},
	{.id = "c", .name_zh = "老李配钥匙", .name_en = "Lao Li Key Cutting", .category = "key"},
	{.id = "d", .name_zh = "街角修车铺", .name_en = "Corner Bike Repair", .category = "bike",
	 .opening_hours = "24/7"},
	{.id = "e", .name_zh = "工商银行", .name_en = "ICBC", .category = "bank"},
	{.id = "f", .name_zh = "长寿社区食堂", .name_en = "Changshou Community Canteen",
	 .category = "canteen"},
	{.id = "g", .name_zh = "行知书屋", .name_en = "Xingzhi Books", .category = "sports"},
	{.id = "h", .name_zh = "社区食堂·助餐", .name_en = "Canteen", .category = "canteen"},
};
#define NSVC (sizeof svc / sizeof svc[0])
static const double secs[NSVC] = {300, 100, 200, 50, 400, 600, -1, 500};

static void search_table(void)
{
	struct dir_index *ix;
	CHECK_INT(dir_index_new(svc, NSVC, secs, &ix), KIOSK_OK);
	static const struct {
		const char *q, *want; /* ids in order */
	} t[] = {
		{"xx", "ba"},            /* 修鞋: 修鞋铺 (nearer), 王师傅修鞋 */
		{"xiuxie", "ba"},
		{"xiux", "ba"},          /* the last syllable being typed */
		{"xiuxi", "ba"},
		{"pys", "c"},            /* 配钥匙 */
		{"xc", "d"},             /* 修车 */
		{"yh", "e"},             /* 银行: 行 read hang */
		{"yinhang", "e"},
		{"gsyh", "e"},           /* the whole name: exact */
		{"cs", "hf"},            /* 助餐 read chu sun (nearer), 长寿: 长 read chang */
		{"zs", "hfg"},           /* 助餐 zhu sun; 长 also reads zhang; 行知书屋 (unreachable) */
		{"xz", "g"},             /* 行知: 行 read xing */
		{"stzc", "h"},           /* 食堂·助餐: the dot is not a character */
		{"修鞋", "ba"},
		{"银行", "e"},
		{"工商银行", "e"},
		{"shoe", "ba"},          /* English: nearest first among equals */
		{"Repair", "dba"},
		{"ICBC", "e"},
		{"qq", ""},
		{"", "dbcaehfg"},         /* everything, nearest first; unreachable last */
		{"  xc  ", "d"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct dir_hit hits[NSVC];
		int n = dir_search(ix, t[i].q, NULL, hits, NSVC);
		char got[NSVC + 1] = "";
		for (int k = 0; k < n; k++)
			got[k] = svc[hits[k].i].id[0];
		got[n] = '\0';
		if (strcmp(got, t[i].want) != 0)
			fprintf(stderr, "  query '%s'\n", t[i].q);
		CHECK_STR(got, t[i].want);
	}
	struct dir_hit hits[NSVC];
	CHECK_INT(dir_search(ix, "gsyh", NULL, hits, NSVC), 1);
	CHECK_INT(hits[0].q, DIR_Q_EXACT);
	CHECK_INT(dir_search(ix, "xx", NULL, hits, NSVC), 2);
	CHECK_INT(hits[0].q, DIR_Q_PREFIX);
	CHECK_INT(hits[1].q, DIR_Q_INSIDE);
	/* the category filter, and open now (Wednesday 08:30: 王师傅 open, 修鞋铺 not yet) */
	struct dir_filter f = {"shoe", false};
	CHECK_INT(dir_search(ix, "", &f, hits, NSVC), 2);
	struct tm wed = at(3, 8, 30);
	dir_index_set_time(ix, &wed);
	CHECK_INT(dir_index_open(ix, 0), DIR_OPEN);
	CHECK_INT(dir_index_open(ix, 1), DIR_CLOSED);
	CHECK_INT(dir_index_open(ix, 2), DIR_HOURS_UNKNOWN);
	f.open_now = true;
	CHECK_INT(dir_search(ix, "xx", &f, hits, NSVC), 1);
	CHECK_STR(svc[hits[0].i].id, "a");
	/* typing on narrows the last matches: the same answers as a fresh search */
	dir_index_set_time(ix, &wed);
	CHECK(dir_search(ix, "x", NULL, hits, NSVC) >= 3);
	CHECK_INT(dir_search(ix, "xc", NULL, hits, NSVC), 1);
	CHECK_STR(svc[hits[0].i].id, "d");
	struct dir_filter keyf = {"key", false};
	CHECK_INT(dir_search(ix, "x", &keyf, hits, NSVC), 0); /* 老李配钥匙 has no x */
	CHECK_INT(dir_search(ix, "xc", NULL, hits, NSVC), 1); /* not narrowed from the key search */
	/* a long query finds nothing rather than overflowing */
	char longq[300];
	memset(longq, 'x', sizeof longq - 1);
	longq[sizeof longq - 1] = '\0';
	CHECK_INT(dir_search(ix, longq, NULL, hits, NSVC), 0);
	dir_index_free(ix);
}

/* Opening hours as a resident reads them, in both languages; never the raw value. */
static void opening_hours_in_words(void)
{
	static const struct {
		const char *spec, *zh, *en;
	} t[] = {
		{"08:00-18:00", "每天 08:00–18:00", "Daily 08:00–18:00"},
		{"Mo-Fr 09:00-17:00", "周一至周五 09:00–17:00；周六、周日 休息",
		 "Mon–Fri 09:00–17:00; Sat, Sun closed"},
		{"Mo-Sa 08:00-18:00; Su off", "周一至周六 08:00–18:00；周日 休息",
		 "Mon–Sat 08:00–18:00; Sun closed"},
		{"Mo-Fr 09:00-18:00; Sa 09:00-12:00",
		 "周一至周五 09:00–18:00；周六 09:00–12:00；周日 休息",
		 "Mon–Fri 09:00–18:00; Sat 09:00–12:00; Sun closed"},
		{"11:00-13:30,17:00-19:30", "每天 11:00–13:30，17:00–19:30",
		 "Daily 11:00–13:30, 17:00–19:30"},
		{"24/7", "每天 全天", "Daily all day"},
		{"Mo-Su 18:00-02:00", "每天 18:00–02:00", "Daily 18:00–02:00"},
		{"Tu-Su 09:00-17:00", "周一 休息；周二至周日 09:00–17:00",
		 "Mon closed; Tue–Sun 09:00–17:00"},
	};
	char out[256];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		CHECK(dir_hours_words(t[i].spec, false, out, sizeof out));
		if (strcmp(out, t[i].zh) != 0)
			fprintf(stderr, "  spec '%s'\n", t[i].spec);
		CHECK_STR(out, t[i].zh);
		CHECK(dir_hours_words(t[i].spec, true, out, sizeof out));
		CHECK_STR(out, t[i].en);
	}
	/* not understood: nothing, rather than the raw value or a guess */
	CHECK(!dir_hours_words("PH off; 09:00-17:00", false, out, sizeof out));
	CHECK_STR(out, "");
	CHECK(!dir_hours_words("", true, out, sizeof out));
	CHECK(!dir_hours_words(NULL, true, out, sizeof out));
}

/* The nearest good match first, not the one whose name starts with the query: a 2-minute
 * 王师傅修鞋 before a 6-minute 修鞋铺 for "xx"; a place named just 修鞋 before both, however
 * far; a match only in the English name after every Chinese one. */
static void nearest_good_match_first(void)
{
	static const struct kiosk_service near[] = {
		{.id = "far-prefix", .name_zh = "修鞋铺", .name_en = "Shoe Repair Shop"},
		{.id = "near-inside", .name_zh = "王师傅修鞋", .name_en = "Master Wang"},
		{.id = "exact", .name_zh = "修鞋", .name_en = "Cobbler"},
		{.id = "english", .name_zh = "老张皮具", .name_en = "Xx Leather"},
	};
	static const double s[] = {360, 120, 900, 30};
	struct dir_index *ix;
	CHECK_INT(dir_index_new(near, 4, s, &ix), KIOSK_OK);
	struct dir_hit hits[4];
	CHECK_INT(dir_search(ix, "xx", NULL, hits, 4), 4);
	CHECK_STR(near[hits[0].i].id, "exact");
	CHECK_STR(near[hits[1].i].id, "near-inside");
	CHECK_STR(near[hits[2].i].id, "far-prefix");
	CHECK_STR(near[hits[3].i].id, "english");
	/* the same in hanzi */
	CHECK_INT(dir_search(ix, "修鞋", NULL, hits, 4), 3);
	CHECK_STR(near[hits[1].i].id, "near-inside");
	dir_index_free(ix);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"opening_hours_table", opening_hours_table},
		{"polyphones_have_every_reading", polyphones_have_every_reading},
		{"search_table", search_table},
		{"opening_hours_in_words", opening_hours_in_words},
		{"nearest_good_match_first", nearest_good_match_first},
		{0},
	};
	return test_main(argc, argv, cases);
}
