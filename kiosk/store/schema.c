#include "kiosk/store/schema.h"

#include <stddef.h>

/* Constraints live in the schema too, not only in C: a bug in C must not be able to put
 * two parcels in one compartment or stock below zero. */
static const char *const v1[] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);",
	"INSERT INTO meta VALUES('outbox_seq', 0);",
	"CREATE TABLE product(id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,"
	" category TEXT NOT NULL, image TEXT NOT NULL DEFAULT '');",
	"CREATE TABLE slot(id TEXT PRIMARY KEY, product TEXT REFERENCES product(id),"
	" price_fen INTEGER NOT NULL CHECK(price_fen >= 0),"
	" capacity INTEGER NOT NULL CHECK(capacity >= 0),"
	" stock INTEGER NOT NULL DEFAULT 0 CHECK(stock >= 0 AND stock <= capacity),"
	" enabled INTEGER NOT NULL DEFAULT 1,"
	" restocked INTEGER NOT NULL DEFAULT 0, dispensed INTEGER NOT NULL DEFAULT 0,"
	" adjusted INTEGER NOT NULL DEFAULT 0);",
	"CREATE TABLE vend_order(id TEXT PRIMARY KEY, slot TEXT NOT NULL REFERENCES slot(id),"
	" product TEXT NOT NULL, price_fen INTEGER NOT NULL,"
	" state TEXT NOT NULL CHECK(state IN"
	"  ('created','paid','dispensing','dispensed','failed','cancelled')),"
	" method TEXT, payment_ref TEXT, amount_fen INTEGER, reason TEXT,"
	" created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);",
	"CREATE INDEX vend_order_open ON vend_order(state) WHERE state IN"
	" ('created','paid','dispensing');",
	/* UNIQUE(order_id): a paid order can be refunded once, whatever C does. */
	"CREATE TABLE refund(id INTEGER PRIMARY KEY, order_id TEXT NOT NULL UNIQUE"
	" REFERENCES vend_order(id), amount_fen INTEGER NOT NULL CHECK(amount_fen > 0),"
	" method TEXT NOT NULL, created_ms INTEGER NOT NULL);",
	"CREATE TABLE compartment(id TEXT PRIMARY KEY, board INTEGER NOT NULL,"
	" lock INTEGER NOT NULL, size INTEGER NOT NULL CHECK(size BETWEEN 0 AND 3),"
	" state TEXT NOT NULL DEFAULT 'free' CHECK(state IN"
	"  ('free','reserved','occupied','disabled','faulty','unknown')),"
	" reserved_until INTEGER,"
	" UNIQUE(board, lock));",
	"CREATE TABLE person(id TEXT NOT NULL, role TEXT NOT NULL CHECK(role IN"
	"  ('courier','operator')), name TEXT NOT NULL, company TEXT NOT NULL DEFAULT '',"
	" pin_hash TEXT NOT NULL, failed INTEGER NOT NULL DEFAULT 0,"
	" locked_until INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(id, role));",
	"CREATE TABLE parcel(id TEXT PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK(kind IN ('delivery','send')),"
	" state TEXT NOT NULL CHECK(state IN ('depositing','deposited','expired',"
	"  'picked_up','retrieved','cancelled','send_created','send_paid','send_depositing',"
	"  'send_deposited','collected')),"
	" active INTEGER GENERATED ALWAYS AS (state IN ('depositing','deposited','expired',"
	"  'send_created','send_paid','send_depositing','send_deposited')) VIRTUAL,"
	" compartment TEXT REFERENCES compartment(id), size INTEGER NOT NULL,"
	" tracking_no TEXT, carrier TEXT NOT NULL DEFAULT '', courier TEXT,"
	" code_hmac BLOB, phone_last4 TEXT, phone_hmac BLOB,"
	" amount_fen INTEGER NOT NULL DEFAULT 0, fee_paid_fen INTEGER NOT NULL DEFAULT 0,"
	" deposited_ms INTEGER, expires_ms INTEGER,"
	" created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);",
	/* A compartment holds at most one active parcel. */
	"CREATE UNIQUE INDEX parcel_one_per_compartment ON parcel(compartment) WHERE active;",
	/* Pickup codes are unique among active parcels. */
	"CREATE UNIQUE INDEX parcel_code ON parcel(code_hmac) WHERE active AND code_hmac IS NOT NULL;",
	"CREATE UNIQUE INDEX parcel_tracking ON parcel(tracking_no) WHERE active AND"
	" tracking_no IS NOT NULL;",
	/* Every door command: the intent row is written before the frame goes out. */
	"CREATE TABLE door_op(id INTEGER PRIMARY KEY, compartment TEXT NOT NULL"
	" REFERENCES compartment(id), purpose TEXT NOT NULL, parcel TEXT REFERENCES parcel(id),"
	" state TEXT NOT NULL CHECK(state IN ('opening','opened','jammed','unknown')),"
	" created_ms INTEGER NOT NULL, finished_ms INTEGER);",
	/* Wrong pickup codes, per kiosk: survives restarts so a reboot does not reset it. */
	"CREATE TABLE guard(name TEXT PRIMARY KEY, fails INTEGER NOT NULL,"
	" window_start INTEGER NOT NULL, locked_until INTEGER NOT NULL, level INTEGER NOT NULL);",
	"CREATE TABLE outbox(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" type TEXT NOT NULL, at_ms INTEGER NOT NULL, data TEXT NOT NULL,"
	" sent INTEGER NOT NULL DEFAULT 0);",
	"CREATE INDEX outbox_unsent ON outbox(seq) WHERE sent = 0;",
	"CREATE TABLE dead_letter(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL,"
	" at_ms INTEGER NOT NULL, data TEXT NOT NULL, error TEXT NOT NULL,"
	" moved_ms INTEGER NOT NULL);",
	/* Neighbourhood services from the platform (the directory and map read them). */
	"CREATE TABLE service(id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,"
	" category TEXT NOT NULL, lat REAL NOT NULL CHECK(lat BETWEEN -90 AND 90),"
	" lon REAL NOT NULL CHECK(lon BETWEEN -180 AND 180), address TEXT NOT NULL DEFAULT '',"
	" phone TEXT NOT NULL DEFAULT '', opening_hours TEXT NOT NULL DEFAULT '',"
	" description TEXT NOT NULL DEFAULT '');",
	"CREATE INDEX service_category ON service(category);",
	"CREATE TABLE audit(n INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, actor TEXT NOT NULL,"
	" action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL,"
	" event_seq INTEGER UNIQUE, prev BLOB NOT NULL, hash BLOB NOT NULL);",
	NULL,
};

