#include "kiosk/directory/search.h"
#include "kiosk/directory/pinyin.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHARS 48 /* of a name that take part in matching */
#define MAX_QUERY 32

/* Per service: its name as characters, each with its readings (pointers into the table's
 * syllables) or, for a letter or digit, itself; and which first letters occur, to skip
 * most services at the first typed letter. */
struct item {
	uint8_t nch;
	uint8_t nr[MAX_CHARS];                       /* readings per char (0: a literal) */
	const char *r[MAX_CHARS][DIR_MAX_READINGS]; /* readings */
	uint8_t rl[MAX_CHARS][DIR_MAX_READINGS];    /* their lengths */
	char lit[MAX_CHARS];                         /* a literal's lowercase letter */
	uint32_t initials;                           /* bit per letter a..z */
	uint32_t cmask[MAX_CHARS];                   /* per char: its first letters */
	double seconds;
	enum dir_open open;
	char en[128];                                /* the English name in lower case */
};

struct dir_index {
	const struct kiosk_service *s;
	size_t n;
	struct item *items;
	struct dir_hit *hits; /* n: a search's room, so it allocates nothing */
	/* the last search's every match: typing one more letter can only narrow it (a
	 * match for "xiux" is one for "xiu"), so the next search looks at these alone */
	size_t *last;
	size_t nlast;
	char last_q[4 * MAX_QUERY + 1];
	char last_cat[32];
	bool last_open, last_valid;
};

static void index_one(struct item *it, const char *name)
{
	const char *p = name;
	uint32_t cp;
	while ((cp = dir_utf8_next(&p)) && it->nch < MAX_CHARS) {
		int k = it->nch;
		int nr = dir_pinyin(cp, it->r[k]);
		if (nr > 0) {
			it->nr[k] = (uint8_t)nr;
			for (int i = 0; i < nr; i++) {
				it->cmask[k] |= 1u << (it->r[k][i][0] - 'a');
				it->rl[k][i] = (uint8_t)strlen(it->r[k][i]);
			}
		} else if (cp < 128 && isalnum((int)cp)) {
			it->lit[k] = (char)tolower((int)cp);
			if (isalpha((int)cp))
				it->cmask[k] = 1u << (it->lit[k] - 'a');
		} else {
			continue; /* punctuation, a dot in 社区食堂·助餐: not matched, not counted */
		}
		it->initials |= it->cmask[k];
		it->nch++;
	}
}

int dir_index_new(const struct kiosk_service *s, size_t n, const double *seconds,
		  struct dir_index **out)
{
	struct dir_index *ix = kiosk_calloc(1, sizeof *ix);
	if (!ix)
		return KIOSK_ENOMEM;
	ix->items = kiosk_calloc(n ? n : 1, sizeof *ix->items);
	ix->hits = kiosk_calloc(n ? n : 1, sizeof *ix->hits);
	ix->last = kiosk_calloc(n ? n : 1, sizeof *ix->last);
	if (!ix->items || !ix->hits || !ix->last) {
		dir_index_free(ix);
		return KIOSK_ENOMEM;
	}
	ix->s = s;
	ix->n = n;
	for (size_t i = 0; i < n; i++) {
		index_one(&ix->items[i], s[i].name_zh);
		struct item *it = &ix->items[i];
		size_t k = 0;
		for (; s[i].name_en[k] && k + 1 < sizeof it->en; k++)
			it->en[k] = (char)tolower((unsigned char)s[i].name_en[k]);
		it->en[k] = '\0';
		ix->items[i].seconds = seconds ? seconds[i] : -1;
		ix->items[i].open = DIR_HOURS_UNKNOWN;
	}
	*out = ix;
	return KIOSK_OK;
}

void dir_index_free(struct dir_index *ix)
{
	if (!ix)
		return;
	kiosk_free(ix->items);
	kiosk_free(ix->hits);
	kiosk_free(ix->last);
	kiosk_free(ix);
}

void dir_index_set_time(struct dir_index *ix, const struct tm *t)
{
	ix->last_valid = false; /* open now may differ */
	for (size_t i = 0; i < ix->n; i++)
		ix->items[i].open = dir_hours_open(ix->s[i].opening_hours, t);
}

enum dir_open dir_index_open(const struct dir_index *ix, size_t i)
{
	return i < ix->n ? ix->items[i].open : DIR_HOURS_UNKNOWN;
}

