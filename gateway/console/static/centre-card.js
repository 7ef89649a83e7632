// The member's card: the member code as a QR code (drawn by the server, renewed before it
// expires), the points (available, held, pending, expiring soon) and the tier's progress.

import { call } from "./api.js";
import { el, hint } from "./dom.js";
import { formatPoints, formatTime, t } from "./i18n.js";
import { memberPath } from "./centre-session.js";

const RENEW_BEFORE_MS = 15_000;
const SOONEST_RENEW_MS = 5_000;
let renewal = null;

export function stopCard() {
  clearTimeout(renewal);
  renewal = null;
}

async function drawCode(box) {
  const answer = await call(memberPath("/code?qr=svg"));
  const image = el("img", { className: "centre-qr", attrs: { id: "member-qr", src: answer.qr_svg, alt: t("centre.card.qr_alt"), width: 220, height: 220 } });
  box.replaceChildren(image, el("p", { className: "centre-code", text: answer.code, attrs: { id: "member-code" } }), hint(t("centre.card.code_hint")));
  box.dataset.expiresAt = answer.expires_at;
  const wait = Math.max(SOONEST_RENEW_MS, new Date(answer.expires_at).getTime() - Date.now() - RENEW_BEFORE_MS);
  stopCard();
  renewal = setTimeout(() => drawCode(box).catch(() => stopCard()), wait);
}

function figure(id, label, value) {
  return el("div", { className: "centre-figure" }, [el("span", { className: "centre-figure-label", text: label }), el("span", { className: "centre-figure-value", text: formatPoints(value), attrs: { id } })]);
}

function pointsPart(points) {
  const soon = (points.expiring || []).slice(0, 3).map((lot) =>
    el("li", { text: t("centre.card.expiring_item", { points: formatPoints(lot.points), date: formatTime(lot.expires_at, { dateOnly: true }) }) }),
  );
  return el("section", { className: "centre-card", attrs: { "aria-labelledby": "points-title" } }, [
    el("h2", { text: t("centre.card.points"), attrs: { id: "points-title" } }),
    el("p", { className: "centre-balance" }, [el("span", { text: formatPoints(points.available), attrs: { id: "points-available" } }), el("span", { className: "centre-unit", text: t("centre.card.points_unit") })]),
    el("div", { className: "centre-figures" }, [figure("points-held", t("points.held"), points.held), figure("points-pending", t("points.pending"), points.pending)]),
    el("h3", { text: t("centre.card.expiring") }),
    soon.length ? el("ul", { className: "centre-list", attrs: { id: "points-expiring" } }, soon) : hint(t("centre.card.none_expiring")),
  ]);
}

function tierPart(progress) {
  const next = progress.next_tier;
  const children = [
    el("h2", { text: t("centre.card.tier"), attrs: { id: "tier-title" } }),
    el("p", { className: "centre-tier", text: (progress.tier.localized || progress.tier).name, attrs: { id: "tier-name" } }),
  ];
  if (next) {
    const value = Math.min(progress.qualifying_amount, next.threshold);
    children.push(
      el("progress", { attrs: { max: next.threshold, value, "aria-label": t("tier.progress_to", { tier: (next.localized || next).name }) } }),
      hint(t("tier.still_needed", { amount: formatPoints(progress.still_needed), tier: (next.localized || next).name })),
    );
  } else {
    children.push(hint(t("centre.card.top_tier")));
  }
  return el("section", { className: "centre-card", attrs: { "aria-labelledby": "tier-title" } }, children);
}

export async function drawCard(view) {
  const codeBox = el("div", { className: "centre-code-box", attrs: { id: "member-code-box" } });
  const [points, progress] = await Promise.all([call(memberPath("/points")), call(memberPath("/tier-progress"))]);
  await drawCode(codeBox);
  view.replaceChildren(
    el("section", { className: "centre-card centre-qr-card", attrs: { "aria-labelledby": "code-title" } }, [el("h1", { text: t("centre.card.code"), attrs: { id: "code-title" } }), codeBox]),
    pointsPart(points),
    tierPart(progress),
  );
}
