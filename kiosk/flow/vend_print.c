/* The purchase's receipt on paper (KIOSK_CMD_PRINT_VEND), offered once the order has ended
 * and only while the printer can print: what was bought, for how much, how it was paid,
 * the change; or, when nothing fell or money is still owed, a voucher with the reference
 * and the sum, and the QR code staff scan — the same one the screen shows. Printing never
 * holds the sale up: the order is settled whatever the printer does. */
#include "kiosk/flow/vend_int.h"
#include "kiosk/receipt.h"
#include "hal/base/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void money(int64_t fen, char *out, size_t n)
{
	snprintf(out, n, "¥%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
}

static const char *paid_by(const char *method)
{
	return strcmp(method, "qr") == 0      ? "扫码 QR"
	       : strcmp(method, "mdb") == 0   ? "刷卡 Card"
	       : strcmp(method, "cash") == 0  ? "现金 Cash"
	       : strcmp(method, "board") == 0 ? "售货机 At the machine"
					      : method;
}

/* The item's names, as the planogram has them. */
static void item_name(struct kiosk_fctx *x, const char *slot, char *out, size_t n)
{
	static struct kiosk_vend_item items[64]; /* core thread only */
	int k = 0;
	snprintf(out, n, "%s", slot);
	if (kiosk_vend_items(x->p->store, items, 64, &k) != KIOSK_OK)
		return;
	for (int i = 0; i < k; i++)
		if (strcmp(items[i].slot, slot) == 0)
			snprintf(out, n, "%.40s %.40s", items[i].name_zh, items[i].name_en);
}

int vend_print(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
	       struct kiosk_result *res)
{
	(void)cmd, (void)res;
	const struct vend *s = S(x);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION || !s->order[0] ||
	    (s->phase != KIOSK_VEND_DONE && s->phase != KIOSK_VEND_FAILED &&
	     s->phase != KIOSK_VEND_RETURNED && s->phase != KIOSK_VEND_UNKNOWN))
		return KIOSK_ESTATE; /* a receipt is for an order that has ended */
	struct kiosk_order o;
	int rc = kiosk_vend_get(x->p->store, s->order, &o);
	if (rc)
		return rc;
	struct kiosk_receipt r = {0};
	char name[96], m[48], line[128], ref[9];
	for (int i = 0; i < 8; i++)
		ref[i] = (char)toupper((unsigned char)s->order[i]);
	ref[8] = '\0';
	bool owes = s->owed_fen > 0;
	bool bought = s->phase == KIOSK_VEND_DONE;
	snprintf(r.title, sizeof r.title, "%s", owes ? "欠款凭证" : bought ? "购物小票" : "退款凭证");
	snprintf(r.title_en, sizeof r.title_en, "%s",
		 owes ? "Money owed to you" : bought ? "Receipt" : "Refund");
	snprintf(r.big, sizeof r.big, "%s", ref);
	item_name(x, o.slot, name, sizeof name);
	snprintf(line, sizeof line, "商品 Item: %.90s", name);
	kiosk_receipt_add(&r, line);
	money(o.price_fen, m, sizeof m);
	snprintf(line, sizeof line, "价格 Price: %s", m);
	kiosk_receipt_add(&r, line);
	if (o.method[0]) {
		snprintf(line, sizeof line, "付款 Paid by: %s", paid_by(o.method));
		kiosk_receipt_add(&r, line);
	}
	if (o.cash_fen > 0) {
		money(o.cash_fen, m, sizeof m);
		snprintf(line, sizeof line, "投入 Put in: %s", m);
		kiosk_receipt_add(&r, line);
	}
	if (s->back_fen > 0) {
		money(s->back_fen, m, sizeof m);
		snprintf(line, sizeof line, "%s: %s", bought ? "找零 Change" : "已退 Given back", m);
		kiosk_receipt_add(&r, line);
	}
	if (!bought)
		kiosk_receipt_add(&r, s->phase == KIOSK_VEND_UNKNOWN
					      ? "出货待核实 Being checked: not charged twice"
					      : "未出货 Not dispensed: the money goes back");
	if (owes) {
		money(s->owed_fen, m, sizeof m);
		snprintf(line, sizeof line, "待退 Still owed: %s", m);
		kiosk_receipt_add(&r, line);
		snprintf(r.qr, sizeof r.qr, "KIOSK-OWED:%s:%lld", ref, (long long)s->owed_fen);
		snprintf(r.foot, sizeof r.foot, "请凭此单找工作人员退款 Show this to staff");
	} else {
		snprintf(r.qr, sizeof r.qr, "KIOSK-ORDER:%s", ref);
		snprintf(r.foot, sizeof r.foot, "请保留小票 Please keep this receipt");
	}
	return x->p->print(x, rq, KIOSK_CMD_PRINT_VEND, &r);
}
