// Long operations (bulk adjustments, code generation, backtests) are followed here, not in
// a page: the operator may open other pages meanwhile, and the page shows the job's
// progress and result again on coming back. The gateway runs them in the background (a
// route's `?async=true`); a job only starts here, this tab follows its operation
// (/v1/admin/operations), and so does any page opened later, in any tab, until it ends:
// closing the tab stops nothing. Records an earlier console kept of jobs its tab ran
// still show as they were left.

import { call } from "./api.js";
import { t } from "./i18n.js";

const OPERATIONS = "/v1/admin/operations";
// A record still "running" that its tab has not touched for this long was left behind.
const LEFT_AFTER_MS = 90_000;
// How often a background operation's progress is read while it runs.
const FOLLOW_EVERY_MS = 1_000;

const jobs = new Map();
const everyChange = new Set();

function notify(job) {
  for (const listener of [...job.listeners]) listener(job);
  for (const listener of everyChange) listener(running());
}

export function running() {
  return [...jobs.values()].filter((job) => job.state === "running").length;
}

export function onJobsChange(listener) {
  everyChange.add(listener);
}

export function jobOf(key) {
  return jobs.get(key) || null;
}

// A job of an earlier tab, as its record tells it: done or failed as it ended; "left"
// where a closed tab stopped it; "elsewhere" while another tab is running it.
function fromRecord(op, restore) {
  const kept = op.result === null || op.result === undefined ? null : restore(op.result);
  const base = { key: op.operation_id, done: op.done, total: op.total, partial: kept, result: kept, error: op.error ? { detail: op.error } : null, updatedAt: op.updated_at, listeners: new Set() };
  if (op.state !== "running") return { ...base, state: op.state };
  const idle = Date.now() - new Date(op.updated_at).getTime();
  return { ...base, state: idle > LEFT_AFTER_MS ? "left" : "elsewhere" };
}

// Draw the job now and on every change while `node` is on the page; with `record`
// ({ kind, subject, restore(JSON) → value }) and no job of this tab, its latest record.
export function showJob(key, node, draw, record = null) {
  const job = jobs.get(key);
  if (job) draw(job);
  // Drawn while the node is on the page, and before the page puts it in place (its other
  // parts may still load); forgotten once it has left the page.
  let placed = node.isConnected;
  const listener = (changed) => {
    if (node.isConnected) placed = true;
    else if (placed) {
      changed.listeners.delete(listener);
      return;
    }
    draw(changed);
  };
  if (!jobs.has(key)) jobs.set(key, { key, state: "idle", listeners: new Set() });
  jobs.get(key).listeners.add(listener);
  if (!record || (job && job.state !== "idle")) return;
  const query = new URLSearchParams({ kind: record.kind, limit: "1", ...(record.subject ? { subject: record.subject } : {}) });
  call(`${OPERATIONS}?${query}`).then((found) => {
    const op = found.operations[0];
    const now = jobs.get(key);
    const restore = record.restore || ((value) => value);
    if (!op || (now && now.state !== "idle")) return;
    // Still running in the background: followed until it ends.
    if (op.background && op.state === "running") follow(key, op, restore);
    // Drawn even before the page puts the node in place (its other parts may still load).
    else draw(fromRecord(op, restore));
  }).catch(() => {});
}

// Follow a background operation (`op`, as the API answered it) under `key` until it ends,
// reading its progress every second; `restore` turns its result into the page's value.
function follow(key, op, restore) {
  const listeners = jobs.get(key)?.listeners || new Set();
  const job = { key, operationId: op.operation_id, state: "running", done: op.done, total: op.total, partial: null, result: null, error: null, updatedAt: op.updated_at, listeners };
  jobs.set(key, job);
  const take = (now) => {
    const kept = now.result === null || now.result === undefined ? null : restore(now.result);
    Object.assign(job, { done: now.done, total: now.total, partial: kept, result: kept, updatedAt: now.updated_at });
    if (now.state !== "running") Object.assign(job, { state: now.state, error: now.error ? { detail: now.error } : null });
    notify(job);
  };
  const path = `${OPERATIONS}/${encodeURIComponent(op.operation_id)}`;
  let gone = false;
  const tick = () => {
    if (jobs.get(key) !== job) return;
    // Signed out, or no longer the reader's: stop asking (a later page asks again).
    const lost = (error) => {
      gone = [401, 403, 404].includes(error.status);
      if (gone) jobs.delete(key);
    };
    call(path).then(take, lost).finally(() => {
      if (job.state === "running" && !gone) setTimeout(tick, FOLLOW_EVERY_MS);
    });
  };
  take(op);
  if (job.state === "running") setTimeout(tick, FOLLOW_EVERY_MS);
  return job;
}

// Start an operation the gateway runs: `start()` asks for it (the route with
// `?async=true`, answering 202 with the operation); this tab then follows it.
export function runInBackground(key, start, restore = (value) => value) {
  const current = jobs.get(key);
  if (current?.state === "running") return current;
  const listeners = current?.listeners || new Set();
  const job = { key, state: "running", done: 0, total: 0, partial: null, result: null, error: null, listeners };
  jobs.set(key, job);
  notify(job);
  start().then(
    (op) => {
      if (op?.operation_id) return follow(key, op, restore);
      // Held by the tenant's four-eyes policy: it starts once another operator approves.
      Object.assign(job, { state: "failed", error: { detail: t("approvals.held", { id: op?.approval_id || "—" }) } });
      notify(job);
      return job;
    },
    (error) => {
      Object.assign(job, { state: "failed", error });
      notify(job);
    },
  );
  return job;
}
