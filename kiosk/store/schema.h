/* Schema migrations, applied in order by PRAGMA user_version. */
#ifndef KIOSK_STORE_SCHEMA_H
#define KIOSK_STORE_SCHEMA_H

/* migrations[i] takes the schema from version i to i+1: a NULL-terminated list of
 * statements, run in one transaction. */
extern const char *const *const kiosk_store_migrations[];
extern const int kiosk_store_nmigrations;

#endif
