/* The one allocator wrapper. Every allocation of ours goes through it so tests can make
 * the Nth allocation fail and check that nothing is half-done afterwards. */
#ifndef KIOSK_HAL_ALLOC_H
#define KIOSK_HAL_ALLOC_H

#include <stddef.h>

/* Returns NULL on failure (or on an injected failure); caller frees with kiosk_free(). */
void *kiosk_malloc(size_t n);
/* Zeroed; NULL on overflow or failure. */
void *kiosk_calloc(size_t count, size_t size);
/* On failure returns NULL and leaves p untouched and owned by the caller. */
void *kiosk_realloc(void *p, size_t n);
void kiosk_free(void *p);
/* Makes room in a growing array *arr of size-byte elements for element n (doubling its
 * capacity *cap, 64 at first). KIOSK_OK, or KIOSK_ENOMEM with *arr untouched. */
int kiosk_grow(void **arr, size_t *cap, size_t n, size_t size);
/* Copy of s owned by the caller, or NULL. */
char *kiosk_strdup(const char *s);

/* For a process that runs for months (the kiosk): blocks of 16 KiB and more (textures,
 * map tiles, rendered text) get pages of their own, given back to the system when freed,
 * instead of leaving holes in the heap that the next, differently sized texture cannot
 * reuse. (At 64 KiB the resident set still wandered by ±0.4 MB between samples of the
 * soak; at 16 KiB by ±0.1 MB.) Call once at start, before threads. */
void kiosk_alloc_long_running(void);
/* Gives the heap's free pages back to the system (malloc_trim): what a busy hour freed
 * stops counting against the machine. About a millisecond on the kiosk's heap; call
 * where nobody waits (the UI after a minute untouched). */
void kiosk_alloc_give_back(void);
/* Bytes allocated and not yet freed, by every thread through malloc (ours and the
 * libraries'): a leak's growth, without the noise of the heap's free pages. */
size_t kiosk_alloc_in_use(void);

/* Test hook: the nth allocation from now (1 = the next one) fails, and every one after it
 * too while sticky is set. 0 turns injection off. Not thread-safe by design: tests only. */
void kiosk_alloc_fail_after(long nth, int sticky);
/* Allocations made through the wrapper since start (for tests counting calls). */
long kiosk_alloc_count(void);
/* Allocations that returned NULL since start, injected or real. A transaction compares it
 * before and after building its records: a JSON object that silently lost a field to a
 * failed allocation must not be committed. */
long kiosk_alloc_failures(void);

#endif