double dir_index_seconds(const struct dir_index *ix, size_t i)
{
	return i < ix->n ? ix->items[i].seconds : -1;
}

/* Does q (from j) match the name from char i on? Each char is taken by a whole reading,
 * its first letter, or — at the query's end — a reading's start. failed[] remembers
 * (i, j) states already known to fail, so polyphones cannot blow up. Sets *whole when the
 * query ended exactly at the name's end. */
static bool match(const struct item *it, int i, const char *q, int j, int qn,
		  uint64_t failed[MAX_CHARS + 1], bool *whole)
{
	if (j == qn) {
		*whole = i == it->nch;
		return true;
	}
	if (i == it->nch || (failed[i] >> j) & 1u)
		return false;
	if (it->nr[i] == 0) {
		if (it->lit[i] == q[j] && match(it, i + 1, q, j + 1, qn, failed, whole))
			return true;
	} else {
		for (int k = 0; k < it->nr[i]; k++) {
			const char *r = it->r[i][k];
			if (r[0] != q[j]) /* every way below starts with the first letter */
				continue;
			size_t rl = it->rl[i][k], left = (size_t)(qn - j);
			if (rl <= left && strncmp(q + j, r, rl) == 0 &&
			    match(it, i + 1, q, j + (int)rl, qn, failed, whole))
				return true;
			if (rl > left && strncmp(q + j, r, left) == 0) { /* typing this syllable */
				*whole = i + 1 == it->nch;
				return true;
			}
			if (r[0] == q[j] && rl > 1 && match(it, i + 1, q, j + 1, qn, failed, whole))
				return true;
		}
	}
	failed[i] |= 1ull << j;
	return false;
}

static enum dir_quality pinyin_quality(const struct item *it, const char *q, int qn)
{
	if (!(it->initials >> (q[0] - 'a') & 1u))
		return DIR_Q_NONE;
	uint64_t failed[MAX_CHARS + 1];
	memset(failed, 0, (size_t)(it->nch + 1) * sizeof failed[0]);
	uint32_t first = 1u << (q[0] - 'a');
	for (int i = 0; i < it->nch; i++) {
		bool whole = false;
		if (!(it->cmask[i] & first))
			continue;
		if (match(it, i, q, 0, qn, failed, &whole))
			return i ? DIR_Q_INSIDE : whole ? DIR_Q_EXACT : DIR_Q_PREFIX;
	}
	return DIR_Q_NONE;
}

/* q (lower case) in the English name: 0 at its start or a word's, 1 inside, -1 not. */
static int english(const char *en, const char *q)
{
	int best = -1;
	for (const char *p = en; (p = strstr(p, q)); p++) {
		int at = p == en || p[-1] == ' ' || p[-1] == '-' ? 0 : 1;
		if (best < 0 || at < best)
			best = at;
		if (!best)
			break;
	}
	return best;
}

static enum dir_quality quality(const struct dir_index *ix, size_t i, const char *q, size_t qn,
				bool ascii, bool pinyin)
{
	const struct kiosk_service *s = &ix->s[i];
	if (!ascii) { /* hanzi (or anything not a letter): the Chinese name */
		const char *at = strstr(s->name_zh, q);
		if (!at)
			return DIR_Q_NONE;
		return strcmp(s->name_zh, q) == 0 ? DIR_Q_EXACT
		       : at == s->name_zh	  ? DIR_Q_PREFIX
						  : DIR_Q_INSIDE;
	}
	enum dir_quality best = DIR_Q_NONE;
	if (pinyin) /* q is lower case already */
		best = pinyin_quality(&ix->items[i], q, (int)qn);
	if (best == DIR_Q_NONE && english(ix->items[i].en, q) >= 0)
		best = DIR_Q_ENGLISH;
	return best;
}

/* A resident wants the nearest good match, not the one whose name starts with what they
 * typed: the whole name first, then every match in the Chinese name (from its start or
 * inside) by walking time, then matches in the English name. */
static int tier(enum dir_quality q)
{
	return q == DIR_Q_EXACT ? 0 : q == DIR_Q_PREFIX || q == DIR_Q_INSIDE ? 1 : 2;
}