/* v2: a door command that never reached the wire (its deadline passed in the queue) is an
 * outcome of its own, 'not_sent': the door certainly stayed shut. SQLite cannot change a
 * CHECK in place: the table is rebuilt (nothing references door_op). */
static const char *const v2[] = {
	"CREATE TABLE door_op2(id INTEGER PRIMARY KEY, compartment TEXT NOT NULL"
	" REFERENCES compartment(id), purpose TEXT NOT NULL, parcel TEXT REFERENCES parcel(id),"
	" state TEXT NOT NULL CHECK(state IN ('opening','opened','jammed','unknown','not_sent')),"
	" created_ms INTEGER NOT NULL, finished_ms INTEGER);",
	"INSERT INTO door_op2 SELECT id, compartment, purpose, parcel, state, created_ms,"
	" finished_ms FROM door_op;",
	"DROP TABLE door_op;",
	"ALTER TABLE door_op2 RENAME TO door_op;",
	/* What the item sensor last saw (boards that have one): a compartment with
	 * something inside is never allocated, and never enabled as free. */
	"ALTER TABLE compartment ADD COLUMN item INTEGER NOT NULL DEFAULT 0;",
	NULL,
};

/* v3: the platform link. Its small state (the change cursor, the server clock's offset,
 * the last success) and the remote commands that ran, so one runs at most once. */
static const char *const v3[] = {
	"CREATE TABLE sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
	"CREATE TABLE command_done(id TEXT PRIMARY KEY, type TEXT NOT NULL,"
	" result TEXT NOT NULL, at_ms INTEGER NOT NULL);",
	NULL,
};

