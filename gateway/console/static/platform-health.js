// The platform's health on the home page (admins and auditors): each process serving or
// not, each service's outbox backlog, its consumers' lag and redeliveries, the gateway's
// calls to it and their failures over the last minutes, and the tenant's reconciliation.
// Every figure keeps the API's raw value beside its text (data-value), as on the analytics pages.

import { figure } from "./analytics-view.js";
import { call } from "./api.js";
import { button, card, clear, el, hint, table } from "./dom.js";
import { formatNumber, formatTime, t, tOr } from "./i18n.js";

export const HEALTH = "/v1/admin/platform/health";

function processName(name) {
  return tOr(`health.process.${name}`, name);
}

function badge(serving) {
  return el("span", { className: `badge badge-${serving ? "up" : "down"}`, text: t(serving ? "home.status.up" : "home.status.down") });
}

// A figure of one process (or consumer): data-figure names the row and the column.
function cell(row, column, value, kind) {
  return figure(`${row}.${column}`, value, kind);
}

function processTable(processes) {
  const outbox = (p, key) => (p.outbox ? cell(p.process, `outbox.${key}`, p.outbox[key]) : "—");
  const calls = (p, key, kind) => (p.calls ? cell(p.process, `calls.${key}`, p.calls[key], kind) : "—");
  return table(
    [
      [t("health.process"), (p) => processName(p.process)],
      [t("health.serving"), (p) => badge(p.serving)],
      [t("health.restarts"), (p) => cell(p.process, "restarts", p.restarts), "num"],
      [t("health.backlog"), (p) => outbox(p, "backlog"), "num"],
      [t("health.oldest"), (p) => outbox(p, "oldest_age_seconds"), "num"],
      [t("health.calls"), (p) => calls(p, "calls"), "num"],
      [t("health.failed"), (p) => calls(p, "failed"), "num"],
      [t("health.error_rate"), (p) => calls(p, "error_rate", "rate"), "num"],
      [t("health.figures"), (p) => (p.calls ? t(p.figures_read ? "health.figures_read" : "health.figures_unread") : "")],
    ],
    processes,
    { caption: t("health.processes") },
  );
}

function consumerTable(processes) {
  const rows = processes.flatMap((p) => p.consumers.map((c) => ({ process: p.process, ...c })));
  const name = (c) => `${c.process}.${c.durable}`;
  return table(
    [
      [t("health.process"), (c) => processName(c.process)],
      [t("health.durable"), (c) => c.durable],
      [t("health.pending"), (c) => figure(`${name(c)}.pending`, c.pending), "num"],
      [t("health.ack_pending"), (c) => figure(`${name(c)}.ack_pending`, c.ack_pending), "num"],
      [t("health.redeliveries"), (c) => figure(`${name(c)}.redeliveries`, c.redeliveries), "num"],
    ],
    rows,
    { caption: t("health.consumers"), empty: t("health.no_consumers") },
  );
}

function reconciliationText(found) {
  if (!found.last_run_at) return hint(t("health.reconciliation_none"));
  return el("p", { className: "hint" }, [
    t("health.reconciliation", { time: formatTime(found.last_run_at) }),
    " ",
    figure("reconciliation.drifting_members", found.drifting_members),
  ]);
}

export async function healthCard() {
  const body = el("div", { attrs: { "aria-live": "polite" } });
  const refresh = async () => {
    const found = await call(HEALTH);
    clear(body);
    body.append(
      hint(t("health.window", { minutes: formatNumber(found.window_minutes) })),
      processTable(found.processes),
      el("h3", { text: t("health.consumers") }),
      consumerTable(found.processes),
      el("h3", { text: t("health.reconciliation_title") }),
      reconciliationText(found.reconciliation),
      hint(t("home.status.checked", { time: formatTime(found.checked_at) })),
    );
  };
  await refresh();
  const again = button(t("action.refresh"), refresh, { quiet: true, id: "health-refresh" });
  return card(t("health.title"), [body], { id: "health-panel", wide: true, actions: [again] });
}
