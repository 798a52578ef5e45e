/* History that does not weigh on the present: the archive beside the store (archive.c,
 * archiver.c). */
#ifndef KIOSK_STORE_ARCHIVE_H
#define KIOSK_STORE_ARCHIVE_H

#include "kiosk/store/store.h"

/* Finished parcels (with their door operations and payments), finished vend orders (with
 * their refunds), door operations of no parcel, events the platform acknowledged and the
 * oldest audit rows move, once older than the retention, to the archive file beside the
 * store (kiosk_store_archive_path), in small batches, each batch one transaction in the
 * archive and then one in the store: a kill between the two leaves rows in both, and the
 * next pass finishes the move (nothing lost, nothing twice). Open parcels, unsent events,
 * dead letters and an uncertain dispense stay, whatever their age. */
struct kiosk_archive_stats {
	int64_t parcels, orders, door_ops, events, audit; /* rows moved */
	int64_t verified_n; /* the audit chain verified up to this row ('verified' checkpoint) */
};
struct kiosk_archive_opts {
	int64_t cutoff_ms;      /* history finished before this moves */
	int batch;              /* rows per transaction; 0 = 256 */
	const volatile int *stop; /* may be NULL: checked between batches */
	int test_crash_after;   /* tests: stop after this many archive commits, before the
				 * store's delete, as a kill there would; 0 = never */
	const char *vfs;        /* NULL = SQLite's default; the crash test's kills at a write */
	int pause_ms;           /* idle between batches, so the core's writes always get the
				 * lock between two of ours (SQLite's locks are not fair); the
				 * store's archiver uses 20; 0 = none (tests, tools) */
};
/* "kiosk.db" → "kiosk-archive.db" (any other name gets "-archive.db" appended). */
int kiosk_store_archive_path(const char *store_path, char *out, size_t cap);
/* One pass over the store file at store_path, on the caller's thread with connections of
 * its own (the store may be open elsewhere: WAL lets both work; a batch holds the write
 * lock for a few milliseconds). First verifies the audit chain from its checkpoint and
 * moves the 'verified' checkpoint on (KIOSK_ECORRUPT with msg if it is broken: then nothing
 * moves). stats (may be NULL) gets what moved. */
int kiosk_store_archive(const char *store_path, const struct kiosk_archive_opts *o,
			struct kiosk_archive_stats *stats, char *msg, size_t msglen);
/* The store's own archiver: a thread every store opened for writing starts. With
 * kiosk_store_opts.retention_days > 0 it runs a pass a minute after open and every six
 * hours, or now when kicked; whatever the retention it scrubs the WAL within a minute of
 * an erasure (kiosk_store_scrub), or now when kicked. archive_last: the last pass's stats,
 * end time (0 = none yet) and verdict; KIOSK_ENOENT without a retention. */
void kiosk_store_archive_kick(struct kiosk_store *st);
int kiosk_store_archive_last(struct kiosk_store *st, struct kiosk_archive_stats *stats,
			     int64_t *at_ms, char *msg, size_t cap);

/* Erased means erased: the store's pages had a secret's old bytes zeroed when it was
 * erased (secure_delete), but the WAL still holds page images from before. This copies
 * the WAL into the store and truncates it (PRAGMA wal_checkpoint(TRUNCATE)), on a
 * connection of its own; writers wait for it a few milliseconds. The store's archiver
 * runs it within a minute of an erasure (a code picked up, acked events scrubbed).
 * KIOSK_EBUSY when a reader kept it from finishing (tried again later). */
int kiosk_store_scrub(const char *store_path);
/* Scrubs the archiver has run (tests wait on it). */
unsigned kiosk_store_scrubs(struct kiosk_store *st);

#endif
