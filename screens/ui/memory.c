#include "screens/ui/memory.h"
#include "screens/app.h"
#include "kiosk/core.h"
#include "hal/base/alloc.h"
#include "hal/base/mem.h"

#include <stdbool.h>

void ui_mem_sample(const struct ui *ui, struct ui_mem_sample *out)
{
	out->rss_kb = kiosk_proc_status_kb(0, "VmRSS:");
	out->hwm_kb = kiosk_proc_status_kb(0, "VmHWM:");
	out->anon_kb = kiosk_proc_status_kb(0, "RssAnon:");
	out->heap_kb = (long)(kiosk_alloc_in_use() / 1024);
	out->file_kb = kiosk_proc_status_kb(0, "RssFile:");
	out->ncaches = ui_app_caches(ui, out->caches, UI_MEM_MAX_CACHES);
	out->ncaches += kiosk_core_caches(out->caches + out->ncaches,
					  UI_MEM_MAX_CACHES - out->ncaches);
}

void ui_mem_print(FILE *f, long actions, const struct ui_mem_sample *s)
{
	fprintf(f, "memory\tactions=%ld\trss_kb=%ld\thwm_kb=%ld\tanon_kb=%ld\tfile_kb=%ld\theap_kb=%ld\n",
		actions, s->rss_kb, s->hwm_kb, s->anon_kb, s->file_kb, s->heap_kb);
	for (int i = 0; i < s->ncaches; i++) {
		const struct kiosk_cache_stat *c = &s->caches[i];
		fprintf(f, "cache\t%s\t%ld\t%ld\t%zu\t%zu\n", c->name, c->entries, c->max_entries,
			c->bytes, c->max_bytes);
	}
	fflush(f);
}

#if defined(__SANITIZE_ADDRESS__)
#define UI_MEM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UI_MEM_SANITIZED 1
#endif
#endif

bool ui_mem_measurable(void)
{
#ifdef UI_MEM_SANITIZED
	return false;
#else
	return true;
#endif
}
