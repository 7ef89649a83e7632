// Operations: the signed-in operator's long operations of the last 7 days, newest first
// (GET /v1/admin/operations): bulk adjustment files, bulk coupon codes and backtests the
// gateway runs in the background (and bulk codes an earlier console ran in its page); each with its progress, state and result, read
// again every few seconds while one is still running, with a link to the page it is on.

import { call } from "./api.js";
import { card, el, hint, table } from "./dom.js";
import { formatNumber, formatPoints, t, timeElement } from "./i18n.js";

const LIST = "/v1/admin/operations?limit=50";
const REFRESH_MS = 2_000;
// A record a page runs that has had no news for this long was left by a closed page.
const LEFT_AFTER_MS = 90_000;
const PAGE_OF = { bulk_adjustment: "points", coupon_codes: "coupons", backtest: "campaigns/{subject}" };

function stateOf(op) {
  if (op.state !== "running" || op.background) return op.state;
  return Date.now() - new Date(op.updated_at).getTime() > LEFT_AFTER_MS ? "left" : "running";
}

function progressOf(op) {
  const bar = el("progress", { attrs: { max: String(op.total || 1), value: String(op.state === "done" ? op.total || 1 : op.done), "aria-label": t("operations.progress_of", { kind: t(`operations.kind.${op.kind}`) }) } });
  return el("span", { className: "operation-progress" }, [bar, ` ${formatNumber(op.done)} / ${formatNumber(op.total)}`]);
}

function resultOf(op) {
  const r = op.result;
  if (op.error) return op.error;
  if (!r) return "";
  if (op.kind === "bulk_adjustment") {
    const already = r.already_applied ?? r.already ?? 0;
    return t("operations.result.bulk_adjustment", { accepted: formatNumber(r.accepted), already: formatNumber(already), rejected: formatNumber(r.rejected?.length ?? 0) });
  }
  if (op.kind === "backtest") return t("operations.result.backtest", { points: formatPoints(r.points_granted), members: formatNumber(r.members_reached) });
  if (op.kind === "coupon_codes") return t("operations.result.coupon_codes", { batches: formatNumber(r.batches?.length ?? 0) });
  return "";
}

function subjectOf(op) {
  const route = PAGE_OF[op.kind];
  if (!route) return el("span", { className: "mono", text: op.subject });
  const href = `#/${route.replace("{subject}", encodeURIComponent(op.subject))}`;
  return el("a", { className: "mono", text: op.subject, attrs: { href } });
}

function operationsTable(operations) {
  return table(
    [
      [t("operations.kind"), (op) => t(`operations.kind.${op.kind}`)],
      [t("operations.subject"), subjectOf],
      [t("operations.runs_on"), (op) => t(op.background ? "operations.runs_on.gateway" : "operations.runs_on.page")],
      [t("operations.state"), (op) => t(`operations.state.${stateOf(op)}`)],
      [t("operations.progress"), progressOf],
      [t("operations.result"), resultOf],
      [t("operations.started"), (op) => timeElement(op.created_at)],
      [t("operations.updated"), (op) => timeElement(op.updated_at)],
    ],
    operations,
    { caption: t("operations.title"), empty: t("operations.none") },
  );
}

export async function render(view, context) {
  view.append(el("h1", { className: "page-title", text: t("nav.operations") }));
  const list = el("div", { attrs: { id: "operations-list", "aria-live": "polite" } });
  view.append(el("div", { className: "grid" }, [card(t("operations.title"), [hint(t("operations.hint")), list], { id: "operations-panel", wide: true })]));
  const show = async () => {
    const found = await call(LIST);
    list.replaceChildren(operationsTable(found.operations));
    list.dataset.running = String(found.operations.filter((op) => op.state === "running" && op.background).length);
    return found.operations.some((op) => op.state === "running" && op.background);
  };
  const again = () => {
    if (!list.isConnected || (context && !context.isCurrent())) return;
    show().then((running) => running && setTimeout(again, REFRESH_MS), () => setTimeout(again, REFRESH_MS));
  };
  if (await show()) setTimeout(again, REFRESH_MS);
}
