// Bulk adjustments from a CSV file (member_id,points,reason): sent in parts, each part
// with its own file id, so the progress shows and sending the same file again applies
// only what did not apply yet. Every rejected row is listed with its reason. The file goes
// on while the operator opens other pages (jobs.js); coming back shows where it is, also
// after the tab that sent it closed (the API keeps the job's record).

import { call } from "./api.js";
import { card, el, field, hint, table } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { runJob, showJob } from "./jobs.js";

const PART_ROWS = 200;
// What the job's record keeps: the totals, and the first rejected rows.
const KEPT_REJECTIONS = 500;
const RECORD = {
  kind: "bulk_adjustment",
  subject: "",
  save: (totals) => ({ ...totals, rejected: totals.rejected.slice(0, KEPT_REJECTIONS) }),
};

async function fileId(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `csv-${[...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function parts(text) {
  const lines = text.split(/\r?\n/).filter((line) => line.trim());
  const [header, ...rows] = lines;
  const chunks = [];
  for (let start = 0; start < rows.length; start += PART_ROWS) chunks.push({ start, text: [header, ...rows.slice(start, start + PART_ROWS)].join("\n") + "\n" });
  return chunks;
}

async function apply(text, progress) {
  const chunks = parts(text);
  const base = await fileId(text);
  const totals = { rows: 0, accepted: 0, already: 0, rejected: [] };
  for (const [index, chunk] of chunks.entries()) {
    progress(index, chunks.length, totals);
    const path = `/v1/admin/points/adjustments/bulk?file_id=${base}-${index + 1}`;
    const answer = await call(path, { method: "POST", text: chunk.text, contentType: "text/csv" });
    totals.rows += answer.rows;
    totals.accepted += answer.accepted;
    totals.already += answer.already_applied;
    totals.rejected.push(...answer.rejected.map((row) => ({ ...row, row: row.row + chunk.start })));
  }
  progress(chunks.length, chunks.length, totals);
  return totals;
}

export function bulkCard() {
  const file = el("input", { attrs: { type: "file", accept: ".csv,text/csv" } });
  const progress = el("progress", { attrs: { max: "1", value: "0", id: "bulk-progress", "aria-label": t("bulk.progress") } });
  progress.hidden = true;
  const status = el("p", { className: "hint", attrs: { role: "status", id: "bulk-status" } });
  const report = el("div", { attrs: { id: "bulk-report" } });
  const submit = el("button", { className: "button", text: t("bulk.apply"), attrs: { type: "submit", id: "bulk-apply" } });
  const form = el("form", { attrs: { id: "bulk-form", novalidate: true } }, [field(t("bulk.file"), file, { id: "bulk-file" }), el("div", { className: "actions" }, [submit])]);
  const draw = (job) => {
    submit.disabled = job.state === "running";
    progress.hidden = job.state === "idle";
    progress.max = job.total || 1;
    progress.value = job.done || 0;
    if (job.state === "running") status.textContent = t("bulk.sending", { part: Math.min(job.done + 1, job.total), parts: job.total });
    if (job.state === "failed") status.textContent = job.error.detail;
    if (job.state === "left") status.textContent = t("bulk.left", { part: formatNumber(job.done), parts: formatNumber(job.total) });
    if (job.state === "elsewhere") status.textContent = t("bulk.elsewhere", { part: formatNumber(job.done), parts: formatNumber(job.total) });
    if (job.state !== "done") return;
    const totals = job.result;
    status.textContent = t("bulk.done", { rows: formatNumber(totals.rows), accepted: formatNumber(totals.accepted), already: formatNumber(totals.already), rejected: formatNumber(totals.rejected.length) });
    report.replaceChildren(table(
      [[t("bulk.row"), (r) => r.row, "num"], [t("member.id"), (r) => r.member_id, "mono"], [t("bulk.why"), (r) => r.reason]],
      totals.rejected,
      { empty: t("bulk.none_rejected"), caption: t("bulk.rejected") },
    ));
  };
  showJob("bulk-adjustments", status, draw, RECORD);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!file.files.length) return;
    const text = await file.files[0].text();
    report.replaceChildren();
    runJob("bulk-adjustments", (step) => apply(text, step), { ...RECORD, subject: await fileId(text) });
  });
  return card(t("bulk.title"), [hint(t("bulk.hint")), form, progress, status, report], { id: "bulk-panel", wide: true });
}
