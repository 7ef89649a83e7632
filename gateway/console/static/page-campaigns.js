// Campaigns: the list with their state (#/campaigns), the builder (#/campaigns/new,
// #/campaigns/<id>/edit) and one campaign (#/campaigns/<id>). Editing is offered only to
// roles that may change campaigns.

import { call } from "./api.js";
import { button, card, el, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";
import { go, may } from "./shell.js";

function link(campaign) {
  return el("a", { text: (campaign.localized || campaign).name, attrs: { href: `#/campaigns/${encodeURIComponent(campaign.campaign_id)}` } });
}

function newButton() {
  if (!may("POST", "/v1/admin/campaigns")) return [];
  return [button(t("campaigns.new"), () => go("campaigns", "new"), { id: "campaign-new" })];
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
  )], { id: "campaigns-list", wide: true, actions: newButton() }));
}

export async function render(view, context) {
  view.append(el("h1", { className: "page-title", text: t("nav.campaigns") }));
  const [id, verb] = context.args;
  if (id === "new" && may("POST", "/v1/admin/campaigns")) {
    const { renderForm } = await import("./campaign-form.js");
    await renderForm(view, null);
  } else if (id && verb === "edit") {
    const { renderForm } = await import("./campaign-form.js");
    await renderForm(view, await call(`/v1/admin/campaigns/${encodeURIComponent(id)}`));
  } else if (id) {
    const { renderDetail } = await import("./campaign-detail.js");
    await renderDetail(view, id);
  } else await list(view);
}
