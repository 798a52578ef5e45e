#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_at;   /* allocation number that fails; 0 = off */
static atomic_int fail_sticky;
static atomic_long n_allocs;
static atomic_long n_failures;

static void *counted(void *p)
{
	if (!p)
		atomic_fetch_add(&n_failures, 1);
	return p;
}

long kiosk_alloc_failures(void)
{
	return atomic_load(&n_failures);
}

static int should_fail(void)
{
	long n = atomic_fetch_add(&n_allocs, 1) + 1;
	long at = atomic_load(&fail_at);
	if (at == 0)
		return 0;
	return n == at || (atomic_load(&fail_sticky) && n > at);
}

void kiosk_alloc_fail_after(long nth, int sticky)
{
	atomic_store(&fail_sticky, sticky);
	atomic_store(&fail_at, nth ? atomic_load(&n_allocs) + nth : 0);
}

long kiosk_alloc_count(void)
{
	return atomic_load(&n_allocs);
}

void *kiosk_malloc(size_t n)
{
	if (should_fail())
		return counted(NULL);
	return counted(malloc(n ? n : 1));
}

void *kiosk_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	if (should_fail())
		return counted(NULL);
	return counted(calloc(count ? count : 1, size ? size : 1));
}

void *kiosk_realloc(void *p, size_t n)
{
	if (should_fail())
		return counted(NULL);
	return counted(realloc(p, n ? n : 1));
}

void kiosk_free(void *p)
{
	free(p);
}

char *kiosk_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kiosk_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

int kiosk_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return KIOSK_OK;
	size_t nc = *cap ? *cap * 2 : 64;
	void *p = nc > *cap && size && nc <= SIZE_MAX / size ? kiosk_realloc(*arr, nc * size) : NULL;
	if (!p)
		return KIOSK_ENOMEM;
	*arr = p;
	*cap = nc;
	return KIOSK_OK;
}

void kiosk_alloc_long_running(void)
{
	/* A fixed threshold also turns off glibc's sliding one, which rises to the largest
	 * block freed and would send textures back into the heap. */
	mallopt(M_MMAP_THRESHOLD, 16 * 1024);
	/* Two heaps, not one per thread that ever allocated (glibc makes up to 8 a core): each
	 * kept its own free pages, a megabyte or two apiece at rest. */
	mallopt(M_ARENA_MAX, 2);
}

void kiosk_alloc_give_back(void)
{
	malloc_trim(0);
}

size_t kiosk_alloc_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}
