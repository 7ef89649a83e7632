// A member's timeline on Member 360: every interaction across channels, newest first, with
// filters (kind, store, time) and "Show more" (GET /v1/admin/members/{id}/timeline), and
// support's "Add note" (POST /v1/admin/members/{id}/notes).

import { call, problemText } from "./api.js";
import { button, card, el, field, hint, setMessage, table } from "./dom.js";
import { formatMoney, formatPoints, localInputToIso, t, timeElement, tOr } from "./i18n.js";
import { may } from "./shell.js";

const TIMELINE = "/v1/admin/members/{member_id}/timeline";
const NOTES = "/v1/admin/members/{member_id}/notes";
const PAGE = 20;
export const KINDS = [
  "enrolment", "purchase", "return", "redemption", "coupon_issued", "coupon_used", "campaign_reward",
  "tier_change", "consent_change", "adjustment", "expiry", "merge", "note", "feedback",
];

function where(entry) {
  const parts = [entry.channel ? tOr(`channel.${entry.channel}`, entry.channel) : "", entry.store_id];
  return parts.filter(Boolean).join(" · ");
}

function points(details, signed = true) {
  return details.points === undefined ? "" : formatPoints(details.points, { signed });
}

function feedbackText(d) {
  const head = d.feedback_kind === "rating"
    ? t("feedback.stars", { rating: d.rating })
    : t("feedback.complaint_about", { category: t(`feedback.category.${d.category}`) });
  const parts = [head, d.comment, t(`feedback.status.${d.status}`)];
  if (d.answer) parts.push(t("feedback.answered_with", { answer: d.answer }));
  return parts.filter(Boolean).join(" · ");
}

const SUMMARIES = {
  enrolment: (d) => (d.tier_code ? t("timeline.tier", { tier: d.tier_code }) : ""),
  purchase: (d) => [d.order_id, d.total ? formatMoney(d.total, d.currency) : "", points(d)].filter(Boolean).join(" · "),
  return: (d) => [d.order_id, points({ points: -(d.points || 0) })].filter(Boolean).join(" · "),
  redemption: (d) => [d.order_id, points({ points: -(d.points || 0) })].filter(Boolean).join(" · "),
  coupon_issued: (d) => d.coupon_id,
  coupon_used: (d) => [d.coupon_id, d.order_id].filter(Boolean).join(" · "),
  campaign_reward: (d) => [d.campaign_id, points(d)].filter(Boolean).join(" · "),
  tier_change: (d) => t("timeline.tier_change", { from: d.from_tier || "—", to: d.to_tier || "—" }),
  consent_change: (d) => Object.entries(d.consents || {}).map(([p, g]) => `${tOr(`consent.${p}`, p)}: ${t(g ? "consent.granted" : "consent.withheld")}`).join(", "),
  adjustment: (d) => points(d),
  expiry: (d) => points({ points: -(d.points || 0) }),
  merge: (d) => t("timeline.merged", { id: d.merged_id }),
  note: (d) => d.text,
  feedback: feedbackText,
};

function summary(entry, memberId) {
  if (entry.erased) return t("timeline.erased");
  const text = (SUMMARIES[entry.kind] || (() => ""))(entry.details || {});
  const by = entry.author ? ` (${tOr(`role.${entry.author.role}`, entry.author.role || "")})` : "";
  const whose = entry.member_id !== memberId ? ` · ${t("timeline.of_merged", { id: entry.member_id })}` : "";
  return `${text || "—"}${by}${whose}`;
}

function columns(memberId) {
  return [
    [t("ledger.when"), (e) => timeElement(e.occurred_at)],
    [t("timeline.kind"), (e) => t(`timeline.kind.${e.kind}`)],
    [t("activity.where"), where],
    [t("timeline.what"), (e) => summary(e, memberId)],
  ];
}

function filters(onChange) {
  const kind = el("select", {}, [el("option", { text: t("timeline.all_kinds"), attrs: { value: "" } }), ...KINDS.map((k) => el("option", { text: t(`timeline.kind.${k}`), attrs: { value: k } }))]);
  const store = el("input", { attrs: { type: "text", maxlength: "64", autocomplete: "off" } });
  const from = el("input", { attrs: { type: "datetime-local" } });
  const to = el("input", { attrs: { type: "datetime-local" } });
  for (const input of [kind, store, from, to]) input.addEventListener("change", onChange);
  const read = () => {
    const params = {};
    if (kind.value) params.kind = kind.value;
    if (store.value.trim()) params.store = store.value.trim();
    if (from.value) params.from = localInputToIso(from.value);
    if (to.value) params.to = localInputToIso(to.value);
    return params;
  };
  const row = el("div", { className: "fields" }, [
    field(t("timeline.kind"), kind, { id: "timeline-kind" }),
    field(t("timeline.store"), store, { id: "timeline-store" }),
    field(t("timeline.from"), from, { id: "timeline-from" }),
    field(t("timeline.to"), to, { id: "timeline-to" }),
  ]);
  return { row, read };
}

function noteForm(memberId, message, reload) {
  const text = el("textarea", { attrs: { rows: "3", maxlength: "2000" } });
  const add = button(t("timeline.add_note"), async () => {
    if (!text.value.trim()) return setMessage(message, t("timeline.note_empty"));
    add.disabled = true;
    try {
      await call(`/v1/admin/members/${encodeURIComponent(memberId)}/notes`, { method: "POST", json: { text: text.value } });
      text.value = "";
      setMessage(message, t("timeline.note_added"), "success");
      await reload();
    } catch (error) {
      setMessage(message, problemText(error));
    } finally {
      add.disabled = false;
    }
  }, { id: "timeline-add-note" });
  return el("div", { className: "note-form" }, [field(t("timeline.note"), text, { id: "timeline-note" }), el("div", { className: "actions" }, [add])]);
}

// The timeline's card, or null for a role that may not read it (marketers, analysts).
export async function timelineCard(memberId) {
  if (!may("GET", TIMELINE)) return null;
  const path = `/v1/admin/members/${encodeURIComponent(memberId)}/timeline`;
  const message = el("p", { className: "message", attrs: { role: "status", id: "timeline-message" } });
  message.hidden = true;
  const list = el("div", { attrs: { id: "timeline-list", "aria-live": "polite" } });
  let cursor = "";
  const { row, read: chosen } = filters(() => reload());
  const fetchPage = (after) => {
    const query = new URLSearchParams({ limit: String(PAGE), ...chosen(), ...(after ? { cursor: after } : {}) });
    return call(`${path}?${query}`);
  };
  const more = button(t("activity.more"), async () => {
    more.disabled = true;
    try {
      const page = await fetchPage(cursor);
      list.querySelector("tbody")?.append(...table(columns(memberId), page.entries).querySelector("tbody").children);
      cursor = page.next_cursor || "";
      more.hidden = !cursor;
    } catch (error) {
      setMessage(message, problemText(error));
    }
    more.disabled = false;
  }, { quiet: true, id: "timeline-more" });
  async function reload() {
    try {
      const page = await fetchPage("");
      list.replaceChildren(page.entries.length ? table(columns(memberId), page.entries, { caption: t("timeline.title") }) : hint(t("timeline.none")));
      cursor = page.next_cursor || "";
      more.hidden = !cursor;
    } catch (error) {
      setMessage(message, problemText(error));
    }
  }
  await reload();
  const children = [hint(t("timeline.explain")), row, message, list, el("div", { className: "actions" }, [more])];
  if (may("POST", NOTES)) children.push(noteForm(memberId, message, reload));
  return card(t("timeline.title"), children, { id: "timeline-panel", wide: true });
}
