// A campaign's results: members reached, points granted, budget left, and for a holdout
// the orders and spend of targeted against held-out members with the uplift's interval
// (from the analytics read model; when it cannot be had, why not);
// day by day as charts over time, each with its numbers as a table.

import { barChart } from "./chart.js";
import { dayChart } from "./chart-days.js";
import { card, facts, hint } from "./dom.js";
import { formatMoney, formatNumber, formatPoints, t } from "./i18n.js";

export const DAILY = "/v1/admin/campaigns/{campaign_id}/results/daily";

function holdoutChart(holdout) {
  const bars = [
    { label: t("results.targeted"), value: Number(holdout.targeted.spend_per_member), display: formatMoney(holdout.targeted.spend_per_member) },
    { label: t("results.held_out"), value: Number(holdout.held_out.spend_per_member), display: formatMoney(holdout.held_out.spend_per_member), tone: "muted" },
  ];
  return barChart({ id: "holdout-chart", title: t("results.spend_per_member"), bars, valueLabel: t("results.spend_per_member") });
}

function running(values) {
  let sum = 0;
  return values.map((value) => (sum += value));
}

// The charts over time: one per figure, the held-out group beside the targeted where the
// campaign holds members out. The groups come from the analytics read model: when it could
// not answer (the days' `targeted` null, the reason shown with the results) their charts
// are left out.
function dailyCharts(c, days) {
  const dates = days.map((d) => d.date);
  const common = { days: dates, dateLabel: t("results.date") };
  const points = (v) => formatPoints(v);
  const money = (v) => formatMoney(v);
  const bought = days.every((d) => d.targeted);
  const holdout = bought && days.some((d) => d.held_out);
  const groups = (pick, display, kind) => [
    { label: t("results.targeted"), values: days.map((d) => pick(d.targeted)), display, kind },
    ...(holdout ? [{ label: t("results.held_out"), values: days.map((d) => pick(d.held_out)), display, tone: "muted", kind }] : []),
  ];
  const charts = [
    dayChart({ ...common, id: "results-members-chart", title: t("results.members_over_time"), series: [
      { label: t("results.members_new"), values: days.map((d) => d.members_reached), display: points },
      { label: t("results.members_total"), values: running(days.map((d) => d.members_reached)), display: points, kind: "line", tone: "warn" },
    ] }),
    dayChart({ ...common, id: "results-points-chart", title: t("results.points_per_day"), series: [
      { label: t("results.points_granted"), values: days.map((d) => d.points_granted), display: points },
    ] }),
  ];
  if (c.budget) {
    charts.push(dayChart({ ...common, id: "results-budget-chart", title: t("results.budget_over_time"), series: [
      { label: t("results.budget_left"), values: days.map((d) => d.budget_left ?? 0), display: points, kind: "line", tone: "warn" },
    ] }));
  }
  if (bought) {
    charts.push(
      dayChart({ ...common, id: "results-orders-chart", title: t("results.orders_per_day"), series: groups((g) => g.orders, (v) => formatNumber(v)) }),
      dayChart({ ...common, id: "results-spend-chart", title: t("results.spend_per_day"), series: groups((g) => Number(g.spend), money, "line") }),
    );
  }
  if (holdout) {
    // Spend so far, and the uplift in spend per member with its interval as of each day.
    const soFar = (pick) => running(days.map((d) => Number(pick(d)?.spend || 0)));
    charts.push(dayChart({ ...common, id: "results-cumulative-spend-chart", title: t("results.spend_so_far"), series: [
      { label: t("results.targeted"), values: soFar((d) => d.targeted), display: money, kind: "line" },
      { label: t("results.held_out"), values: soFar((d) => d.held_out), display: money, kind: "line", tone: "muted" },
    ] }));
    const amount = (value) => (value === null || value === undefined ? null : Number(value));
    const shown = (value) => (value === null || value === undefined ? "—" : formatMoney(value));
    charts.push(dayChart({ ...common, id: "results-uplift-chart", title: t("results.uplift_over_time"), signed: true, series: [
      { label: t("results.uplift"), values: days.map((d) => amount(d.uplift)), display: shown, kind: "line" },
      { label: t("results.interval_low"), values: days.map((d) => amount(d.uplift_low)), display: shown, kind: "line", tone: "muted" },
      { label: t("results.interval_high"), values: days.map((d) => amount(d.uplift_high)), display: shown, kind: "line", tone: "warn" },
    ] }), hint(t("results.uplift_over_time_hint")));
  }
  return charts;
}

export function renderResults(c, days) {
  const r = c.results;
  const budgetLeft = r.budget_left === null || r.budget_left === undefined ? t("campaign.unlimited") : formatPoints(r.budget_left);
  const children = [facts([
    [t("results.members_reached"), formatPoints(r.members_reached)],
    [t("results.points_granted"), formatPoints(r.points_granted)],
    [t("results.budget_left"), budgetLeft],
    [t("results.points_reserved"), formatPoints(r.points_reserved)],
  ])];
  const h = r.holdout;
  if (h && h.targeted.orders + h.held_out.orders === 0) children.push(hint(t("results.no_orders_yet")));
  else if (h) {
    children.push(holdoutChart(h), facts([
      [t("results.orders_targeted"), formatNumber(h.targeted.orders)],
      [t("results.orders_held_out"), formatNumber(h.held_out.orders)],
      [t("results.uplift"), h.uplift === null ? "—" : formatMoney(h.uplift)],
      [t("results.interval"), h.uplift_low === null ? "—" : `${formatMoney(h.uplift_low)} … ${formatMoney(h.uplift_high)}`],
    ]));
  } else if (r.holdout_unavailable) children.push(hint(t(`results.holdout_unavailable.${r.holdout_unavailable}`)));
  else children.push(hint(t("results.no_holdout")));
  if (days?.length) children.push(...dailyCharts(c, days));
  return card(t("campaign.results"), children, { id: "campaign-results", wide: true });
}
