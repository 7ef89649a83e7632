// A chart over days drawn as SVG (bars or lines, one or more series on one scale), with a
// marker on a day if asked, and its numbers as a table beside it. No third-party code.

import { el } from "./dom.js";
import { formatDate } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 560;
const HEIGHT = 220;
const PAD = { top: 14, right: 14, bottom: 34, left: 14 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function legend(series) {
  return el("ul", { className: "chart-legend" }, series.map((s) =>
    el("li", {}, [el("span", { className: `chart-swatch chart-swatch-${s.tone || "main"}`, attrs: { "aria-hidden": "true" } }), s.label]),
  ));
}

function numbers(id, days, series, caption) {
  const head = el("tr", {}, [el("th", { text: caption, attrs: { scope: "col" } }), ...series.map((s) => el("th", { text: s.label, attrs: { scope: "col" } }))]);
  const rows = days.map((day, index) => el("tr", {}, [
    el("th", { text: formatDate(day), attrs: { scope: "row" } }),
    ...series.map((s) => el("td", { className: "num", text: s.display(s.values[index]) })),
  ]));
  // Scrolls on its own for a long campaign: reachable by keyboard, named for readers.
  return el("div", { className: "table-scroll chart-days-table", attrs: { tabindex: "0", role: "region", "aria-labelledby": `${id}-caption` } }, [
    el("table", { className: "table chart-table" }, [el("thead", {}, [head]), el("tbody", {}, rows)]),
  ]);
}

// days: ["YYYY-MM-DD", …] oldest first; series: [{ label, values, display, tone, kind }]
// (kind "bar" or "line"); marker: { day, label } drawn as a line on that day. signed:
// lines on a scale from the lowest value to the highest, the zero line drawn (a value
// may be below zero: an uplift and its interval); a value null is left out of its line.
export function dayChart({ id, title, days, series, marker, dateLabel, signed = false }) {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const known = series.flatMap((s) => s.values.filter((v) => v !== null && v !== undefined).map((v) => Number(v) || 0));
  const max = signed ? Math.max(0, ...known) : Math.max(1, ...known.map(Math.abs));
  const min = signed ? Math.min(0, ...known) : 0;
  const range = Math.max(max - min, signed ? 1e-9 : 1);
  const slot = plotWidth / Math.max(1, days.length);
  const x = (index) => PAD.left + slot * (index + 0.5);
  const scaled = (value) => (signed ? Number(value) || 0 : Math.abs(Number(value) || 0));
  const y = (value) => HEIGHT - PAD.bottom - ((scaled(value) - min) / range) * (plotHeight - 6);
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-labelledby": `${id}-caption`, class: "chart" });
  const axis = signed ? y(0) : HEIGHT - PAD.bottom;
  chart.append(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: axis, y2: axis, class: "chart-axis" }));
  const bars = series.filter((s) => s.kind !== "line");
  const width = (slot * 0.7) / Math.max(1, bars.length);
  bars.forEach((s, n) => s.values.forEach((value, index) => {
    const top = y(value);
    const left = x(index) - slot * 0.35 + n * width;
    chart.append(svg("rect", { x: left, y: top, width: Math.max(width, 1), height: Math.max(HEIGHT - PAD.bottom - top, value ? 1 : 0), class: `chart-bar-${s.tone || "main"}` }));
  }));
  for (const s of series.filter((each) => each.kind === "line")) {
    const points = s.values.map((value, index) => (value === null || value === undefined ? null : `${x(index)},${y(value)}`)).filter(Boolean).join(" ");
    if (points) chart.append(svg("polyline", { points, class: `chart-line chart-line-${s.tone || "main"}` }));
  }
  const at = marker ? days.indexOf(marker.day) : -1;
  if (at >= 0) {
    chart.append(
      svg("line", { x1: x(at), x2: x(at), y1: PAD.top, y2: HEIGHT - PAD.bottom, class: "chart-marker" }),
      svg("text", { x: Math.min(x(at), WIDTH - PAD.right - 4), y: PAD.top + 10, "text-anchor": at > days.length / 2 ? "end" : "start", class: "chart-value" }, marker.label),
    );
  }
  const ticks = days.length > 1 ? [0, Math.floor((days.length - 1) / 2), days.length - 1] : [0];
  for (const index of [...new Set(ticks)].filter((i) => days[i])) {
    const anchor = index === 0 ? "start" : index === days.length - 1 ? "end" : "middle";
    const left = index === 0 ? PAD.left : index === days.length - 1 ? WIDTH - PAD.right : x(index);
    chart.append(svg("text", { x: left, y: HEIGHT - PAD.bottom + 18, "text-anchor": anchor, class: "chart-label" }, formatDate(days[index])));
  }
  return el("figure", { className: "chart-figure", attrs: { id } }, [
    el("figcaption", { text: title, attrs: { id: `${id}-caption` } }),
    el("div", { className: "chart-body" }, [el("div", {}, [chart, legend(series)]), numbers(id, days, series, dateLabel)]),
  ]);
}
