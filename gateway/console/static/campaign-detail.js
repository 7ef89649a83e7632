// One campaign: its definition, what editors may do with it (activate, pause, edit into a
// new version, a dry run on a sample cart, a backtest with its chart) and its results.

import { call } from "./api.js";
import { dayChart } from "./chart-days.js";
import { button, card, el, facts, field, hint, setMessage } from "./dom.js";
import { formatDate, formatMoney, formatNumber, formatPoints, formatTime, t, timeElement } from "./i18n.js";
import { DAILY, renderResults } from "./campaign-results.js";
import { runInBackground, showJob } from "./jobs.js";
import { go, may } from "./shell.js";

const C = "/v1/admin/campaigns/{campaign_id}";

function effectText(effect) {
  if (effect.type === "multiplier") return t("campaign.effect.multiplier", { factor: effect.factor });
  if (effect.type === "bonus_points") return t("campaign.effect.bonus_points", { points: formatPoints(effect.points) });
  return t("campaign.effect.coupon", { template: effect.template_id });
}

function audienceText(c, segment) {
  if (!c.audience) return t("builder.everyone");
  if (!segment) return c.audience.segment_id;
  return t("builder.segment_option", { name: segment.name, size: formatNumber(segment.size), count: segment.size });
}

function definition(c, segment) {
  const cond = c.conditions;
  const any = (values) => (values.length ? values.join(", ") : t("builder.any"));
  return card(t("campaign.definition"), [facts([
    [t("campaign.status"), t(`campaign.status.${c.status}`)],
    [t("campaign.version"), c.version],
    [t("campaign.trigger"), t(`campaign.trigger.${c.trigger}`)],
    [t("campaign.effect"), effectText(c.effect)],
    [t("builder.segment"), audienceText(c, segment)],
    [t("builder.channels"), any(cond.channels.map((ch) => t(`channel.${ch}`)))],
    [t("campaign.categories"), any(cond.categories)],
    [t("builder.min_total"), cond.min_total ? formatMoney(cond.min_total) : t("builder.any")],
    [t("campaign.starts_at"), timeElement(c.starts_at)],
    [t("campaign.ends_at"), timeElement(c.ends_at)],
    [t("campaign.budget"), c.budget ? formatPoints(c.budget.points) : t("campaign.unlimited")],
    [t("campaign.per_member"), c.limits ? formatPoints(c.limits.per_member) : t("campaign.unlimited")],
    [t("campaign.holdout"), `${c.holdout_percent}%`],
  ])], { id: "campaign-definition" });
}

function actions(c, message) {
  const act = (verb) => async () => {
    try {
      await call(`/v1/admin/campaigns/${encodeURIComponent(c.campaign_id)}/${verb}`, { method: "POST" });
      go("campaigns", c.campaign_id);
    } catch (error) {
      setMessage(message, error.detail);
    }
  };
  const buttons = [];
  if (may("POST", `${C}/activate`) && c.status !== "active" && c.status !== "ended") buttons.push(button(t("campaign.activate"), act("activate"), { id: "campaign-activate" }));
  if (may("POST", `${C}/pause`) && c.status === "active") buttons.push(button(t("campaign.pause"), act("pause"), { quiet: true, id: "campaign-pause" }));
  if (may("PUT", C) && c.status !== "ended") buttons.push(button(t("campaign.edit"), () => go("campaigns", c.campaign_id, "edit"), { quiet: true, id: "campaign-edit" }));
  return buttons;
}

// Daily points granted, and with a budget its burn over time; the day it runs out marked.
function backtestCharts(result, budget) {
  const daily = result.daily || [];
  const days = daily.map((d) => d.date);
  const marker = result.budget_ran_out_on ? { day: result.budget_ran_out_on, label: t("backtest.runs_out_marker") } : null;
  const common = { days, marker, dateLabel: t("results.date") };
  const charts = [dayChart({ ...common, id: "backtest-chart", title: t("backtest.chart_title", { days: result.days }), series: [
    { label: t("backtest.points_granted"), values: daily.map((d) => d.points_granted), display: (v) => formatPoints(v) },
  ] })];
  if (budget) {
    charts.push(dayChart({ ...common, id: "backtest-budget-chart", title: t("backtest.burn_title"), series: [
      { label: t("backtest.budget_used"), values: daily.map((d) => budget - (d.budget_left ?? budget)), display: (v) => formatPoints(v), kind: "line", tone: "warn" },
      { label: t("backtest.budget_left"), values: daily.map((d) => d.budget_left ?? 0), display: (v) => formatPoints(v), kind: "line", tone: "muted" },
    ] }));
  }
  return charts;
}

