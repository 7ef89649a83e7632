// Home: what needs the signed-in operator's attention (campaigns ending or near their
// budget, drafts, holds about to expire, reconciliation), with links; the platform's status.

import { call, request } from "./api.js";
import { button, card, clear, el, hint, table } from "./dom.js";
import { formatNumber, formatPercent, formatPoints, formatTime, t } from "./i18n.js";
import { HEALTH, healthCard } from "./platform-health.js";
import { reconciliationCard } from "./points-reconcile.js";
import { may, whoami } from "./shell.js";

const DAY_MS = 86_400_000;
const ENDING_DAYS = 7;
const LOW_BUDGET = 0.2;
const DEPENDENCIES = ["gateway", "mongo", "member", "points", "campaign"];
const HOLDS = "/v1/admin/holds/expiring";
const HOLD_MINUTES = 60;

function link(text, hash) {
  return el("a", { text, attrs: { href: hash } });
}

async function statusCard() {
  const list = el("ul", { className: "status-list", attrs: { "aria-live": "polite" } });
  const note = hint(t("home.status.checking"));
  const refresh = async () => {
    const answer = await request("/readyz").catch(() => ({ ok: false, status: 0, body: null }));
    const down = Array.isArray(answer.body?.down) ? answer.body.down.map(String) : [];
    const reached = answer.ok || answer.status === 503;
    clear(list);
    for (const name of DEPENDENCIES) {
      const up = name === "gateway" ? reached : reached && !down.includes(name);
      list.append(
        el("li", { className: "status-item" }, [
          el("span", { className: "status-name", text: t(`home.status.${name}`) }),
          el("span", { className: `badge badge-${up ? "up" : "down"}`, text: t(up ? "home.status.up" : "home.status.down") }),
        ]),
      );
    }
    note.textContent = t("home.status.checked", { time: formatTime(new Date().toISOString()) });
  };
  await refresh();
  const again = button(t("action.refresh"), refresh, { quiet: true, id: "status-refresh" });
  return card(t("home.status.title"), [list, note], { id: "status-panel", actions: [again] });
}

function attentionReasons(campaign, now) {
  const reasons = [];
  const ends = campaign.ends_at ? new Date(campaign.ends_at).getTime() : null;
  if (ends !== null && ends > now && ends - now < ENDING_DAYS * DAY_MS) {
    reasons.push(t("home.attention.ends", { time: formatTime(campaign.ends_at) }));
  }
  const budget = campaign.budget?.points;
  const left = campaign.results?.budget_left;
  if (budget && left !== null && left !== undefined && left / budget < LOW_BUDGET) {
    reasons.push(t("home.attention.budget", { share: formatPercent(left / budget), left: formatPoints(left) }));
  }
  return reasons;
}

async function campaignsCard() {
  const active = await call("/v1/admin/campaigns?status=active&limit=50");
  const details = await Promise.all(
    active.campaigns.map((c) => call(`/v1/admin/campaigns/${encodeURIComponent(c.campaign_id)}`)),
  );
  const now = Date.now();
  const rows = details
    .map((campaign) => ({ campaign, reasons: attentionReasons(campaign, now) }))
    .filter((row) => row.reasons.length);
  const body = table(
    [
      [t("campaign.name"), (r) => link(r.campaign.name, `#/campaigns/${encodeURIComponent(r.campaign.campaign_id)}`)],
      [t("home.attention.why"), (r) => r.reasons.join(" · ")],
    ],
    rows,
    { empty: t("home.attention.none", { count: active.campaigns.length, number: formatNumber(active.campaigns.length) }) },
  );
  return card(t("home.attention.title"), [body], { id: "attention-panel", wide: true });
}

async function draftsCard() {
  const drafts = await call("/v1/admin/campaigns?status=draft&limit=20");
  const link = (c) => el("a", { text: (c.localized || c).name, attrs: { href: `#/campaigns/${encodeURIComponent(c.campaign_id)}` } });
  return card(t("home.drafts.title"), [table(
    [[t("campaign.name"), link], [t("campaign.trigger"), (c) => t(`campaign.trigger.${c.trigger}`)], [t("campaign.starts_at"), (c) => formatTime(c.starts_at)]],
    drafts.campaigns,
    { empty: t("home.drafts.none") },
  )], { id: "drafts-panel" });
}

// Holds a sale has not captured yet whose time is nearly up: the points go back to the
// member at expiry, so a till that still means to capture must do it now.
async function holdsCard() {
  const found = await call(`${HOLDS}?within_minutes=${HOLD_MINUTES}&limit=20`);
  const member = (h) => el("a", { text: h.member_id, attrs: { href: `#/members/${encodeURIComponent(h.member_id)}` } });
  const body = table(
    [
      [t("home.holds.expires"), (h) => formatTime(h.expires_at)],
      [t("member.id"), member],
      [t("ledger.points"), (h) => formatPoints(h.points), "num"],
      [t("home.holds.where"), (h) => [h.channel ? t(`channel.${h.channel}`) : "", h.store_id || ""].filter(Boolean).join(" · ")],
      [t("home.holds.order"), (h) => h.order_id || "—"],
    ],
    found.holds,
    { empty: t("home.holds.none", { minutes: formatNumber(found.within_minutes) }), caption: t("home.holds.title") },
  );
  return card(t("home.holds.title"), [hint(t("home.holds.hint", { minutes: formatNumber(found.within_minutes) })), body], { id: "holds-panel", wide: true });
}

function findCard() {
  const link = el("a", { className: "button", text: t("members.find_title"), attrs: { href: "#/members" } });
  return card(t("home.find.title"), [hint(t("home.find.hint")), el("div", { className: "actions" }, [link])], { id: "find-panel" });
}

export async function render(view) {
  const me = whoami();
  const tenant = me.tenant ? me.tenant.name : me.tenant_id;
  view.append(
    el("h1", { className: "page-title", text: t("home.title") }),
    hint(t("home.greeting", { role: t(`role.${me.role}`), tenant })),
  );
  const grid = el("div", { className: "grid" });
  view.append(grid);
  const cards = [];
  if (may("GET", "/v1/members/lookup")) cards.push(Promise.resolve(findCard()));
  if (may("GET", "/v1/admin/campaigns")) cards.push(campaignsCard());
  if (may("POST", "/v1/admin/campaigns/{campaign_id}/activate")) cards.push(draftsCard());
  if (may("GET", HOLDS)) cards.push(holdsCard());
  if (may("POST", "/v1/admin/points/reconciliation")) cards.push(Promise.resolve(reconciliationCard()));
  cards.push(statusCard());
  if (may("GET", HEALTH)) cards.push(healthCard());
  for (const made of await Promise.allSettled(cards)) {
    if (made.status === "fulfilled") grid.append(made.value);
    else grid.append(card(t("error.title"), [hint(made.reason?.detail || String(made.reason))]));
  }
}
