// Member 360: one member on one page: who they are, their points and why, their tier,
// timeline, orders, redemptions, coupons, consents with their history and audit trail, and what the desk may do for them (member-actions.js).

import { call } from "./api.js";
import { card, el, facts, hint, table } from "./dom.js";
import { formatNumber, formatPoints, t, timeElement, tOr } from "./i18n.js";
import { actionCards } from "./member-actions.js";
import { activityLists, campaignsCard } from "./member-activity.js";
import { timelineCard } from "./member-timeline.js";
import { editCards } from "./member-edit.js";
import { go, may } from "./shell.js";
import { entriesTable } from "./trail-table.js";

const M = "/v1/members/{member_id}";
const AUDIT = "/v1/admin/audit";
const TRAIL_ENTRIES = 20;

async function optional(allowed, path) {
  if (!allowed) return null;
  return call(path).catch((error) => ({ error }));
}

function header(member, refresh) {
  const again = el("button", { className: "button button-quiet", text: t("action.refresh"), attrs: { type: "button", id: "member-refresh" } });
  again.addEventListener("click", refresh);
  const children = [
    el("div", {}, [
      el("h2", { className: "member-name", text: member.profile?.name || t("member.unnamed"), attrs: { id: "member-title" } }),
      el("p", { className: "mono member-id", text: member.member_id }),
    ]),
    el("div", { className: "badges" }, [
      el("span", { className: `badge badge-status-${member.status}`, text: t(`member.status.${member.status}`) }),
      el("span", { className: "badge badge-tier", text: member.tier ? (member.tier.localized || member.tier).name : t("member.no_tier") }),
      again,
    ]),
  ];
  const head = el("div", { className: "member-head" }, children);
  if (member.status === "merged" && member.merged_into) {
    const open = el("a", { text: t("member.open_survivor"), attrs: { href: `#/members/${encodeURIComponent(member.merged_into)}` } });
    return el("div", {}, [head, el("p", { className: "notice" }, [t("member.merged_into", { id: member.merged_into }), " ", open])]);
  }
  return head;
}

function pointsCard(points) {
  if (!points || points.error) return null;
  const tiles = el("div", { className: "tiles" }, [
    ["available", points.available],
    ["held", points.held],
    ["pending", points.pending],
    ["lifetime_earned", points.lifetime_earned],
  ].map(([name, value]) => el("div", { className: "tile", attrs: { id: `points-${name}` } }, [
    el("span", { className: "tile-label", text: t(`points.${name}`) }),
    el("span", { className: "tile-value", text: formatPoints(value) }),
  ])));
  const expiring = table(
    [[t("points.expiring"), (e) => formatPoints(e.points)], [t("points.expires_at"), (e) => timeElement(e.expires_at, { dateOnly: true })]],
    points.expiring || [],
    { empty: t("points.none_expiring") },
  );
  return card(t("points.title"), [tiles, expiring], { id: "points-panel" });
}

function tierCard(progress) {
  if (!progress || progress.error) return null;
  const next = progress.next_tier;
  const children = [facts([
    [t("member.tier"), (progress.tier.localized || progress.tier).name],
    [t("tier.since"), timeElement(progress.tier.since, { dateOnly: true })],
    [t(`tier.metric.${progress.qualifying_metric}`), formatNumber(progress.qualifying_amount)],
  ])];
  if (next) {
    const bar = el("progress", { attrs: { max: next.threshold, value: Math.min(progress.qualifying_amount, next.threshold), "aria-label": t("tier.progress_to", { tier: (next.localized || next).name }) } });
    children.push(bar, hint(t("tier.still_needed", { amount: formatNumber(progress.still_needed), tier: (next.localized || next).name })));
  } else children.push(hint(t("tier.top")));
  return card(t("tier.title"), children, { id: "tier-panel" });
}

function ledgerCard(ledger) {
  if (!ledger || ledger.error) return null;
  return card(t("ledger.title"), [table(
    [
      [t("ledger.when"), (e) => timeElement(e.created_at)],
      [t("ledger.type"), (e) => t(`ledger.type.${e.type}`)],
      [t("ledger.points"), (e) => formatPoints(e.points, { signed: true }), "num"],
      [t("ledger.reason"), (e) => (e.localized ? e.localized.reason : e.reason)],
      [t("ledger.order"), (e) => e.order_id || e.redemption_id || e.return_id, "mono"],
    ],
    ledger.entries,
    { empty: t("ledger.none"), caption: t("ledger.title") },
  )], { id: "ledger-panel", wide: true });
}

// Who asserted an identity (or made a change): the channel or back office, its key, and
// the store it acted for.
function actorText(actor) {
  const who = actor.kind === "operator"
    ? t("audit.actor.operator", { key: actor.key_id || "—" })
    : actor.kind === "channel" && actor.channel
      ? t("audit.actor.channel", { channel: t(`channel.${actor.channel}`), key: actor.key_id || "—" })
      : tOr(`audit.actor.${actor.kind}`, actor.kind);
  return actor.store_id ? t("audit.actor.at_store", { who, store: actor.store_id }) : who;
}

function assertedBy(identity) {
  if (!identity.asserted_by) return el("span", { className: "hint", text: t("identity.asserted_unknown") });
  return el("span", {}, [actorText(identity.asserted_by), " · ", timeElement(identity.asserted_at)]);
}