function backtestCard(c) {
  const key = `backtest-${c.campaign_id}`;
  const record = { kind: "backtest", subject: c.campaign_id };
  const days = el("input", { attrs: { type: "number", min: "1", max: "366", value: "30" } });
  const out = el("div", { attrs: { id: "backtest-result", "aria-live": "polite" } });
  // Run by the gateway in the background: the page may close meanwhile.
  const path = `/v1/admin/campaigns/${encodeURIComponent(c.campaign_id)}/backtest?async=true`;
  const run = button(t("backtest.run"), () => {
    const body = { days: Number(days.value) };
    runInBackground(key, () => call(path, { method: "POST", json: body }));
  }, { id: "backtest-run" });
  showJob(key, out, (job) => {
    run.disabled = job.state === "running";
    if (job.state === "running" || job.state === "elsewhere") out.replaceChildren(hint(t("backtest.running")));
    if (job.state === "left") out.replaceChildren(hint(t("backtest.left")));
    if (job.state === "failed") out.replaceChildren(el("p", { className: "problem", text: job.error.detail, attrs: { role: "alert" } }));
    if (job.state !== "done") return;
    const result = job.result;
    out.replaceChildren(
      job.updatedAt ? hint(t("backtest.kept", { time: formatTime(job.updatedAt) })) : "",
      ...backtestCharts(result, c.budget?.points),
      facts([
        [t("backtest.orders_replayed"), formatPoints(result.orders_replayed)],
        [t("results.members_reached"), formatPoints(result.members_reached)],
        [t("backtest.runs_out"), result.budget_ran_out_on ? formatDate(result.budget_ran_out_on) : t("backtest.lasts")],
      ]),
    );
  }, record);
  return card(t("backtest.title"), [
    hint(t("backtest.hint")),
    el("div", { className: "fields" }, [field(t("backtest.days"), days, { id: "backtest-days" }), el("div", { className: "actions" }, [run])]),
    out,
  ], { id: "backtest-panel", wide: true });
}

function dryRunCard(c) {
  const member = el("input", { attrs: { type: "text", spellcheck: "false" } });
  const total = el("input", { attrs: { type: "text", inputmode: "decimal", value: "399.00" } });
  const category = el("input", { attrs: { type: "text", value: (c.conditions.categories || [])[0] || "" } });
  const out = el("div", { attrs: { id: "dry-run-result", "aria-live": "polite" } });
  const run = async () => {
    const line = { sku: "SAMPLE-1", category: category.value.trim() || "general", quantity: 1, unit_price: total.value.trim() };
    const body = { member_id: member.value.trim(), channel: "pos", store_id: (c.conditions.store_ids || [])[0] || "S001", total: total.value.trim(), lines: [line] };
    try {
      const result = await call(`/v1/admin/campaigns/${encodeURIComponent(c.campaign_id)}/dry-run`, { method: "POST", json: body });
      out.replaceChildren(el("p", { className: `badge ${result.applies ? "badge-up" : "badge-muted"}`, text: result.applies ? t("dry_run.applies", { points: formatPoints(result.points) }) : t("dry_run.skipped", { reason: result.reason || "—" }) }));
    } catch (error) {
      out.replaceChildren(el("p", { className: "problem", text: error.detail, attrs: { role: "alert" } }));
    }
  };
  return card(t("dry_run.title"), [
    el("div", { className: "form-grid" }, [field(t("member.id"), member, { id: "dry-run-member" }), field(t("dry_run.total"), total, { id: "dry-run-total" }), field(t("dry_run.category"), category, { id: "dry-run-category" })]),
    el("div", { className: "actions" }, [button(t("dry_run.run"), run, { quiet: true, id: "dry-run-run" })]),
    out,
  ], { id: "dry-run-panel" });
}

export async function renderDetail(view, campaignId) {
  const c = await call(`/v1/admin/campaigns/${encodeURIComponent(campaignId)}`);
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  view.append(
    el("div", { className: "card-head" }, [el("h2", { text: (c.localized || c).name, attrs: { id: "campaign-title" } }), el("div", { className: "card-actions" }, actions(c, message))]),
    message,
  );
  const id = encodeURIComponent(c.campaign_id);
  const [segment, daily] = await Promise.all([
    c.audience ? call(`/v1/admin/segments/${encodeURIComponent(c.audience.segment_id)}`).catch(() => null) : null,
    may("GET", DAILY) ? call(`/v1/admin/campaigns/${id}/results/daily`).catch(() => null) : null,
  ]);
  const grid = el("div", { className: "grid" }, [definition(c, segment), renderResults(c, daily?.days)]);
  if (may("POST", `${C}/dry-run`)) grid.append(dryRunCard(c));
  if (may("POST", `${C}/backtest`)) grid.append(backtestCard(c));
  view.append(grid);
}
