// RFM: the members who bought in a range (a year by default), placed by recency, frequency
// and monetary score (1 to 5): recency × frequency as a shaded grid of members, members by
// recency as a chart, and every cell of the grid with its net sales as a table, where a
// campaign editor makes a live segment of a cell (the same cell over a rolling window of the
// range's length ending today).

import { call, problemText } from "./api.js";
import { csvLink, figure, rangeForm, rangeOf, rangeText, reportPath, scrollable } from "./analytics-view.js";
import { barChart } from "./chart.js";
import { button, card, el, facts, field, hint, setMessage, table } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { may } from "./shell.js";

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

const MAKE_SEGMENT = "/v1/admin/analytics/rfm/segments";

function daysIn(range) {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
}

// The form under the cells: the chosen cell's name prefilled; on saving, a link to the
// segment and its size.
function segmentMaker(range) {
  const name = el("input", { attrs: { type: "text", maxlength: "200" } });
  const done = el("p", { attrs: { id: "rfm-segment-made", "aria-live": "polite" } });
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  let chosen = null;
  const form = el("form", { attrs: { id: "rfm-segment", novalidate: true } }, [
    field(t("rfm.segment_name"), name, { id: "rfm-segment-name" }),
    hint(t("rfm.segment_hint", { days: formatNumber(daysIn(range)) })),
    el("div", { className: "actions" }, [
      el("button", { className: "button", text: t("rfm.segment_save"), attrs: { type: "submit", id: "rfm-segment-save" } }),
    ]),
    message,
  ]);
  form.hidden = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.hidden = true;
    try {
      const body = { ...chosen, window_days: daysIn(range), name: name.value.trim() };
      const made = await call(MAKE_SEGMENT, { method: "POST", json: body });
      const link = el("a", { text: made.name, attrs: { href: `#/segments/${encodeURIComponent(made.segment_id)}`, id: "rfm-segment-link" } });
      const size = el("span", { attrs: { id: "rfm-segment-size", "data-value": String(made.size) }, text: t("segments.size", { size: formatNumber(made.size), count: made.size }) });
      done.replaceChildren(t("rfm.segment_made"), " ", link, " ", size);
      form.hidden = true;
    } catch (error) {
      setMessage(message, problemText(error));
    }
  });
  const pick = (c) => {
    chosen = { recency: c.recency, frequency: c.frequency, monetary: c.monetary };
    name.value = t("rfm.segment_default_name", { r: c.recency, f: c.frequency, m: c.monetary });
    done.replaceChildren();
    form.hidden = false;
    name.focus();
  };
  return { node: el("div", {}, [form, done]), pick };
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
  const maker = may("POST", MAKE_SEGMENT) ? segmentMaker(report.range) : null;
  const makeSegment = (c) => {
    const node = button(t("rfm.make_segment"), () => maker.pick(c), { quiet: true, id: `rfm-make-${c.recency}${c.frequency}${c.monetary}` });
    node.setAttribute("aria-label", `${t("rfm.make_segment")}: ${t("rfm.segment_default_name", { r: c.recency, f: c.frequency, m: c.monetary })}`);
    return node;
  };
  const cells = table(
    [
      [t("rfm.recency"), (c) => String(c.recency), "num"],
      [t("rfm.frequency"), (c) => String(c.frequency), "num"],
      [t("rfm.monetary"), (c) => String(c.monetary), "num"],
      [t("analytics.members"), (c) => figure(`members_${c.recency}${c.frequency}${c.monetary}`, c.members), "num"],
      [t("analytics.net"), (c) => figure(`net_${c.recency}${c.frequency}${c.monetary}`, c.net, "money", report.currency), "num"],
      ...(maker ? [[t("rfm.segment"), makeSegment]] : []),
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
      card(t("rfm.cells"), maker ? [cells, maker.node] : [cells], { id: "rfm-cells", wide: true }),
    ]),
  );
}
