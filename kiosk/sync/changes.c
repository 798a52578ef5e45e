#include "kiosk/sync/changes.h"
#include "kiosk/config.h"
#include "kiosk/crypto.h"
#include "kiosk/sync/wire.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* What went wrong, with the change's place: "changes[3].data.price_fen: negative". */
struct ctx {
	char *why;
	size_t wlen;
	int index;
};

/* Has s a byte below lo (0x20: control characters; 0x21: also blanks) or DEL? */
static bool has_below(const char *s, unsigned char lo)
{
	for (; *s; s++)
		if ((unsigned char)*s < lo || *s == 0x7F)
			return true;
	return false;
}

static int bad(struct ctx *c, const char *field, const char *what)
{
	snprintf(c->why, c->wlen, "changes[%d]%s%s: %s", c->index, field[0] ? "." : "", field,
		 what);
	return KIOSK_EPARSE;
}

/* A string member: required or not, 1..cap-1 bytes, no control characters. */
static int str(struct ctx *c, const cJSON *o, const char *name, char *dst, size_t cap,
	       bool required)
{
	char field[48];
	snprintf(field, sizeof field, "data.%s", name);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	dst[0] = '\0';
	if (!v || cJSON_IsNull(v))
		return required ? bad(c, field, "missing") : KIOSK_OK;
	if (!cJSON_IsString(v))
		return bad(c, field, "not a string");
	size_t n = strlen(v->valuestring);
	if (n >= cap)
		return bad(c, field, "too long");
	if (required && n == 0)
		return bad(c, field, "empty");
	if (has_below(v->valuestring, 0x20))
		return bad(c, field, "control character");
	memcpy(dst, v->valuestring, n + 1);
	return KIOSK_OK;
}

static int integer(struct ctx *c, const cJSON *o, const char *name, int64_t lo, int64_t hi,
		   int64_t *out)
{
	char field[48];
	snprintf(field, sizeof field, "data.%s", name);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!v)
		return bad(c, field, "missing");
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
		return bad(c, field, "not an integer");
	if (v->valuedouble < (double)lo)
		return bad(c, field, lo == 0 ? "negative" : "too small");
	if (v->valuedouble > (double)hi)
		return bad(c, field, "too large");
	*out = (int64_t)v->valuedouble;
	return KIOSK_OK;
}

static int number(struct ctx *c, const cJSON *o, const char *name, double lo, double hi,
		  double *out)
{
	char field[48];
	snprintf(field, sizeof field, "data.%s", name);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return bad(c, field, v ? "not a number" : "missing");
	if (v->valuedouble < lo || v->valuedouble > hi)
		return bad(c, field, "out of range");
	*out = v->valuedouble;
	return KIOSK_OK;
}

static double km_between(double lat1, double lon1, double lat2, double lon2)
{
	double r = M_PI / 180, dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
	return 6371.0 * 2 * atan2(sqrt(a), sqrt(1 - a));
}

static int command(struct ctx *c, const cJSON *d, struct kiosk_change *ch)
{
	static const char *const names[] = {"remote_unlock", "open_all_for_cleaning",
					    "disable_compartment", "set_message", "reboot"};
	char type[32];
	int rc = str(c, d, "type", type, sizeof type, true);
	if (rc)
		return rc;
	int t = -1;
	for (int i = 0; i < 5; i++)
		if (strcmp(type, names[i]) == 0)
			t = i;
	if (t < 0)
		return bad(c, "data.type", "unknown command");
	ch->u.command.type = (enum kiosk_command_type)t;
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(d, "args");
	if (args && !cJSON_IsObject(args) && !cJSON_IsNull(args))
		return bad(c, "data.args", "not an object");
	cJSON empty = {0};
	empty.type = cJSON_Object;
	if (!cJSON_IsObject(args))
		args = &empty;
	if (t == KIOSK_RC_REMOTE_UNLOCK || t == KIOSK_RC_DISABLE)
		return str(c, args, "compartment", ch->u.command.compartment,
			   sizeof ch->u.command.compartment, true);
	if (t == KIOSK_RC_SET_MESSAGE) {
		char until[40];
		if ((rc = str(c, args, "text_zh", ch->u.command.text_zh, sizeof ch->u.command.text_zh,
			      true)) ||
		    (rc = str(c, args, "text_en", ch->u.command.text_en, sizeof ch->u.command.text_en,
			      true)) ||
		    (rc = str(c, args, "until", until, sizeof until, true)))
			return rc;
		if ((ch->u.command.until_ms = kiosk_wire_parse_time(until)) < 0)
			return bad(c, "data.args.until", "not a UTC time (2026-12-01T12:00:00Z)");
	}
	return KIOSK_OK;
}

