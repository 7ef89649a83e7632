// Approvals: the requests the tenant's four-eyes policy holds, waiting for a second
// operator; another operator of the right role approves (the request runs once, as its
// maker) or rejects each. Admins set the policy here.

import { call, problemText } from "./api.js";
import { button, card, checkboxes, checkedValues, el, field, hint, setMessage, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";
import { go, may, whoami } from "./shell.js";

const STATUSES = ["pending", "executed", "failed", "rejected", "expired"];
const SWITCHES = ["bulk_adjustments", "merges", "erasures", "operator_keys"];
const THRESHOLDS = ["adjustment_points_above", "campaign_budget_above"];
const DECIDE = "/v1/admin/approvals/{approval_id}/approve";
const POLICY = "/v1/admin/approval-policy";
// The outcome of the last decision, shown once the queue is drawn again.
let lastOutcome = null;

function requestText(approval) {
  const held = approval.request;
  const body = held.body === null || held.body === undefined ? held.body_text || "" : JSON.stringify(held.body);
  return el("div", {}, [el("code", { text: `${held.method} ${held.path}` }), body ? el("pre", { className: "approval-body", text: body }) : null]);
}

function decisionButtons(approval, message, status) {
  const me = whoami()?.key_id;
  if (approval.status !== "pending" || !may("POST", DECIDE)) return "—";
  if (approval.maker.id === me) return t("approvals.yours");
  const decide = async (verb) => {
    try {
      const done = await call(`/v1/admin/approvals/${approval.approval_id}/${verb}`, { method: "POST", json: {} });
      const outcome = done.status === "rejected" ? t("approvals.rejected_now") : t("approvals.ran", { status: done.result_status ?? "—" });
      lastOutcome = [outcome, done.status === "failed" ? "error" : "success"];
      go("approvals", status);
    } catch (error) {
      setMessage(message, problemText(error));
    }
  };
  return el("div", { className: "card-actions" }, [
    button(t("approvals.approve"), () => decide("approve"), { id: `approve-${approval.approval_id}` }),
    button(t("approvals.reject"), () => decide("reject"), { quiet: true, danger: true, id: `reject-${approval.approval_id}` }),
  ]);
}

function queueTable(approvals, message, status) {
  const columns = [
    [t("approvals.created_at"), (a) => timeElement(a.created_at)],
    [t("approvals.maker"), (a) => `${a.maker.id} (${t(`role.${a.maker.role}`)})`, "mono"],
    [t("approvals.reason"), (a) => a.reason],
    [t("approvals.request"), (a) => requestText(a)],
    [t("approvals.status"), (a) => t(`approvals.status.${a.status}`)],
    [t("approvals.expires_at"), (a) => timeElement(a.expires_at)],
    [t("approvals.decision"), (a) => decisionButtons(a, message, status)],
  ];
  return table(columns, approvals, { caption: t("approvals.queue"), empty: t("approvals.none") });
}

function policyCard(policy) {
  const message = el("p", { className: "message", attrs: { role: "status" } });
  message.hidden = true;
  const numbers = Object.fromEntries(
    [...THRESHOLDS, "expires_after_hours"].map((name) => [
      name,
      el("input", { attrs: { type: "number", min: name === "expires_after_hours" ? "1" : "0", step: "1", value: policy[name] ?? "" } }),
    ]),
  );
  const switches = checkboxes("approval-switch", t("approvals.policy.hold"), SWITCHES.map((s) => [s, t(`approvals.policy.${s}`)]), SWITCHES.filter((s) => policy[s]), { id: "approval-switches" });
  const editable = may("PUT", POLICY);
  const save = button(t("approvals.policy.save"), async () => {
    const chosen = checkedValues(switches, "approval-switch");
    const body = Object.fromEntries(SWITCHES.map((s) => [s, chosen.includes(s)]));
    for (const name of THRESHOLDS) body[name] = numbers[name].value === "" ? null : Number(numbers[name].value);
    body.expires_after_hours = Number(numbers.expires_after_hours.value || 72);
    try {
      await call(POLICY, { method: "PUT", json: body });
      setMessage(message, t("approvals.policy.saved"), "success");
    } catch (error) {
      setMessage(message, problemText(error));
    }
  }, { id: "approval-policy-save" });
  const fields = [
    ...[...THRESHOLDS, "expires_after_hours"].map((name) => field(t(`approvals.policy.${name}`), numbers[name], { id: `approval-${name}` })),
    switches,
  ];
  if (!editable) {
    for (const input of [...Object.values(numbers), ...switches.querySelectorAll("input")]) input.disabled = true;
  }
  return card(t("approvals.policy.title"), [hint(t("approvals.policy.explain")), el("div", { className: "fields" }, fields), message], {
    id: "approval-policy",
    actions: editable ? [save] : [],
  });
}

export async function render(view, { args = [] } = {}) {
  const status = STATUSES.includes(args[0]) ? args[0] : "pending";
  view.append(el("h1", { className: "page-title", text: t("nav.approvals") }));
  const message = el("p", { className: "message", attrs: { role: "status", id: "approvals-message" } });
  message.hidden = true;
  const filter = el("select", {}, STATUSES.map((s) => el("option", { text: t(`approvals.status.${s}`), attrs: { value: s, selected: s === status } })));
  filter.addEventListener("change", () => go("approvals", filter.value));
  const [answer, policy] = await Promise.all([
    call(`/v1/admin/approvals?status=${encodeURIComponent(status)}`),
    may("GET", POLICY) ? call(POLICY) : null,
  ]);
  if (lastOutcome) {
    setMessage(message, ...lastOutcome);
    lastOutcome = null;
  }
  view.append(
    el("div", { className: "grid" }, [
      card(t("approvals.queue"), [hint(t("approvals.explain")), field(t("approvals.show"), filter, { id: "approvals-status" }), message, queueTable(answer.approvals, message, status)], {
        id: "approvals-queue",
        wide: true,
      }),
      policy ? policyCard(policy) : null,
    ]),
  );
}
