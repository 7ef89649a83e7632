// A member's orders (with their returns) and redemptions as the points service keeps them,
// newest first, a page at a time (GET /v1/admin/members/{id}/orders and /redemptions), and
// the campaigns that rewarded them (from the ledger: each campaign entry names its campaign).

import { call } from "./api.js";
import { button, card, el, table } from "./dom.js";
import { formatMoney, formatPoints, formatTime, t, timeElement } from "./i18n.js";
import { showWhy } from "./order-why.js";
import { may } from "./shell.js";

const ORDERS = "/v1/admin/members/{member_id}/orders";
const REDEMPTIONS = "/v1/admin/members/{member_id}/redemptions";
const PAGE = 10;

function where(record) {
  return [record.channel ? t(`channel.${record.channel}`) : "", record.store_id || ""].filter(Boolean).join(" · ");
}

function returnsText(order) {
  if (!order.returns.length) return "—";
  const ids = order.returns.map((r) => r.return_id).join(", ");
  return `${formatPoints(-order.points_reversed, { signed: true })} (${ids})`;
}

// A list read page by page: the first page now, "Show more" adds the next one's rows.
async function pagedCard({ title, id, path, key, columns, caption, after }) {
  const read = (cursor) => call(`${path}?${new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) })}`);
  const first = await read("");
  const list = table(columns, first[key], { caption });
  const empty = el("p", { className: "hint", text: t("common.none") });
  empty.hidden = first[key].length > 0;
  let cursor = first.next_cursor || "";
  const more = button(t("activity.more"), async () => {
    more.disabled = true;
    const page = await read(cursor);
    list.querySelector("tbody").append(...table(columns, page[key]).querySelector("tbody").children);
    cursor = page.next_cursor || "";
    more.hidden = !cursor;
    more.disabled = false;
  }, { quiet: true, id: `${id}-more` });
  more.hidden = !cursor;
  return card(title, [list, empty, el("div", { className: "actions" }, [more]), after], { id, wide: true });
}

// What the order paid, in its own currency; converted, also what it came to in the base
// currency and the rate used.
function totalOf(order) {
  const paid = formatMoney(order.total, order.currency);
  const c = order.conversion;
  if (!c) return paid;
  const converted = t("member.order_converted", { amount: formatMoney(c.base_total, c.base_currency), rate: c.rate, since: formatTime(c.rate_valid_from) });
  return el("span", {}, [el("span", { text: paid }), el("br"), el("span", { className: "hint order-converted", text: converted })]);
}

function ordersCard(memberId) {
  const why = el("div", { className: "order-why", attrs: { id: "order-why", tabindex: "-1", "aria-live": "polite" } });
  const columns = [
    [t("ledger.order"), (o) => o.order_id, "mono"],
    [t("ledger.when"), (o) => timeElement(o.occurred_at || o.credited_at)],
    [t("activity.where"), where],
    [t("activity.total"), totalOf, "num"],
    [t("activity.earned"), (o) => formatPoints(o.points_earned), "num"],
    [t("activity.returned"), returnsText, "num"],
  ];
  if (may("GET", "/v1/admin/orders/{order_id}")) {
    columns.push([t("why.column"), (o) => button(t("why.button"), () => showWhy(o.order_id, why), { quiet: true })]);
  }
  const path = `/v1/admin/members/${encodeURIComponent(memberId)}/orders`;
  return pagedCard({ title: t("activity.orders"), id: "orders-panel", path, key: "orders", columns, caption: t("activity.orders"), after: why });
}

function redemptionsCard(memberId) {
  const columns = [
    [t("activity.redemption"), (r) => r.redemption_id, "mono"],
    [t("activity.status"), (r) => t(`redemption.status.${r.status}`)],
    [t("ledger.points"), (r) => formatPoints(r.points), "num"],
    [t("activity.where"), where],
    [t("ledger.order"), (r) => r.order_id, "mono"],
    [t("ledger.when"), (r) => timeElement(r.created_at)],
    [t("activity.expires"), (r) => (r.status === "held" ? timeElement(r.expires_at) : "—")],
  ];
  const path = `/v1/admin/members/${encodeURIComponent(memberId)}/redemptions`;
  return pagedCard({ title: t("activity.redemptions"), id: "redemptions-panel", path, key: "redemptions", columns, caption: t("activity.redemptions") });
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

export function campaignsCard(ledger) {
  if (!ledger || ledger.error) return null;
  return card(t("activity.campaigns"), [table(
    [[t("campaign.name"), (c) => c.reason], [t("activity.times"), (c) => c.times, "num"], [t("ledger.points"), (c) => formatPoints(c.points), "num"]],
    campaigns(ledger.entries),
    { empty: t("common.none") },
  )], { id: "member-campaigns-panel" });
}

// The lists' cards, once their first pages are read; a list the role may not read is
// left out. Asked at once, so the page waits for them alongside its other reads.
export async function activityLists(memberId) {
  const lists = [];
  if (may("GET", ORDERS)) lists.push(ordersCard(memberId));
  if (may("GET", REDEMPTIONS)) lists.push(redemptionsCard(memberId));
  const made = await Promise.allSettled(lists);
  return made.map((m) => (m.status === "fulfilled" ? m.value : card(t("error.title"), [el("p", { className: "hint", text: m.reason?.detail || String(m.reason) })])));
}
