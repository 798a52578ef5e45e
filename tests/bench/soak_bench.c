/* make bench, the soak: a real `kiosk --headless --simulate` driven by UI scripts
 * (tests/bench/soak/) for tens of thousands of taps, drags and keys, its memory sampled
 * every 1 000 after a minute untouched (when the kiosk gives freed pages back). Printed,
 * after a warm-up of 2 000 actions: the growth per 1 000 actions of the memory in use (the
 * C library's count, exact: what a leak grows) and of the resident set (a least-squares
 * slope; it also moves by a few hundred KiB with the heap's free pages, so a short soak's
 * slope is noisy), beside the target of 16 KiB; the peak resident set beside the goal of
 * 60 MiB; and at the end of the tour every cache's fill beside its bound
 * (kiosk/caches.h). Nothing fails here: the targets are read off the table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SAMPLES 64
#define MAX_CACHES 16
#define WARM_UP 2000

struct soak {
	int n;
	long actions[MAX_SAMPLES], rss[MAX_SAMPLES], heap[MAX_SAMPLES], hwm;
	int ncaches;
	char cache[MAX_CACHES][160]; /* the last sample's "cache" lines */
	int exit_code;
};

/* Runs the kiosk on script in a fresh folder, reading its samples from stdout. */
static int run(const char *kiosk, const char *config, const char *script, struct soak *s)
{
	char dir[] = "/tmp/kiosk-soak-XXXXXX";
	if (!mkdtemp(dir))
		return -1;
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		if (chdir(dir) != 0 || !freopen("kiosk.log", "w", stderr))
			_exit(127);
		execl(kiosk, kiosk, "--headless", "--simulate", "--config", config, "--script",
		      script, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	FILE *f = fdopen(fd[0], "r");
	char line[256];
	memset(s, 0, sizeof *s);
	while (f && fgets(line, sizeof line, f)) {
		long a, r, h, an, fi, u;
		if (sscanf(line,
			   "memory\tactions=%ld\trss_kb=%ld\thwm_kb=%ld\tanon_kb=%ld\tfile_kb=%ld"
			   "\theap_kb=%ld",
			   &a, &r, &h, &an, &fi, &u) == 6) {
			if (s->n < MAX_SAMPLES) {
				s->actions[s->n] = a;
				s->heap[s->n] = u;
				s->rss[s->n++] = r;
			}
			s->hwm = h > s->hwm ? h : s->hwm;
			s->ncaches = 0;
		} else if (strncmp(line, "cache\t", 6) == 0 && s->ncaches < MAX_CACHES) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(s->cache[s->ncaches++], sizeof s->cache[0], "%.150s", line + 6);
		}
	}
	if (f)
		fclose(f);
	int st = 0;
	waitpid(pid, &st, 0);
	s->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	char cmd[600];
	if (s->exit_code != 0)
		fprintf(stderr, "soak: %s failed (exit %d); its log: %s/kiosk.log\n", script,
			s->exit_code, dir);
	else {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "soak: could not remove %s\n", dir);
	}
	return s->exit_code;
}

/* KiB per 1 000 actions: the least-squares slope of v's samples after the warm-up. */
static double growth(const struct soak *s, const long *v)
{
	double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
	for (int i = 0; i < s->n; i++) {
		if (s->actions[i] < WARM_UP)
			continue;
		double x = (double)s->actions[i] / 1000, y = (double)v[i];
		n++, sx += x, sy += y, sxx += x * x, sxy += x * y;
	}
	if (n < 2 || n * sxx - sx * sx == 0)
		return 0;
	return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

static long at_or_after(const struct soak *s, const long *v, long actions)
{
	for (int i = 0; i < s->n; i++)
		if (s->actions[i] >= actions)
			return v[i];
	return -1;
}

static void human(size_t b, char *out, size_t n)
{
	if (b >= 1024 * 1024)
		snprintf(out, n, "%.1f MiB", (double)b / (1024 * 1024));
	else
		snprintf(out, n, "%.0f KiB", (double)b / 1024);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: kiosk_bench_soak KIOSK SOURCE_DIR\n");
		return 2;
	}
	char config[600], script[600];
	char *src = realpath(argv[2], NULL);
	if (!src) {
		fprintf(stderr, "soak: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	char *kiosk = realpath(argv[1], NULL);
	if (!kiosk) {
		fprintf(stderr, "soak: %s: %s\n", argv[1], strerror(errno));
		free(src);
		return 2;
	}
	snprintf(config, sizeof config, "%s/tests/ui/kiosk-test.json", src);
	static const struct {
		const char *file, *label;
	} soaks[] = {{"tour", "every resident screen, in turn"},
		     {"map", "the map: pans, zooms, filters"},
		     {"directory", "the directory: searches, places"},
		     {"home", "home, help, the pickup keypad"}};
	printf("| soak (kiosk process, demo neighbourhood) | actions | in use after warm-up → end "
	       "| per 1 000 actions | resident after warm-up → end | per 1 000 actions (slope) "
	       "| target ≤ 16 KiB | peak resident | goal < 60 MiB |\n"
	       "|---|---|---|---|---|---|---|---|---|\n");
	struct soak tour = {0};
	for (size_t i = 0; i < sizeof soaks / sizeof soaks[0]; i++) {
		struct soak s;
		snprintf(script, sizeof script, "%s/tests/bench/soak/%s.ui", src, soaks[i].file);
		if (run(kiosk, config, script, &s) != 0 || s.n < 2) {
			printf("| %s | failed | | | | | | | |\n", soaks[i].label);
			continue;
		}
		double gu = growth(&s, s.heap), gr = growth(&s, s.rss);
		printf("| %s | %ld | %ld → %ld KiB | %+.1f KiB | %ld → %ld KiB | %+.1f KiB | %s | "
		       "%ld KiB | %s |\n",
		       soaks[i].label, s.actions[s.n - 1], at_or_after(&s, s.heap, WARM_UP),
		       s.heap[s.n - 1], gu, at_or_after(&s, s.rss, WARM_UP), s.rss[s.n - 1], gr,
		       gu <= 16 && gr <= 16 ? "met" : gu <= 16 ? "in use: met; resident: above"
							 : "MISSED",
		       s.hwm, s.hwm < 60 * 1024 ? "met" : "MISSED");
		if (i == 0)
			tour = s;
	}
	printf("\n| cache at the end of the tour (kiosk/caches.h) | entries | bound | bytes | "
	       "bound |\n|---|---|---|---|---|\n");
	for (int i = 0; i < tour.ncaches; i++) {
		char name[64];
		long e, me;
		size_t b, mb;
		char hb[32], hmb[32];
		if (sscanf(tour.cache[i], "%63[^\t]\t%ld\t%ld\t%zu\t%zu", name, &e, &me, &b, &mb) !=
		    5)
			continue;
		human(b, hb, sizeof hb);
		human(mb, hmb, sizeof hmb);
		char es[24], mes[24];
		snprintf(es, sizeof es, "%ld", e);
		snprintf(mes, sizeof mes, "%ld", me);
		printf("| %s | %s | %s | %s | %s |\n", name, me < 0 ? "-" : es, me < 0 ? "-" : mes,
		       mb ? hb : "not counted", mb ? hmb : "-");
	}
	free(src);
	free(kiosk);
	return 0;
}
