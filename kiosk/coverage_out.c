#include "kiosk/coverage_out.h"
#include "kiosk/coverage_view.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* ---- the heat map ---- */

struct raster {
	int w, h;
	unsigned char *px; /* RGB */
	double lat0, lon0, kx, ky; /* top-left and pixels a degree */
};

static void put(struct raster *r, int x, int y, const unsigned char c[3])
{
	if (x < 0 || y < 0 || x >= r->w || y >= r->h)
		return;
	memcpy(r->px + ((size_t)y * (size_t)r->w + (size_t)x) * 3, c, 3);
}

static void dot(struct raster *r, int x, int y, int half, const unsigned char c[3])
{
	for (int dy = -half; dy <= half; dy++)
		for (int dx = -half; dx <= half; dx++)
			put(r, x + dx, y + dy, c);
}

static void to_px(const struct raster *r, double lat, double lon, int *x, int *y)
{
	*x = (int)lround((lon - r->lon0) * r->kx);
	*y = (int)lround((r->lat0 - lat) * r->ky);
}

/* Bresenham, two pixels wide */
static void line(struct raster *r, int x0, int y0, int x1, int y1, const unsigned char c[3])
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int err = dx + dy;
	for (int guard = 0; guard < 10000; guard++) {
		put(r, x0, y0, c);
		put(r, x0 + 1, y0, c);
		put(r, x0, y0 + 1, c);
		if (x0 == x1 && y0 == y1)
			break;
		int e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}


