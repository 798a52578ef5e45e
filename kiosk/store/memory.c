/* Routes SQLite's and cJSON's allocations through the project's allocator wrapper, so a
 * test that fails the Nth allocation reaches inside them too. Runs once, before SQLite is
 * first used; if the program initialised SQLite itself earlier, SQLite keeps its own. */
#include "kiosk/store/store_int.h"
#include "kiosk/store/walvfs.h"
#include "hal/base/alloc.h"
#include "hal/base/log.h"

#include <pthread.h>
#include <string.h>

/* SQLite asks for the size of an allocation; keep it in a header in front of the block. */
#define HDR 16

static void *m_malloc(int n)
{
	uint8_t *p = kiosk_malloc((size_t)n + HDR);
	if (!p)
		return NULL;
	memcpy(p, &n, sizeof n);
	return p + HDR;
}

static void m_free(void *p)
{
	if (p)
		kiosk_free((uint8_t *)p - HDR);
}

static void *m_realloc(void *p, int n)
{
	uint8_t *q = kiosk_realloc(p ? (uint8_t *)p - HDR : NULL, (size_t)n + HDR);
	if (!q)
		return NULL;
	memcpy(q, &n, sizeof n);
	return q + HDR;
}

static int m_size(void *p)
{
	int n;
	memcpy(&n, (uint8_t *)p - HDR, sizeof n);
	return n;
}

static int m_roundup(int n)
{
	return (n + 7) & ~7;
}

static int m_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void m_shutdown(void *arg)
{
	(void)arg;
}

static void init_once(void)
{
	static const sqlite3_mem_methods mem = {m_malloc, m_free,  m_realloc, m_size,
						m_roundup, m_init, m_shutdown, NULL};
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem) != SQLITE_OK)
		KLOG_DEBUG("store", "event=sqlite_malloc_not_routed reason=already_initialised");
	/* No bulk page allocation when a page cache is made: every statement with an IN
	 * list of three or more constants (the CHECKs, the partial indexes) opens an
	 * ephemeral table whose new cache took ~87 KB at once, given back after the
	 * statement and faulted in again by the next (with the kiosk's mmap threshold, an
	 * mmap and munmap each time): 80-130 page faults per state change. Pages now come
	 * one by one as they are needed (an IN list needs one). */
	(void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	cJSON_Hooks hooks = {kiosk_malloc, kiosk_free};
	cJSON_InitHooks(&hooks);
	/* after the configuration: registering a VFS initialises SQLite */
	if (walvfs_register() != SQLITE_OK)
		KLOG_WARN("store", "event=walvfs_unavailable");
}

void kiosk_store_global_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_once);
}

size_t kiosk_store_memory_used(void)
{
	sqlite3_int64 n = sqlite3_memory_used();
	return n > 0 ? (size_t)n : 0;
}
