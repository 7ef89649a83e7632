// Bulk adjustments from a CSV file (member_id,points,reason): the whole file is sent once
// and the gateway applies it in the background (`?async=true`), so the operator may open
// other pages, close the tab or sign out, and the page shows where it is on coming back
// (jobs.js follows its operation). Sending the same file again applies only what did not
// apply yet. Every rejected row is listed with its reason.

import { call } from "./api.js";
import { card, el, field, hint, table } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { runInBackground, showJob } from "./jobs.js";

// The report as the operation keeps it; records of files sent in parts by a page (before
// the gateway ran them) said `already`.
const restore = (report) => ({ rows: report.rows, accepted: report.accepted, already: report.already_applied ?? report.already, rejected: report.rejected });
const RECORD = { kind: "bulk_adjustment", subject: "", restore };

async function fileId(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `csv-${[...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function start(text, id) {
  const path = `/v1/admin/points/adjustments/bulk?async=true&file_id=${encodeURIComponent(id)}`;
  return call(path, { method: "POST", text, contentType: "text/csv" });
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
    if (job.state === "running") status.textContent = job.operationId ? t("bulk.applying", { done: formatNumber(job.done), total: formatNumber(job.total) }) : t("bulk.uploading");
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
    const id = await fileId(text);
    runInBackground("bulk-adjustments", () => start(text, id), restore);
  });
  return card(t("bulk.title"), [hint(t("bulk.hint")), form, progress, status, report], { id: "bulk-panel", wide: true });
}