static int draw(const struct kiosk_coverage_heat *h, struct raster *r)
{
	const struct geo_graph *g = h->g;
	size_t nn = geo_graph_nodes(g);
	double minlat, maxlat, minlon, maxlon;
	geo_graph_bounds(g, &minlat, &minlon, &maxlat, &maxlon);
	double cosl = cos((minlat + maxlat) / 2 * M_PI / 180);
	double wdeg = fmax((maxlon - minlon) * cosl, 1e-6), hdeg = fmax(maxlat - minlat, 1e-6);
	const int margin = 16, side = KIOSK_HEAT_PX - 2 * margin;
	double k = side / fmax(wdeg, hdeg); /* pixels a degree of latitude */
	r->w = (int)lround(wdeg * k) + 2 * margin;
	r->h = (int)lround(hdeg * k) + 2 * margin;
	r->kx = k * cosl;
	r->ky = k;
	r->lat0 = maxlat + margin / k;
	r->lon0 = minlon - margin / r->kx;
	r->px = kiosk_malloc((size_t)r->w * (size_t)r->h * 3);
	if (!r->px)
		return KIOSK_ENOMEM;
	memset(r->px, 0xFF, (size_t)r->w * (size_t)r->h * 3);
	/* the streets by their ends' minutes */
	for (size_t e = 0; e < geo_graph_edges(g); e++) {
		size_t a, b;
		geo_edge_ends(g, e, &a, &b);
		double la, lo, lb, lob;
		geo_node_pos(g, a, &la, &lo);
		geo_node_pos(g, b, &lb, &lob);
		double sa = h->seconds[a], sb = h->seconds[b];
		unsigned char c[3];
		kiosk_coverage_shade(sa < 0 || sb < 0 ? -1 : (sa + sb) / 2, h->threshold_s, c);
		int x0, y0, x1, y1;
		to_px(r, la, lo, &x0, &y0);
		to_px(r, lb, lob, &x1, &y1);
		line(r, x0, y0, x1, y1, c);
	}
	/* the residences outside the item's minutes (every street node counts as one when
	 * the map says nothing of where people live) */
	static const unsigned char outside[3] = {0xC0, 0x39, 0x2B}, ink[3] = {0, 0, 0};
	size_t nres = h->nhomes ? h->nhomes : nn;
	for (size_t i = 0; i < nres; i++) {
		double s = h->nhomes ? h->home_seconds[i] : h->seconds[i];
		if (s >= 0 && s <= h->threshold_s)
			continue;
		double la, lo;
		int x, y;
		if (h->nhomes) {
			la = h->homes[i].lat;
			lo = h->homes[i].lon;
		} else {
			geo_node_pos(g, i, &la, &lo);
		}
		to_px(r, la, lo, &x, &y);
		dot(r, x, y, 2, outside);
	}
	/* the item's places, and the kiosk (a ring) */
	for (size_t p = 0; p < h->nplaces; p++) {
		size_t a, b;
		geo_edge_ends(g, (size_t)h->places[p].edge, &a, &b);
		double la, lo, lb, lob;
		geo_node_pos(g, a, &la, &lo);
		geo_node_pos(g, b, &lb, &lob);
		double t = h->places[p].t;
		int x, y;
		to_px(r, la + (lb - la) * t, lo + (lob - lo) * t, &x, &y);
		dot(r, x, y, 4, ink);
	}
	int kx, ky;
	to_px(r, h->kiosk_lat, h->kiosk_lon, &kx, &ky);
	for (int a = 0; a < 360; a += 3) {
		int x = kx + (int)lround(9 * cos(a * M_PI / 180)), y = ky + (int)lround(9 * sin(a * M_PI / 180));
		dot(r, x, y, 1, ink);
	}
	return KIOSK_OK;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* a chunk: length, type, data, CRC of type and data */
static unsigned char *chunk(unsigned char *o, const char type[4], const unsigned char *d,
			    size_t n)
{
	be32(o, (uint32_t)n);
	memcpy(o + 4, type, 4);
	if (n)
		memcpy(o + 8, d, n);
	uLong crc = crc32(0L, o + 4, (uInt)(n + 4));
	be32(o + 8 + n, (uint32_t)crc);
	return o + 12 + n;
}

int kiosk_coverage_png(const struct kiosk_coverage_heat *heat, unsigned char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	struct raster r = {0};
	int rc = draw(heat, &r);
	if (rc)
		return rc;
	size_t raw_n = (size_t)r.h * (1 + (size_t)r.w * 3);
	unsigned char *raw = kiosk_malloc(raw_n);
	uLongf zn = compressBound((uLong)raw_n);
	unsigned char *z = kiosk_malloc(zn);
	unsigned char *png = kiosk_malloc(zn + 64);
	rc = raw && z && png ? KIOSK_OK : KIOSK_ENOMEM;
	if (rc == KIOSK_OK) {
		for (int y = 0; y < r.h; y++) { /* filter 0 (none) before each row */
			unsigned char *row = raw + (size_t)y * (1 + (size_t)r.w * 3);
			row[0] = 0;
			memcpy(row + 1, r.px + (size_t)y * (size_t)r.w * 3, (size_t)r.w * 3);
		}
		if (compress2(z, &zn, raw, (uLong)raw_n, 6) != Z_OK)
			rc = KIOSK_ENOMEM;
	}
	if (rc == KIOSK_OK) {
		static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
		unsigned char ihdr[13] = {0};
		be32(ihdr, (uint32_t)r.w);
		be32(ihdr + 4, (uint32_t)r.h);
		ihdr[8] = 8; /* bits a sample */
		ihdr[9] = 2; /* RGB */
		memcpy(png, sig, 8);
		unsigned char *o = chunk(png + 8, "IHDR", ihdr, sizeof ihdr);
		o = chunk(o, "IDAT", z, zn);
		o = chunk(o, "IEND", NULL, 0);
		*len = (size_t)(o - png);
		*out = png;
		png = NULL;
	}
	kiosk_free(png);
	kiosk_free(z);
	kiosk_free(raw);
	kiosk_free(r.px);
	return rc;
}

/* ---- the files ---- */

static void csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void minutes(FILE *f, double s, const char *none)
{
	if (s < 0)
		fputs(none, f);
	else
		fprintf(f, "%.1f", round(s / 6) / 10);
}

static int gap_rank(const struct kiosk_coverage_report *r, int item)
{
	for (int k = 0; k < r->ngaps; k++)
		if (r->gaps[k] == item)
			return k + 1;
	return 0;
}

static void write_csv(FILE *f, const struct kiosk_coverage_report *r)
{
	fputs("item,name_zh,name_en,threshold_min,tier,places,places_off_map,covered_share,"
	      "p50_min,p90_min,from_kiosk_min,wishes_30d,gap_rank\n",
	      f);
	for (int i = 0; i < r->std.nitems; i++) {
		const struct geo_std_item *it = &r->std.items[i];
		const struct geo_coverage_row *row = &r->rows[i];
		csv_field(f, it->id);
		fputc(',', f);
		csv_field(f, it->name_zh);
		fputc(',', f);
		csv_field(f, it->name_en);
		fprintf(f, ",%d,%s,%zu,%zu,%.3f,", it->minutes,
			it->tier == GEO_STD_BASIC ? "basic" : "quality", row->c.places, row->off_map,
			row->c.share);
		minutes(f, row->c.p50_s, "");
		fputc(',', f);
		minutes(f, row->c.p90_s, "");
		fputc(',', f);
		minutes(f, row->c.from_kiosk_s, "");
		fprintf(f, ",%ld,%d\n", row->wishes, gap_rank(r, i));
	}
}

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
	static const char b[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		fputc(b[v >> 18 & 63], f);
		fputc(b[v >> 12 & 63], f);
		fputc(i + 1 < n ? b[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? b[v & 63] : '=', f);
	}
}

static int write_html(FILE *f, const struct kiosk_coverage_report *r,
		      const struct kiosk_coverage_heat *heat, int64_t now_ms)
{
	char at[32];
	kiosk_format_utc(now_ms, at, sizeof at);
	fputs("<!doctype html><html lang=zh><meta charset=utf-8><title>一刻钟达标 coverage</title>"
	      "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;color:#222}"
	      "table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:4px 10px;"
	      "text-align:left}td.n{text-align:right}.none{color:#777}"
	      "img{max-width:100%;border:1px solid #ccc}</style>",
	      f);
	fprintf(f, "<h1>一刻钟达标 · Quarter-hour coverage</h1><p>%s · %zu residences (", at,
		r->residences);
	html_text(f, kiosk_coverage_rule_words(r->rule));
	fputs(")</p>", f);
	fputs("<table><tr><th>项目 item</th><th>标准 minutes</th><th>层级 tier</th><th>处数"
	      " places</th><th>达标 within</th><th>中位 p50</th><th>p90</th><th>本亭 from kiosk"
	      "</th><th>需求 wishes 30 d</th></tr>",
	      f);
	for (int i = 0; i < r->std.nitems; i++) {
		const struct geo_std_item *it = &r->std.items[i];
		const struct geo_coverage_row *row = &r->rows[i];
		fputs("<tr><td>", f);
		html_text(f, it->name_zh);
		fputc(' ', f);
		html_text(f, it->name_en);
		fprintf(f, "</td><td class=n>%d</td><td>%s</td><td class=n>%zu</td>", it->minutes,
			it->tier == GEO_STD_BASIC ? "基础保障类" : "品质提升类", row->c.places);
		if (!row->c.places) {
			fputs("<td class=none colspan=4>本图内没有 none on this map</td>", f);
		} else {
			fprintf(f, "<td class=n>%.0f%%</td><td class=n>", row->c.share * 100);
			minutes(f, row->c.p50_s, "-");
			fputs("</td><td class=n>", f);
			minutes(f, row->c.p90_s, "-");
			fputs("</td><td class=n>", f);
			minutes(f, row->c.from_kiosk_s, "-");
			fputs("</td>", f);
		}
		fprintf(f, "<td class=n>%ld</td></tr>", row->wishes);
	}
	fputs("</table><h2>补什么 · What to add first</h2>", f);
	if (!r->ngaps)
		fputs("<p>Nothing: every residence has every item within its minutes.</p>", f);
	fputs("<ol>", f);
	for (int k = 0; k < r->ngaps; k++) {
		const struct geo_coverage_row *row = &r->rows[r->gaps[k]];
		const struct geo_std_item *it = &r->std.items[r->gaps[k]];
		fputs("<li>", f);
		html_text(f, it->name_zh);
		fputc(' ', f);
		html_text(f, it->name_en);
		fprintf(f, ": %.0f%% of residences outside %d minutes, %ld wish%s</li>",
			(1 - row->c.share) * 100, it->minutes, row->wishes, row->wishes == 1 ? "" : "es");
	}
	fputs("</ol>", f);
	if (heat) {
		unsigned char *png;
		size_t n;
		int rc = kiosk_coverage_png(heat, &png, &n);
		if (rc)
			return rc;
		const struct geo_std_item *it = &r->std.items[heat->item];
		fputs("<h2>", f);
		html_text(f, it->name_zh);
		fputc(' ', f);
		html_text(f, it->name_en);
		fprintf(f, ": minutes to the nearest, along every street</h2><p>Dark near a place,"
			   " lighter towards %d minutes, grey beyond; red dots: residences outside"
			   " %d minutes; black: the places; the ring: this kiosk.</p><img alt=\"heat"
			   " map\" src=\"data:image/png;base64,",
			it->minutes, it->minutes);
		base64(f, png, n);
		fputs("\">", f);
		kiosk_free(png);
	}
	if (r->attribution[0]) {
		fputs("<p>地图数据 Map data: ", f);
		html_text(f, r->attribution);
		fputs("</p>", f);
	}
	fputs("</html>\n", f);
	return KIOSK_OK;
}

static bool ends(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);
	return n > k && strcmp(s + n - k, tail) == 0;
}

