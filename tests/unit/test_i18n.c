/* Translations: the .po parser (with its refusals and line numbers), and every string key
 * the screens use has a non-empty translation in both languages. */
#include "screens/ui/po.h"
#include "hal/base/error.h"
#include "../test.h"

#include <dirent.h>
#include <unistd.h>
#include <stdlib.h>

static char got[2048];

static int cat_entry(void *arg, const char *id, const char *str)
{
	(void)arg;
	snprintf(got + strlen(got), sizeof got - strlen(got), "[%s=%s]", id, str);
	return 0;
}

static const struct {
	const char *po, *entries;
	int rc, line;
} cases[] = {
	{"msgid \"a\"\nmsgstr \"A\"\n", "[a=A]", KIOSK_OK, 0},
	{"# c\nmsgid \"\"\nmsgstr \"header\"\n\nmsgid \"a.b\"\nmsgstr \"x\"", "[a.b=x]", KIOSK_OK, 0},
	{"msgid \"k\"\nmsgstr \"\"\n\"line \\\"1\\\"\\n\"\n\"二\"\n", "[k=line \"1\"\n二]", KIOSK_OK, 0},
	{"msgid \"a\"\nmsgstr \"A\"\nmsgid \"b\"\nmsgstr \"B\"\n", "[a=A][b=B]", KIOSK_OK, 0},
	{"msgctxt \"menu\"\nmsgid \"a\"\nmsgstr \"A\"\n", "[a=A]", KIOSK_OK, 0},
	{"msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"B\"\n", "", KIOSK_EPARSE, 3},
	{"msgid \"a\"\nmsgstr \"A\"\nmsgstr \"again\"\n", "", KIOSK_EPARSE, 3},
	{"msgid \"a\"\nmsgstr \"A\n", "", KIOSK_EPARSE, 2},
	{"msgid \"a\"\nmsgstr \"\\q\"\n", "", KIOSK_EPARSE, 2},
	{"msgid \"a\" junk\nmsgstr \"A\"\n", "", KIOSK_EPARSE, 1},
	{"msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"A\"\n", "", KIOSK_EPARSE, 2},
	{"\"orphan\"\n", "", KIOSK_EPARSE, 1},
	{"msgid \"a\"\n", "", KIOSK_EPARSE, 0},
};

static void po_parser_table(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int line = -1;
		got[0] = '\0';
		int rc = ui_po_parse(cases[i].po, strlen(cases[i].po), cat_entry, NULL, &line);
		if (rc != cases[i].rc)
			fprintf(stderr, "case %zu\n", i);
		CHECK_INT(rc, cases[i].rc);
		if (cases[i].rc == KIOSK_OK)
			CHECK_STR(got, cases[i].entries);
		else if (cases[i].line)
			CHECK_INT(line, cases[i].line);
	}
}

/* Keys the code builds at run time (so a source scan cannot see them). */
static const char *const dynamic_keys[] = {"week.0", "week.1", "week.2", "week.3",
					   "week.4", "week.5", "week.6"};

