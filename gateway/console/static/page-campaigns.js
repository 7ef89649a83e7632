// Campaigns: the list with their state, and one campaign's definition and results.
// Editing is offered only to roles that may change campaigns.

import { call } from "./api.js";
import { card, el, facts, hint, table } from "./dom.js";
import { formatPoints, t, timeElement } from "./i18n.js";

function link(campaign) {
  return el("a", { text: campaign.name, attrs: { href: `#/campaigns/${encodeURIComponent(campaign.campaign_id)}` } });
}

async function list(view) {
  const answer = await call("/v1/admin/campaigns?limit=100");
  view.append(card(t("campaigns.list_title"), [table(
    [
      [t("campaign.name"), link],
      [t("campaign.status"), (c) => t(`campaign.status.${c.status}`)],
      [t("campaign.trigger"), (c) => t(`campaign.trigger.${c.trigger}`)],
      [t("campaign.version"), (c) => c.version, "num"],
      [t("campaign.starts_at"), (c) => timeElement(c.starts_at)],
      [t("campaign.ends_at"), (c) => timeElement(c.ends_at)],
    ],
    answer.campaigns,
    { empty: t("campaigns.none"), caption: t("campaigns.list_title") },
  )], { id: "campaigns-list", wide: true }));
}

function effectText(effect) {
  if (effect.type === "multiplier") return t("campaign.effect.multiplier", { factor: effect.factor });
  if (effect.type === "bonus_points") return t("campaign.effect.bonus_points", { points: formatPoints(effect.points) });
  return t("campaign.effect.coupon", { template: effect.template_id });
}

async function detail(view, campaignId) {
  const c = await call(`/v1/admin/campaigns/${encodeURIComponent(campaignId)}`);
  const results = c.results;
  view.append(
    el("h2", { text: c.name, attrs: { id: "campaign-title" } }),
    el("div", { className: "grid" }, [
      card(t("campaign.definition"), [facts([
        [t("campaign.status"), t(`campaign.status.${c.status}`)],
        [t("campaign.version"), c.version],
        [t("campaign.trigger"), t(`campaign.trigger.${c.trigger}`)],
        [t("campaign.effect"), effectText(c.effect)],
        [t("campaign.starts_at"), timeElement(c.starts_at)],
        [t("campaign.ends_at"), timeElement(c.ends_at)],
        [t("campaign.budget"), c.budget ? formatPoints(c.budget.points) : t("campaign.unlimited")],
        [t("campaign.per_member"), c.limits ? formatPoints(c.limits.per_member) : t("campaign.unlimited")],
        [t("campaign.holdout"), `${c.holdout_percent}%`],
      ])], { id: "campaign-definition" }),
      card(t("campaign.results"), [facts([
        [t("results.members_reached"), formatPoints(results.members_reached)],
        [t("results.points_granted"), formatPoints(results.points_granted)],
        [t("results.budget_left"), results.budget_left === null ? t("campaign.unlimited") : formatPoints(results.budget_left)],
        [t("results.points_reserved"), formatPoints(results.points_reserved)],
      ])], { id: "campaign-results" }),
    ]),
  );
}

export async function render(view, context) {
  view.append(el("h1", { className: "page-title", text: t("nav.campaigns") }));
  if (context.args[0]) await detail(view, context.args[0]);
  else await list(view);
  if (!view.querySelector("table, dl")) view.append(hint(t("common.none")));
}
