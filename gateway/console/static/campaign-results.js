// A campaign's results: members reached, points granted, budget left, and for a holdout
// the orders and spend of targeted against held-out members with the uplift's interval.

import { barChart } from "./chart.js";
import { card, facts, hint } from "./dom.js";
import { formatMoney, formatNumber, formatPoints, t } from "./i18n.js";

function holdoutChart(holdout) {
  const bars = [
    { label: t("results.targeted"), value: Number(holdout.targeted.spend_per_member), display: formatMoney(holdout.targeted.spend_per_member) },
    { label: t("results.held_out"), value: Number(holdout.held_out.spend_per_member), display: formatMoney(holdout.held_out.spend_per_member), tone: "muted" },
  ];
  return barChart({ id: "holdout-chart", title: t("results.spend_per_member"), bars, valueLabel: t("results.spend_per_member") });
}

export function renderResults(c) {
  const r = c.results;
  const budgetLeft = r.budget_left === null || r.budget_left === undefined ? t("campaign.unlimited") : formatPoints(r.budget_left);
  const children = [facts([
    [t("results.members_reached"), formatPoints(r.members_reached)],
    [t("results.points_granted"), formatPoints(r.points_granted)],
    [t("results.budget_left"), budgetLeft],
    [t("results.points_reserved"), formatPoints(r.points_reserved)],
  ])];
  if (c.budget) {
    const used = c.budget.points - (r.budget_left ?? c.budget.points);
    children.push(barChart({
      id: "budget-chart",
      title: t("results.budget_burn"),
      valueLabel: t("ledger.points"),
      bars: [
        { label: t("backtest.budget_used"), value: used, display: formatPoints(used), tone: "warn" },
        { label: t("backtest.budget_left"), value: r.budget_left ?? 0, display: formatPoints(r.budget_left ?? 0), tone: "muted" },
      ],
    }));
  }
  const h = r.holdout;
  if (h && h.targeted.orders + h.held_out.orders === 0) children.push(hint(t("results.no_orders_yet")));
  else if (h) {
    children.push(holdoutChart(h), facts([
      [t("results.orders_targeted"), formatNumber(h.targeted.orders)],
      [t("results.orders_held_out"), formatNumber(h.held_out.orders)],
      [t("results.uplift"), h.uplift === null ? "—" : formatMoney(h.uplift)],
      [t("results.interval"), h.uplift_low === null ? "—" : `${formatMoney(h.uplift_low)} … ${formatMoney(h.uplift_high)}`],
    ]));
  } else children.push(hint(t("results.no_holdout")));
  return card(t("campaign.results"), children, { id: "campaign-results" });
}