/* v4: QR payments and sends the way residents make them. A payment is written before the
 * platform is asked (its order id is the idempotency key), so one pending at a power cut
 * is looked up again, never lost; 'refunded' is a paid one given back through the outbox.
 * A send keeps how it is paid, its booking, and the recipient's city; the sender's phone
 * only as last 4 digits and HMAC (phone_last4, phone_hmac), like a recipient's. */
static const char *const v4[] = {
	"CREATE TABLE payment(order_id TEXT PRIMARY KEY,"
	" purpose TEXT NOT NULL CHECK(purpose IN ('fee','send')),"
	" parcel TEXT NOT NULL REFERENCES parcel(id),"
	" amount_fen INTEGER NOT NULL CHECK(amount_fen > 0), description TEXT NOT NULL,"
	" payment_id TEXT, state TEXT NOT NULL CHECK(state IN ('creating','pending',"
	"  'cancelling','paid','expired','cancelled','refunded')),"
	" created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);",
	"CREATE INDEX payment_open ON payment(state) WHERE state IN"
	" ('creating','pending','cancelling');",
	"CREATE INDEX payment_parcel ON payment(parcel);",
	"ALTER TABLE parcel ADD COLUMN pay_method TEXT;",
	"ALTER TABLE parcel ADD COLUMN booking TEXT;",
	"ALTER TABLE parcel ADD COLUMN receiver_city TEXT;",
	/* A booking is deposited once. */
	"CREATE UNIQUE INDEX parcel_booking ON parcel(booking) WHERE booking IS NOT NULL AND"
	" state <> 'cancelled';",
	NULL,
};

/* v5: the neighbourhood map. The walkable street graph imported from a map file (nodes,
 * edges with length, kind and flags) and where it came from; imported places live with the
 * platform's services, told apart by their source. */
static const char *const v5[] = {
	"CREATE TABLE map_node(id INTEGER PRIMARY KEY, lat REAL NOT NULL CHECK(lat BETWEEN -90"
	" AND 90), lon REAL NOT NULL CHECK(lon BETWEEN -180 AND 180));",
	"CREATE TABLE map_edge(id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL,"
	" length_m REAL NOT NULL CHECK(length_m >= 0), kind TEXT NOT NULL,"
	" flags INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL DEFAULT '');",
	"CREATE TABLE map_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
	"ALTER TABLE service ADD COLUMN source TEXT NOT NULL DEFAULT 'platform';",
	"CREATE INDEX service_source ON service(source);",
	NULL,
};

/* v6: streets' English names (name:en), drawn on the map in English. A map imported
 * before has none: forgetting when it was imported makes the next start import
 * $.map.file again, with them. */
static const char *const v6[] = {
	"ALTER TABLE map_edge ADD COLUMN name_en TEXT NOT NULL DEFAULT '';",
	"DELETE FROM map_info WHERE key = 'imported_at';",
	NULL,
};

/* v7: the send number the resident keeps (receipt, its QR, read out to the carrier):
 * issued by the kiosk, 8 digits, never the same twice on this device. Sends made before
 * get theirs when they go in. */
static const char *const v7[] = {
	"ALTER TABLE parcel ADD COLUMN send_number TEXT CHECK(send_number IS NULL OR"
	" (length(send_number) = 8 AND send_number NOT GLOB '*[^0-9]*'));",
	"CREATE UNIQUE INDEX parcel_send_number ON parcel(send_number);",
	NULL,
};

/* v8: a dispense under way at a crash that no board can prove either way is left for the
 * operator (still dispensing, marked uncertain) instead of refunded blind. */
static const char *const v8[] = {
	"ALTER TABLE vend_order ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;",
	NULL,
};

/* v9: every hot query an index search on live rows (the store at three years old): door
 * operations by compartment (the one in flight, the last one) and by parcel; live parcels
 * by state and expiry; vend orders by slot (the slot upsert's foreign-key check); the
 * unsent deposit event of a parcel (its pickup code scrubbed). */
