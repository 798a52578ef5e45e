/* The core's side of kiosk/caches.h: what it keeps, beside the bounds. */
#include "kiosk/caches.h"
#include "kiosk/core.h"
#include "kiosk/store/store.h"

int kiosk_core_caches(struct kiosk_cache_stat *out, int max)
{
	if (max < 1)
		return 0;
	/* Each connection's page cache, plus its statements and schema (well under 1 MB for
	 * the store's fixed SQL). */
	out[0] = (struct kiosk_cache_stat){
		"sqlite (every connection)", -1, -1, kiosk_store_memory_used(),
		(size_t)KIOSK_CACHE_SQLITE_CONNECTIONS * (KIOSK_CACHE_SQLITE_PAGES_KB + 1024) * 1024};
	return 1;
}
