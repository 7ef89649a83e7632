// Retention: members by month of enrolment and the share of each cohort that bought in
// each month since (a triangle), with the cohorts' sizes as a chart and its table.

import { call } from "./api.js";
import { csvLink, figure, rangeForm, rangeOf, rangeText, reportPath, scrollable } from "./analytics-view.js";
import { barChart } from "./chart.js";
import { card, el, hint } from "./dom.js";
import { formatNumber, locale, t } from "./i18n.js";

const PAGE = "retention";
const SHADES = 5;

function monthName(month) {
  return new Intl.DateTimeFormat(locale(), { year: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
}

function cell(cohort, month) {
  const name = `rate_${cohort.cohort}_${month.months_after}`;
  if (month.rate === null) return el("td", { className: "num" }, [figure(name, null, "rate")]);
  const shade = Math.min(SHADES - 1, Math.floor(Number(month.rate) * SHADES));
  const label = t("retention.cell", { buyers: formatNumber(month.buyers), members: formatNumber(cohort.members) });
  return el("td", { className: `num heat heat-${shade}`, attrs: { title: label } }, [
    figure(name, month.rate, "rate"),
    el("span", { className: "visually-hidden", text: ` (${label})` }),
  ]);
}

function triangle(report) {
  const width = Math.max(0, ...report.cohorts.map((c) => c.months.length));
  const head = el("tr", {}, [
    el("th", { text: t("retention.cohort"), attrs: { scope: "col" } }),
    el("th", { text: t("analytics.members"), attrs: { scope: "col" } }),
    ...Array.from({ length: width }, (_, n) => el("th", { text: t("retention.month_n", { n }), attrs: { scope: "col" } })),
  ]);
  const rows = report.cohorts.map((cohort) => el("tr", {}, [
    el("th", { text: monthName(cohort.cohort), attrs: { scope: "row" } }),
    el("td", { className: "num" }, [figure(`members_${cohort.cohort}`, cohort.members)]),
    ...cohort.months.map((month) => cell(cohort, month)),
  ]));
  return scrollable(el("div", { className: "table-scroll" }, [
    el("table", { className: "table retention-table", attrs: { id: "retention-triangle" } }, [
      el("caption", { className: "visually-hidden", text: t("retention.title") }),
      el("thead", {}, [head]),
      el("tbody", {}, rows),
    ]),
  ]), t("retention.title"));
}

export async function render(view, { args }) {
  view.append(el("h1", { className: "page-title", text: t("nav.retention") }));
  const report = await call(reportPath("retention", rangeOf(args)));
  const shown = { from: report.range.from, to: report.range.to };
  const sizes = report.cohorts.map((c) => ({ label: monthName(c.cohort), value: c.members, display: formatNumber(c.members) }));
  view.append(
    rangeForm(PAGE, shown),
    el("div", { className: "grid" }, [
      card(t("retention.title"), [hint(rangeText(report.range)), hint(t("retention.hint")), triangle(report)], { id: "retention-cohorts", wide: true, actions: [csvLink("retention", shown, "retention-csv")] }),
      card(t("retention.sizes"), [barChart({ id: "retention-chart", title: t("retention.sizes"), bars: sizes, valueLabel: t("analytics.members") })], { id: "retention-sizes", wide: true }),
    ]),
  );
}
