/* The quarter-hour standard from JSON: checked field by field. */
#include "kiosk/geo/standard.h"
#include "kiosk/geo/category.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int bad(char *why, size_t wlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t wlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, wlen, fmt, ap);
	va_end(ap);
	return KIOSK_EPARSE;
}

/* A string member of o into out (cap bytes), 1..cap-1 bytes, no control byte. */
static int text(const cJSON *o, const char *key, char *out, size_t cap, const char *path,
		char *why, size_t wlen)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
	size_t n = v ? strlen(v) : 0;
	if (!v || !n || n >= cap)
		return bad(why, wlen, "%s.%s: expected a string of 1..%zu bytes", path, key, cap - 1);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return bad(why, wlen, "%s.%s: control character", path, key);
	memcpy(out, v, n + 1);
	return KIOSK_OK;
}

/* An entry of the standard: an object with its id (when id is not NULL) and its
 * two names: in that order, the first wrong one named. */
static int named(const cJSON *o, const char *path, char *id, char *zh, size_t zhcap, char *en,
		 size_t encap, char *why, size_t wlen)
{
	if (!cJSON_IsObject(o))
		return bad(why, wlen, "%s: expected an object", path);
	int rc = id ? text(o, "id", id, sizeof ((struct geo_std_item *)0)->id, path, why, wlen) : 0;
	if (!rc)
		rc = text(o, "name_zh", zh, zhcap, path, why, wlen);
	return rc ? rc : text(o, "name_en", en, encap, path, why, wlen);
}

static int item(const cJSON *o, int i, struct geo_standard *s, char *why, size_t wlen)
{
	char path[48];
	snprintf(path, sizeof path, "$.items[%d]", i);
	struct geo_std_item *it = &s->items[i];
	int rc = named(o, path, it->id, it->name_zh, sizeof it->name_zh, it->name_en,
		       sizeof it->name_en, why, wlen);
	if (rc)
		return rc;
	for (int k = 0; k < i; k++)
		if (strcmp(s->items[k].id, it->id) == 0)
			return bad(why, wlen, "%s.id: '%s' is already item %d", path, it->id, k);
	const cJSON *m = cJSON_GetObjectItem(o, "minutes");
	if (!cJSON_IsNumber(m) || m->valuedouble != floor(m->valuedouble) || m->valuedouble < 1 ||
	    m->valuedouble > 60)
		return bad(why, wlen, "%s.minutes: expected an integer 1..60", path);
	it->minutes = (int)m->valuedouble;
	const char *tier = cJSON_GetStringValue(cJSON_GetObjectItem(o, "tier"));
	if (!tier || (strcmp(tier, "basic") != 0 && strcmp(tier, "quality") != 0))
		return bad(why, wlen, "%s.tier: expected \"basic\" (基础保障类) or \"quality\" (品质提升类)",
			   path);
	it->tier = tier[0] == 'b' ? GEO_STD_BASIC : GEO_STD_QUALITY;
	const cJSON *cats = cJSON_GetObjectItem(o, "categories"), *c;
	int n = cJSON_GetArraySize(cats);
	if (!cJSON_IsArray(cats) || n < 1 || n > GEO_STD_MAX_CATS)
		return bad(why, wlen, "%s.categories: expected 1..%d category codes", path,
			   GEO_STD_MAX_CATS);
	it->ncats = 0;
	cJSON_ArrayForEach(c, cats)
	{
		const char *code = cJSON_GetStringValue(c);
		if (!code || strlen(code) >= sizeof it->cats[0] || !geo_category_find(code))
			return bad(why, wlen, "%s.categories[%d]: '%.40s' is not one of our categories "
					      "(docs/categories.md)",
				   path, it->ncats, code ? code : "(not a string)");
		snprintf(it->cats[it->ncats++], sizeof it->cats[0], "%s", code);
	}
	return KIOSK_OK;
}