static const char *const v9[] = {
	"CREATE INDEX door_op_opening ON door_op(compartment) WHERE state = 'opening';",
	"CREATE INDEX door_op_compartment ON door_op(compartment);",
	"CREATE INDEX door_op_parcel ON door_op(parcel, purpose) WHERE parcel IS NOT NULL;",
	"CREATE INDEX parcel_live ON parcel(state, expires_ms) WHERE active;",
	"CREATE INDEX vend_order_slot ON vend_order(slot);",
	"CREATE INDEX outbox_code_parcel ON outbox(json_extract(data, '$.parcel'))"
	" WHERE type = 'parcel.deposited' AND sent = 0;",
	NULL,
};

/* v10: the unsent events counted as they come and go, in the same transactions, instead of
 * counted on every snapshot (a week offline is 50 000 of them). */
static const char *const v10[] = {
	"INSERT INTO meta(key, value) SELECT 'outbox_unsent', count(*) FROM outbox WHERE sent = 0;",
	NULL,
};

/* v11: history moved out (archive.c). What was archived is remembered where the checks
 * need it: how many events left (the sequence rule counts them), each slot's dispenses
 * that left (its stock rule), and the audit chain's checkpoints — 'archived' (rows up to
 * n live in the archive; the first row here chains to hash; events up to event_seq had
 * their audit rows archived) and 'verified' (the chain checked up to n). Finished
 * parcels and orders are found by age through indexes of their own. */
static const char *const v11[] = {
	"INSERT INTO meta(key, value) VALUES('events_archived', 0);",
	"ALTER TABLE slot ADD COLUMN archived_dispensed INTEGER NOT NULL DEFAULT 0;",
	"CREATE TABLE audit_checkpoint(kind TEXT PRIMARY KEY CHECK(kind IN ('archived',"
	" 'verified')), n INTEGER NOT NULL, hash BLOB NOT NULL CHECK(length(hash) = 32),"
	" event_seq INTEGER NOT NULL, at_ms INTEGER NOT NULL);",
	"CREATE INDEX parcel_done ON parcel(updated_ms) WHERE NOT active;",
	"CREATE INDEX vend_order_done ON vend_order(updated_ms) WHERE state IN"
	" ('dispensed','failed','cancelled');",
	NULL,
};

/* v12: a help call still unsent is found without reading the unsent backlog (a week
 * offline is 50 000 events): the link pushes it first and retries it within seconds. */
static const char *const v12[] = {
	"CREATE INDEX outbox_unsent_help ON outbox(seq) WHERE sent = 0"
	" AND type = 'help.requested';",
	NULL,
};

/* v13: a map import fills these in short transactions of its own (a kiosk at work keeps
 * writing meanwhile), then swaps them with map_node and map_edge by renaming: the one
 * transaction the import holds the store for is as short for 90 000 nodes as for 90
 * (map.c). The same columns as the live tables: a migration adding a column to one adds
 * it to its twin. */
static const char *const v13[] = {
	"CREATE TABLE map_node_stage(id INTEGER PRIMARY KEY, lat REAL NOT NULL CHECK(lat"
	" BETWEEN -90 AND 90), lon REAL NOT NULL CHECK(lon BETWEEN -180 AND 180));",
	"CREATE TABLE map_edge_stage(id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT"
	" NULL, length_m REAL NOT NULL CHECK(length_m >= 0), kind TEXT NOT NULL,"
	" flags INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL DEFAULT '',"
	" name_en TEXT NOT NULL DEFAULT '');",
	NULL,
};

/* v14: where people live, for the coverage report (kiosk/store/homes.h): imported with the
 * streets, through a stage table of its own, and swapped in with them. */
static const char *const v14[] = {
	"CREATE TABLE map_home(id INTEGER PRIMARY KEY, lat REAL NOT NULL CHECK(lat BETWEEN -90"
	" AND 90), lon REAL NOT NULL CHECK(lon BETWEEN -180 AND 180), kind INTEGER NOT NULL"
	" CHECK(kind IN (0, 1)));",
	"CREATE TABLE map_home_stage(id INTEGER PRIMARY KEY, lat REAL NOT NULL CHECK(lat BETWEEN"
	" -90 AND 90), lon REAL NOT NULL CHECK(lon BETWEEN -180 AND 180), kind INTEGER NOT NULL"
	" CHECK(kind IN (0, 1)));",
	NULL,
};

