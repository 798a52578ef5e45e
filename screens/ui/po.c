#include "screens/ui/po.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable string for the entry being read. */
struct buf {
	char *p;
	size_t len, cap;
};

static int buf_add(struct buf *b, char c)
{
	if (b->len + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *p = kiosk_realloc(b->p, cap);
		if (!p)
			return KIOSK_ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
	return KIOSK_OK;
}

/* Appends the body of a "..." literal at s (pointing at the opening quote) up to end. */
static int quoted(const char *s, const char *end, struct buf *b)
{
	if (s >= end || *s != '"')
		return KIOSK_EPARSE;
	for (s++; s < end && *s != '"'; s++) {
		char c = *s;
		if (c == '\\') {
			if (++s >= end)
				return KIOSK_EPARSE;
			switch (*s) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default: return KIOSK_EPARSE;
			}
		} else if ((unsigned char)c < 0x20) {
			return KIOSK_EPARSE;
		}
		if (buf_add(b, c))
			return KIOSK_ENOMEM;
	}
	if (s >= end)
		return KIOSK_EPARSE; /* no closing quote */
	for (s++; s < end; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return KIOSK_EPARSE; /* text after the literal */
	return KIOSK_OK;
}

enum field { F_NONE, F_CTXT, F_ID, F_STR };

/* Does the line [s, le) start with kw? The buffer is not NUL-terminated: never read past
 * the line's end (a fuzzer found that strncmp did). */
static int starts(const char *s, const char *le, const char *kw)
{
	size_t n = strlen(kw);
	return (size_t)(le - s) >= n && memcmp(s, kw, n) == 0;
}

struct entry_state {
	struct buf id, str, ctxt;
	enum field cur;
	int have_id, have_str;
};

/* Hands a complete entry to fn and starts the next one. */
static int flush(struct entry_state *e, ui_po_entry_fn fn, void *arg)
{
	int r = 0;
	if (!e->have_id || !e->have_str)
		return 0;
	if (e->id.len && fn)
		r = fn(arg, e->id.p, e->str.p ? e->str.p : "");
	e->id.len = e->str.len = e->ctxt.len = 0;
	if (e->id.p)
		e->id.p[0] = '\0';
	if (e->str.p)
		e->str.p[0] = '\0';
	e->have_id = e->have_str = 0;
	e->cur = F_NONE;
	return r;
}

int ui_po_parse(const char *text, size_t len, ui_po_entry_fn fn, void *arg, int *line)
{
	struct entry_state es = {0};
	struct buf *id = &es.id, *str = &es.str, *ctxt = &es.ctxt;
	int rc = KIOSK_OK;
	const char *p = text, *end = text + len;
	*line = 0;
	while (rc == KIOSK_OK && p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		(*line)++;
		const char *s = p;
		while (s < le && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++;
		int blank = s == le;
		/* An entry ends at a blank line, at the next msgid/msgctxt, or at the end. */
		if (blank || starts(s, le, "msgid ") || starts(s, le, "msgctxt ")) {
			rc = flush(&es, fn, arg);
			if (rc)
				break;
		}
		if (blank || *s == '#') {
			/* nothing */
		} else if (starts(s, le, "msgctxt ")) {
			es.cur = F_CTXT;
			rc = quoted(s + 8, le, ctxt);
		} else if (starts(s, le, "msgid ")) {
			if (es.have_id) {
				rc = KIOSK_EPARSE; /* msgid without msgstr */
			} else {
				es.cur = F_ID;
				es.have_id = 1;
				rc = quoted(s + 6, le, id);
			}
		} else if (starts(s, le, "msgstr ")) {
			if (!es.have_id || es.have_str) {
				rc = KIOSK_EPARSE;
			} else {
				es.cur = F_STR;
				es.have_str = 1;
				rc = quoted(s + 7, le, str);
			}
		} else if (*s == '"' && es.cur != F_NONE) {
			rc = quoted(s, le, es.cur == F_ID ? id : es.cur == F_STR ? str : ctxt);
		} else {
			rc = KIOSK_EPARSE; /* msgid_plural and anything else we do not read */
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (rc == KIOSK_OK && es.have_id && !es.have_str)
		rc = KIOSK_EPARSE;
	if (rc == KIOSK_OK)
		rc = flush(&es, fn, arg);
	if (rc == KIOSK_OK)
		*line = 0;
	kiosk_free(id->p);
	kiosk_free(str->p);
	kiosk_free(ctxt->p);
	return rc;
}

struct entry {
	char *id, *str;
};

struct ui_catalog {
	struct entry *e;
	int n, cap;
};

static int collect(void *arg, const char *id, const char *str)
{
	struct ui_catalog *c = arg;
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 64;
		struct entry *e = kiosk_realloc(c->e, (size_t)cap * sizeof *e);
		if (!e)
			return KIOSK_ENOMEM;
		c->e = e;
		c->cap = cap;
	}
	char *i = kiosk_strdup(id), *s = kiosk_strdup(str);
	if (!i || !s) {
		kiosk_free(i);
		kiosk_free(s);
		return KIOSK_ENOMEM;
	}
	c->e[c->n++] = (struct entry){i, s};
	return 0;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->id, ((const struct entry *)b)->id);
}

void ui_catalog_free(struct ui_catalog *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++) {
		kiosk_free(c->e[i].id);
		kiosk_free(c->e[i].str);
	}
	kiosk_free(c->e);
	kiosk_free(c);
}

int ui_catalog_load(const char *path, struct ui_catalog **out)
{
	enum { LIMIT = 4 << 20 };
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? KIOSK_ENOENT : KIOSK_EIO;
	char *text = kiosk_malloc(LIMIT);
	struct ui_catalog *c = kiosk_calloc(1, sizeof *c);
	int rc = text && c ? KIOSK_OK : KIOSK_ENOMEM, line = 0;
	size_t n = rc ? 0 : fread(text, 1, LIMIT, f);
	fclose(f);
	if (rc == KIOSK_OK && n == LIMIT)
		rc = KIOSK_EPARSE;
	if (rc == KIOSK_OK)
		rc = ui_po_parse(text, n, collect, c, &line);
	kiosk_free(text);
	if (rc) {
		KLOG_ERROR("i18n", "event=catalog_refused file=%s line=%d err=%s", path, line,
			   kiosk_errname(rc));
		ui_catalog_free(c);
		return rc;
	}
	qsort(c->e, (size_t)c->n, sizeof *c->e, by_id);
	for (int i = 1; i < c->n; i++) {
		if (strcmp(c->e[i - 1].id, c->e[i].id) == 0) {
			KLOG_ERROR("i18n", "event=catalog_refused file=%s duplicate=%s", path,
				   c->e[i].id);
			ui_catalog_free(c);
			return KIOSK_EPARSE;
		}
	}
	*out = c;
	return KIOSK_OK;
}

const char *ui_catalog_get(const struct ui_catalog *c, const char *msgid)
{
	if (!c)
		return NULL;
	struct entry key = {(char *)msgid, NULL};
	const struct entry *e = bsearch(&key, c->e, (size_t)c->n, sizeof *c->e, by_id);
	return e && e->str[0] ? e->str : NULL;
}

int ui_catalog_count(const struct ui_catalog *c)
{
	return c ? c->n : 0;
}

const char *ui_catalog_key(const struct ui_catalog *c, int i)
{
	return c && i >= 0 && i < c->n ? c->e[i].id : NULL;
}
