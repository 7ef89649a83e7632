// Marketing's dashboard: the programme overview (enrolments, points moved, active members,
// members by tier) and members' sales for a range of days, each chart with its numbers.

import { call } from "./api.js";
import { bars, channelName, csvLink, figure, moneyBars, rangeForm, rangeOf, rangeText, reportPath, sum, totalsBy } from "./analytics-view.js";
import { barChart } from "./chart.js";
import { card, el, facts, hint } from "./dom.js";
import { t } from "./i18n.js";
import { may } from "./shell.js";

const PAGE = "dashboard";

export function overviewCards(overview, params, prefix) {
  const points = ["issued", "redeemed", "expired", "reversed"].map((kind) => [kind, sum(overview.points, kind)]);
  const active = overview.active_members;
  const lastDay = overview.tiers.length ? overview.tiers[overview.tiers.length - 1].day : null;
  const tiers = overview.tiers.filter((row) => row.day === lastDay).map((row) => [row.tier, row.members]);
  const summary = facts([
    [t("analytics.enrolments"), figure("enrolments", sum(overview.enrolments, "members"))],
    ...points.map(([kind, value]) => [t(`analytics.points.${kind}`), figure(`points_${kind}`, value)]),
    [t("analytics.active_30"), figure("active_30", active.last_30_days)],
    [t("analytics.active_90"), figure("active_90", active.last_90_days)],
    [t("analytics.active_365"), figure("active_365", active.last_365_days)],
  ]);
  const activeBars = [[t("analytics.days_30"), active.last_30_days], [t("analytics.days_90"), active.last_90_days], [t("analytics.days_365"), active.last_365_days]];
  return [
    card(t("analytics.overview"), [hint(rangeText(overview.range)), summary], { id: `${prefix}-overview`, wide: true, actions: [csvLink("overview", params, `${prefix}-overview-csv`)] }),
    card(t("analytics.points_title"), [barChart({ id: `${prefix}-points-chart`, title: t("analytics.points_title"), bars: bars(points, (kind) => t(`analytics.points.${kind}`)), valueLabel: t("analytics.points") })], { id: `${prefix}-points` }),
    card(t("analytics.enrolments_by_channel"), [barChart({ id: `${prefix}-enrolments-chart`, title: t("analytics.enrolments_by_channel"), bars: bars(totalsBy(overview.enrolments, "channel", "members"), channelName), valueLabel: t("analytics.members") })], { id: `${prefix}-enrolments` }),
    card(t("analytics.active_title"), [barChart({ id: `${prefix}-active-chart`, title: t("analytics.active_title"), bars: bars(activeBars), valueLabel: t("analytics.members") })], { id: `${prefix}-active` }),
    card(t("analytics.tiers_title"), [tiers.length ? barChart({ id: `${prefix}-tiers-chart`, title: t("analytics.tiers_title"), bars: bars(tiers), valueLabel: t("analytics.members") }) : hint(t("analytics.none"))], { id: `${prefix}-tiers` }),
  ];
}

export function salesCards(sales, params, prefix, grouping) {
  const total = sales.total;
  const summary = facts([
    [t("analytics.orders"), figure("orders", total.orders)],
    [t("analytics.gross"), figure("gross", total.gross, "money", sales.currency)],
    [t("analytics.returned"), figure("returned", total.returned, "money", sales.currency)],
    [t("analytics.net"), figure("net", total.net, "money", sales.currency)],
  ]);
  const key = grouping === "store" ? "store_id" : grouping;
  const rows = sales[`by_${grouping}`];
  const label = grouping === "channel" ? (row) => ({ ...row, channel: channelName(row.channel) }) : (row) => row;
  const chart = rows.length
    ? barChart({ id: `${prefix}-sales-chart`, title: t(`analytics.sales_by_${grouping}`), bars: moneyBars(rows.map(label), key, sales.currency), valueLabel: t("analytics.net") })
    : hint(t("analytics.none"));
  return [
    card(t("analytics.sales"), [hint(rangeText(sales.range)), summary], { id: `${prefix}-sales`, actions: [csvLink("sales", params, `${prefix}-sales-csv`)] }),
    card(t(`analytics.sales_by_${grouping}`), [chart], { id: `${prefix}-sales-by` }),
  ];
}

export async function render(view, { args }) {
  const range = rangeOf(args);
  view.append(el("h1", { className: "page-title", text: t("nav.dashboard") }));
  const overview = await call(reportPath("overview", range));
  const shown = { from: overview.range.from, to: overview.range.to };
  const sales = may("GET", "/v1/admin/analytics/sales") ? await call(reportPath("sales", shown)) : null;
  view.append(rangeForm(PAGE, shown));
  const cards = overviewCards(overview, shown, PAGE);
  if (sales) cards.push(...salesCards(sales, shown, PAGE, "channel"));
  view.append(el("div", { className: "grid" }, cards));
}
