// Audit: admins and auditors search the operators' audit trail (who, when, from where,
// what, the fields before and after; personal fields named only) and export it as CSV.

import { call } from "./api.js";
import { button, card, el, field, hint } from "./dom.js";
import { localInputToIso, t } from "./i18n.js";
import { entriesTable } from "./trail-table.js";

const FILTERS = ["actor", "resource", "action"];
const PAGE_SIZE = 50;

function textInput() {
  return el("input", { attrs: { type: "text", spellcheck: "false", autocomplete: "off" } });
}

function queryOf(inputs) {
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = inputs[name].value.trim();
    if (value) query.set(name, value);
  }
  for (const name of ["from", "to"]) {
    const value = localInputToIso(inputs[name].value);
    if (value) query.set(name, value);
  }
  return query;
}

export async function render(view) {
  view.append(el("h1", { className: "page-title", text: t("nav.audit") }));
  const inputs = Object.fromEntries(FILTERS.map((name) => [name, textInput()]));
  inputs.from = el("input", { attrs: { type: "datetime-local" } });
  inputs.to = el("input", { attrs: { type: "datetime-local" } });
  const results = el("div", { attrs: { id: "audit-results", "aria-live": "polite" } });
  const exportLink = el("a", { className: "button button-quiet", text: t("trail.export"), attrs: { id: "audit-export", download: "audit-trail.csv" } });
  const submit = el("button", { className: "button", text: t("trail.search"), attrs: { type: "submit", id: "audit-search" } });
  const form = el("form", { className: "fields", attrs: { id: "audit-form", novalidate: true } }, [
    ...["actor", "resource", "action", "from", "to"].map((name) => field(t(`trail.filter.${name}`), inputs[name], { id: `audit-${name}` })),
    el("div", { className: "actions" }, [submit, exportLink]),
  ]);

  async function show(query, cursor, shown) {
    const params = new URLSearchParams(query);
    params.set("limit", String(PAGE_SIZE));
    if (cursor) params.set("cursor", cursor);
    submit.disabled = true;
    try {
      const page = await call(`/v1/admin/audit?${params}`);
      const entries = [...shown, ...page.entries];
      const more = page.next_cursor
        ? button(t("trail.more"), () => show(query, page.next_cursor, entries), { quiet: true, id: "audit-more" })
        : null;
      results.replaceChildren(entriesTable(entries), ...(more ? [more] : []));
    } catch (error) {
      results.replaceChildren(el("p", { className: "problem", text: error.detail, attrs: { role: "alert" } }));
    } finally {
      submit.disabled = false;
    }
  }

  function search() {
    const query = queryOf(inputs);
    exportLink.setAttribute("href", `/v1/admin/audit/export?${query}`);
    return show(query, null, []);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  view.append(
    el("div", { className: "grid" }, [
      card(t("trail.title"), [hint(t("trail.explain")), form, results], { id: "audit-trail", wide: true }),
    ]),
  );
  await search();
}
