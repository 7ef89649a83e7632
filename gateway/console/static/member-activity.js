// A member's orders and returns, redemptions and the campaigns that rewarded them, as the
// ledger tells it (each movement names its order, return, redemption or campaign): the
// API lists no member's orders, so this is what the points show of them.

import { button, card, el, table } from "./dom.js";
import { formatPoints, t, timeElement } from "./i18n.js";
import { showWhy } from "./order-why.js";
import { may } from "./shell.js";

const ORDER_TYPES = { earn: "earned", bonus: "bonus", reverse: "reversed" };

function orders(entries) {
  const byOrder = new Map();
  for (const entry of entries) {
    if (!entry.order_id || !(entry.type in ORDER_TYPES)) continue;
    const row = byOrder.get(entry.order_id) || { order_id: entry.order_id, at: entry.created_at, earned: 0, bonus: 0, reversed: 0, returns: new Set() };
    row[ORDER_TYPES[entry.type]] += entry.points;
    if (entry.return_id) row.returns.add(entry.return_id);
    if (entry.created_at < row.at) row.at = entry.created_at;
    byOrder.set(entry.order_id, row);
  }
  return [...byOrder.values()];
}

function campaigns(entries) {
  const byReason = new Map();
  for (const entry of entries.filter((e) => e.campaign_id)) {
    const row = byReason.get(entry.campaign_id) || { campaign_id: entry.campaign_id, reason: entry.reason, points: 0, times: 0 };
    row.points += entry.points;
    row.times += 1;
    byReason.set(entry.campaign_id, row);
  }
  return [...byReason.values()];
}

export function activityCards(ledger) {
  if (!ledger || ledger.error) return [];
  const entries = ledger.entries;
  const redemptions = entries.filter((e) => e.redemption_id);
  const why = el("div", { className: "order-why", attrs: { id: "order-why", tabindex: "-1", "aria-live": "polite" } });
  const columns = [
    [t("ledger.order"), (o) => o.order_id, "mono"],
    [t("ledger.when"), (o) => timeElement(o.at)],
    [t("activity.earned"), (o) => formatPoints(o.earned), "num"],
    [t("activity.bonus"), (o) => formatPoints(o.bonus), "num"],
    [t("activity.returned"), (o) => (o.returns.size ? `${formatPoints(o.reversed)} (${[...o.returns].join(", ")})` : "—"), "num"],
  ];
  if (may("GET", "/v1/admin/orders/{order_id}")) {
    columns.push([t("why.column"), (o) => button(t("why.button"), () => showWhy(o.order_id, why), { quiet: true })]);
  }
  return [
    card(t("activity.orders"), [table(
      columns,
      orders(entries),
      { empty: t("common.none"), caption: t("activity.orders") },
    ), why], { id: "orders-panel", wide: true }),
    card(t("activity.redemptions"), [table(
      [[t("activity.redemption"), (r) => r.redemption_id, "mono"], [t("ledger.type"), (r) => t(`ledger.type.${r.type}`)], [t("ledger.points"), (r) => formatPoints(r.points, { signed: true }), "num"], [t("ledger.when"), (r) => timeElement(r.created_at)]],
      redemptions,
      { empty: t("common.none") },
    )], { id: "redemptions-panel" }),
    card(t("activity.campaigns"), [table(
      [[t("campaign.name"), (c) => c.reason], [t("activity.times"), (c) => c.times, "num"], [t("ledger.points"), (c) => formatPoints(c.points), "num"]],
      campaigns(entries),
      { empty: t("common.none") },
    )], { id: "member-campaigns-panel" }),
  ];
}
