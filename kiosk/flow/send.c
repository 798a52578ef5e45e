/* 寄件 Send (到付 today): carriers, the send and its door, another door after a jam, the
 * parcel in, or given up. Later steps act only on the send this session started. */
#include "kiosk/core_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

/* The carriers a resident can send with, space-separated into text. */
static int carriers(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd;
	char names[8][32];
	int n = 0, used = 0;
	int rc = kiosk_send_carriers(c->store, names, 8, &n);
	for (int i = 0; rc == KIOSK_OK && i < n; i++) {
		size_t len = strlen(names[i]);
		if ((size_t)used + len + 2 > sizeof res->text)
			break; /* the screen shows as many as fit in one result */
		used += snprintf(res->text + used, sizeof res->text - (size_t)used, "%s%s",
				 used ? " " : "", names[i]);
		res->value++;
	}
	return rc;
}

static int start(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_door door;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	rc = kiosk_send_begin_collect(c->store, cmd->s1, (enum kiosk_size)cmd->arg, res->text,
				      &door);
	if (rc)
		return rc;
	snprintf(c->session.send_parcel, sizeof c->session.send_parcel, "%.36s", res->text);
	return kiosk_core_await_door(c, cmd->req, 0, res, &door, NULL);
}

static bool own_send(const struct kiosk_core *c, const char *parcel)
{
	return c->session.send_parcel[0] && strcmp(parcel, c->session.send_parcel) == 0;
}

static int open_another(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_door door;
	if (!own_send(c, cmd->s1))
		return KIOSK_EDENIED;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	rc = kiosk_send_open(c->store, cmd->s1, &door);
	if (rc)
		return rc;
	return kiosk_core_await_door(c, cmd->req, 0, res, &door, NULL);
}

static int done(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	if (!own_send(c, cmd->s1))
		return KIOSK_EDENIED;
	int rc = kiosk_send_deposited(c->store, cmd->s1);
	if (rc == KIOSK_OK)
		c->session.send_parcel[0] = '\0';
	return rc;
}

static int cancel(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	if (!own_send(c, cmd->s1))
		return KIOSK_EDENIED;
	int rc = kiosk_send_cancel(c->store, cmd->s1);
	if (rc == KIOSK_OK)
		c->session.send_parcel[0] = '\0';
	return rc;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_SEND_CARRIERS, carriers},
	{KIOSK_CMD_SEND_START, start},
	{KIOSK_CMD_SEND_OPEN, open_another},
	{KIOSK_CMD_SEND_DONE, done},
	{KIOSK_CMD_SEND_CANCEL, cancel},
	{0},
};

const struct kiosk_flow kiosk_flow_send = {"send", handlers};
