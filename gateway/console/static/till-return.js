// A return of a past order at the till: the order's id and the amount refunded; the
// points the order earned come back off its member in proportion.

import { call, operationId, problemText } from "./api.js";
import { byId, el, facts, setMessage } from "./dom.js";
import { formatPoints, t } from "./i18n.js";
import { toCents } from "./till-money.js";

export function fillReturn(orderId, amount) {
  byId("return-order").value = orderId;
  byId("return-amount").value = amount;
  byId("return-result").replaceChildren();
  byId("return-order").focus();
}

async function sendReturn(event) {
  event.preventDefault();
  const message = byId("return-message");
  const orderId = byId("return-order").value.trim();
  const amount = byId("return-amount").value.trim();
  if (!orderId) {
    byId("return-order").focus();
    return;
  }
  if (toCents(amount) === null) {
    setMessage(message, t("till.cart.bad_price"));
    byId("return-amount").select();
    return;
  }
  const returnId = operationId("RET");
  const body = { return_id: returnId, amount };
  byId("return-submit").disabled = true;
  setMessage(message, "");
  try {
    const path = `/v1/orders/${encodeURIComponent(orderId)}/returns`;
    const headers = { "Idempotency-Key": `return-${returnId}` };
    const answer = await call(path, { method: "POST", json: body, headers });
    byId("return-result").replaceChildren(
      facts([
        [t("till.return.id"), el("span", { className: "mono", text: answer.return_id })],
        [t("till.return.points_reversed"), el("span", { text: formatPoints(answer.points_reversed), attrs: { id: "return-points" } })],
        [t("till.return.shortfall"), formatPoints(answer.shortfall)],
        [t("till.receipt.balance"), el("span", { text: formatPoints(answer.balance.available), attrs: { id: "return-balance" } })],
      ]),
    );
    byId("return-form").reset();
  } catch (error) {
    setMessage(message, error.code === "order_not_found" ? t("till.return.not_found") : problemText(error));
  } finally {
    byId("return-submit").disabled = false;
  }
}

export function startReturn() {
  byId("return-form").addEventListener("submit", sendReturn);
}
