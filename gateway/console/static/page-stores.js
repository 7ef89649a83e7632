// A store manager's view: the overview and sales of their own stores (the API narrows
// every answer to them), all of them together or one at a time.

import { call } from "./api.js";
import { rangeForm, rangeOf, reportPath } from "./analytics-view.js";
import { el, field } from "./dom.js";
import { t } from "./i18n.js";
import { overviewCards, salesCards } from "./page-dashboard.js";
import { may, whoami } from "./shell.js";

const PAGE = "stores";

export async function render(view, { args }) {
  const mine = whoami().stores;
  const store = mine.includes(args[2]) ? args[2] : "";
  view.append(el("h1", { className: "page-title", text: t("nav.stores") }));
  const params = { ...rangeOf(args), store_id: store };
  const overview = await call(reportPath("overview", params));
  const shown = { from: overview.range.from, to: overview.range.to, store_id: store };
  const sales = may("GET", "/v1/admin/analytics/sales") ? await call(reportPath("sales", shown)) : null;
  const choice = el("select", {}, [
    el("option", { text: t("analytics.all_my_stores"), attrs: { value: "" } }),
    ...mine.map((id) => el("option", { text: id, attrs: { value: id, selected: id === store } })),
  ]);
  const form = rangeForm(PAGE, shown, { fields: [field(t("analytics.store"), choice, { id: "stores-store" })], args: () => [choice.value] });
  view.append(form);
  const cards = overviewCards(overview, shown, PAGE);
  if (sales) cards.push(...salesCards(sales, shown, PAGE, "store"));
  view.append(el("div", { className: "grid" }, cards));
}
