// The member's points history: each movement with its reason in the member's language.
// A reason with a code (a campaign's grant) comes rendered in the page's language from the
// gateway (`localized.reason`, asked for with the page's Accept-Language); a reason that is
// only text is English, so elsewhere the page says what the movement concerns instead.

import { call } from "./api.js";
import { el, hint } from "./dom.js";
import { formatPoints, formatTime, locale, t } from "./i18n.js";
import { memberPath } from "./centre-session.js";

function about(entry) {
  if (entry.return_id) return t("centre.activity.return", { id: entry.return_id });
  if (entry.order_id) return t("centre.activity.order", { id: entry.order_id });
  if (entry.redemption_id) return t("centre.activity.redemption", { id: entry.redemption_id });
  return "";
}

function line(entry) {
  // A campaign's grant written before reasons had codes still reads as its name.
  const brand = entry.reason_code || entry.type === "bonus";
  const detail = brand ? (entry.localized || entry).reason : locale() === "en" ? entry.reason : about(entry);
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