static int by_rank(const void *a, const void *b, void *arg)
{
	const struct dir_hit *x = a, *y = b;
	const struct dir_index *sort_ix = arg;
	if (tier(x->q) != tier(y->q))
		return tier(x->q) < tier(y->q) ? -1 : 1;
	double sx = sort_ix->items[x->i].seconds, sy = sort_ix->items[y->i].seconds;
	if ((sx < 0) != (sy < 0))
		return sx < 0 ? 1 : -1; /* unreachable last */
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

int dir_search(struct dir_index *ix, const char *query, const struct dir_filter *f,
	       struct dir_hit *out, int max)
{
	if (!ix || !out || max <= 0)
		return 0;
	query = query ? query : "";
	while (*query == ' ')
		query++;
	size_t qn = strnlen(query, 4 * MAX_QUERY + 1);
	while (qn && query[qn - 1] == ' ')
		qn--;
	bool ascii = true;
	for (size_t k = 0; k < qn; k++)
		ascii &= (unsigned char)query[k] < 128;
	if ((ascii && qn > MAX_QUERY) || qn > 4 * MAX_QUERY)
		return 0;
	char q[4 * MAX_QUERY + 1];
	memcpy(q, query, qn);
	q[qn] = '\0';
	/* Letters: matched as pinyin and English, in lower case. */
	bool pinyin = ascii && qn && isalpha((unsigned char)q[0]);
	for (size_t k = 0; ascii && k < qn; k++) {
		q[k] = (char)tolower((unsigned char)q[k]);
		pinyin &= (q[k] >= 'a' && q[k] <= 'z') || (q[k] >= '0' && q[k] <= '9');
	}
	struct dir_hit *all = ix->hits;
	int n = 0, nall = 0;
	/* the same filter and this query extending the last one: only its matches can match */
	const char *cat = f && f->category ? f->category : "";
	bool open_now = f && f->open_now;
	size_t lq = strlen(ix->last_q);
	bool narrow = ix->last_valid && lq && qn > lq && strncmp(q, ix->last_q, lq) == 0 &&
		      strcmp(cat, ix->last_cat) == 0 && open_now == ix->last_open;
	size_t cand = narrow ? ix->nlast : ix->n;
	for (size_t c = 0; c < cand; c++) {
		size_t i = narrow ? ix->last[c] : c;
		const struct kiosk_service *s = &ix->s[i];
		if (f && f->category && f->category[0] && strcmp(s->category, f->category) != 0)
			continue;
		if (f && f->open_now && ix->items[i].open != DIR_OPEN)
			continue;
		enum dir_quality qq = qn ? quality(ix, i, q, qn, ascii, pinyin) : DIR_Q_EXACT;
		if (qq == DIR_Q_NONE)
			continue;
		all[nall++] = (struct dir_hit){i, qq};
	}
	for (int k = 0; k < nall; k++)
		ix->last[k] = all[k].i;
	ix->nlast = (size_t)nall;
	snprintf(ix->last_q, sizeof ix->last_q, "%s", q);
	snprintf(ix->last_cat, sizeof ix->last_cat, "%s", cat);
	ix->last_open = open_now;
	ix->last_valid = true;
	/* Only the best max are shown: a bounded selection (a max-heap of the best so far),
	 * then those sorted — a short query matches thousands. */
	if (nall > max) {
		int k = 0;
		for (int i = 0; i < nall; i++) {
			if (k < max) {
				all[k++] = all[i];
				for (int c = k - 1; c > 0;) { /* sift up: the worst at the top */
					int p = (c - 1) / 2;
					if (by_rank(&all[p], &all[c], (void *)ix) >= 0)
						break;
					struct dir_hit t = all[p];
					all[p] = all[c];
					all[c] = t;
					c = p;
				}
			} else if (by_rank(&all[i], &all[0], (void *)ix) < 0) {
				all[0] = all[i];
				for (int c = 0;;) { /* sift down */
					int l = 2 * c + 1, r = l + 1, m = c;
					if (l < k && by_rank(&all[l], &all[m], (void *)ix) > 0)
						m = l;
					if (r < k && by_rank(&all[r], &all[m], (void *)ix) > 0)
						m = r;
					if (m == c)
						break;
					struct dir_hit t = all[m];
					all[m] = all[c];
					all[c] = t;
					c = m;
				}
			}
		}
		nall = k;
	}
	qsort_r(all, (size_t)nall, sizeof all[0], by_rank, (void *)ix);
	for (n = 0; n < nall && n < max; n++)
		out[n] = all[n];
	return n;
}
