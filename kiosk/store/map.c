/* The neighbourhood map: the walkable street graph and where it came from, replaced whole
 * by an import; read whole by the router. */
#include "kiosk/store/homes.h"
#include "kiosk/store/store_int.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

static int put_service(struct kiosk_store *st, const struct kiosk_service *s)
{
	sqlite3_stmt *q = st_q(st,
			       "INSERT INTO service(id, name_zh, name_en, category, lat, lon, address,"
			       " phone, opening_hours, description, source)"
			       " VALUES(?,?,?,?,?,?,?,?,?,?,'map') ON CONFLICT(id) DO NOTHING",
			       "tttt", s->id, s->name_zh, s->name_en, s->category);
	if (!q)
		return KIOSK_EDB;
	sqlite3_bind_double(q, 5, s->lat);
	sqlite3_bind_double(q, 6, s->lon);
	sqlite3_bind_text(q, 7, s->address, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 8, s->phone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 9, s->opening_hours, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 10, s->description, -1, SQLITE_TRANSIENT);
	int rc = st_step(st, q);
	sqlite3_reset(q);
	return rc < 0 ? rc : KIOSK_OK;
}

/* Rows written a transaction at a time while staging: each transaction holds the store
 * for a few milliseconds (the kiosk's own writes wait at most that long), and the fsyncs
 * stay few (a street map of 90 000 nodes is about 100 of them). */
#define STAGE_ROWS 2000

/* Empties a stage table a chunk a transaction (secure_delete overwrites what goes). */
static int clear_stage(struct kiosk_store *st, const char *del_chunk, const char *any)
{
	for (;;) {
		int64_t left = 0;
		int rc = st_count(st, any, NULL, &left);
		if (rc || !left)
			return rc;
		if ((rc = st_begin(st)))
			return rc;
		rc = st_do(st, del_chunk, NULL);
		rc = rc ? (st_rollback(st), rc) : st_commit(st);
		if (rc)
			return rc;
	}
}

static int clear_stages(struct kiosk_store *st)
{
	int rc = clear_stage(st,
			     "DELETE FROM map_node_stage WHERE id IN (SELECT id FROM map_node_stage"
			     " LIMIT 2000)",
			     "SELECT EXISTS(SELECT 1 FROM map_node_stage)");
	if (rc == KIOSK_OK)
		rc = clear_stage(st,
				 "DELETE FROM map_edge_stage WHERE id IN (SELECT id FROM"
				 " map_edge_stage LIMIT 2000)",
				 "SELECT EXISTS(SELECT 1 FROM map_edge_stage)");
	return rc ? rc
		  : clear_stage(st,
				"DELETE FROM map_home_stage WHERE id IN (SELECT id FROM"
				" map_home_stage LIMIT 2000)",
				"SELECT EXISTS(SELECT 1 FROM map_home_stage)");
}

static int put_node(struct kiosk_store *st, const struct kiosk_map_node *n)
{
	sqlite3_stmt *q = st_q(st, "INSERT INTO map_node_stage(id, lat, lon) VALUES(?, ?, ?)",
			       "i", n->id);
	if (!q)
		return KIOSK_EDB;
	sqlite3_bind_double(q, 2, n->lat);
	sqlite3_bind_double(q, 3, n->lon);
	int rc = st_step(st, q);
	sqlite3_reset(q);
	return rc < 0 ? rc : KIOSK_OK;
}

static int put_edge(struct kiosk_store *st, const struct kiosk_map_edge *e)
{
	sqlite3_stmt *q = st_q(st,
			       "INSERT INTO map_edge_stage(a, b, length_m, kind, flags, name, name_en)"
			       " VALUES(?, ?, ?, ?, ?, ?, ?)",
			       "ii", e->a, e->b);
	if (!q)
		return KIOSK_EDB;
	sqlite3_bind_double(q, 3, e->length_m);
	sqlite3_bind_text(q, 4, e->kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 5, (int)e->flags);
	sqlite3_bind_text(q, 6, e->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 7, e->name_en, -1, SQLITE_TRANSIENT);
	int rc = st_step(st, q);
	sqlite3_reset(q);
	return rc < 0 ? rc : KIOSK_OK;
}

static int put_home(struct kiosk_store *st, const struct kiosk_map_home *h)
{
	sqlite3_stmt *q = st_q(st, "INSERT INTO map_home_stage(lat, lon, kind) VALUES(?, ?, ?)",
			       NULL);
	if (!q)
		return KIOSK_EDB;
	sqlite3_bind_double(q, 1, h->lat);
	sqlite3_bind_double(q, 2, h->lon);
	sqlite3_bind_int(q, 3, (int)h->kind);
	int rc = st_step(st, q);
	sqlite3_reset(q);
	return rc < 0 ? rc : KIOSK_OK;
}