/* A canteen's meal: its day (the kiosk's calendar day, "YYYY-MM-DD"), lunch or dinner, the
 * price before any discount, the portions this kiosk may sell, the deadline. */
static int meal(struct ctx *c, const cJSON *d, struct kiosk_change *ch)
{
	struct kiosk_meal *m = &ch->u.meal;
	char by[40];
	int64_t v;
	int rc;
	memcpy(m->id, ch->id, sizeof m->id);
	if ((rc = str(c, d, "day", m->day, sizeof m->day, true)) ||
	    (rc = str(c, d, "canteen", m->canteen, sizeof m->canteen, true)) ||
	    (rc = str(c, d, "name_zh", m->name_zh, sizeof m->name_zh, true)) ||
	    (rc = str(c, d, "name_en", m->name_en, sizeof m->name_en, true)) ||
	    (rc = str(c, d, "kind", m->kind, sizeof m->kind, true)) ||
	    (rc = integer(c, d, "price_fen", 0, 100000, &m->price_fen)) ||
	    (rc = integer(c, d, "quota", 0, 10000, &v)) ||
	    (rc = str(c, d, "order_by", by, sizeof by, true)) ||
	    (rc = str(c, d, "image_url", m->image, sizeof m->image, false)) ||
	    (rc = str(c, d, "note_zh", m->note_zh, sizeof m->note_zh, false)) ||
	    (rc = str(c, d, "note_en", m->note_en, sizeof m->note_en, false)))
		return rc;
	m->quota = (int)v;
	int y, mo, dd, end = -1;
	if (sscanf(m->day, "%4d-%2d-%2d%n", &y, &mo, &dd, &end) != 3 || end != 10 || mo < 1 ||
	    mo > 12 || dd < 1 || dd > 31)
		return bad(c, "data.day", "not a day (2026-12-01)");
	if (strcmp(m->kind, "lunch") && strcmp(m->kind, "dinner"))
		return bad(c, "data.kind", "not lunch or dinner");
	if ((m->order_by_ms = kiosk_wire_parse_time(by)) <= 0)
		return bad(c, "data.order_by", "not a UTC time (2026-12-01T02:00:00Z)");
	return KIOSK_OK;
}

