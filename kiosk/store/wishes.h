/* The coverage report's side of the store: the residents' wishes at this kiosk (想要的服务:
 * feedback.service_request events) counted by category — the 需求清单 the report weighs its
 * 补什么 list by — and the report sent as the report.coverage event. */
#ifndef KIOSK_STORE_WISHES_H
#define KIOSK_STORE_WISHES_H

#include "kiosk/store/store.h"

#include <cjson/cJSON.h>

#include <stddef.h>
#include <stdint.h>

struct kiosk_wish {
	char category[32];
	long n;
};

/* The wishes made since since_ms, a row a category, most first, at most max into out (the
 * rest left out); *n the rows. Counts the live events: those the archive has taken (past
 * store.retention_days) are not counted. Any connection, a read-only one too. */
int kiosk_wishes_since(struct kiosk_store *st, int64_t since_ms, struct kiosk_wish *out,
		       size_t max, size_t *n);

/* The report (data: kiosk_coverage_json's, borrowed) as the report.coverage event, and its
 * time (now) kept as the last one sent, in one transaction. */
int kiosk_event_coverage(struct kiosk_store *st, const cJSON *data);
/* When the last one was recorded (epoch ms); 0 when never. */
int64_t kiosk_coverage_last_ms(struct kiosk_store *st);

#endif
