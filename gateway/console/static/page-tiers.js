// The tier program: tiers with their thresholds and earning multipliers, how many members
// hold each now (counted by the segment preview), and for an admin the editor.

import { call, problemText } from "./api.js";
import { barChart } from "./chart.js";
import { button, card, el, facts, field, hint, setMessage } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { go, may } from "./shell.js";

async function counts(program) {
  if (!may("POST", "/v1/admin/segments/preview")) return null;
  const sizes = await Promise.all(program.tiers.map((tier) =>
    call("/v1/admin/segments/preview", { method: "POST", json: { rules: { tiers: [tier.code] } } }).then((a) => a.size, () => null),
  ));
  return sizes;
}

const COLUMNS = ["code", "name", "name_zh", "threshold", "multiplier"];

function tierRow(tier, editable) {
  const cell = (name, type, value, extra = {}) => {
    const input = el("input", { attrs: { type, value, name, readonly: !editable, "aria-label": t(`tiers.${name}`), ...(type === "number" ? { min: "0", step: "1" } : {}), ...extra } });
    return el("td", {}, [input]);
  };
  const chinese = tier.translations?.["zh-CN"]?.name || "";
  return el("tr", { className: "tier-row" }, [cell("code", "text", tier.code), cell("name", "text", tier.name), cell("name_zh", "text", chinese, { lang: "zh-CN" }), cell("threshold", "number", tier.threshold), cell("multiplier", "text", tier.multiplier)]);
}

// A tier's translations with its Chinese name as typed (other languages kept).
function translations(tier, chinese) {
  const all = { ...(tier?.translations || {}) };
  if (chinese) all["zh-CN"] = { name: chinese };
  else delete all["zh-CN"];
  return all;
}

function programForm(program) {
  const editable = may("PUT", "/v1/admin/tier-program");
  const body = el("tbody", {}, program.tiers.map((tier) => tierRow(tier, editable)));
  const head = el("tr", {}, COLUMNS.map((name) => el("th", { text: t(`tiers.${name}`), attrs: { scope: "col" } })));
  const window = el("input", { attrs: { type: "number", min: "1", value: program.window_days, readonly: !editable } });
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  const children = [
    el("div", { className: "table-scroll" }, [el("table", { className: "table tier-table" }, [el("thead", {}, [head]), body])]),
    el("div", { className: "form-grid" }, [field(t("tiers.window_days"), window, { id: "tiers-window" })]),
    facts([[t("tiers.metric"), t(`tier.metric.${program.qualifying_metric}`)], [t("tiers.downgrade"), t(`tiers.downgrade.${program.downgrade_policy}`)]]),
  ];
  if (editable) {
    const add = button(t("tiers.add"), () => body.append(tierRow({ code: "", name: "", threshold: 0, multiplier: "1" }, true)), { quiet: true, id: "tiers-add" });
    const save = el("button", { className: "button", text: t("tiers.save"), attrs: { type: "submit", id: "tiers-save" } });
    children.push(el("div", { className: "actions" }, [add, save]), message);
  }
  const form = el("form", { attrs: { id: "tiers-form", novalidate: true } }, children);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const tiers = [...body.querySelectorAll("tr")].map((row) => {
      const value = (name) => row.querySelector(`input[name="${name}"]`).value.trim();
      const before = program.tiers.find((tier) => tier.code === value("code"));
      return { code: value("code"), name: value("name"), translations: translations(before, value("name_zh")), threshold: Number(value("threshold")), multiplier: value("multiplier") };
    }).filter((tier) => tier.code);
    const { version, ...rest } = program;
    try {
      await call("/v1/admin/tier-program", { method: "PUT", json: { ...rest, tiers, window_days: Number(window.value) } });
      go("tiers");
    } catch (error) {
      setMessage(message, problemText(error));
    }
  });
  return form;
}

export async function render(view) {
  view.append(el("h1", { className: "page-title", text: t("nav.tiers") }));
  const program = await call("/v1/admin/tier-program");
  const sizes = await counts(program);
  const cards = [card(t("tiers.program", { version: program.version }), [programForm(program)], { id: "tiers-program", wide: true })];
  if (sizes) {
    const bars = program.tiers.map((tier, i) => ({ label: (tier.localized || tier).name, value: sizes[i] ?? 0, display: sizes[i] === null ? "—" : formatNumber(sizes[i]) }));
    cards.push(card(t("tiers.members_title"), [barChart({ id: "tiers-chart", title: t("tiers.members_title"), bars, valueLabel: t("segments.members") })], { id: "tiers-members", wide: true }));
  } else cards.push(card(t("tiers.members_title"), [hint(t("tiers.no_counts"))], { id: "tiers-members" }));
  view.append(el("div", { className: "grid" }, cards));
}
