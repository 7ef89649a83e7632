// The member's points history: each movement with its reason in the member's language,
// as the gateway renders it from the reason's code (`localized.reason`, asked for with the
// page's Accept-Language). An entry written before reasons had codes reads as stored.

import { call } from "./api.js";
import { el, hint } from "./dom.js";
import { formatPoints, formatTime, t } from "./i18n.js";
import { memberPath } from "./centre-session.js";

function line(entry) {
  const detail = (entry.localized || entry).reason;
  const kind = entry.points < 0 ? "centre-minus" : "centre-plus";
  return el("li", { className: "centre-entry", attrs: { "data-type": entry.type } }, [
    el("div", { className: "centre-entry-head" }, [
      el("span", { className: "centre-entry-type", text: t(`ledger.type.${entry.type}`) }),
      el("span", { className: `centre-entry-points ${kind}`, text: formatPoints(entry.points, { signed: true }) }),
    ]),
    detail ? el("p", { className: "centre-entry-reason", text: detail }) : null,
    el("p", { className: "hint", text: formatTime(entry.created_at) }),
  ]);
}

export async function drawActivity(view) {
  const ledger = await call(memberPath("/points/ledger?limit=50"));
  const entries = ledger.entries || [];
  view.replaceChildren(
    el("section", { className: "centre-card", attrs: { "aria-labelledby": "activity-title" } }, [
      el("h1", { text: t("centre.activity.title"), attrs: { id: "activity-title" } }),
      entries.length ? el("ol", { className: "centre-list", attrs: { id: "ledger" } }, entries.map(line)) : hint(t("centre.activity.empty")),
    ]),
  );
}
