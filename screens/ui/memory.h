/* What a soak samples: this process's resident set and every cache's fill beside its
 * bound (kiosk/caches.h), printed as lines a bench can read. UI thread. */
#ifndef KIOSK_SCREENS_MEMORY_H
#define KIOSK_SCREENS_MEMORY_H

#include "kiosk/caches.h"

#include <stdbool.h>
#include <stdio.h>

struct ui;

#define UI_MEM_MAX_CACHES 16

struct ui_mem_sample {
	long rss_kb, hwm_kb;   /* VmRSS, VmHWM; -1 when unknown */
	long anon_kb, file_kb; /* of rss: RssAnon (the heap, our mappings), RssFile (code,
				* mapped data files) */
	long heap_kb;          /* allocated and not freed, every thread's (exact: what a
				* leak grows, without the heap's fragmentation) */
	int ncaches;
	struct kiosk_cache_stat caches[UI_MEM_MAX_CACHES];
};

void ui_mem_sample(const struct ui *ui, struct ui_mem_sample *out);

/* One line "memory\tactions=N\trss_kb=R\thwm_kb=H\tanon_kb=A\tfile_kb=F\theap_kb=U", then one
 * per cache:
 * "cache\t<name>\t<entries>\t<max entries>\t<bytes>\t<max bytes>" (-1 and 0: not counted). */
void ui_mem_print(FILE *f, long actions, const struct ui_mem_sample *s);

/* Whether the figures tell the kiosk's own growth: not in a sanitizer's build, where the
 * resident set holds the shadow memory and the freed blocks kept in quarantine, and the
 * sanitizer's allocator, not the C library's, counts what is in use. */
bool ui_mem_measurable(void);

#endif