/* v15: the vending machine's QR payments share the payment table with the parcels': a
 * payment's purpose may be 'vend', and then `parcel` holds the vend order's id, so the
 * column no longer refers to parcel alone (SQLite changes a CHECK or a REFERENCES only
 * by rebuilding the table). */
static const char *const v15[] = {
	"CREATE TABLE payment_v15(order_id TEXT PRIMARY KEY,"
	" purpose TEXT NOT NULL CHECK(purpose IN ('fee','send','vend')),"
	" parcel TEXT NOT NULL,"
	" amount_fen INTEGER NOT NULL CHECK(amount_fen > 0), description TEXT NOT NULL,"
	" payment_id TEXT, state TEXT NOT NULL CHECK(state IN ('creating','pending',"
	"  'cancelling','paid','expired','cancelled','refunded')),"
	" created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);",
	"INSERT INTO payment_v15 SELECT order_id, purpose, parcel, amount_fen, description,"
	" payment_id, state, created_ms, updated_ms FROM payment;",
	"DROP TABLE payment;",
	"ALTER TABLE payment_v15 RENAME TO payment;",
	"CREATE INDEX payment_open ON payment(state) WHERE state IN"
	" ('creating','pending','cancelling');",
	"CREATE INDEX payment_parcel ON payment(parcel);",
	NULL,
};

/* v16: the audit's running totals (kioskctl dex export), kept as each dispense is recorded
 * so the archive moving old orders out changes none of them: each slot's value sold, and
 * the paid vends by payment method. Filled from the orders still here. */
static const char *const v16[] = {
	"ALTER TABLE slot ADD COLUMN sold_fen INTEGER NOT NULL DEFAULT 0;",
	"UPDATE slot SET sold_fen = (SELECT coalesce(sum(amount_fen), 0) FROM vend_order o"
	" WHERE o.slot = slot.id AND o.state = 'dispensed');",
	"CREATE TABLE vend_total(method TEXT PRIMARY KEY, vends INTEGER NOT NULL DEFAULT 0,"
	" fen INTEGER NOT NULL DEFAULT 0);",
	"INSERT INTO vend_total(method, vends, fen) SELECT method, count(*), sum(amount_fen)"
	" FROM vend_order WHERE state = 'dispensed' AND method IS NOT NULL GROUP BY method;",
	NULL,
};

/* v17: cash — what was put in for an order, and what the changer paid back (payouts: the
 * intent, then what its tubes say it paid; short, a debt). */
static const char *const v17[] = {
	"ALTER TABLE vend_order ADD COLUMN cash_fen INTEGER NOT NULL DEFAULT 0"
	" CHECK(cash_fen >= 0);",
	"CREATE TABLE cash_payout(id INTEGER PRIMARY KEY, order_id TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK(kind IN ('change','refund','return')),"
	" owed_fen INTEGER NOT NULL CHECK(owed_fen > 0),"
	" paid_fen INTEGER NOT NULL DEFAULT 0 CHECK(paid_fen >= 0 AND paid_fen <= owed_fen),"
	" state TEXT NOT NULL CHECK(state IN ('paying','paid','debt','unknown','settled')),"
	" created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);",
	"CREATE INDEX cash_payout_order ON cash_payout(order_id);",
	"CREATE INDEX cash_payout_open ON cash_payout(state) WHERE state IN"
	" ('paying','debt','unknown');",
	NULL,
};

/* v18: money the drive board's own devices took for an order not yet paid in full — kept
 * so a restart neither forgets it nor has it refunded twice (see kiosk_vend_board_in). */
static const char *const v18[] = {
	"ALTER TABLE vend_order ADD COLUMN board_fen INTEGER NOT NULL DEFAULT 0"
	" CHECK(board_fen >= 0);",
	NULL,
};

