// Long operations (bulk adjustments, code generation, backtests) run here, not in a page:
// the operator may open other pages meanwhile, and the page shows the job's progress and
// result again on coming back. A job lasts as long as the browser tab.

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

// work(progress) does the job, calling progress(done, total, partial) as it goes; its
// answer is the job's result.
export function runJob(key, work) {
  const current = jobs.get(key);
  if (current?.state === "running") return current;
  const job = { key, state: "running", done: 0, total: 0, partial: null, result: null, error: null, listeners: current?.listeners || new Set() };
  jobs.set(key, job);
  notify(job);
  work((done, total, partial) => {
    Object.assign(job, { done, total, partial });
    notify(job);
  }).then(
    (result) => Object.assign(job, { state: "done", result }),
    (error) => Object.assign(job, { state: "failed", error }),
  ).finally(() => notify(job));
  return job;
}

// Draw the job now and on every change while `node` is on the page.
export function showJob(key, node, draw) {
  const job = jobs.get(key);
  if (job) draw(job);
  const listener = (changed) => {
    if (!node.isConnected) {
      changed.listeners.delete(listener);
      return;
    }
    draw(changed);
  };
  if (!jobs.has(key)) jobs.set(key, { key, state: "idle", listeners: new Set() });
  jobs.get(key).listeners.add(listener);
}
