// Bulk codes of a coupon template, generated in batches of up to PART codes so a progress
// bar can follow (and goes on while the operator opens other pages, and is found again
// after its tab closed: jobs.js); each batch's codes download as a CSV file.

import { call } from "./api.js";
import { button, el, field, table } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { runJob, showJob } from "./jobs.js";

const PART = 2000;

async function allCodes(batchId) {
  const codes = [];
  let after = "";
  do {
    const query = new URLSearchParams({ limit: "1000", ...(after ? { after } : {}) });
    const page = await call(`/v1/admin/coupon-batches/${encodeURIComponent(batchId)}/codes?${query}`);
    codes.push(...page.codes);
    after = page.next_after || "";
  } while (after);
  return codes;
}

function downloadLink(batch) {
  const link = el("a", { text: t("coupons_admin.download"), attrs: { href: "#", "data-batch-id": batch.batch_id } });
  link.addEventListener("click", async (event) => {
    if (link.getAttribute("download")) return;
    event.preventDefault();
    const codes = await allCodes(batch.batch_id);
    const csv = ["code,coupon_id,valid_until", ...codes.map((c) => `${c.code},${c.coupon_id},${c.valid_until || ""}`)].join("\n");
    link.href = URL.createObjectURL(new Blob([csv + "\n"], { type: "text/csv" }));
    link.setAttribute("download", `${batch.batch_id}.csv`);
    link.click();
  });
  return link;
}

async function generate(template, total, progress) {
  const batches = [];
  const path = `/v1/admin/coupon-templates/${encodeURIComponent(template.template_id)}/batches`;
  for (let made = 0; made < total;) {
    progress(made, total, batches);
    const size = Math.min(PART, total - made);
    batches.push(await call(path, { method: "POST", json: { count: size } }));
    made += size;
  }
  progress(total, total, batches);
  return batches;
}

export function generator(template) {
  const key = `coupon-codes-${template.template_id}`;
  const record = {
    kind: "coupon_codes",
    subject: template.template_id,
    save: (made) => ({ batches: made.map((b) => ({ batch_id: b.batch_id, count: b.count })) }),
    restore: (kept) => kept.batches || [],
  };
  const count = el("input", { attrs: { type: "number", min: "1", max: "100000", value: "1000" } });
  const progress = el("progress", { attrs: { max: "1", value: "0", "aria-label": t("coupons_admin.progress") } });
  progress.hidden = true;
  const status = el("p", { className: "hint", attrs: { role: "status", id: `generate-status-${template.template_id}` } });
  const batches = el("div");
  const start = button(t("coupons_admin.generate"), () => {
    const total = Number(count.value);
    if (Number.isInteger(total) && total >= 1) runJob(key, (step) => generate(template, total, step), record);
  }, { quiet: true, id: `generate-${template.template_id}` });
  showJob(key, status, (job) => {
    start.disabled = job.state === "running" || job.state === "elsewhere";
    progress.hidden = job.state === "idle";
    progress.max = job.total || 1;
    progress.value = job.done || 0;
    if (job.state === "failed") status.textContent = job.error.detail;
    else if (job.state === "left") status.textContent = t("coupons_admin.left", { made: formatNumber(job.done), total: formatNumber(job.total) });
    else if (job.state !== "idle") status.textContent = t("coupons_admin.generated", { made: formatNumber(job.done), total: formatNumber(job.total) });
    const done = job.state === "done" ? job.result : job.partial || [];
    batches.replaceChildren(done.length ? table([[t("coupons_admin.batch"), (b) => b.batch_id, "mono"], [t("coupons_admin.count"), (b) => formatNumber(b.count), "num"], ["", downloadLink]], done) : "");
  }, record);
  return el("div", { className: "generator" }, [
    el("div", { className: "fields" }, [
      field(t("coupons_admin.how_many"), count, { id: `generate-count-${template.template_id}` }),
      el("div", { className: "actions" }, [start]),
    ]),
    progress,
    status,
    batches,
  ]);
}