/* v19: 助餐 — the canteens' menus, the eligibility answers (keyed hashes only), meal
 * orders; a QR payment's purpose may be 'meal' (the payment table rebuilt, as in v15). */
static const char *const v19[] = {
	"CREATE TABLE meal(id TEXT PRIMARY KEY, day TEXT NOT NULL, canteen TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK(kind IN ('lunch','dinner')), name_zh TEXT NOT NULL,"
	" name_en TEXT NOT NULL, image TEXT NOT NULL DEFAULT '', note_zh TEXT NOT NULL DEFAULT '',"
	" note_en TEXT NOT NULL DEFAULT '', price_fen INTEGER NOT NULL CHECK(price_fen >= 0),"
	" quota INTEGER NOT NULL CHECK(quota >= 0), sold INTEGER NOT NULL DEFAULT 0"
	" CHECK(sold >= 0), order_by_ms INTEGER NOT NULL, withdrawn INTEGER NOT NULL DEFAULT 0);",
	"CREATE INDEX meal_day ON meal(day);",
	"CREATE TABLE meal_elig(who BLOB PRIMARY KEY, tier TEXT NOT NULL, resident TEXT NOT NULL,"
	" delivery INTEGER NOT NULL, valid_until_ms INTEGER NOT NULL);",
	"CREATE TABLE meal_order(id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
	" meal TEXT NOT NULL REFERENCES meal(id), portions INTEGER NOT NULL CHECK(portions > 0),"
	" delivery INTEGER NOT NULL, tier TEXT NOT NULL, resident TEXT NOT NULL,"
	" who BLOB NOT NULL, phone_last4 TEXT NOT NULL, price_fen INTEGER NOT NULL,"
	" discount_fen INTEGER NOT NULL, due_fen INTEGER NOT NULL CHECK(due_fen >= 0),"
	" state TEXT NOT NULL CHECK(state IN ('created','paid','served','cancelled')),"
	" method TEXT, payment_ref TEXT, served_by TEXT,"
	" created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);",
	"CREATE INDEX meal_order_who ON meal_order(who, updated_ms);",
	"CREATE INDEX meal_order_open ON meal_order(state) WHERE state = 'created';",
	"CREATE TABLE payment_v19(order_id TEXT PRIMARY KEY,"
	" purpose TEXT NOT NULL CHECK(purpose IN ('fee','send','vend','meal')),"
	" parcel TEXT NOT NULL,"
	" amount_fen INTEGER NOT NULL CHECK(amount_fen > 0), description TEXT NOT NULL,"
	" payment_id TEXT, state TEXT NOT NULL CHECK(state IN ('creating','pending',"
	"  'cancelling','paid','expired','cancelled','refunded')),"
	" created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);",
	"INSERT INTO payment_v19 SELECT order_id, purpose, parcel, amount_fen, description,"
	" payment_id, state, created_ms, updated_ms FROM payment;",
	"DROP TABLE payment;",
	"ALTER TABLE payment_v19 RENAME TO payment;",
	"CREATE INDEX payment_open ON payment(state) WHERE state IN"
	" ('creating','pending','cancelling');",
	"CREATE INDEX payment_parcel ON payment(parcel);",
	/* canteen staff log in to serve tickets: a person's role may be 'canteen' */
	"CREATE TABLE person_v19(id TEXT NOT NULL, role TEXT NOT NULL CHECK(role IN"
	"  ('courier','operator','canteen')), name TEXT NOT NULL, company TEXT NOT NULL"
	" DEFAULT '', pin_hash TEXT NOT NULL, failed INTEGER NOT NULL DEFAULT 0,"
	" locked_until INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(id, role));",
	"INSERT INTO person_v19 SELECT id, role, name, company, pin_hash, failed, locked_until"
	" FROM person;",
	"DROP TABLE person;",
	"ALTER TABLE person_v19 RENAME TO person;",
	NULL,
};

const char *const *const kiosk_store_migrations[] = {v1,  v2,  v3,  v4,  v5,  v6,  v7,
						     v8,  v9,  v10, v11, v12, v13, v14,
						     v15, v16, v17, v18, v19};
const int kiosk_store_nmigrations = 19;