static int looks_like_key(const char *s, size_t n)
{
	int dots = 0;
	if (n < 3 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.')
			dots++;
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	/* s is not NUL-terminated at n: compare suffixes by length. File names are not keys. */
	static const char *const files[] = {".png", ".svg", ".po"};
	for (size_t i = 0; i < 3; i++) {
		size_t l = strlen(files[i]);
		if (n > l && memcmp(s + n - l, files[i], l) == 0)
			return 0;
	}
	return dots >= 1 && s[n - 1] != '.';
}

static int check_key(struct ui_catalog *zh, struct ui_catalog *en, const char *key,
		     const char *where)
{
	int bad = 0;
	if (!ui_catalog_get(zh, key)) {
		fprintf(stderr, "%s: \"%s\" has no Chinese translation\n", where, key);
		bad = 1;
	}
	if (!ui_catalog_get(en, key)) {
		fprintf(stderr, "%s: \"%s\" has no English translation\n", where, key);
		bad = 1;
	}
	return bad;
}

static void every_key_in_the_screens_is_translated(void)
{
	struct ui_catalog *zh, *en;
	CHECK_INT(ui_catalog_load(ASSETS_DIR "/i18n/zh.po", &zh), KIOSK_OK);
	CHECK_INT(ui_catalog_load(ASSETS_DIR "/i18n/en.po", &en), KIOSK_OK);
	if (!zh || !en)
		return;
	int keys = 0, missing = 0;
	/* The screens, and the toolkit beside them (its dialogs and keyboards have keys too). */
	static const char *const dirs[] = {SCREENS_DIR, SCREENS_DIR "/ui"};
	for (size_t di = 0; di < sizeof dirs / sizeof dirs[0]; di++) {
		DIR *d = opendir(dirs[di]);
		CHECK(d != NULL);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			size_t nl = strlen(de->d_name);
			if (nl < 3 || strcmp(de->d_name + nl - 2, ".c") != 0)
				continue;
			char path[512], *text = NULL;
			snprintf(path, sizeof path, "%s/%s", dirs[di], de->d_name);
			FILE *f = fopen(path, "r");
			size_t len = 0;
			if (!f || getdelim(&text, &len, '\0', f) < 0) {
				CHECK(0);
				if (f)
					fclose(f);
				continue;
			}
			fclose(f);
			/* Every string literal that looks like a key must be one (comments and
			 * character literals are skipped: a quote in them is not a string). */
			for (char *p = text; (p = strpbrk(p, "\"/'"));) {
				if (p[0] == '/' && p[1] == '*') {
					char *end = strstr(p + 2, "*/");
					p = end ? end + 2 : p + strlen(p);
					continue;
				}
				if (p[0] == '\'') {
					p += p[1] == '\\' ? 4 : 3;
					continue;
				}
				if (p[0] == '/') {
					p++;
					continue;
				}
				char *q = p + 1;
				while (*q && *q != '"' && *q != '\n')
					q += *q == '\\' ? 2 : 1;
				if (*q != '"') {
					fprintf(stderr, "%s: a string literal does not end on its line\n",
						de->d_name);
					CHECK(0);
					break;
				}
				if (looks_like_key(p + 1, (size_t)(q - p - 1))) {
					char key[128];
					snprintf(key, sizeof key, "%.*s", (int)(q - p - 1), p + 1);
					missing += check_key(zh, en, key, de->d_name);
					keys++;
				}
				p = q + 1;
			}
			free(text);
		}
		if (d)
			closedir(d);
	}
	for (size_t i = 0; i < sizeof dynamic_keys / sizeof dynamic_keys[0]; i++)
		missing += check_key(zh, en, dynamic_keys[i], "dynamic");
	/* Both catalogues carry the same keys: a key only one language has is a mistake. */
	CHECK_INT(ui_catalog_count(zh), ui_catalog_count(en));
	for (int i = 0; ui_catalog_key(zh, i); i++)
		CHECK_STR(ui_catalog_key(zh, i), ui_catalog_key(en, i));
	printf("  %d key uses checked\n", keys);
	CHECK(keys > 20);
	CHECK_INT(missing, 0);
	ui_catalog_free(zh);
	ui_catalog_free(en);
}

static void broken_catalogue_is_refused(void)
{
	char path[] = "/tmp/kiosk-po-XXXXXX";
	int fd = mkstemp(path);
	const char *bad = "msgid \"a\"\nmsgstr \"A\"\nmsgid \"a\"\nmsgstr \"dup\"\n";
	CHECK(write(fd, bad, strlen(bad)) == (ssize_t)strlen(bad));
	close(fd);
	struct ui_catalog *c = (struct ui_catalog *)1;
	CHECK_INT(ui_catalog_load(path, &c), KIOSK_EPARSE); /* duplicate msgid */
	CHECK(c == NULL);
	unlink(path);
	CHECK_INT(ui_catalog_load("/nonexistent.po", &c), KIOSK_ENOENT);
}

int main(int argc, char **argv)
{
	static const struct test_case cases_[] = {
		{"po_parser_table", po_parser_table},
		{"every_key_in_the_screens_is_translated", every_key_in_the_screens_is_translated},
		{"broken_catalogue_is_refused", broken_catalogue_is_refused},
		{0},
	};
	return test_main(argc, argv, cases_);
}
