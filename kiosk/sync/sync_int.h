/* Inside the platform link: what call.c shares with sync.c. */
#ifndef KIOSK_SYNC_INT_H
#define KIOSK_SYNC_INT_H

#include "kiosk/sync/http.h"
#include "kiosk/sync/sync.h"

struct kiosk_sync_calls;

/* A 401's Date: learns the server clock's offset (kept in the store); true when it
 * changed, so a re-signed retry may pass. */
bool kiosk_sync_learn_clock(struct kiosk_sync *s, int64_t date_s);
struct kiosk_http *kiosk_sync_http(struct kiosk_sync *s);
/* The platform answered: the link is online, the backoff forgotten. */
void kiosk_sync_answered(struct kiosk_sync *s);
/* Where the link keeps its calls (allocated by the first call, freed on close). */
struct kiosk_sync_calls **kiosk_sync_calls_slot(struct kiosk_sync *s);
void kiosk_sync_calls_free(struct kiosk_sync_calls *calls);

#endif
