// The member's points history: each movement with its reason in the member's language
// (the movement's kind and what it concerns; the reason the platform wrote is English, so
// it shows as given only where the page is, except a campaign's name, which is the brand's
// own words).

import { call } from "./api.js";
import { el, hint } from "./dom.js";
import { formatPoints, formatTime, locale, t } from "./i18n.js";
import { memberPath } from "./centre-session.js";

const BRAND_WORDS = ["bonus"];

function about(entry) {
  if (entry.return_id) return t("centre.activity.return", { id: entry.return_id });
  if (entry.order_id) return t("centre.activity.order", { id: entry.order_id });
  if (entry.redemption_id) return t("centre.activity.redemption", { id: entry.redemption_id });
  return "";
}

function line(entry) {
  const detail = locale() === "en" || BRAND_WORDS.includes(entry.type) ? entry.reason : about(entry);
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
