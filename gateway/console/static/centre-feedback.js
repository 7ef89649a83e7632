// The member's feedback: rate a recent order or a store visit (1 to 5), or complain with a
// category; and what they gave, with the brand's answers (POST and GET
// /v1/members/{id}/feedback).

import { call, problemText } from "./api.js";
import { el, field, hint, setMessage } from "./dom.js";
import { formatTime, t } from "./i18n.js";
import { memberPath } from "./centre-session.js";

const CATEGORIES = ["product", "service", "store", "points", "other"];
const STORE_VISIT = "store";

function option(value, text, selected = false) {
  return el("option", { text, attrs: { value, selected } });
}

function recentOrders(ledger) {
  const seen = new Set();
  for (const entry of ledger.entries || []) {
    if (entry.type === "earn" && entry.order_id) seen.add(entry.order_id);
  }
  return [...seen].slice(0, 10);
}

function form(orders, redraw) {
  const kind = el("select", {}, [option("rating", t("centre.feedback.kind.rating"), true), option("complaint", t("centre.feedback.kind.complaint"))]);
  const about = el("select", {}, [
    ...orders.map((id) => option(id, t("centre.activity.order", { id }))),
    option(STORE_VISIT, t("centre.feedback.store_visit"), !orders.length),
  ]);
  const store = el("input", { attrs: { type: "text", maxlength: "64", autocomplete: "off" } });
  const rating = el("select", {}, [5, 4, 3, 2, 1].map((n) => option(String(n), t("feedback.stars", { rating: n }))));
  const category = el("select", {}, CATEGORIES.map((c) => option(c, t(`feedback.category.${c}`))));
  const comment = el("textarea", { attrs: { rows: "4", maxlength: "2000" } });
  const message = el("p", { className: "message", attrs: { role: "status", id: "feedback-message" } });
  message.hidden = true;
  const storeField = field(t("centre.feedback.store"), store, { id: "feedback-store" });
  const ratingField = field(t("centre.feedback.rating"), rating, { id: "feedback-rating" });
  const categoryField = field(t("centre.feedback.category"), category, { id: "feedback-category" });
  const shown = () => {
    storeField.hidden = about.value !== STORE_VISIT;
    ratingField.hidden = kind.value !== "rating";
    categoryField.hidden = kind.value !== "complaint";
  };
  kind.addEventListener("change", shown);
  about.addEventListener("change", shown);
  shown();
  const send = el("button", { className: "button", text: t("centre.feedback.send"), attrs: { type: "submit", id: "feedback-send" } });
  const node = el("form", { attrs: { id: "feedback-form", novalidate: true } }, [
    field(t("centre.feedback.kind"), kind, { id: "feedback-kind" }),
    field(t("centre.feedback.about"), about, { id: "feedback-about" }),
    storeField,
    ratingField,
    categoryField,
    field(t("centre.feedback.comment"), comment, { id: "feedback-comment" }),
    send,
    message,
  ]);
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { kind: kind.value, comment: comment.value };
    if (about.value === STORE_VISIT) {
      if (store.value.trim()) body.store_id = store.value.trim();
    } else body.order_id = about.value;
    if (kind.value === "rating") body.rating = Number(rating.value);
    else body.category = category.value;
    send.disabled = true;
    try {
      await call(memberPath("/feedback"), { method: "POST", json: body });
      await redraw(t("centre.feedback.thanks"));
    } catch (error) {
      setMessage(message, problemText(error));
      send.disabled = false;
    }
  });
  return node;
}

function given(item) {
  const head = item.kind === "rating"
    ? t("feedback.stars", { rating: item.rating })
    : t("feedback.complaint_about", { category: t(`feedback.category.${item.category}`) });
  const about = item.order_id ? t("centre.activity.order", { id: item.order_id }) : item.store_id ? t("centre.feedback.at_store", { store: item.store_id }) : "";
  return el("li", { className: "centre-entry", attrs: { "data-status": item.status } }, [
    el("div", { className: "centre-entry-head" }, [
      el("span", { className: "centre-entry-type", text: head }),
      el("span", { className: "hint", text: t(`feedback.status.${item.status}`) }),
    ]),
    about ? el("p", { className: "hint", text: about }) : null,
    item.comment ? el("p", { className: "centre-entry-reason", text: item.comment }) : null,
    item.answer ? el("p", { className: "centre-answer", text: t("centre.feedback.answer", { answer: item.answer }) }) : null,
    el("p", { className: "hint", text: formatTime(item.created_at) }),
  ]);
}

export async function drawFeedback(view) {
  const [mine, ledger] = await Promise.all([call(memberPath("/feedback")), call(memberPath("/points/ledger?limit=50"))]);
  const redraw = async (thanks) => {
    await drawFeedback(view);
    const message = view.querySelector("#feedback-message");
    if (message && thanks) setMessage(message, thanks, "info");
  };
  view.replaceChildren(
    el("section", { className: "centre-card", attrs: { "aria-labelledby": "feedback-title" } }, [
      el("h1", { text: t("centre.feedback.title"), attrs: { id: "feedback-title" } }),
      hint(t("centre.feedback.explain")),
      form(recentOrders(ledger), redraw),
    ]),
    el("section", { className: "centre-card", attrs: { "aria-labelledby": "feedback-given-title" } }, [
      el("h2", { text: t("centre.feedback.given"), attrs: { id: "feedback-given-title" } }),
      mine.feedback.length ? el("ol", { className: "centre-list", attrs: { id: "feedback-given" } }, mine.feedback.map(given)) : hint(t("centre.feedback.none")),
    ]),
  );
}
