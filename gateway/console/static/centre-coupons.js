// The member's coupons: each with its code (to show at the till) and until when it is valid.

import { call } from "./api.js";
import { el, hint } from "./dom.js";
import { formatTime, t } from "./i18n.js";
import { memberPath } from "./centre-session.js";

function coupon(c) {
  const used = c.redemptions >= c.max_redemptions;
  return el("li", { className: "centre-coupon", attrs: { "data-code": c.code } }, [
    el("p", { className: "centre-coupon-name", text: c.name }),
    el("p", { className: "centre-code", text: c.code }),
    el("p", { className: "hint", text: used ? t("centre.coupons.used") : t("centre.coupons.valid_until", { date: formatTime(c.valid_until, { dateOnly: true }) }) }),
  ]);
}

export async function drawCoupons(view) {
  const answer = await call(memberPath("/coupons"));
  const coupons = answer.coupons || [];
  view.replaceChildren(
    el("section", { className: "centre-card", attrs: { "aria-labelledby": "coupons-title" } }, [
      el("h1", { text: t("centre.coupons.title"), attrs: { id: "coupons-title" } }),
      coupons.length ? el("ul", { className: "centre-list", attrs: { id: "coupons" } }, coupons.map(coupon)) : hint(t("centre.coupons.empty")),
    ]),
  );
}
