// The tenant's exchange rates to its base currency: the list (newest first by currency),
// one rate set from a date and time, and a CSV file (currency,valid_from,rate) kept whole
// or not at all: a refused file lists every wrong row.

import { call } from "./api.js";
import { card, el, field, hint, setMessage, table } from "./dom.js";
import { formatTime, localInputToIso, t } from "./i18n.js";
import { may } from "./shell.js";

const RATES = "/v1/admin/exchange-rates";

// A 422's errors by field, the path's and the body's alike ("path.currency" → "currency").
function errorsByField(error) {
  const found = {};
  for (const item of error.body?.errors || []) {
    const name = String(item.location || "").replace(/^(body|path)\.?/, "");
    if (name && !found[name]) found[name] = item.message;
  }
  return found;
}

function ratesTable(listed) {
  return table(
    [
      [t("rates.currency"), (r) => r.currency, "mono"],
      [t("rates.valid_from"), (r) => formatTime(r.valid_from)],
      [t("rates.rate"), (r) => r.rate, "num"],
      [t("rates.set_by"), (r) => r.set_by, "mono"],
    ],
    listed.rates,
    { empty: t("rates.none"), caption: t("rates.title") },
  );
}

function setForm(refresh) {
  const currency = el("input", { attrs: { type: "text", maxlength: "3", autocomplete: "off", placeholder: "USD" } });
  const validFrom = el("input", { attrs: { type: "datetime-local" } });
  const rate = el("input", { attrs: { type: "text", inputmode: "decimal", placeholder: "7.1234" } });
  const message = el("p", { className: "message", attrs: { role: "status" } });
  message.hidden = true;
  const submit = el("button", { className: "button", text: t("rates.set"), attrs: { type: "submit", id: "rates-set-submit" } });
  const form = el("form", { attrs: { id: "rates-set", novalidate: true } }, [
    el("div", { className: "form-grid" }, [
      field(t("rates.currency"), currency, { id: "rates-set-currency" }),
      field(t("rates.valid_from"), validFrom, { id: "rates-set-valid-from" }),
      field(t("rates.rate"), rate, { id: "rates-set-rate" }),
    ]),
    el("div", { className: "actions" }, [submit]),
    message,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const node of form.querySelectorAll(".field-error")) node.hidden = true;
    submit.disabled = true;
    try {
      const code = currency.value.trim().toUpperCase();
      const body = { valid_from: localInputToIso(validFrom.value), rate: rate.value.trim() };
      const kept = await call(`${RATES}/${encodeURIComponent(code || "-")}`, { method: "PUT", json: body });
      setMessage(message, t(`rates.outcome.${kept.outcome}`, { currency: kept.currency, rate: kept.rate }), "info");
      await refresh();
    } catch (error) {
      const errors = errorsByField(error);
      for (const [name, text] of Object.entries(errors)) {
        const node = form.querySelector(`#rates-set-${name.replace(/_/g, "-")}-error`);
        if (node) Object.assign(node, { textContent: text, hidden: false });
      }
      setMessage(message, Object.keys(errors).length ? t("rates.refused") : error.detail);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function importForm(refresh) {
  const file = el("input", { attrs: { type: "file", accept: ".csv,text/csv" } });
  const status = el("p", { className: "hint", attrs: { role: "status", id: "rates-import-status" } });
  const report = el("div", { attrs: { id: "rates-import-report" } });
  const submit = el("button", { className: "button", text: t("rates.import"), attrs: { type: "submit", id: "rates-import-submit" } });
  const form = el("form", { attrs: { id: "rates-import", novalidate: true } }, [
    field(t("rates.file"), file, { id: "rates-import-file" }),
    el("div", { className: "actions" }, [submit]),
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!file.files.length) return;
    submit.disabled = true;
    report.replaceChildren();
    try {
      const answer = await call(`${RATES}/import`, { method: "POST", text: await file.files[0].text(), contentType: "text/csv" });
      status.textContent = t("rates.imported", { rows: answer.rows.length });
      report.replaceChildren(table(
        [[t("bulk.row"), (r) => r.row, "num"], [t("rates.currency"), (r) => r.currency, "mono"], [t("rates.valid_from"), (r) => formatTime(r.valid_from)], [t("rates.rate"), (r) => r.rate, "num"], [t("rates.what"), (r) => t(`rates.outcome_short.${r.outcome}`)]],
        answer.rows,
        { caption: t("rates.imported_rows") },
      ));
      await refresh();
    } catch (error) {
      const wrong = error.body?.errors || [];
      status.textContent = wrong.length ? t("rates.file_refused", { rows: wrong.length }) : error.detail;
      report.replaceChildren(table(
        [[t("rates.where"), (e) => e.location, "mono"], [t("bulk.why"), (e) => e.message]],
        wrong,
        { caption: t("rates.refused_rows") },
      ));
    } finally {
      submit.disabled = false;
    }
  });
  return [form, status, report];
}

export async function ratesCard() {
  const listing = el("div", { attrs: { id: "rates-list" } });
  const intro = hint("");
  const refresh = async () => {
    const listed = await call(RATES);
    intro.textContent = t("rates.hint", { base: listed.base_currency });
    listing.replaceChildren(ratesTable(listed));
  };
  await refresh();
  const parts = [intro, listing];
  if (may("PUT", `${RATES}/{currency}`)) parts.push(el("h3", { text: t("rates.set_title") }), setForm(refresh));
  if (may("POST", `${RATES}/import`)) parts.push(el("h3", { text: t("rates.import_title") }), hint(t("rates.import_hint")), ...importForm(refresh));
  return card(t("rates.title"), parts, { id: "rates-panel", wide: true });
}
