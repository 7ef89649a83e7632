// The campaign league table: per campaign that rewarded members with points in a range of
// days, the members reached, its rewards, their points and their cost at the point value,
// and for a campaign with a holdout its members' spend against the held-out ones (the
// uplift per member with its interval, the incremental sales, the cost per unit of them;
// a campaign for a segment whose members could not be read says so instead);
// points by campaign as a chart (its numbers beside it) and the table, sorted by the
// figure chosen. Route: #/league/<from>/<to>/<sort>.

import { call } from "./api.js";
import { bars, csvLink, figure, rangeForm, rangeOf, rangeText, reportPath, scrollable } from "./analytics-view.js";
import { barChart } from "./chart.js";
import { card, el, field, hint, table } from "./dom.js";
import { formatMoney, t } from "./i18n.js";

const PAGE = "league";
const SORTS = ["points", "reached", "grants", "cost", "campaign_id"];

function sortField(chosen) {
  const select = el("select", {}, SORTS.map((s) => el("option", { text: t(`league.sort.${s}`), attrs: { value: s, selected: s === chosen ? "" : null } })));
  return [field(t("league.sort"), select, { id: "league-sort" }), select];
}

const triggerName = (trigger) => (trigger ? t(`campaign.trigger.${trigger}`) : "—");

function uplift(c, currency) {
  if (c.holdout_unavailable === "segment_unavailable") return t("league.holdout_unavailable.segment_unavailable");
  return c.holdout?.uplift ? figure(`uplift_${c.campaign_id}`, c.holdout.uplift, "money", currency) : null;
}

function interval(h, currency) {
  if (!h || h.uplift === null) return null;
  return t("league.interval", { low: formatMoney(h.uplift_low, currency), high: formatMoney(h.uplift_high, currency) });
}

export async function render(view, { args }) {
  view.append(el("h1", { className: "page-title", text: t("nav.league") }));
  const sort = SORTS.includes(args[2]) ? args[2] : "points";
  const report = await call(reportPath("campaigns", { ...rangeOf(args), sort }));
  const shown = { from: report.range.from, to: report.range.to };
  const [sortInput, select] = sortField(sort);
  const rows = report.campaigns;
  const id = (c) => c.campaign_id;
  const campaigns = scrollable(table(
    [
      [t("league.campaign"), id],
      [t("campaign.trigger"), (c) => triggerName(c.trigger)],
      [t("league.reached"), (c) => figure(`reached_${id(c)}`, c.reached), "num"],
      [t("league.grants"), (c) => figure(`grants_${id(c)}`, c.grants), "num"],
      [t("league.points"), (c) => figure(`points_${id(c)}`, c.points), "num"],
      [t("league.cost"), (c) => figure(`cost_${id(c)}`, c.cost, c.cost === null ? "number" : "money", report.currency), "num"],
      [t("league.uplift"), (c) => uplift(c, report.currency), "num"],
      [t("league.uplift_interval"), (c) => interval(c.holdout, report.currency)],
      [t("league.incremental"), (c) => (c.holdout?.incremental_sales ? figure(`incremental_${id(c)}`, c.holdout.incremental_sales, "money", report.currency) : null), "num"],
      [t("league.cost_per_incremental"), (c) => c.holdout?.cost_per_incremental_sale ?? null, "num"],
    ],
    rows,
    { caption: t("league.table"), empty: t("analytics.none") },
  ), t("league.table"));
  view.append(
    rangeForm(PAGE, shown, { fields: [sortInput], args: () => [select.value] }),
    el("div", { className: "grid" }, [
      card(t("league.table"), [hint(rangeText(report.range)), hint(t("league.hint")), campaigns], { id: "league-table", wide: true, actions: [csvLink("campaigns", { ...shown, sort }, "league-csv")] }),
      card(t("league.by_points"), [barChart({ id: "league-chart", title: t("league.by_points"), bars: bars(rows.map((c) => [id(c), c.points])), valueLabel: t("league.points") })], { id: "league-points" }),
    ]),
  );
}
