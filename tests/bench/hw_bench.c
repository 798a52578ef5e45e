/* make bench, "handwriting": one recognition of a whole character's strokes (what runs
 * when a finger lifts on the directory's pad) for 修 (9 strokes), 钥 (9) and 鞋 (15),
 * target p99 < 50 ms; beside it the same recognizer on one stroke, the least it does. The
 * strokes are the UI test's (tests/ui/handwriting.ui), on a 300-px pad. */
#include "screens/ui/handwriting.h"
#include "hal/base/error.h"

#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
	const char *ch, *strokes;
} chars[] = {
	{"修", "70,30 30,120;55,80 55,280;100,110 100,210;175,30 130,110;150,75 240,75 150,160;"
	       "165,95 260,165;220,150 150,190;235,185 140,235;250,215 120,285"},
	{"钥", "60,20 25,80;45,60 110,60;35,110 100,110;35,160 100,160;65,110 65,260 110,230;"
	       "160,40 160,200 135,280;160,40 265,40 265,270 240,255;160,115 265,115;160,185 265,185"},
	{"鞋", "20,55 125,55;45,25 45,95;100,25 100,95;45,95 100,95;35,115 35,165;"
	       "35,115 115,115 115,165;35,165 115,165;10,215 135,215;75,95 75,290;165,75 275,75;"
	       "220,30 220,130;150,135 290,135;165,190 275,190;220,150 220,270;150,270 290,270"},
};

/* Feeds the strokes (all, or the first only) into h. */
static void draw(struct ui_hw *h, const char *spec, bool first_only)
{
	ui_hw_clear(h);
	const char *p = spec;
	for (bool start = true; *p;) {
		int x, y, n;
		if (sscanf(p, "%d,%d%n", &x, &y, &n) != 2)
			break;
		ui_hw_point(h, start, x, y, 300);
		start = false;
		p += n;
		if (*p == ';') {
			if (first_only)
				return;
			start = true;
		}
		if (*p)
			p++;
	}
}

enum { RUNS = 200 };

static void row(struct ui_hw *h, const char *label, const char *spec, bool first_only,
		const char *want)
{
	static double t[RUNS];
	char cands[5][8];
	int n = 0, rank = 0;
	for (int i = 0; i < RUNS; i++) {
		double t0 = bench_now_ms();
		draw(h, spec, first_only);
		n = ui_hw_candidates(h, cands, 5);
		t[i] = bench_now_ms() - t0;
	}
	for (int i = 0; want && i < n; i++)
		if (strcmp(cands[i], want) == 0)
			rank = i + 1;
	qsort(t, RUNS, sizeof t[0], bench_cmp_d);
	char found[16] = "";
	if (want)
		snprintf(found, sizeof found, rank ? "#%d" : "not in 5", rank);
	printf("| %s | %d | %.2f | %.2f | %s | %s |\n", label, ui_hw_strokes(h), t[RUNS / 2],
	       t[RUNS * 99 / 100], found, want ? "p99 < 50 ms" : "");
}

int main(void)
{
	struct ui_hw *h;
	if (ui_hw_open(NULL, &h) != KIOSK_OK) {
		fprintf(stderr, "handwriting bench: no model at %s (cmake/install-deps.sh)\n",
			UI_HW_MODEL);
		return 1;
	}
	puts("| handwriting, one recognition (5 candidates) | strokes | p50 ms | p99 ms | "
	     "rank | target |");
	puts("|---|---:|---:|---:|---|---|");
	for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++) {
		char label[32];
		snprintf(label, sizeof label, "%s, whole", chars[i].ch);
		row(h, label, chars[i].strokes, false, chars[i].ch);
	}
	row(h, "baseline: one stroke", chars[2].strokes, true, NULL);
	ui_hw_close(h);
	return 0;
}
