// Member 360's changes to a member: profile and consents, identities (link, unlink), and
// privacy (export as a file; erase, confirmed by typing the member id).

import { call, problemOf, problemText, request } from "./api.js";
import { button, card, checkboxes, el, field, hint, setMessage } from "./dom.js";
import { t } from "./i18n.js";
import { may } from "./shell.js";

const M = "/v1/members/{member_id}";
const GENDERS = ["", "female", "male", "other", "undisclosed"];
const IDENTITY_TYPES = ["phone", "email", "card", "wechat_openid", "wechat_unionid", "ecommerce_account", "app_user"];

const pathOf = (member, suffix = "") => `/v1/members/${encodeURIComponent(member.member_id)}${suffix}`;

function profileCard(member, refresh) {
  const p = member.profile || {};
  const name = el("input", { attrs: { type: "text", value: p.name || "", maxlength: "200" } });
  const birthday = el("input", { attrs: { type: "date", value: p.birthday || "" } });
  const email = el("input", { attrs: { type: "email", value: p.email || "" } });
  const gender = el("select", {}, GENDERS.map((g) => el("option", { text: g ? t(`gender.${g}`) : "—", attrs: { value: g, selected: (p.gender || "") === g } })));
  const granted = Object.keys(member.consents || {}).filter((purpose) => member.consents[purpose]);
  const consents = checkboxes("consent", t("member.consents"), ["marketing", "profiling"].map((p) => [p, t(`consent.${p}`)]), granted);
  const message = el("p", { className: "message", attrs: { role: "status" } });
  message.hidden = true;
  const form = el("form", { attrs: { id: "profile-form", novalidate: true } }, [
    el("div", { className: "form-grid" }, [field(t("profile.name"), name, { id: "profile-name" }), field(t("profile.birthday"), birthday, { id: "profile-birthday" }), field(t("profile.email"), email, { id: "profile-email" }), field(t("profile.gender"), gender, { id: "profile-gender" })]),
    consents,
    el("div", { className: "actions" }, [el("button", { className: "button", text: t("profile.save"), attrs: { type: "submit", id: "profile-save" } })]),
    message,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const patch = { name: name.value.trim() || null, birthday: birthday.value || null, email: email.value.trim() || null, gender: gender.value || null };
    const chosen = Object.fromEntries([...form.querySelectorAll('input[name="consent"]')].map((box) => [box.value, box.checked]));
    try {
      await call(pathOf(member, "/profile"), { method: "PATCH", json: patch });
      await call(pathOf(member, "/consents"), { method: "PUT", json: { consents: chosen, source: "console" } });
      refresh();
    } catch (error) {
      setMessage(message, problemText(error));
    }
  });
  return card(t("profile.edit"), [form], { id: "profile-panel" });
}

function identitiesCard(member, refresh) {
  const type = el("select", {}, IDENTITY_TYPES.map((v) => el("option", { text: t(`identity.${v}`), attrs: { value: v } })));
  const value = el("input", { attrs: { type: "text", spellcheck: "false" } });
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  const unlinks = (member.identities || []).map((identity) => button(t("identities.unlink", { identity: `${t(`identity.${identity.type}`)} ${identity.value}` }), async () => {
    try {
      await call(pathOf(member, `/identities/${encodeURIComponent(identity.type)}/${encodeURIComponent(identity.value)}`), { method: "DELETE" });
      refresh();
    } catch (error) {
      setMessage(message, problemText(error));
    }
  }, { quiet: true }));
  const link = button(t("identities.link"), async () => {
    try {
      await call(pathOf(member, "/identities"), { method: "POST", json: { type: type.value, value: value.value.trim() } });
      refresh();
    } catch (error) {
      setMessage(message, error.code === "identity_taken" ? t("identities.taken") : problemText(error));
    }
  }, { id: "identity-link" });
  return card(t("member.identities"), [
    el("div", { className: "card-actions" }, unlinks),
    el("div", { className: "fields" }, [field(t("identity.type"), type, { id: "identity-type" }), field(t("identity.value"), value, { id: "identity-value" }), el("div", { className: "actions" }, [link])]),
    message,
  ], { id: "identities-panel" });
}

function privacyCard(member, refresh) {
  const children = [];
  if (may("GET", `${M}/export`)) {
    children.push(button(t("privacy.export"), async () => {
      const answer = await request(pathOf(member, "/export"));
      if (!answer.ok) throw problemOf(answer);
      const blob = new Blob([JSON.stringify(answer.body, null, 2)], { type: "application/json" });
      const link = el("a", { attrs: { href: URL.createObjectURL(blob), download: `${member.member_id}.json` } });
      link.click();
    }, { quiet: true, id: "privacy-export" }));
  }
  if (may("POST", `${M}/erase`)) {
    const typed = el("input", { attrs: { type: "text", spellcheck: "false", autocomplete: "off" } });
    const erase = button(t("privacy.erase"), async () => {
      await call(pathOf(member, "/erase"), { method: "POST" });
      refresh();
    }, { danger: true, id: "privacy-erase" });
    erase.disabled = true;
    typed.addEventListener("input", () => { erase.disabled = typed.value.trim() !== member.member_id; });
    children.push(hint(t("privacy.erase_hint")), field(t("privacy.type_id"), typed, { id: "privacy-confirm" }), erase);
  }
  return children.length ? card(t("privacy.title"), children, { id: "privacy-panel" }) : null;
}

export function editCards(member, refresh) {
  if (member.status !== "active") return [];
  const cards = [];
  if (may("PATCH", `${M}/profile`)) cards.push(profileCard(member, refresh));
  if (may("POST", `${M}/identities`)) cards.push(identitiesCard(member, refresh));
  cards.push(privacyCard(member, refresh));
  return cards.filter(Boolean);
}
