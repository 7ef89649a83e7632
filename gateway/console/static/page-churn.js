// Churn risk: the members whose gap since their last purchase is well beyond their own
// usual interval, as of a day (today by default): how many were assessed and are at risk,
// at risk by tier as a chart (its numbers beside it) and by store, the members at risk a
// page at a time, each with its score and its reasons; and win-back after inactivity
// campaigns. Route: #/churn/<day>/<cursor>.

import { call } from "./api.js";
import { bars, csvLink, figure, reportPath, scrollable } from "./analytics-view.js";
import { barChart } from "./chart.js";
import { card, el, facts, field, hint, table } from "./dom.js";
import { formatDate, formatNumber, t } from "./i18n.js";
import { go } from "./shell.js";

const PAGE = "churn";
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LIMIT = 50;

function dayForm(day) {
  const input = el("input", { attrs: { type: "date", value: day, required: true } });
  const form = el("form", { className: "form-grid analytics-range", attrs: { id: "churn-range", novalidate: true } }, [
    field(t("churn.as_of"), input, { id: "churn-to" }),
    el("div", { className: "actions" }, [el("button", { className: "button", text: t("analytics.show"), attrs: { type: "submit", id: "churn-show" } })]),
  ]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (DAY.test(input.value)) go(PAGE, input.value);
  });
  return form;
}

const reasonsOf = (m) => m.reasons.map((code) => t(`churn.reason.${code}`)).join("; ");

function membersTable(report) {
  return scrollable(table(
    [
      [t("churn.member"), (m) => m.member_id || t("churn.erased_member")],
      [t("member.tier"), (m) => m.tier],
      [t("analytics.store"), (m) => m.store_id],
      [t("churn.last_purchase"), (m) => formatDate(m.last_purchase)],
      [t("churn.gap"), (m) => formatNumber(m.gap_days), "num"],
      [t("churn.usual"), (m) => formatNumber(m.usual_interval_days), "num"],
      [t("churn.score"), (m) => figure(`score_${m.member_id || "erased"}`, m.score), "num"],
      [t("churn.reasons"), reasonsOf],
    ],
    report.members,
    { caption: t("churn.members"), empty: t("churn.none") },
  ), t("churn.members"));
}

function countsTable(rows, label, caption) {
  return scrollable(table(
    [[label, (c) => c.key || "—"], [t("analytics.members"), (c) => figure(`${caption}_${c.key}`, c.members), "num"]],
    rows,
    { caption: t(`churn.${caption}`), empty: t("analytics.none") },
  ), t(`churn.${caption}`));
}

function winBackTable(report) {
  return scrollable(table(
    [
      [t("churn.campaign"), (w) => w.campaign_id],
      [t("churn.rewarded"), (w) => figure(`rewarded_${w.campaign_id}`, w.rewarded), "num"],
      [t("churn.won_back"), (w) => figure(`won_back_${w.campaign_id}`, w.won_back), "num"],
      [t("churn.waiting"), (w) => figure(`waiting_${w.campaign_id}`, w.waiting), "num"],
    ],
    report.win_back,
    { caption: t("churn.win_back"), empty: t("churn.no_win_back") },
  ), t("churn.win_back"));
}

export async function render(view, { args }) {
  view.append(el("h1", { className: "page-title", text: t("nav.churn") }));
  const [asked, cursor] = args;
  const params = { to: DAY.test(asked || "") ? asked : "", cursor: cursor || "", limit: String(LIMIT) };
  const report = await call(reportPath("churn", params));
  const tiers = bars(report.by_tier.map((c) => [c.key, c.members]));
  const more = report.next_cursor
    ? el("button", { className: "button button-quiet", text: t("churn.next"), attrs: { type: "button", id: "churn-next" } })
    : null;
  more?.addEventListener("click", () => go(PAGE, report.as_of, report.next_cursor));
  view.append(
    dayForm(report.as_of),
    el("div", { className: "grid" }, [
      card(t("churn.summary"), [
        hint(t("churn.hint")),
        facts([
          [t("churn.as_of"), formatDate(report.as_of)],
          [t("churn.assessed"), figure("assessed", report.assessed)],
          [t("churn.at_risk"), figure("at_risk", report.at_risk)],
          [t("churn.erased"), figure("erased", report.erased)],
        ]),
      ], { id: "churn-summary", actions: [csvLink("churn", { to: report.as_of, limit: "200" }, "churn-csv")] }),
      card(t("churn.by_tier"), [barChart({ id: "churn-chart", title: t("churn.by_tier"), bars: tiers, valueLabel: t("analytics.members") })], { id: "churn-tiers" }),
      card(t("churn.by_store"), [countsTable(report.by_store, t("analytics.store"), "by_store")], { id: "churn-stores" }),
      card(t("churn.members"), [membersTable(report), more], { id: "churn-members", wide: true }),
      card(t("churn.win_back"), [hint(t("churn.win_back_hint", { days: report.win_back_days })), winBackTable(report)], { id: "churn-win-back", wide: true }),
    ]),
  );
}