static int one(struct ctx *c, const cJSON *e, const struct kiosk_changes_ctx *k,
	       struct kiosk_change *ch)
{
	static const char *const kinds[] = {"product",	"slot",	  "price",   "service", "courier",
					    "operator", "config", "command", "meal"};
	if (!cJSON_IsObject(e))
		return bad(c, "", "not an object");
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind"));
	const char *op = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "op"));
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
	int kk = -1;
	for (int i = 0; kind && i < (int)(sizeof kinds / sizeof kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			kk = i;
	if (kk < 0)
		return bad(c, "kind", kind ? "unknown kind" : "missing");
	ch->kind = (enum kiosk_change_kind)kk;
	if (!op || (strcmp(op, "upsert") && strcmp(op, "delete")))
		return bad(c, "op", "not upsert or delete");
	ch->del = op[0] == 'd';
	if (!id || !id[0] || strlen(id) >= sizeof ch->id)
		return bad(c, "id", "missing or too long");
	if (has_below(id, 0x21))
		return bad(c, "id", "blank or control character");
	memcpy(ch->id, id, strlen(id) + 1);
	if (ch->del) {
		if (ch->kind == KIOSK_CH_PRICE || ch->kind == KIOSK_CH_COMMAND ||
		    ch->kind == KIOSK_CH_CONFIG)
			return bad(c, "op", "this kind cannot be deleted");
		return KIOSK_OK;
	}
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "data");
	if (!cJSON_IsObject(d))
		return bad(c, "data", "missing or not an object");
	int rc = KIOSK_OK;
	int64_t v;
	switch (ch->kind) {
	case KIOSK_CH_PRODUCT: {
		struct kiosk_product *p = &ch->u.product;
		memcpy(p->id, ch->id, sizeof p->id);
		if ((rc = str(c, d, "name_zh", p->name_zh, sizeof p->name_zh, true)) ||
		    (rc = str(c, d, "name_en", p->name_en, sizeof p->name_en, true)) ||
		    (rc = str(c, d, "category", p->category, sizeof p->category, true)) ||
		    (rc = str(c, d, "image_url", p->image, sizeof p->image, false)))
			return rc;
		return KIOSK_OK;
	}
	case KIOSK_CH_SLOT: {
		struct kiosk_slot *s = &ch->u.slot;
		memcpy(s->id, ch->id, sizeof s->id);
		if ((rc = str(c, d, "product", s->product, sizeof s->product, true)) ||
		    (rc = integer(c, d, "price_fen", 0, 10000000, &s->price_fen)) ||
		    (rc = integer(c, d, "capacity", 1, 1000, &v)))
			return rc;
		s->capacity = (int)v;
		const cJSON *en = cJSON_GetObjectItemCaseSensitive(d, "enabled");
		if (!cJSON_IsBool(en))
			return bad(c, "data.enabled", "not true or false");
		s->enabled = cJSON_IsTrue(en);
		return KIOSK_OK;
	}
	case KIOSK_CH_PRICE:
		if ((rc = str(c, d, "slot", ch->u.price.slot, sizeof ch->u.price.slot, true)))
			return rc;
		return integer(c, d, "price_fen", 0, 10000000, &ch->u.price.price_fen);
	case KIOSK_CH_SERVICE: {
		struct kiosk_service *s = &ch->u.service;
		memcpy(s->id, ch->id, sizeof s->id);
		if ((rc = str(c, d, "name_zh", s->name_zh, sizeof s->name_zh, true)) ||
		    (rc = str(c, d, "name_en", s->name_en, sizeof s->name_en, false)) ||
		    (rc = str(c, d, "category", s->category, sizeof s->category, true)) ||
		    (rc = number(c, d, "lat", -90, 90, &s->lat)) ||
		    (rc = number(c, d, "lon", -180, 180, &s->lon)) ||
		    (rc = str(c, d, "address", s->address, sizeof s->address, false)) ||
		    (rc = str(c, d, "phone", s->phone, sizeof s->phone, false)) ||
		    (rc = str(c, d, "opening_hours", s->opening_hours, sizeof s->opening_hours,
			      false)) ||
		    (rc = str(c, d, "description", s->description, sizeof s->description, false)))
			return rc;
		if (k && k->max_km > 0 && km_between(k->lat, k->lon, s->lat, s->lon) > k->max_km)
			return bad(c, "data.lat", "outside this kiosk's neighbourhood");
		return KIOSK_OK;
	}
	case KIOSK_CH_COURIER:
	case KIOSK_CH_OPERATOR: {
		bool courier = ch->kind == KIOSK_CH_COURIER;
		if ((rc = str(c, d, "name", ch->u.person.name, sizeof ch->u.person.name, true)) ||
		    (rc = str(c, d, "pin_hash", ch->u.person.pin_hash, sizeof ch->u.person.pin_hash,
			      true)))
			return rc;
		if (courier && (rc = str(c, d, "company", ch->u.person.company,
					 sizeof ch->u.person.company, true)))
			return rc;
		if (!courier && (rc = str(c, d, "role", ch->u.person.role, sizeof ch->u.person.role,
					  true)))
			return rc;
		if (kiosk_pin_hash_valid(ch->u.person.pin_hash) != KIOSK_OK)
			return bad(c, "data.pin_hash",
				   "not pbkdf2-sha256 with 100000 to 400000 iterations (more would"
				   " keep a courier waiting at the screen)");
		return KIOSK_OK;
	}
	case KIOSK_CH_CONFIG:
		if ((rc = str(c, d, "key", ch->u.config.key, sizeof ch->u.config.key, true)))
			return rc;
		/* A value of any JSON type, kept as its text. */
		{
			const cJSON *val = cJSON_GetObjectItemCaseSensitive(d, "value");
			if (!val)
				return bad(c, "data.value", "missing");
			char *t = cJSON_PrintUnformatted(val);
			if (!t)
				return KIOSK_ENOMEM;
			size_t n = strlen(t);
			if (n >= sizeof ch->u.config.value) {
				cJSON_free(t);
				return bad(c, "data.value", "too long");
			}
			memcpy(ch->u.config.value, t, n + 1);
			cJSON_free(t);
		}
		/* Checked as the kiosk will apply it: a key it may not take, or a value out of
		 * range, refuses the page. */
		if (ch->del)
			return KIOSK_OK;
		{
			struct kiosk_config scratch;
			char why[120];
			kiosk_config_defaults(&scratch);
			if (kiosk_config_set_remote(&scratch, ch->u.config.key, ch->u.config.value, why,
						    sizeof why) != KIOSK_OK)
				return bad(c, "data", why);
		}
		return KIOSK_OK;
	case KIOSK_CH_COMMAND:
		return command(c, d, ch);
	case KIOSK_CH_MEAL:
		return meal(c, d, ch);
	}
	return bad(c, "kind", "unknown kind");
}

