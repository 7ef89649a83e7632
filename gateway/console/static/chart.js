// A bar chart drawn as SVG, with its numbers as a table beside it (for screen readers,
// for copying, and for anyone who would rather read). No third-party code.

import { el } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 420;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 44, left: 12 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// bars: [{ label, value, display, tone }] — display is the value as the reader reads it.
export function barChart({ id, title, bars, valueLabel }) {
  const max = Math.max(1, ...bars.map((bar) => Math.abs(bar.value)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, bars.length);
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-labelledby": `${id}-caption`, class: "chart" });
  chart.append(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: HEIGHT - PAD.bottom, y2: HEIGHT - PAD.bottom, class: "chart-axis" }));
  bars.forEach((bar, index) => {
    const height = (Math.abs(bar.value) / max) * (plotHeight - 18);
    const x = PAD.left + index * slot + slot * 0.2;
    const y = HEIGHT - PAD.bottom - height;
    chart.append(
      svg("rect", { x, y, width: slot * 0.6, height: Math.max(height, 1), rx: 3, class: `chart-bar chart-bar-${bar.tone || "main"}` }),
      svg("text", { x: x + slot * 0.3, y: y - 4, "text-anchor": "middle", class: "chart-value" }, bar.display),
      svg("text", { x: x + slot * 0.3, y: HEIGHT - PAD.bottom + 18, "text-anchor": "middle", class: "chart-label" }, bar.label),
    );
  });
  const rows = bars.map((bar) => el("tr", {}, [el("th", { text: bar.label, attrs: { scope: "row" } }), el("td", { className: "num", text: bar.display })]));
  const numbers = el("table", { className: "table chart-table" }, [
    el("thead", {}, [el("tr", {}, [el("th", { text: "", attrs: { scope: "col" } }), el("th", { text: valueLabel, attrs: { scope: "col" } })])]),
    el("tbody", {}, rows),
  ]);
  return el("figure", { className: "chart-figure", attrs: { id } }, [
    el("figcaption", { text: title, attrs: { id: `${id}-caption` } }),
    el("div", { className: "chart-body" }, [chart, numbers]),
  ]);
}
