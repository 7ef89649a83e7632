// Segments: the audiences of campaigns. Build one from the available filters, preview how
// many members it holds, save it; the list shows each one's size and when its membership
// was last refreshed (in the background).

import { call, problemText } from "./api.js";
import { button, card, checkboxes, checkedValues, el, field, hint, setMessage, table } from "./dom.js";
import { formatNumber, t, timeElement } from "./i18n.js";
import { go, may } from "./shell.js";

const CHANNELS = ["pos", "ecommerce", "miniprogram", "app"];
const NUMBERS = ["recency_days", "window_days", "min_orders"];
// Rules the builder has no input for (an RFM cell's upper bounds): kept as they are.
const KEPT = ["min_days_since_purchase", "max_orders", "max_spend", "profiling_consent"];

function rulesOf(form, inputs, saved = {}) {
  const checked = (name) => checkedValues(form, name);
  const rules = Object.fromEntries(KEPT.filter((name) => name in saved).map((name) => [name, saved[name]]));
  Object.assign(rules, { tiers: checked("segment-tiers"), channels: checked("segment-channels"), marketing_consent: inputs.consent.checked });
  rules.store_ids = inputs.store_ids.value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of NUMBERS) rules[name] = inputs[name].value === "" ? null : Number(inputs[name].value);
  rules.min_spend = inputs.min_spend.value.trim() || null;
  return rules;
}

async function builder(view, segment) {
  const program = await call("/v1/admin/tier-program").catch(() => ({ tiers: [] }));
  const r = segment?.rules || {};
  const inputs = {
    name: el("input", { attrs: { type: "text", value: segment?.name || "", maxlength: "200" } }),
    store_ids: el("input", { attrs: { type: "text", value: (r.store_ids || []).join(", "), placeholder: "S001, S002" } }),
    consent: el("input", { attrs: { type: "checkbox", id: "segment-consent", checked: Boolean(r.marketing_consent) } }),
    min_spend: el("input", { attrs: { type: "text", inputmode: "decimal", value: r.min_spend || "" } }),
  };
  for (const name of NUMBERS) inputs[name] = el("input", { attrs: { type: "number", min: "1", step: "1", value: r[name] ?? "" } });
  const size = el("p", { className: "tile-value", attrs: { id: "segment-size", "aria-live": "polite" }, text: "—" });
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  const form = el("form", { attrs: { id: "segment-form", novalidate: true } }, [
    field(t("segments.name"), inputs.name, { id: "segment-name" }),
    checkboxes("segment-tiers", t("builder.tiers"), program.tiers.map((tier) => [tier.code, tier.name]), r.tiers || []),
    checkboxes("segment-channels", t("segments.enrolled_via"), CHANNELS.map((c) => [c, t(`channel.${c}`)]), r.channels || []),
    el("label", { className: "choice" }, [inputs.consent, t("segments.consent")]),
    el("div", { className: "form-grid" }, [
      field(t("segments.stores"), inputs.store_ids, { id: "segment-store-ids" }),
      ...NUMBERS.map((name) => field(t(`segments.${name}`), inputs[name], { id: `segment-${name.replace(/_/g, "-")}` })),
      field(t("segments.min_spend"), inputs.min_spend, { id: "segment-min-spend" }),
    ]),
    el("div", { className: "actions" }, [
      button(t("segments.preview"), async () => {
        try {
          const answer = await call("/v1/admin/segments/preview", { method: "POST", json: { rules: rulesOf(form, inputs, r) } });
          size.textContent = t("segments.size", { size: formatNumber(answer.size), count: answer.size });
        } catch (error) {
          setMessage(message, problemText(error));
        }
      }, { quiet: true, id: "segment-preview" }),
      el("button", { className: "button", text: t("segments.save"), attrs: { type: "submit", id: "segment-save" } }),
    ]),
    message,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: inputs.name.value.trim(), rules: rulesOf(form, inputs, r) };
    try {
      const path = segment ? `/v1/admin/segments/${encodeURIComponent(segment.segment_id)}` : "/v1/admin/segments";
      await call(path, { method: segment ? "PUT" : "POST", json: body });
      go("segments");
    } catch (error) {
      setMessage(message, problemText(error));
    }
  });
  view.append(card(segment ? segment.name : t("segments.new"), [form, el("div", { className: "tile" }, [el("span", { className: "tile-label", text: t("segments.previewed") }), size])], { id: "segment-builder", wide: true }));
}

async function list(view) {
  const answer = await call("/v1/admin/segments");
  const editable = may("PUT", "/v1/admin/segments/{segment_id}");
  const name = (s) => (editable ? el("a", { text: s.name, attrs: { href: `#/segments/${encodeURIComponent(s.segment_id)}` } }) : s.name);
  const actions = may("POST", "/v1/admin/segments") ? [button(t("segments.new"), () => go("segments", "new"), { id: "segment-new" })] : [];
  view.append(card(t("segments.list_title"), [table(
    [
      [t("segments.name"), name],
      [t("segments.members"), (s) => formatNumber(s.size), "num"],
      [t("segments.refreshed_at"), (s) => timeElement(s.refreshed_at)],
      [t("segments.id"), (s) => s.segment_id, "mono"],
    ],
    answer.segments,
    { empty: t("segments.none"), caption: t("segments.list_title") },
  ), hint(t("segments.refresh_hint"))], { id: "segments-list", wide: true, actions }));
}

export async function render(view, context) {
  view.append(el("h1", { className: "page-title", text: t("nav.segments") }));
  const [id] = context.args;
  if (id === "new" && may("POST", "/v1/admin/segments")) await builder(view, null);
  else if (id && may("PUT", "/v1/admin/segments/{segment_id}")) await builder(view, await call(`/v1/admin/segments/${encodeURIComponent(id)}`));
  else await list(view);
}
