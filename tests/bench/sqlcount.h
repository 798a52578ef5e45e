/* The bench's per-operation counts beside each ratio, so the next drift shows its cause:
 * fsyncs and file writes (a VFS over the default one, counting xSync and xWrite: system
 * calls), statements (SQLite's trace), pages written to the WAL (its hook) and page
 * faults (getrusage). Bench-only. */
#ifndef KIOSK_BENCH_SQLCOUNT_H
#define KIOSK_BENCH_SQLCOUNT_H

#include <sqlite3.h>

struct sqlcount {
	unsigned long syncs, stmts, faults, wal_pages, writes;
};

/* Registers the counting VFS as the default: before any database is opened. */
int sqlcount_install(void);
/* Counts db's statements, and the pages its commits write to the WAL, from now on (the
 * WAL hook checkpoints at 1000 pages, as SQLite's own default hook does). */
void sqlcount_trace(sqlite3 *db);
/* The counts so far (the process's page faults included). */
struct sqlcount sqlcount_now(void);

#endif