/* Row i of what is staged: the nodes, then the edges, then the homes. */
static int put_row(struct kiosk_store *st, const struct kiosk_map_data *d, size_t i)
{
	if (i < d->nnodes)
		return put_node(st, &d->nodes[i]);
	i -= d->nnodes;
	return i < d->nedges ? put_edge(st, &d->edges[i]) : put_home(st, &d->homes[i - d->nedges]);
}

/* The streets and homes into the stage tables, STAGE_ROWS a transaction. */
static int stage(struct kiosk_store *st, const struct kiosk_map_data *d)
{
	size_t total = d->nnodes + d->nedges + d->nhomes;
	int rc = KIOSK_OK;
	for (size_t i = 0; rc == KIOSK_OK && i < total;) {
		if ((rc = st_begin(st)))
			return rc;
		for (size_t k = 0; rc == KIOSK_OK && k < STAGE_ROWS && i < total; k++, i++)
			rc = put_row(st, d, i);
		rc = rc ? (st_rollback(st), rc) : st_commit(st);
	}
	return rc;
}

/* One transaction: the staged streets become the map by renaming (as quick for any size),
 * the map's places replace the last import's, and the import is recorded. */
static int swap_in(struct kiosk_store *st, const struct kiosk_map_data *d, const char *source)
{
	int rc = st_begin(st);
	if (rc)
		return rc;
	/* (run once, not kept in the statement cache) */
	static const char renames[] = "ALTER TABLE map_node RENAME TO map_node_old;"
				      " ALTER TABLE map_node_stage RENAME TO map_node;"
				      " ALTER TABLE map_node_old RENAME TO map_node_stage;"
				      " ALTER TABLE map_edge RENAME TO map_edge_old;"
				      " ALTER TABLE map_edge_stage RENAME TO map_edge;"
				      " ALTER TABLE map_edge_old RENAME TO map_edge_stage;"
				      " ALTER TABLE map_home RENAME TO map_home_old;"
				      " ALTER TABLE map_home_stage RENAME TO map_home;"
				      " ALTER TABLE map_home_old RENAME TO map_home_stage;";
	int src = sqlite3_exec(st->db, renames, NULL, NULL, NULL);
	rc = src == SQLITE_OK ? KIOSK_OK : st_err(st, src, "map swap");
	if (rc == KIOSK_OK)
		rc = st_do(st, "DELETE FROM service WHERE source = 'map'", NULL);
	for (size_t i = 0; rc == KIOSK_OK && i < d->npois; i++)
		rc = put_service(st, &d->pois[i]);
	char now[24];
	snprintf(now, sizeof now, "%lld", (long long)st->now());
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "INSERT INTO map_info(key, value) VALUES('source', ?), ('imported_at', ?),"
			   " ('attribution', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			   "ttt", source, now, d->attribution ? d->attribution : "");
	if (rc == KIOSK_OK)
		rc = st_map_bump(st);
	if (rc == KIOSK_OK) {
		cJSON *detail = cJSON_CreateObject();
		cJSON_AddNumberToObject(detail, "edges", (double)d->nedges);
		cJSON_AddNumberToObject(detail, "places", (double)d->npois);
		cJSON_AddNumberToObject(detail, "homes", (double)d->nhomes);
		rc = st_record(st, "operator", "map.import", source, detail, NULL, NULL);
		cJSON_Delete(detail);
	}
	return rc ? (st_rollback(st), rc) : st_commit(st);
}

int kiosk_map_replace(struct kiosk_store *st, const struct kiosk_map_data *d, const char *source)
{
	if (!d || !source || strlen(source) > 200 || (d->attribution && strlen(d->attribution) > 200) ||
	    (d->nhomes && !d->homes))
		return KIOSK_EINVAL;
	/* what a stopped import left, then the new streets, then the swap; the old map,
	 * now in the stage tables, goes after. Until the swap the map is the old one whole,
	 * whatever happens. */
	int rc = clear_stages(st);
	if (rc == KIOSK_OK)
		rc = stage(st, d);
	if (rc == KIOSK_OK)
		rc = swap_in(st, d, source);
	int left = clear_stages(st); /* the space back, also after a failure */
	if (left)
		KLOG_WARN("store", "event=map_stage_not_cleared err=%s", kiosk_errname(left));
	return rc;
}

void kiosk_map_data_free(struct kiosk_map_data *d)
{
	kiosk_free(d->nodes);
	kiosk_free(d->edges);
	kiosk_free(d->pois);
	kiosk_free(d->homes);
	memset(d, 0, sizeof *d);
}

