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

int kiosk_event_help(struct kiosk_store *st, const char *lang, bool elderly)
{
	if (!lang || (strcmp(lang, "zh") && strcmp(lang, "en")))
		return KIOSK_EINVAL;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "lang", lang);
	cJSON_AddBoolToObject(d, "elderly_mode", elderly);
	return event_only(st, "help", "help.requested", d);
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
