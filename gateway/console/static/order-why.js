// Why an order earned what it did: the campaigns that applied and, for every other active
// purchase campaign, why it did not (GET /v1/admin/orders/{order_id}, kept with the order
// when it was credited).

import { call } from "./api.js";
import { clear, el, hint, table } from "./dom.js";
import { formatPoints, t } from "./i18n.js";

function skipText(skipped) {
  const text = t(`skip.${skipped.reason}`);
  if (text === `skip.${skipped.reason}`) return skipped.reason_text;
  return skipped.excluded_by ? `${text} (${skipped.excluded_by})` : text;
}

function render(order) {
  const parts = [el("h3", { text: t("why.title", { order: order.order_id }) })];
  if (order.bonus_pending) parts.push(hint(t("why.pending")));
  parts.push(el("h4", { text: t("why.applied") }));
  parts.push(table(
    [[t("why.campaign"), (a) => a.campaign_id, "mono"], [t("why.version"), (a) => a.campaign_version, "num"], [t("ledger.points"), (a) => formatPoints(a.points), "num"]],
    order.applied,
    { empty: t("why.none_applied"), caption: t("why.applied") },
  ));
  parts.push(el("h4", { text: t("why.skipped") }));
  parts.push(table(
    [[t("why.campaign"), (s) => s.campaign_id, "mono"], [t("why.version"), (s) => s.campaign_version, "num"], [t("why.reason"), skipText]],
    order.skipped,
    { empty: order.bonus_pending ? t("why.pending_skips") : t("why.none_skipped"), caption: t("why.skipped") },
  ));
  return parts;
}

export async function showWhy(orderId, region) {
  clear(region);
  region.append(hint(t("why.loading")));
  try {
    const order = await call(`/v1/admin/orders/${encodeURIComponent(orderId)}`);
    region.replaceChildren(...render(order));
  } catch (error) {
    region.replaceChildren(el("p", { className: "banner banner-error", text: error.detail || error.code }));
  }
  region.focus();
}