function aboutCard(member) {
  const identities = table(
    [[t("identity.type"), (i) => t(`identity.${i.type}`)], [t("identity.value"), (i) => i.value, "mono"]],
    member.identities || [],
    { empty: t("common.none") },
  );
  const provenance = (member.identities || []).map((i) => [`${t(`identity.${i.type}`)} ${i.value}`, assertedBy(i)]);
  const profile = member.profile || {};
  const consents = Object.entries(member.consents || {}).map(([purpose, granted]) => [t(`consent.${purpose}`), t(granted ? "consent.granted" : "consent.withheld")]);
  return card(t("member.about"), [
    facts([
      [t("profile.birthday"), profile.birthday],
      [t("profile.email"), profile.email],
      [t("profile.gender"), profile.gender],
      [t("profile.preferred_store"), profile.preferred_store_id],
      [t("member.enrolled_at"), timeElement(member.enrolled_at)],
      [t("member.enrolled_via"), t(`channel.${member.enrolled_channel}`)],
    ]),
    el("h3", { text: t("member.identities") }),
    identities,
    el("h3", { text: t("identity.asserted_by") }),
    el("div", { attrs: { id: "identity-provenance" } }, [provenance.length ? facts(provenance) : hint(t("common.none"))]),
    el("h3", { text: t("member.consents") }),
    consents.length ? facts(consents) : hint(t("common.none")),
  ], { id: "about-panel" });
}

// Every change of the member's consents, newest first: what, granted or withdrawn, through
// which channel and source, by whom.
function consentHistoryCard(history) {
  if (!history || history.error) return null;
  return card(t("consent.history"), [table(
    [
      [t("ledger.when"), (c) => timeElement(c.changed_at)],
      [t("consent.purpose"), (c) => tOr(`consent.${c.purpose}`, c.purpose)],
      [t("consent.decision"), (c) => t(c.granted ? "consent.granted" : "consent.withheld")],
      [t("consent.channel"), (c) => (c.channel ? tOr(`channel.${c.channel}`, c.channel) : "—")],
      [t("consent.source"), (c) => tOr(`consent.source.${c.source}`, c.source)],
      [t("audit.actor"), (c) => actorText(c.actor)],
    ],
    history.changes,
    { empty: t("common.none"), caption: t("consent.history") },
  )], { id: "consent-history-panel", wide: true });
}

function couponsCard(coupons) {
  if (!coupons || coupons.error) return null;
  return card(t("coupons.title"), [table(
    [
      [t("coupons.name"), (c) => c.name],
      [t("coupons.code"), (c) => c.code, "mono"],
      [t("coupons.valid_until"), (c) => timeElement(c.valid_until, { dateOnly: true })],
      [t("coupons.used"), (c) => `${formatNumber(c.redemptions)} / ${formatNumber(c.max_redemptions)}`],
    ],
    coupons.coupons,
    { empty: t("common.none") },
  )], { id: "coupons-panel" });
}

// The operators' audit trail about the member (the gateway's: operators' changes and reads
// of their personal data), for those who may read the trail.
function operatorTrailCard(trail) {
  if (!trail || trail.error) return null;
  const options = { caption: t("trail.member_title"), empty: t("common.none") };
  return card(t("trail.member_title"), [hint(t("trail.member_hint", { count: formatNumber(TRAIL_ENTRIES) })), entriesTable(trail.entries, options)], { id: "operator-trail-panel", wide: true });
}

function auditCard(audit) {
  if (!audit || audit.error) return null;
  return card(t("audit.title"), [table(
    [
      [t("ledger.when"), (a) => timeElement(a.at)],
      [t("audit.action"), (a) => tOr(`audit.action.${a.action}`, a.action)],
      [t("audit.fields"), (a) => a.fields.join(", ")],
      [t("audit.actor"), (a) => actorText(a.actor)],
    ],
    audit.entries,
    { empty: t("common.none"), caption: t("audit.title") },
  )], { id: "audit-panel", wide: true });
}

export async function render(view, memberId, context) {
  const base = `/v1/members/${encodeURIComponent(memberId)}`;
  let member;
  try {
    member = await call(base);
  } catch (error) {
    const key = error.status === 404 ? "members.not_found" : error.status === 403 ? "members.not_yours" : null;
    view.append(el("p", { className: "problem", text: key ? t(key) : error.detail, attrs: { role: "alert", id: "member-problem" } }));
    return;
  }
  const lists = activityLists(member.member_id);
  const timeline = timelineCard(member.member_id).catch(() => null);
  const trailPath = `${AUDIT}?${new URLSearchParams({ resource: member.member_id, limit: String(TRAIL_ENTRIES) })}`;
  const [points, progress, ledger, coupons, audit, consents, trail] = await Promise.all([
    optional(may("GET", `${M}/points`), `${base}/points`),
    optional(may("GET", `${M}/tier-progress`), `${base}/tier-progress`),
    optional(may("GET", `${M}/points/ledger`), `${base}/points/ledger?limit=200`),
    optional(may("GET", `${M}/coupons`), `${base}/coupons`),
    optional(may("GET", `${M}/audit`), `${base}/audit?limit=20`),
    optional(may("GET", `${M}/consents/history`), `${base}/consents/history?limit=50`),
    optional(may("GET", AUDIT), trailPath),
  ]);
  const activity = [await timeline, ...(await lists), campaignsCard(ledger)];
  if (!context.isCurrent()) return;
  const refresh = () => go("members", member.member_id);
  const grid = el("div", { className: "grid" }, [
    pointsCard(points),
    tierCard(progress),
    ...actionCards(member, points, refresh),
    ledgerCard(ledger),
    ...activity,
    aboutCard(member),
    consentHistoryCard(consents),
    couponsCard(coupons),
    ...editCards(member, refresh),
    auditCard(audit),
    operatorTrailCard(trail),
  ]);
  view.append(el("article", { className: "member", attrs: { "aria-labelledby": "member-title" } }, [header(member, refresh), grid]));
}
