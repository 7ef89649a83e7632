// Members: the member desk finds one member by an identity or id and opens Member 360;
// roles without access to personal data (marketer, analyst) get a list without it.

import { call } from "./api.js";
import { card, el, field, hint, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";
import { render as renderMember } from "./member-360.js";
import { go, may } from "./shell.js";

const FIND_BY = ["phone", "email", "card", "wechat_openid", "wechat_unionid", "ecommerce_account", "app_user", "member_id"];

function searchForm(result) {
  const by = el("select", {}, FIND_BY.map((type) => el("option", { text: t(`identity.${type}`), attrs: { value: type } })));
  const value = el("input", { attrs: { type: "text", spellcheck: "false", autocomplete: "off" } });
  const submit = el("button", { className: "button", text: t("members.find"), attrs: { type: "submit", id: "lookup-button" } });
  const form = el("form", { className: "fields", attrs: { id: "lookup-form", novalidate: true } }, [
    field(t("members.find_by"), by, { id: "lookup-type" }),
    el("div", { className: "field-grow" }, [field(t("members.value"), value, { id: "lookup-value" })]),
    el("div", { className: "actions" }, [submit]),
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = value.value.trim();
    if (!text) {
      result.replaceChildren(hint(t("members.enter_value")));
      return;
    }
    if (by.value === "member_id") {
      go("members", text);
      return;
    }
    submit.disabled = true;
    try {
      const query = new URLSearchParams({ type: by.value, value: text });
      const member = await call(`/v1/members/lookup?${query}`);
      go("members", member.member_id);
    } catch (error) {
      const message = error.status === 404 ? t("members.not_found") : error.status === 403 ? t("members.not_yours") : error.detail;
      result.replaceChildren(el("p", { className: "problem", text: message, attrs: { role: "alert" } }));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// The list without personal data: ids, tier, status, enrolment.
async function anonymousList(view) {
  const page = await call("/v1/admin/members?limit=50");
  const rows = page.members;
  view.append(
    card(t("members.list_title"), [
      hint(t("members.no_personal_data")),
      table(
        [
          [t("member.id"), (m) => m.member_id, "mono"],
          [t("member.status"), (m) => t(`member.status.${m.status}`)],
          [t("member.tier"), (m) => m.tier?.name],
          [t("member.enrolled_at"), (m) => timeElement(m.enrolled_at)],
          [t("member.enrolled_via"), (m) => t(`channel.${m.enrolled_channel}`)],
        ],
        rows,
        { empty: t("members.none"), caption: t("members.list_title") },
      ),
    ], { id: "members-list", wide: true }),
  );
}

export async function render(view, context) {
  view.append(el("h1", { className: "page-title", text: t("nav.members") }));
  if (!may("GET", "/v1/members/lookup")) {
    await anonymousList(view);
    return;
  }
  const result = el("div", { attrs: { "aria-live": "polite", id: "lookup-result" } });
  view.append(card(t("members.find_title"), [searchForm(result), result], { id: "lookup-panel", wide: true }));
  const memberId = context.args[0];
  if (memberId) await renderMember(view, memberId, context);
  else view.querySelector("#lookup-value").focus();
}
