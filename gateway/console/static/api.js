// The operator API, as any client calls it: JSON in, problem+json errors out. The session
// is an HttpOnly cookie the gateway set at sign-in, so no script ever holds a credential.

import { formatNumber, locale, t, tOr } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, detail, body = null) {
    super(detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.body = body;
  }
}

const hooks = { unauthorized: () => {}, sent: () => {}, headers: {} };

export function onUnauthorized(handler) {
  hooks.unauthorized = handler;
}

// The virtual till: headers sent with every call (its key), and each call as it was made
// and answered ({ method, path, json, status, body }), for its panel of API calls.
export function sendWith(headers) {
  hooks.headers = { ...headers };
}

export function onSent(handler) {
  hooks.sent = handler;
}

export async function request(path, { method = "GET", json, text, contentType, headers: extra } = {}) {
  // Texts operators typed (a campaign's name, a ledger reason) come in the page's language.
  const headers = { Accept: "application/json", "Accept-Language": locale(), ...hooks.headers, ...extra };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (text !== undefined) {
    headers["Content-Type"] = contentType;
    init.body = text;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    hooks.sent({ method, path, json, headers: extra, status: 0, body: null });
    throw new ApiError(0, "network_error", "");
  }
  let body = null;
  if ((response.headers.get("content-type") || "").includes("json")) {
    body = await response.json().catch(() => null);
  }
  hooks.sent({ method, path, json, headers: extra, status: response.status, body });
  return { ok: response.ok, status: response.status, body };
}

export function problemOf(answer) {
  const body = answer.body && typeof answer.body === "object" ? answer.body : {};
  const detail = typeof body.detail === "string" ? body.detail : `HTTP ${answer.status}`;
  const code = typeof body.code === "string" ? body.code : `http_${answer.status}`;
  return new ApiError(answer.status, code, detail, body);
}

export async function call(path, options) {
  const answer = await request(path, options);
  if (answer.status === 401 && path !== "/v1/auth/sessions") hooks.unauthorized();
  if (!answer.ok) throw problemOf(answer);
  return answer.body;
}

// A fresh key for a POST the API makes idempotent (adjustments, transfers, …).
export function operationId(prefix) {
  return `${prefix}-${crypto.randomUUID()}`;
}

// The errors of a 422 by the body field they concern, by its path: { points: "…",
// "budget.points": "…" } (the API locates each as body.points, body.budget.points, …),
// each said in the reader's language from its code (and the limit it broke), or as the
// API words it when the console has no words for the code.
export function fieldErrors(error) {
  const found = {};
  for (const item of error.body?.errors || []) {
    const path = String(item.location || "").replace(/^body\.?/, "").replace(/\[\d+\]/g, "");
    if (path && !found[path]) found[path] = fieldErrorText(item) || error.detail;
  }
  return found;
}

function fieldErrorText(item) {
  if (!item.code) return item.message;
  const limited = item.limit !== undefined && item.limit !== null;
  const key = limited ? `field_error.${item.code}.limit` : `field_error.${item.code}`;
  return tOr(key, null) === null ? item.message : t(key, { limit: formatNumber(item.limit) });
}

// A refusal in one line: each field's error by its path, else the problem's own text in
// the reader's language where the tables have one for its code, else its detail.
export function problemText(error) {
  const errors = Object.entries(fieldErrors(error)).map(([path, text]) => `${path}: ${text}`);
  const known = error.code ? tOr(`problem.${error.code}`, null) : null;
  return errors.join("; ") || known || error.detail;
}
