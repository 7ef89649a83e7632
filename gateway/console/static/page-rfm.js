// RFM: the members who bought in a range (a year by default), placed by recency, frequency
// and monetary score (1 to 5): recency × frequency as a shaded grid of members, members by
// recency as a chart, and every cell of the grid with its net sales as a table.

import { call } from "./api.js";
import { csvLink, figure, rangeForm, rangeOf, rangeText, reportPath, scrollable } from "./analytics-view.js";
import { barChart } from "./chart.js";
import { card, el, facts, hint, table } from "./dom.js";
import { formatNumber, t } from "./i18n.js";

const PAGE = "rfm";
const SCORES = [5, 4, 3, 2, 1];
const SHADES = 5;
const DAY_MS = 86_400_000;

function yearEnding(day) {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 364 * DAY_MS).toISOString().slice(0, 10);
}

function grid(report) {
  const counts = new Map();
  for (const c of report.cells) counts.set(`${c.recency}${c.frequency}`, (counts.get(`${c.recency}${c.frequency}`) || 0) + c.members);
  const most = Math.max(1, ...counts.values());
  const head = el("tr", {}, [
    el("th", { text: t("rfm.recency"), attrs: { scope: "col" } }),
    ...[...SCORES].reverse().map((f) => el("th", { text: t("rfm.frequency_n", { n: f }), attrs: { scope: "col" } })),
  ]);
  const rows = SCORES.map((r) => el("tr", {}, [
    el("th", { text: t("rfm.recency_n", { n: r }), attrs: { scope: "row" } }),
    ...[...SCORES].reverse().map((f) => {
      const n = counts.get(`${r}${f}`) || 0;
      const shade = n ? 1 + Math.min(SHADES - 2, Math.floor((n / most) * (SHADES - 1))) : 0;
      return el("td", { className: `num heat heat-${shade}`, text: formatNumber(n) });
    }),
  ]));
  return scrollable(el("div", { className: "table-scroll" }, [
    el("table", { className: "table retention-table", attrs: { id: "rfm-grid" } }, [
      el("caption", { className: "visually-hidden", text: t("rfm.grid") }),
      el("thead", {}, [head]),
      el("tbody", {}, rows),
    ]),
  ]), t("rfm.grid"));
}

export async function render(view, { args }) {
  view.append(el("h1", { className: "page-title", text: t("nav.rfm") }));
  let range = rangeOf(args);
  if (!range.from) {
    // A year ending today where the tenant is: the API's default range tells today.
    const today = (await call(reportPath("rfm"))).range.to;
    range = { from: yearEnding(today), to: today };
  }
  const report = await call(reportPath("rfm", range));
  const shown = { from: report.range.from, to: report.range.to };
  const byRecency = SCORES.map((r) => {
    const n = report.cells.filter((c) => c.recency === r).reduce((total, c) => total + c.members, 0);
    return { label: t("rfm.recency_n", { n: r }), value: n, display: formatNumber(n) };
  });
  const cells = table(
    [
      [t("rfm.recency"), (c) => String(c.recency), "num"],
      [t("rfm.frequency"), (c) => String(c.frequency), "num"],
      [t("rfm.monetary"), (c) => String(c.monetary), "num"],
      [t("analytics.members"), (c) => figure(`members_${c.recency}${c.frequency}${c.monetary}`, c.members), "num"],
      [t("analytics.net"), (c) => figure(`net_${c.recency}${c.frequency}${c.monetary}`, c.net, "money", report.currency), "num"],
    ],
    report.cells,
    { caption: t("rfm.cells"), empty: t("analytics.none") },
  );
  scrollable(cells, t("rfm.cells"));
  view.append(
    rangeForm(PAGE, shown),
    el("div", { className: "grid" }, [
      card(t("rfm.grid"), [hint(rangeText(report.range)), hint(t("rfm.hint")), facts([[t("rfm.members"), figure("members", report.members)]]), grid(report)], { id: "rfm-summary", wide: true, actions: [csvLink("rfm", shown, "rfm-csv")] }),
      card(t("rfm.by_recency"), [barChart({ id: "rfm-chart", title: t("rfm.by_recency"), bars: byRecency, valueLabel: t("analytics.members") })], { id: "rfm-recency" }),
      card(t("rfm.cells"), [cells], { id: "rfm-cells", wide: true }),
    ]),
  );
}
