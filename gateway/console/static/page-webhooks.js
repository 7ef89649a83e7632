// Webhooks (admin): the tenant's endpoints — subscribe one to event types (its signing
// secret shown once), enable or disable it, rotate its secret, delete it in two steps —
// and an endpoint's delivery log, with a replay of one delivery.

import { call, problemText } from "./api.js";
import { button, card, checkboxes, checkedValues, el, field, hint, setMessage, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";

const HOOKS = "/v1/admin/webhooks";

function secretBox(issued) {
  const secret = el("input", { attrs: { type: "text", readonly: true, value: issued.secret, id: "webhook-secret", "aria-label": t("webhooks.secret") } });
  return el("div", { className: "notice secret", attrs: { role: "status", "data-endpoint-id": issued.webhook.endpoint_id } }, [
    el("strong", { text: t("webhooks.secret_once") }),
    secret,
  ]);
}

function createForm(eventTypes, shown, reload) {
  const url = el("input", { attrs: { type: "url", autocomplete: "off", spellcheck: "false", placeholder: "https://erp.example.com/loyalty/webhooks" } });
  const types = checkboxes("webhook-types", t("webhooks.event_types"), eventTypes.map((type) => [type, type]), [], { id: "webhook-types" });
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  const submit = el("button", { className: "button", text: t("webhooks.add"), attrs: { type: "submit", id: "webhook-create" } });
  const form = el("form", { attrs: { id: "webhook-form", novalidate: true } }, [
    field(t("webhooks.url"), url, { id: "webhook-url" }),
    types,
    el("div", { className: "actions" }, [submit]),
    message,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const issued = await call(HOOKS, { method: "POST", json: { url: url.value.trim(), event_types: checkedValues(types, "webhook-types") } });
      form.reset();
      message.hidden = true;
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

function deliveriesTable(hook, deliveries, said, reopen) {
  const replay = (delivery) => {
    const node = button(t("webhooks.replay"), async () => {
      try {
        await call(`${HOOKS}/${encodeURIComponent(hook.endpoint_id)}/deliveries/${encodeURIComponent(delivery.delivery_id)}/replay`, { method: "POST" });
        setMessage(said, t("webhooks.replayed"), "info");
        await reopen();
      } catch (error) {
        setMessage(said, problemText(error));
      }
    }, { quiet: true });
    node.classList.add("delivery-replay");
    node.dataset.deliveryId = delivery.delivery_id;
    return node;
  };
  return table(
    [
      [t("webhooks.event"), (d) => d.event_type],
      [t("webhooks.occurred"), (d) => timeElement(d.occurred_at)],
      [t("webhooks.status"), (d) => t(`webhooks.status_${d.status}`)],
      [t("webhooks.attempts"), (d) => String(d.attempts)],
      [t("webhooks.last_answer"), (d) => d.last_error || (d.last_status_code ? String(d.last_status_code) : "")],
      [t("webhooks.id"), (d) => el("code", { text: d.delivery_id })],
      ["", replay],
    ],
    deliveries,
    { caption: t("webhooks.deliveries_of", { url: hook.url }), empty: t("webhooks.no_deliveries") },
  );
}

function hookActions(hook, reload, shown, said, log) {
  const path = `${HOOKS}/${encodeURIComponent(hook.endpoint_id)}`;
  const act = async (run) => {
    try {
      await run();
      await reload();
    } catch (error) {
      setMessage(said, problemText(error));
    }
  };
  const mark = (node, name) => {
    node.dataset.endpointId = hook.endpoint_id;
    node.classList.add(name);
    return node;
  };
  const openLog = async () => {
    const answer = await call(`${path}/deliveries`);
    log.replaceChildren(el("h3", { text: t("webhooks.deliveries_of", { url: hook.url }) }), deliveriesTable(hook, answer.deliveries, said, openLog));
  };
  const deliveries = mark(button(t("webhooks.deliveries"), () => act(openLog), { quiet: true }), "webhook-deliveries");
  const toggle = hook.enabled
    ? mark(button(t("webhooks.disable"), () => act(() => call(`${path}/disable`, { method: "POST" })), { quiet: true }), "webhook-disable")
    : mark(button(t("webhooks.enable"), () => act(() => call(`${path}/enable`, { method: "POST" })), { quiet: true }), "webhook-enable");
  const rotate = mark(button(t("webhooks.rotate"), () => act(async () => shown.replaceChildren(secretBox(await call(`${path}/rotate`, { method: "POST" })))), { quiet: true }), "webhook-rotate");
  const remove = mark(button(t("webhooks.delete"), () => {
    const sure = mark(button(t("webhooks.delete_confirm", { url: hook.url }), () => act(() => call(path, { method: "DELETE" })), { danger: true }), "webhook-delete-confirm");
    remove.replaceWith(sure);
    sure.focus();
  }, { quiet: true }), "webhook-delete");
  return el("div", { className: "card-actions" }, [deliveries, toggle, rotate, remove]);
}

export async function render(view) {
  view.append(el("h1", { className: "page-title", text: t("nav.webhooks") }));
  const shown = el("div", { attrs: { id: "webhook-issued" } });
  const listed = el("div", { attrs: { id: "webhooks-table" } });
  const log = el("div", { attrs: { id: "webhook-log" } });
  const said = el("p", { className: "message", attrs: { role: "status", id: "webhooks-said" } });
  said.hidden = true;
  const first = await call(HOOKS);
  const reload = async () => {
    const answer = await call(HOOKS);
    listed.replaceChildren(table(
      [
        [t("webhooks.url"), (h) => h.url],
        [t("webhooks.event_types"), (h) => h.event_types.join(", ")],
        [t("webhooks.state"), (h) => (h.enabled ? t("webhooks.enabled") : t("webhooks.disabled"))],
        [t("webhooks.created"), (h) => timeElement(h.created_at)],
        ["", (h) => hookActions(h, reload, shown, said, log)],
      ],
      answer.webhooks,
      { caption: t("webhooks.endpoints"), empty: t("webhooks.none") },
    ));
  };
  await reload();
  view.append(el("div", { className: "grid" }, [
    card(t("webhooks.endpoints"), [hint(t("webhooks.explain")), shown, said, listed, log], { id: "webhooks-endpoints", wide: true }),
    card(t("webhooks.add_title"), [createForm(first.event_types, shown, reload)], { id: "webhooks-add", wide: true }),
  ]));
}
