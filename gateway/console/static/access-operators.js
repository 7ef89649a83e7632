// Access (admin): the console's operators — list, create with a role (a store manager
// with their stores) and a first password, change a role and stores, disable or enable
// one, and sign one out everywhere.

import { call, problemText } from "./api.js";
import { button, card, checkboxes, checkedValues, el, field, hint, setMessage, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";
import { whoami } from "./shell.js";

const ROLES = ["admin", "marketer", "store_manager", "support", "analyst", "auditor"];

function roleSelect(chosen) {
  return el("select", {}, ROLES.map((role) => el("option", { text: t(`role.${role}`), attrs: { value: role, selected: role === chosen } })));
}

function storeChecks(name, chosen) {
  const stores = whoami().tenant?.stores || [];
  return checkboxes(name, t("access.stores"), stores.map((store) => [store, store]), chosen);
}

function roleEditor(operator, reload) {
  const role = roleSelect(operator.role);
  role.setAttribute("aria-label", t("access.role_of", { email: operator.email }));
  role.dataset.operatorId = operator.operator_id;
  const stores = storeChecks(`stores-${operator.operator_id}`, operator.stores);
  const message = el("p", { className: "field-error", attrs: { role: "alert" } });
  message.hidden = true;
  const save = el("button", { className: "button button-quiet", text: t("access.save_role"), attrs: { type: "button", "data-operator-id": operator.operator_id } });
  save.classList.add("operator-save");
  const sync = () => { stores.hidden = role.value !== "store_manager"; };
  role.addEventListener("change", sync);
  sync();
  save.addEventListener("click", async () => {
    const body = { role: role.value, stores: role.value === "store_manager" ? checkedValues(stores, `stores-${operator.operator_id}`) : [] };
    try {
      await call(`/v1/admin/operators/${encodeURIComponent(operator.operator_id)}`, { method: "PUT", json: body });
      await reload();
    } catch (error) {
      message.textContent = problemText(error);
      message.hidden = false;
    }
  });
  return el("div", { className: "role-editor" }, [role, stores, save, message]);
}

function createForm(reload) {
  const email = el("input", { attrs: { type: "email", autocomplete: "off", spellcheck: "false" } });
  const password = el("input", { attrs: { type: "password", autocomplete: "new-password" } });
  const role = roleSelect("support");
  const stores = storeChecks("new-operator-stores", []);
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  const submit = el("button", { className: "button", text: t("access.add_operator"), attrs: { type: "submit", id: "operator-create" } });
  const form = el("form", { attrs: { id: "operator-form", novalidate: true } }, [
    el("div", { className: "form-grid" }, [field(t("signin.email"), email, { id: "operator-email" }), field(t("access.first_password"), password, { id: "operator-password" }), field(t("access.role"), role, { id: "operator-role" })]),
    stores,
    el("div", { className: "actions" }, [submit]),
    message,
  ]);
  const sync = () => { stores.hidden = role.value !== "store_manager"; };
  role.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { email: email.value.trim(), password: password.value, role: role.value, stores: role.value === "store_manager" ? checkedValues(stores, "new-operator-stores") : [] };
    submit.disabled = true;
    try {
      await call("/v1/admin/operators", { method: "POST", json: body });
      form.reset();
      sync();
      setMessage(message, t("access.operator_added", { email: body.email }), "info");
      await reload();
    } catch (error) {
      setMessage(message, problemText(error));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function operatorActions(operator, reload, said) {
  const path = `/v1/admin/operators/${encodeURIComponent(operator.operator_id)}`;
  const act = async (suffix) => {
    try {
      const answer = await call(`${path}/${suffix}`, { method: "POST" });
      if (suffix === "sessions/end") {
        setMessage(said, t("access.sessions_ended", { count: answer.sessions_ended, email: operator.email }), "info");
      }
      await reload();
    } catch (error) {
      setMessage(said, problemText(error));
    }
  };
  const mark = (node, name) => {
    node.dataset.operatorId = operator.operator_id;
    node.classList.add(name);
    return node;
  };
  const signOut = mark(button(t("access.end_sessions"), () => act("sessions/end"), { quiet: true }), "operator-end-sessions");
  if (operator.disabled) {
    return el("div", { className: "card-actions" }, [mark(button(t("access.enable"), () => act("enable"), { quiet: true }), "operator-enable")]);
  }
  const disable = mark(button(t("access.disable"), () => {
    const sure = mark(button(t("access.disable_confirm", { email: operator.email }), () => act("disable"), { danger: true }), "operator-disable-confirm");
    disable.replaceWith(sure);
    sure.focus();
  }, { quiet: true }), "operator-disable");
  return el("div", { className: "card-actions" }, [signOut, disable]);
}

export async function operatorsCard() {
  const listed = el("div", { attrs: { id: "operators-table" } });
  const said = el("p", { className: "message", attrs: { role: "status", id: "operators-said" } });
  said.hidden = true;
  const reload = async () => {
    const answer = await call("/v1/admin/operators");
    listed.replaceChildren(table(
      [
        [t("signin.email"), (o) => o.email],
        [t("access.role_and_stores"), (o) => roleEditor(o, reload)],
        [t("access.created"), (o) => timeElement(o.created_at)],
        [t("access.status"), (o) => t(o.disabled ? "access.status_disabled" : "access.status_active")],
        ["", (o) => operatorActions(o, reload, said)],
      ],
      answer.operators,
      { empty: t("common.none"), caption: t("access.operators") },
    ));
  };
  await reload();
  return card(t("access.operators"), [hint(t("access.operators_hint")), createForm(reload), said, listed], { id: "operators-panel", wide: true });
}
