/* Events that are only news for the platform: help calls and feedback. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static int event_only(struct kiosk_store *st, const char *action, const char *type, cJSON *d)
{
	int rc = st_begin(st);
	if (rc == KIOSK_OK)
		rc = st_record(st, "resident", action, type, NULL, type, d);
	cJSON_Delete(d);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

static bool known_problem(const char *p)
{
	char want[32];
	if (!p[0])
		return true;
	snprintf(want, sizeof want, "|%s|", p);
	return strlen(p) < 24 && strstr(KIOSK_PROBLEMS, want) != NULL;
}

/* An optional id: empty, or as st_valid_id says. */
static bool id_or_none(const char *s, size_t max)
{
	return !s[0] || st_valid_id(s, max);
}

bool kiosk_help_about_ok(const char *lang, const struct kiosk_help_about *a)
{
	if (!lang || (strcmp(lang, "zh") && strcmp(lang, "en")))
		return false;
	return !(a && (!id_or_none(a->where, sizeof a->where) || !known_problem(a->problem) ||
		  !id_or_none(a->compartment, sizeof a->compartment) ||
		  !id_or_none(a->parcel, sizeof a->parcel) || !id_or_none(a->order, sizeof a->order) ||
		  (!a->where[0] && a->problem[0])));
}

int kiosk_event_help_about(struct kiosk_store *st, const char *lang, bool elderly,
			   const struct kiosk_help_about *a)
{
	if (!kiosk_help_about_ok(lang, a))
		return KIOSK_EINVAL;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "lang", lang);
	cJSON_AddBoolToObject(d, "elderly_mode", elderly);
	if (a && a->where[0]) {
		cJSON *c = cJSON_AddObjectToObject(d, "context");
		const char *const f[][2] = {{"where", a->where},	     {"problem", a->problem},
					    {"compartment", a->compartment}, {"parcel", a->parcel},
					    {"order", a->order}};
		for (size_t i = 0; c && i < sizeof f / sizeof f[0]; i++)
			if (f[i][1][0])
				cJSON_AddStringToObject(c, f[i][0], f[i][1]);
	}
	return event_only(st, "help", "help.requested", d);
}

int kiosk_event_help(struct kiosk_store *st, const char *lang, bool elderly)
{
	return kiosk_event_help_about(st, lang, elderly, NULL);
}

int kiosk_event_feedback(struct kiosk_store *st, const char *context, int stars,
			 const char *comment)
{
	if (!st_valid_id(context, 64) || stars < 1 || stars > 5 || (comment && strlen(comment) > 500))
		return KIOSK_EINVAL;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "context", context);
	cJSON_AddNumberToObject(d, "stars", stars);
	cJSON_AddStringToObject(d, "comment", comment ? comment : "");
	return event_only(st, "feedback", "feedback.rating", d);
}

int kiosk_event_service_request(struct kiosk_store *st, const char *category, const char *text)
{
	if (!st_valid_id(category, 32) || (text && strlen(text) > 500))
		return KIOSK_EINVAL;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "category", category);
	cJSON_AddStringToObject(d, "text", text ? text : "");
	return event_only(st, "service_request", "feedback.service_request", d);
}

int kiosk_event_device_fault(struct kiosk_store *st, const char *device, const char *fault,
			     const char *why)
{
	if (!st_valid_id(device, 32) || !st_valid_id(fault, 32) || (why && strlen(why) > 200))
		return KIOSK_EINVAL;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "device", device);
	cJSON_AddStringToObject(d, "fault", fault);
	if (why && why[0])
		cJSON_AddStringToObject(d, "reason", why);
	return event_only(st, "device_fault", "device.fault", d);
}
