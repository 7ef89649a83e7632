// The operators' audit trail as a table: when, who (with their role), what, the resources
// named, the outcome, from where, and the fields changed (a personal field named only).
// The audit page and Member 360 draw it.

import { el, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";

function describeValue(value) {
  if (value === null || value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function changesList(changes) {
  if (!changes.length) return "—";
  return el(
    "ul",
    { className: "audit-changes" },
    changes.map((c) =>
      el("li", {}, [
        el("code", { text: c.field }),
        " ",
        c.personal
          ? el("em", { text: t("trail.personal") })
          : `${describeValue(c.before)} → ${describeValue(c.after)}`,
      ]),
    ),
  );
}

export function entriesTable(entries, { caption = t("trail.title"), empty = t("trail.none") } = {}) {
  const columns = [
    [t("trail.at"), (e) => timeElement(e.at)],
    [t("trail.actor"), (e) => el("span", {}, [el("span", { className: "mono", text: e.actor.id }), ` (${t(`role.${e.actor.role}`)})`])],
    [t("trail.action"), (e) => el("code", { text: e.action })],
    [t("trail.resources"), (e) => e.resources.map((r) => `${r.kind}:${r.id}`).join(" "), "mono"],
    [t("trail.status"), (e) => (e.replayed ? `${e.status} ${t("trail.replayed")}` : String(e.status))],
    [t("trail.origin"), (e) => `${e.origin.client_address} · ${e.origin.request_id}`, "mono"],
    [t("trail.changes"), (e) => changesList(e.changes)],
  ];
  return table(columns, entries, { caption, empty });
}
