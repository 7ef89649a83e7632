// The till's panel of API calls: each call as sent (method, path, the Idempotency-Key,
// the body) and as answered (status, body), newest first, so a POS vendor sees exactly
// what to send. The key, a password or a token is never shown.

import { onSent } from "./api.js";
import { byId, el } from "./dom.js";
import { t } from "./i18n.js";

const calls = [];
const SECRET_FIELDS = new Set(["password", "token", "secret"]);

// A password typed at sign-in or a session's token is never shown.
function pretty(value) {
  return JSON.stringify(value, (name, item) => (SECRET_FIELDS.has(name) ? "••••••••" : item), 2);
}

function drawn(call, index) {
  const ok = call.status >= 200 && call.status < 300;
  const status = call.status ? String(call.status) : t("till.log.no_answer");
  const parts = [
    el("div", { className: "till-call-line" }, [
      `${call.method} ${call.path} → `,
      el("span", { className: ok ? "till-call-status-ok" : "till-call-status-error", text: status }),
    ]),
  ];
  const key = call.headers?.["Idempotency-Key"];
  if (key) parts.push(el("pre", { text: `Idempotency-Key: ${key}` }));
  if (call.json !== undefined) {
    parts.push(el("p", { className: "hint", text: t("till.log.sent") }), el("pre", { text: pretty(call.json) }));
  }
  if (call.body !== null && call.body !== undefined) {
    parts.push(el("p", { className: "hint", text: t("till.log.answer") }), el("pre", { text: pretty(call.body) }));
  }
  return el("li", { className: "till-call", attrs: { "data-call": index } }, parts);
}

export function drawLog() {
  byId("api-log-summary").textContent = t("till.log.count", { count: calls.length });
  byId("api-calls").replaceChildren(...calls.map(drawn).reverse());
}

export function clearLog() {
  calls.length = 0;
  drawLog();
}

export function startLog() {
  onSent((call) => {
    calls.push(call);
    drawLog();
  });
  drawLog();
}