static int group(const cJSON *o, int i, struct geo_standard *s, char *why, size_t wlen)
{
	char path[48];
	snprintf(path, sizeof path, "$.groups[%d]", i);
	struct geo_std_group *g = &s->groups[i];
	int rc = named(o, path, NULL, g->name_zh, sizeof g->name_zh, g->name_en, sizeof g->name_en,
		       why, wlen);
	if (rc)
		return rc;
	const cJSON *items = cJSON_GetObjectItem(o, "items"), *c;
	int n = cJSON_GetArraySize(items);
	if (!cJSON_IsArray(items) || n < 1 || n > GEO_STD_MAX_GROUP_ITEMS)
		return bad(why, wlen, "%s.items: expected 1..%d item ids", path,
			   GEO_STD_MAX_GROUP_ITEMS);
	g->nitems = 0;
	cJSON_ArrayForEach(c, items)
	{
		const char *id = cJSON_GetStringValue(c);
		int k = id ? geo_standard_find(s, id) : -1;
		if (k < 0)
			return bad(why, wlen, "%s.items[%d]: '%.40s' is not an item of this standard",
				   path, g->nitems, id ? id : "(not a string)");
		g->items[g->nitems++] = k;
	}
	return KIOSK_OK;
}

int geo_standard_find(const struct geo_standard *s, const char *id)
{
	for (int i = 0; i < s->nitems; i++)
		if (strcmp(s->items[i].id, id) == 0)
			return i;
	return -1;
}

int geo_standard_parse(const char *text_, size_t len, struct geo_standard *out, char *why,
		       size_t wlen)
{
	cJSON *root = cJSON_ParseWithLength(text_, len);
	if (!root)
		return bad(why, wlen, "$: not JSON");
	struct geo_standard *s = kiosk_calloc(1, sizeof *s);
	int rc = s ? KIOSK_OK : KIOSK_ENOMEM;
	const cJSON *items = cJSON_GetObjectItem(root, "items"), *groups = cJSON_GetObjectItem(root, "groups");
	int ni = cJSON_GetArraySize(items), ng = cJSON_GetArraySize(groups);
	if (rc == KIOSK_OK && !cJSON_IsObject(root))
		rc = bad(why, wlen, "$: expected an object");
	else if (rc == KIOSK_OK && (!cJSON_IsArray(items) || ni < 1 || ni > GEO_STD_MAX_ITEMS))
		rc = bad(why, wlen, "$.items: expected 1..%d items", GEO_STD_MAX_ITEMS);
	else if (rc == KIOSK_OK && groups && (!cJSON_IsArray(groups) || ng > GEO_STD_MAX_GROUPS))
		rc = bad(why, wlen, "$.groups: expected at most %d groups", GEO_STD_MAX_GROUPS);
	const cJSON *o;
	int i = 0;
	if (rc == KIOSK_OK)
		cJSON_ArrayForEach(o, items)
		{
			if (rc == KIOSK_OK && (rc = item(o, i, s, why, wlen)) == KIOSK_OK)
				s->nitems = ++i;
		}
	i = 0;
	if (rc == KIOSK_OK && groups)
		cJSON_ArrayForEach(o, groups)
		{
			if (rc == KIOSK_OK && (rc = group(o, i, s, why, wlen)) == KIOSK_OK)
				s->ngroups = ++i;
		}
	if (rc == KIOSK_OK)
		*out = *s;
	kiosk_free(s);
	cJSON_Delete(root);
	return rc;
}

int geo_standard_load(const char *path, struct geo_standard *out, char *why, size_t wlen)
{
	enum { MAX = 64 * 1024 };
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		snprintf(why, wlen, "%s: %s", path, strerror(e));
		return e == ENOENT ? KIOSK_ENOENT : KIOSK_EIO;
	}
	char *buf = kiosk_malloc(MAX + 1);
	size_t n = buf ? fread(buf, 1, MAX + 1, f) : 0;
	int err = ferror(f);
	fclose(f);
	if (!buf)
		return KIOSK_ENOMEM;
	int rc;
	if (err)
		rc = (snprintf(why, wlen, "%s: read error", path), KIOSK_EIO);
	else if (n > MAX)
		rc = (snprintf(why, wlen, "%s: larger than 64 KiB", path), KIOSK_EPARSE);
	else
		rc = geo_standard_parse(buf, n, out, why, wlen);
	kiosk_free(buf);
	return rc;
}
