// The campaign being edited beside the version it will replace: only what changes, so the
// marketer confirms a new version knowing what it changes.

import { el, table } from "./dom.js";
import { formatTime, t } from "./i18n.js";

const TIMES = new Set(["starts_at", "ends_at"]);

function flat(value, prefix = "", into = {}) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [name, inner] of Object.entries(value)) flat(inner, prefix ? `${prefix}.${name}` : name, into);
  } else into[prefix] = value;
  return into;
}

function shown(path, value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "—";
  if (TIMES.has(path)) return formatTime(value);
  return Array.isArray(value) ? value.join(", ") : String(value);
}

// The current campaign in the shape of the body the builder sends.
export function asBody(c) {
  const cond = c.conditions || {};
  return {
    name: c.name,
    trigger: c.trigger,
    starts_at: c.starts_at || null,
    ends_at: c.ends_at || null,
    conditions: { channels: cond.channels || [], store_ids: cond.store_ids || [], categories: cond.categories || [], min_total: cond.min_total || null, tiers: cond.tiers || [] },
    audience: c.audience || null,
    effect: c.effect.type === "multiplier" ? { type: c.effect.type, factor: c.effect.factor } : { type: c.effect.type, points: c.effect.points },
    budget: c.budget || null,
    limits: c.limits || null,
    holdout_percent: c.holdout_percent,
  };
}

function same(path, before, after) {
  if (TIMES.has(path) && before && after) return new Date(before).getTime() === new Date(after).getTime();
  if (path === "effect.factor" && before && after) return Number(before) === Number(after);
  return JSON.stringify(before ?? null) === JSON.stringify(after ?? null);
}

export function comparison(campaign, next) {
  const before = flat(asBody(campaign));
  const after = flat(next);
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((p) => !same(p, before[p], after[p]));
  if (!paths.length) return el("p", { className: "hint", text: t("compare.nothing") });
  return table(
    [
      [t("compare.field"), (p) => p, "mono"],
      [t("compare.version", { version: campaign.version }), (p) => shown(p, before[p])],
      [t("compare.new_version", { version: campaign.version + 1 }), (p) => shown(p, after[p])],
    ],
    paths,
    { caption: t("compare.title") },
  );
}
