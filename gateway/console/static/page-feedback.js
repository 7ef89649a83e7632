// Feedback: members' ratings and complaints, newest first, by status and store; support
// (or the store's manager) assigns each, answers it (the member reads the answer in the
// member centre) and closes it (GET /v1/admin/feedback, POST …/assign, /answer, /close).

import { call, problemText } from "./api.js";
import { button, card, el, field, hint, setMessage, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";
import { go, may, whoami } from "./shell.js";

const STATUSES = ["open", "assigned", "answered", "closed"];
const MEMBER_360 = "/v1/members/{member_id}";
// The outcome of the last action, shown once the inbox is drawn again.
let lastOutcome = null;

function about(f) {
  const head = f.kind === "rating"
    ? t("feedback.stars", { rating: f.rating })
    : t("feedback.complaint_about", { category: t(`feedback.category.${f.category}`) });
  return el("div", {}, [el("strong", { text: head }), f.order_id ? el("div", { className: "mono", text: f.order_id }) : null]);
}

function memberLink(f) {
  if (!may("GET", MEMBER_360)) return el("span", { className: "mono", text: f.member_id });
  return el("a", { className: "mono", text: f.member_id, attrs: { href: `#/members/${encodeURIComponent(f.member_id)}` } });
}

function handling(f, message, again) {
  if (f.status === "closed") return "—";
  const act = async (verb, json) => {
    try {
      await call(`/v1/admin/feedback/${encodeURIComponent(f.feedback_id)}/${verb}`, { method: "POST", json });
      lastOutcome = [t(`feedback.done.${verb}`), "success"];
      again();
    } catch (error) {
      setMessage(message, problemText(error));
    }
  };
  const text = el("textarea", { attrs: { rows: "2", maxlength: "2000", id: `answer-text-${f.feedback_id}` } });
  text.value = f.answer || "";
  const label = el("label", { className: "visually-hidden", text: t("feedback.answer"), attrs: { for: text.id } });
  const buttons = [
    f.assignee === whoami()?.key_id ? null : button(t("feedback.assign_me"), () => act("assign", {}), { quiet: true, id: `assign-${f.feedback_id}` }),
    button(t("feedback.send_answer"), () => (text.value.trim() ? act("answer", { text: text.value }) : setMessage(message, t("feedback.answer_empty"))), { id: `answer-${f.feedback_id}` }),
    button(t("feedback.close"), () => act("close", {}), { quiet: true, id: `close-${f.feedback_id}` }),
  ];
  return el("div", { className: "feedback-handling" }, [label, text, el("div", { className: "card-actions" }, buttons)]);
}

function inboxTable(items, message, again) {
  const columns = [
    [t("feedback.given_at"), (f) => timeElement(f.created_at)],
    [t("feedback.member"), memberLink],
    [t("feedback.about"), about],
    [t("feedback.comment"), (f) => (f.erased ? t("timeline.erased") : f.comment)],
    [t("feedback.store"), (f) => f.store_id],
    [t("feedback.status"), (f) => t(`feedback.status.${f.status}`)],
    [t("feedback.assignee"), (f) => f.assignee, "mono"],
    [t("feedback.handle"), (f) => handling(f, message, again)],
  ];
  return table(columns, items, { caption: t("feedback.inbox"), empty: t("feedback.none") });
}

export async function render(view, { args = [] } = {}) {
  const status = STATUSES.includes(args[0]) ? args[0] : "open";
  const store = args[1] || "";
  view.append(el("h1", { className: "page-title", text: t("nav.feedback") }));
  const message = el("p", { className: "message", attrs: { role: "status", id: "feedback-message" } });
  message.hidden = true;
  const statusFilter = el("select", {}, STATUSES.map((s) => el("option", { text: t(`feedback.status.${s}`), attrs: { value: s, selected: s === status } })));
  const storeFilter = el("input", { attrs: { type: "text", maxlength: "64", value: store, autocomplete: "off" } });
  const again = () => go("feedback", statusFilter.value, storeFilter.value.trim());
  statusFilter.addEventListener("change", again);
  storeFilter.addEventListener("change", again);
  const query = new URLSearchParams({ status, limit: "50", ...(store ? { store } : {}) });
  const answer = await call(`/v1/admin/feedback?${query}`);
  if (lastOutcome) {
    setMessage(message, ...lastOutcome);
    lastOutcome = null;
  }
  const filters = el("div", { className: "fields" }, [
    field(t("feedback.show"), statusFilter, { id: "feedback-status" }),
    field(t("feedback.store"), storeFilter, { id: "feedback-store" }),
  ]);
  view.append(
    el("div", { className: "grid" }, [
      card(t("feedback.inbox"), [hint(t("feedback.explain")), filters, message, inboxTable(answer.feedback, message, again)], { id: "feedback-inbox", wide: true }),
    ]),
  );
}