int kiosk_changes_parse(const char *body, size_t len, const struct kiosk_changes_ctx *k,
			struct kiosk_change_page *out, char *why, size_t wlen)
{
	memset(out, 0, sizeof *out);
	cJSON *j;
	int rc = kiosk_wire_parse(body, len, &j, why, wlen);
	if (rc)
		return rc;
	const char *cursor = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "cursor"));
	const cJSON *more = cJSON_GetObjectItemCaseSensitive(j, "more");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(j, "changes");
	if (!cursor || !cursor[0] || strlen(cursor) >= sizeof out->cursor) {
		snprintf(why, wlen, "cursor missing, empty or too long");
		rc = KIOSK_EPARSE;
	} else if (!cJSON_IsBool(more)) {
		snprintf(why, wlen, "more is not true or false");
		rc = KIOSK_EPARSE;
	} else if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > KIOSK_CHANGES_PAGE) {
		snprintf(why, wlen, "changes is not an array of at most %d", KIOSK_CHANGES_PAGE);
		rc = KIOSK_EPARSE;
	}
	if (rc)
		goto out_json;
	if (has_below(cursor, 0x20)) {
		snprintf(why, wlen, "cursor has a control character");
		rc = KIOSK_EPARSE;
		goto out_json;
	}
	int n = cJSON_GetArraySize(list);
	out->ch = n ? kiosk_calloc((size_t)n, sizeof *out->ch) : NULL;
	out->n = n; /* so a refused page is cleansed whole */
	if (n && !out->ch) {
		rc = KIOSK_ENOMEM;
		goto out_json;
	}
	struct ctx c = {why, wlen, 0};
	const cJSON *e;
	cJSON_ArrayForEach(e, list)
	{
		rc = one(&c, e, k, &out->ch[c.index]);
		if (rc)
			break;
		c.index++;
	}
	if (rc) {
		kiosk_change_page_free(out);
		goto out_json;
	}
	out->more = cJSON_IsTrue(more);
	snprintf(out->cursor, sizeof out->cursor, "%s", cursor);
out_json:
	cJSON_Delete(j);
	return rc;
}

void kiosk_change_page_free(struct kiosk_change_page *p)
{
	if (p->ch) {
		for (int i = 0; i < p->n; i++)
			kiosk_cleanse(&p->ch[i], sizeof p->ch[i]); /* PIN hashes */
		kiosk_free(p->ch);
	}
	memset(p, 0, sizeof *p);
}