int kiosk_coverage_write(const char *path, const struct kiosk_coverage_report *r,
			 const struct kiosk_coverage_heat *heat, int64_t now_ms, char *why,
			 size_t wlen)
{
	enum { CSV, JSON, PNG, HTML } kind;
	if (ends(path, ".csv"))
		kind = CSV;
	else if (ends(path, ".json"))
		kind = JSON;
	else if (ends(path, ".png"))
		kind = PNG;
	else if (ends(path, ".html"))
		kind = HTML;
	else {
		snprintf(why, wlen, "%s: write a .html, .csv, .json or .png", path);
		return KIOSK_EINVAL;
	}
	if (kind == PNG && !heat) {
		snprintf(why, wlen, "%s: no map to draw", path);
		return KIOSK_EINVAL;
	}
	char tmp[4200];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.part", path) >= sizeof tmp) {
		snprintf(why, wlen, "%.200s…: the path is too long", path);
		return KIOSK_EINVAL;
	}
	FILE *f = fopen(tmp, "wbx");
	if (!f && errno == EEXIST && unlink(tmp) == 0) /* a part an earlier run left */
		f = fopen(tmp, "wbx");
	if (!f) {
		snprintf(why, wlen, "%s: %s", path, strerror(errno));
		return KIOSK_EIO;
	}
	int rc = KIOSK_OK;
	if (kind == CSV) {
		write_csv(f, r);
	} else if (kind == JSON) {
		cJSON *j = kiosk_coverage_json(r, now_ms);
		char *text = j ? cJSON_PrintUnformatted(j) : NULL;
		cJSON_Delete(j);
		if (text)
			fprintf(f, "%s\n", text);
		else
			rc = KIOSK_ENOMEM;
		cJSON_free(text);
	} else if (kind == PNG) {
		unsigned char *png;
		size_t n;
		rc = kiosk_coverage_png(heat, &png, &n);
		if (rc == KIOSK_OK) {
			fwrite(png, 1, n, f);
			kiosk_free(png);
		}
	} else {
		rc = write_html(f, r, heat, now_ms);
	}
	bool bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		if (rc == KIOSK_OK)
			snprintf(why, wlen, "%s: %s", path, strerror(errno ? errno : EIO));
		rc = rc ? rc : KIOSK_EIO;
	}
	if (rc == KIOSK_OK && rename(tmp, path) != 0) {
		snprintf(why, wlen, "%s: %s", path, strerror(errno));
		rc = KIOSK_EIO;
	}
	if (rc) {
		unlink(tmp);
		if (rc == KIOSK_ENOMEM)
			snprintf(why, wlen, "%s: out of memory", path);
	}
	return rc;
}
