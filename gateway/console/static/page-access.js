// Access (admin): API keys — create one for a channel, optionally bound to a store and
// with fewer scopes (its secret is shown once), rotate, revoke — and the operators.

import { call, problemText } from "./api.js";
import { button, card, checkboxes, checkedValues, el, field, hint, setMessage, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";
import { operatorsCard } from "./access-operators.js";
import { may, whoami } from "./shell.js";

const CHANNELS = ["pos", "ecommerce", "miniprogram", "app", "operator"];
const SCOPES = ["members:read", "members:write", "points:read", "points:write"];
const ROLES = ["admin", "marketer", "store_manager", "support", "analyst", "auditor"];

function secretBox(issued) {
  const secret = el("input", { attrs: { type: "text", readonly: true, value: issued.secret, id: "key-secret", "aria-label": t("access.secret") } });
  return el("div", { className: "notice secret", attrs: { role: "status", "data-key-id": issued.key.key_id } }, [
    el("strong", { text: t("access.secret_once", { key: issued.key.key_id }) }),
    secret,
  ]);
}

function options(values, label, { blank } = {}) {
  const items = values.map((value) => el("option", { text: label(value), attrs: { value } }));
  return blank ? [el("option", { text: blank, attrs: { value: "" } }), ...items] : items;
}

function createForm(reload, shown) {
  const stores = whoami().tenant?.stores || [];
  const channel = el("select", {}, options(CHANNELS, (c) => t(`channel.${c}`)));
  const store = el("select", {}, options(stores, (s) => s, { blank: t("access.any_store") }));
  const role = el("select", {}, options(ROLES, (r) => t(`role.${r}`)));
  const scopes = checkboxes("key-scope", t("access.scopes"), SCOPES.map((s) => [s, t(`scope.${s}`)]), SCOPES, { id: "key-scopes" });
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  const submit = el("button", { className: "button", text: t("access.create"), attrs: { type: "submit", id: "key-create" } });
  const form = el("form", { attrs: { id: "key-form", novalidate: true } }, [
    el("div", { className: "form-grid" }, [field(t("access.channel"), channel, { id: "key-channel" }), field(t("access.store"), store, { id: "key-store" }), field(t("access.role"), role, { id: "key-role" })]),
    scopes,
    el("div", { className: "actions" }, [submit]),
    message,
  ]);
  const sync = () => {
    const operator = channel.value === "operator";
    role.closest(".field").hidden = !operator;
    scopes.hidden = operator;
    store.closest(".field").hidden = channel.value !== "pos";
  };
  channel.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { channel: channel.value };
    if (channel.value === "pos" && store.value) body.store_id = store.value;
    if (channel.value === "operator") body.role = role.value;
    else body.scopes = checkedValues(form, "key-scope");
    submit.disabled = true;
    try {
      const issued = await call("/v1/admin/keys", { method: "POST", json: body });
      shown.replaceChildren(secretBox(issued));
      await reload();
    } catch (error) {
      setMessage(message, problemText(error));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function keyActions(key, reload, shown) {
  if (key.status !== "active") return t("access.revoked");
  const rotate = button(t("access.rotate"), async () => {
    const issued = await call(`/v1/admin/keys/${encodeURIComponent(key.key_id)}/rotate`, { method: "POST", json: {} });
    shown.replaceChildren(secretBox(issued));
    await reload();
  }, { quiet: true });
  rotate.dataset.keyId = key.key_id;
  rotate.classList.add("key-rotate");
  const revoke = button(t("access.revoke"), () => {
    const sure = button(t("access.revoke_confirm", { key: key.key_id }), async () => {
      await call(`/v1/admin/keys/${encodeURIComponent(key.key_id)}/revoke`, { method: "POST" });
      await reload();
    }, { danger: true });
    sure.dataset.keyId = key.key_id;
    sure.classList.add("key-revoke-confirm");
    revoke.replaceWith(sure);
    sure.focus();
  }, { quiet: true });
  revoke.dataset.keyId = key.key_id;
  revoke.classList.add("key-revoke");
  return el("div", { className: "card-actions" }, [rotate, revoke]);
}

export async function render(view) {
  view.append(el("h1", { className: "page-title", text: t("nav.access") }));
  const shown = el("div", { attrs: { id: "key-issued", "aria-live": "polite" } });
  const listed = el("div", { attrs: { id: "keys-table" } });
  const reload = async () => {
    const answer = await call("/v1/admin/keys");
    listed.replaceChildren(table(
      [
        [t("access.key"), (k) => k.key_id, "mono"],
        [t("access.channel"), (k) => t(`channel.${k.channel}`)],
        [t("access.store"), (k) => k.store_id || t("access.any_store")],
        [t("access.scopes_or_role"), (k) => (k.role ? t(`role.${k.role}`) : k.scopes.map((s) => t(`scope.${s}`)).join(", "))],
        [t("access.created"), (k) => timeElement(k.created_at)],
        ["", (k) => keyActions(k, reload, shown)],
      ],
      answer.keys,
      { empty: t("common.none"), caption: t("access.keys") },
    ));
  };
  await reload();
  view.append(
    card(t("access.new_key"), [hint(t("access.new_key_hint")), createForm(reload, shown), shown], { id: "key-new" }),
    card(t("access.keys"), [listed], { id: "keys-panel", wide: true }),
  );
  if (may("GET", "/v1/admin/operators")) view.append(await operatorsCard());
}