/* Grows *arr (of size elements) to hold n + 1. */
int kiosk_map_load(struct kiosk_store *st, struct kiosk_map_data *out)
{
	memset(out, 0, sizeof *out);
	size_t cap = 0;
	int rc = KIOSK_OK, s1;
	sqlite3_stmt *q = st_q(st, "SELECT id, lat, lon FROM map_node ORDER BY id", NULL);
	if (!q)
		return KIOSK_EDB;
	while ((s1 = st_step(st, q)) == 1) {
		if ((rc = kiosk_grow((void **)&out->nodes, &cap, out->nnodes, sizeof *out->nodes)))
			break;
		out->nodes[out->nnodes++] = (struct kiosk_map_node){
			sqlite3_column_int64(q, 0), sqlite3_column_double(q, 1),
			sqlite3_column_double(q, 2)};
	}
	sqlite3_reset(q);
	if (rc == KIOSK_OK && s1 < 0)
		rc = s1;
	cap = 0;
	q = rc ? NULL : st_q(st, "SELECT a, b, length_m, kind, flags, name, name_en FROM map_edge ORDER BY id",
			     NULL);
	if (!rc && !q)
		rc = KIOSK_EDB;
	while (q && (s1 = st_step(st, q)) == 1) {
		if ((rc = kiosk_grow((void **)&out->edges, &cap, out->nedges, sizeof *out->edges)))
			break;
		struct kiosk_map_edge *e = &out->edges[out->nedges++];
		e->a = sqlite3_column_int64(q, 0);
		e->b = sqlite3_column_int64(q, 1);
		e->length_m = sqlite3_column_double(q, 2);
		st_col_text(q, 3, e->kind, sizeof e->kind);
		e->flags = (unsigned)sqlite3_column_int(q, 4);
		st_col_text(q, 5, e->name, sizeof e->name);
		st_col_text(q, 6, e->name_en, sizeof e->name_en);
	}
	if (q) {
		sqlite3_reset(q);
		if (rc == KIOSK_OK && s1 < 0)
			rc = s1;
	}
	if (rc)
		kiosk_map_data_free(out);
	return rc;
}

int kiosk_map_info(struct kiosk_store *st, const char *key, char *buf, size_t cap)
{
	sqlite3_stmt *q = st_q(st, "SELECT value FROM map_info WHERE key = ?", "t", key);
	return q ? st_one_text(st, q, buf, cap) : KIOSK_EDB;
}

int kiosk_service_all(struct kiosk_store *st, struct kiosk_service **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	int rc = KIOSK_OK, s1;
	sqlite3_stmt *q = st_q(st,
			       "SELECT id, name_zh, name_en, category, lat, lon, address, phone,"
			       " opening_hours, description FROM service ORDER BY id",
			       NULL);
	if (!q)
		return KIOSK_EDB;
	while ((s1 = st_step(st, q)) == 1) {
		if ((rc = kiosk_grow((void **)out, &cap, *n, sizeof **out)))
			break;
		struct kiosk_service *s = &(*out)[(*n)++];
		memset(s, 0, sizeof *s);
		st_col_text(q, 0, s->id, sizeof s->id);
		st_col_text(q, 1, s->name_zh, sizeof s->name_zh);
		st_col_text(q, 2, s->name_en, sizeof s->name_en);
		st_col_text(q, 3, s->category, sizeof s->category);
		s->lat = sqlite3_column_double(q, 4);
		s->lon = sqlite3_column_double(q, 5);
		st_col_text(q, 6, s->address, sizeof s->address);
		st_col_text(q, 7, s->phone, sizeof s->phone);
		st_col_text(q, 8, s->opening_hours, sizeof s->opening_hours);
		st_col_text(q, 9, s->description, sizeof s->description);
	}
	sqlite3_reset(q);
	if (rc == KIOSK_OK && s1 < 0)
		rc = s1;
	if (rc) {
		kiosk_free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int st_map_bump(struct kiosk_store *st)
{
	return st_do(st,
		     "INSERT INTO map_info(key, value) VALUES('version', '1') ON CONFLICT(key)"
		     " DO UPDATE SET value = CAST(value AS INTEGER) + 1",
		     NULL);
}

int kiosk_map_version(struct kiosk_store *st, char *buf, size_t cap)
{
	sqlite3_stmt *q = st_q(st,
			       "SELECT coalesce((SELECT value FROM map_info WHERE key = 'version'),"
			       " '0')",
			       NULL);
	return q ? st_one_text(st, q, buf, cap) : KIOSK_EDB;
}
