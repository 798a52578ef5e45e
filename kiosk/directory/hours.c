#include "kiosk/directory/hours.h"

#include <stdio.h>
#include <string.h>

static const char *const days[7] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};

static void set(struct dir_hours *h, int day, int from, int to, bool on)
{
	for (int m = from; m < to; m++) {
		unsigned char *b = &h->week[day][m / 8];
		if (on)
			*b = (unsigned char)(*b | (1u << (m % 8)));
		else
			*b = (unsigned char)(*b & ~(1u << (m % 8)));
	}
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

static int day_of(const char *p)
{
	for (int i = 0; i < 7; i++)
		if (p[0] == days[i][0] && p[1] == days[i][1])
			return i;
	return -1;
}

/* "Mo-Fr,Su": marks the days; returns where it stopped, NULL if it was not days. */
static const char *parse_days(const char *p, bool sel[7])
{
	int d = day_of(p);
	if (d < 0)
		return NULL;
	for (;;) {
		p += 2;
		int to = d;
		if (*p == '-') {
			to = day_of(p + 1);
			if (to < 0)
				return NULL;
			p += 3;
		}
		for (int i = d;; i = (i + 1) % 7) { /* "Sa-Mo" wraps */
			sel[i] = true;
			if (i == to)
				break;
		}
		if (*p != ',')
			return p;
		d = day_of(p + 1);
		if (d < 0)
			return NULL;
		p++;
	}
}

/* "HH:MM" into minutes (24:00 allowed as the end of a day). */
static const char *parse_time(const char *p, int *min)
{
	if (p[0] < '0' || p[0] > '2' || p[1] < '0' || p[1] > '9' || p[2] != ':' || p[3] < '0' ||
	    p[3] > '5' || p[4] < '0' || p[4] > '9')
		return NULL;
	int h = (p[0] - '0') * 10 + (p[1] - '0'), m = (p[3] - '0') * 10 + (p[4] - '0');
	if (h > 24 || (h == 24 && m))
		return NULL;
	*min = h * 60 + m;
	return p + 5;
}

/* One rule: [days] (times | off | closed), or 24/7. */
static bool rule(const char *p, const char *end, struct dir_hours *h)
{
	bool sel[7] = {false};
	p = skip_spaces(p);
	if ((size_t)(end - p) == 4 && strncmp(p, "24/7", 4) == 0) {
		for (int d = 0; d < 7; d++)
			set(h, d, 0, 1440, true);
		return true;
	}
	const char *q = parse_days(p, sel);
	if (q) {
		p = skip_spaces(q);
	} else {
		for (int d = 0; d < 7; d++)
			sel[d] = true;
	}
	/* the days named are replaced by this rule */
	for (int d = 0; d < 7; d++)
		if (sel[d])
			set(h, d, 0, 1440, false);
	if ((end - p == 3 && strncmp(p, "off", 3) == 0) ||
	    (end - p == 6 && strncmp(p, "closed", 6) == 0))
		return true;
	if (p >= end)
		return false; /* days without hours: not the subset */
	for (;;) {
		int a, b;
		p = parse_time(p, &a);
		if (!p || *p != '-')
			return false;
		p = parse_time(p + 1, &b);
		if (!p || a == b)
			return false;
		for (int d = 0; d < 7; d++) {
			if (!sel[d])
				continue;
			if (a < b) {
				set(h, d, a, b, true);
			} else { /* past midnight: the rest of this day and the start of the next */
				set(h, d, a, 1440, true);
				set(h, (d + 1) % 7, 0, b, true);
			}
		}
		p = skip_spaces(p);
		if (p >= end) /* (the spaces before a ';' are past end) */
			return true;
		if (*p != ',')
			return false;
		p = skip_spaces(p + 1);
	}
}

bool dir_hours_parse(const char *spec, struct dir_hours *out)
{
	memset(out, 0, sizeof *out);
	if (!spec || !*spec || strlen(spec) > 255)
		return false;
	const char *p = spec;
	for (;;) {
		const char *end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		const char *e = end;
		while (e > p && e[-1] == ' ')
			e--;
		if (skip_spaces(p) < e && !rule(p, e, out)) {
			memset(out, 0, sizeof *out);
			return false;
		}
		if (!*end)
			break;
		p = end + 1;
	}
	out->known = true;
	return true;
}

enum dir_open dir_hours_at(const struct dir_hours *h, const struct tm *t)
{
	if (!h->known)
		return DIR_HOURS_UNKNOWN;
	int d = (t->tm_wday + 6) % 7; /* C's Sunday 0 → Monday first */
	int m = t->tm_hour * 60 + t->tm_min;
	if (d < 0 || m < 0 || m >= 1440)
		return DIR_HOURS_UNKNOWN;
	return ((unsigned)h->week[d][m / 8] >> (m % 8)) & 1u ? DIR_OPEN : DIR_CLOSED;
}

enum dir_open dir_hours_open(const char *spec, const struct tm *t)
{
	struct dir_hours h;
	dir_hours_parse(spec, &h);
	return dir_hours_at(&h, t);
}

/* ---- in words ---- */

static bool bit(const struct dir_hours *h, int d, int m)
{
	return h->week[d][m / 8] >> (m % 8) & 1;
}

static bool all_day(const struct dir_hours *h, int d)
{
	for (int m = 0; m < 1440; m++)
		if (!bit(h, d, m))
			return false;
	return true;
}

/* Day d's stretches of opening as "08:00–12:00, 14:00–18:00" into out. A stretch running
 * to midnight is continued into the next morning ("22:00–02:00"), and that morning's
 * spill is not listed again on its own day. Returns how many stretches. */
static int day_words(const struct dir_hours *h, int d, bool en, char *out, size_t len)
{
	static const char *const sep[2] = {"，", ", "};
	int n = 0;
	size_t k = 0;
	out[0] = '\0';
	int prev = (d + 6) % 7, next = (d + 1) % 7;
	int m = 0;
	/* this morning's spill from yesterday evening: listed with yesterday */
	if (bit(h, d, 0) && bit(h, prev, 1439) && !all_day(h, prev)) {
		while (m < 1440 && bit(h, d, m))
			m++;
		if (m == 1440)
			m = 0; /* open all day: a day of its own, not a spill */
	}
	while (m < 1440) {
		if (!bit(h, d, m)) {
			m++;
			continue;
		}
		int start = m;
		while (m < 1440 && bit(h, d, m))
			m++;
		int end = m;
		if (end == 1440 && start > 0 && bit(h, next, 0) && !all_day(h, next)) {
			int e = 0; /* on into the next morning */
			while (e < 1440 && bit(h, next, e))
				e++;
			end = e;
		}
		if (start == 0 && end == 1440)
			k += (size_t)snprintf(out + k, len - k, "%s%s", n ? sep[en] : "",
					      en ? "all day" : "全天");
		else
			k += (size_t)snprintf(out + k, len - k, "%s%02d:%02d–%02d:%02d",
					      n ? sep[en] : "", start / 60, start % 60,
					      end == 1440 ? 24 : end / 60, end % 60);
		n++;
		if (k >= len)
			break;
	}
	if (!n)
		snprintf(out, len, "%s", en ? "closed" : "休息");
	return n;
}

bool dir_hours_words(const char *spec, bool en, char *out, size_t len)
{
	static const char *const zh[7] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
	static const char *const ens[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	struct dir_hours h;
	if (!len)
		return false;
	out[0] = '\0';
	if (!dir_hours_parse(spec, &h))
		return false;
	char day[7][128];
	for (int d = 0; d < 7; d++)
		day_words(&h, d, en, day[d], sizeof day[d]);
	size_t k = 0;
	for (int d = 0; d < 7 && k < len;) {
		int e = d;
		while (e + 1 < 7 && strcmp(day[e + 1], day[d]) == 0)
			e++;
		const char *const *names = en ? ens : zh;
		char which[32];
		if (d == 0 && e == 6)
			snprintf(which, sizeof which, "%s", en ? "Daily" : "每天");
		else if (e == d)
			snprintf(which, sizeof which, "%s", names[d]);
		else if (e == d + 1)
			snprintf(which, sizeof which, "%s%s%s", names[d], en ? ", " : "、", names[e]);
		else
			snprintf(which, sizeof which, "%s%s%s", names[d], en ? "–" : "至", names[e]);
		k += (size_t)snprintf(out + k, len - k, "%s%s %s", k ? (en ? "; " : "；") : "", which,
				      day[d]);
		d = e + 1;
	}
	return true;
}
