// The sale: lines rung up, a coupon, the points the cart will earn (cart evaluation),
// points redeemed as a hold, then payment: the coupon redeemed, the hold captured, the
// order sent; and the receipt. Money stays in integer cents (till-money.js).

import { call, operationId, problemText } from "./api.js";
import { button, byId, el, facts, setMessage, table } from "./dom.js";
import { formatMoney, formatPoints, formatTime, t, tOr } from "./i18n.js";
import { discountCents, fromCents, lineCents, subtotalCents, toCents } from "./till-money.js";
import { fillReturn } from "./till-return.js";
import { atTill, till } from "./till-session.js";
import { forgetShopper, onShopper, setBalance, shopper } from "./till-shopper.js";

const sale = { orderId: "", lines: [], coupon: null, hold: null, preview: null, done: null };

function money(cents) {
  return formatMoney(fromCents(cents), till.currency);
}

function payableCents() {
  return subtotalCents(sale.lines) - discountCents(sale.coupon?.discount, sale.lines);
}

function wireLines() {
  return sale.lines.map((line) => ({
    sku: line.sku,
    category: line.category,
    quantity: line.quantity,
    unit_price: fromCents(line.cents),
  }));
}

// A new sale: a new order id, nothing rung up; the shopper is asked for again.
export function newSale({ keepShopper = false } = {}) {
  Object.assign(sale, { orderId: operationId("TILL"), lines: [], coupon: null, hold: null, preview: null, done: null });
  for (const id of ["cart-message", "pay-message"]) setMessage(byId(id), "");
  byId("receipt").replaceChildren();
  byId("coupon-code").value = "";
  byId("redeem-points").value = "";
  if (!keepShopper) forgetShopper();
  drawCart();
}

function drawLines() {
  const remove = (line) =>
    button(t("till.cart.remove"), () => {
      sale.lines = sale.lines.filter((other) => other !== line);
      sale.preview = null;
      drawCart();
    }, { quiet: true });
  const columns = [
    [t("till.cart.sku"), (line) => line.sku, "mono"],
    [t("till.cart.category"), (line) => line.category],
    [t("till.cart.quantity"), (line) => line.quantity, "num"],
    [t("till.cart.price"), (line) => money(line.cents), "num"],
    [t("till.cart.line_total"), (line) => money(lineCents(line)), "num"],
    [t("till.cart.actions"), (line) => remove(line)],
  ];
  byId("lines").replaceChildren(
    table(columns, sale.lines, { caption: t("till.cart.title"), empty: t("till.cart.empty") }),
  );
}

function drawCoupon() {
  const box = byId("coupon");
  if (!sale.coupon) {
    box.replaceChildren();
    return;
  }
  const drop = button(t("till.coupon.remove"), () => {
    sale.coupon = null;
    sale.preview = null;
    drawCart();
  }, { quiet: true, id: "coupon-remove" });
  box.replaceChildren(
    el("p", { className: "message message-info", attrs: { id: "coupon-applied" } }, [
      t("till.coupon.applied", { name: sale.coupon.name, code: sale.coupon.code }),
      " ",
      drop,
    ]),
  );
}

function drawTotals() {
  const subtotal = subtotalCents(sale.lines);
  const off = discountCents(sale.coupon?.discount, sale.lines);
  const rows = [[t("till.cart.subtotal"), money(subtotal)]];
  if (sale.coupon) rows.push([t("till.cart.discount"), money(-off)]);
  rows.push([t("till.cart.to_pay"), el("span", { className: "till-total", text: money(subtotal - off), attrs: { id: "to-pay" } })]);
  const list = facts(rows);
  list.classList.add("till-totals");
  byId("totals").replaceChildren(list);
}

function breakdownList(lines) {
  return el(
    "ul",
    {},
    lines.map((line) =>
      el("li", { text: `${tOr(`till.earn.${line.source}`, line.source)}: ${formatPoints(line.points)} · ${line.description}` }),
    ),
  );
}

function drawPreview() {
  const box = byId("preview");
  const preview = sale.preview;
  if (!preview) {
    box.replaceChildren();
    return;
  }
  const use = (coupon) =>
    button(t("till.preview.use_coupon"), () => {
      byId("coupon-code").value = coupon.code;
      byId("coupon-form").requestSubmit();
    }, { quiet: true });
  const coupons = table(
    [
      [t("till.coupon.name"), (coupon) => coupon.name],
      [t("till.coupon.code"), (coupon) => coupon.code, "mono"],
      [t("till.cart.actions"), (coupon) => use(coupon)],
    ],
    preview.coupons,
    { caption: t("till.preview.coupons"), empty: t("till.preview.no_coupons") },
  );
  const parts = [
    el("h3", { text: t("till.preview.title") }),
    facts([
      [t("till.preview.points"), el("span", { text: formatPoints(preview.points.points_earned), attrs: { id: "preview-points" } })],
      [t("points.available"), formatPoints(preview.balance.available)],
    ]),
    breakdownList(preview.points.breakdown),
    preview.points.bonus_pending ? el("p", { className: "hint", text: t("till.preview.bonus_pending") }) : null,
    el("h3", { text: t("till.preview.coupons") }),
    coupons,
  ];
  box.replaceChildren(...parts.filter(Boolean));
}

function drawHold() {
  const box = byId("hold-status");
  const hold = sale.hold;
  if (!hold) {
    box.replaceChildren();
    return;
  }
  const cancel = button(t("till.pay.cancel_hold"), cancelHold, { quiet: true, id: "hold-cancel" });
  const text = t("till.pay.held", { points: formatPoints(hold.points), until: formatTime(hold.expires_at) });
  box.replaceChildren(el("p", { className: "message message-info", attrs: { id: "hold-held" } }, [text, " ", cancel]));
}

export function drawCart() {
  drawLines();
  drawCoupon();
  drawTotals();
  drawPreview();
  drawHold();
  byId("pay").disabled = Boolean(sale.done);
}

function addLine(event) {
  event.preventDefault();
  const message = byId("cart-message");
  const inputs = ["line-sku", "line-category", "line-quantity", "line-price"].map(byId);
  const empty = inputs.find((input) => !input.value.trim());
  if (empty) {
    empty.focus(); // a scanner types the SKU and Enter: go on to the next field
    return;
  }
  const [sku, category, quantityInput, priceInput] = inputs;
  const quantity = Number(quantityInput.value);
  const cents = toCents(priceInput.value);
  if (!Number.isInteger(quantity) || quantity < 1) {
    setMessage(message, t("till.cart.bad_quantity"));
    quantityInput.select();
    return;
  }
  if (cents === null) {
    setMessage(message, t("till.cart.bad_price"));
    priceInput.select();
    return;
  }
  setMessage(message, "");
  sale.lines.push({ sku: sku.value.trim(), category: category.value.trim(), quantity, cents });
  sale.preview = null;
  sku.value = "";
  category.value = "";
  quantityInput.value = "1";
  priceInput.value = "";
  sku.focus();
  drawCart();
}

function needShopperAndLines(messageId) {
  if (!shopper()) {
    setMessage(byId(messageId), t("till.need_shopper"));
    byId("identify-value").focus();
    return false;
  }
  if (!sale.lines.length) {
    setMessage(byId(messageId), t("till.need_lines"));
    byId("line-sku").focus();
    return false;
  }
  return true;
}

async function applyCoupon(event) {
  event.preventDefault();
  const code = byId("coupon-code").value.trim();
  const message = byId("cart-message");
  if (!code) return;
  const body = atTill({
    code,
    order_id: sale.orderId,
    currency: till.currency,
    total: fromCents(subtotalCents(sale.lines)),
  });
  if (shopper()) body.member_id = shopper().member_id;
  try {
    const answer = await call("/v1/coupons/validate", { method: "POST", json: body });
    if (!answer.valid) {
      setMessage(message, t("till.coupon.refused", { reason: tOr(`till.coupon.reason.${answer.reason}`, answer.reason) }));
      return;
    }
    setMessage(message, "");
    sale.coupon = { ...answer.coupon, code };
    sale.preview = null;
    byId("coupon-code").value = "";
    drawCart();
  } catch (error) {
    setMessage(message, error.code === "coupon_not_found" ? t("till.coupon.not_found") : problemText(error));
  }
}

async function evaluate() {
  if (!needShopperAndLines("cart-message")) return;
  const body = atTill({
    member_id: shopper().member_id,
    currency: till.currency,
    total: fromCents(payableCents()),
    lines: wireLines(),
  });
  try {
    sale.preview = await call("/v1/carts/evaluate", { method: "POST", json: body });
    setMessage(byId("cart-message"), "");
    drawPreview();
  } catch (error) {
    setMessage(byId("cart-message"), problemText(error));
  }
}

async function hold(event) {
  event.preventDefault();
  const message = byId("pay-message");
  if (!shopper()) {
    setMessage(message, t("till.need_shopper"));
    return;
  }
  const points = Number(byId("redeem-points").value);
  if (!Number.isInteger(points) || points < 1) {
    setMessage(message, t("till.pay.bad_points"));
    byId("redeem-points").select();
    return;
  }
  const body = atTill({ member_id: shopper().member_id, points, order_id: sale.orderId, hold_seconds: 900 });
  try {
    const headers = { "Idempotency-Key": operationId("hold") };
    sale.hold = await call("/v1/redemptions", { method: "POST", json: body, headers });
    setBalance(sale.hold.balance);
    setMessage(message, "");
    byId("redeem-points").value = "";
    drawHold();
  } catch (error) {
    const text = error.code === "insufficient_points" ? t("till.pay.insufficient") : problemText(error);
    setMessage(message, text);
  }
}

async function cancelHold() {
  if (!sale.hold) return;
  try {
    const answer = await call(`/v1/redemptions/${encodeURIComponent(sale.hold.redemption_id)}/cancel`, { method: "POST" });
    setBalance(answer.balance);
    sale.hold = null;
    drawHold();
  } catch (error) {
    setMessage(byId("pay-message"), problemText(error));
  }
}

// Each step may be sent again after a failure: the coupon's redemption and the order are
// idempotent by their ids, a capture answers the same when repeated.
async function pay() {
  if (!needShopperAndLines("pay-message")) return;
  const message = byId("pay-message");
  const member = shopper();
  const paid = payableCents();
  byId("pay").disabled = true;
  setMessage(message, t("till.pay.paying"), "info");
  try {
    if (sale.coupon) {
      const body = atTill({
        redemption_id: `${sale.orderId}-coupon`,
        code: sale.coupon.code,
        member_id: member.member_id,
        order_id: sale.orderId,
        currency: till.currency,
        total: fromCents(subtotalCents(sale.lines)),
      });
      await call("/v1/coupons/redeem", { method: "POST", json: body });
    }
    let captured = null;
    if (sale.hold) {
      const path = `/v1/redemptions/${encodeURIComponent(sale.hold.redemption_id)}/capture`;
      captured = await call(path, { method: "POST" });
    }
    const order = atTill({
      order_id: sale.orderId,
      member_id: member.member_id,
      occurred_at: new Date().toISOString(),
      currency: till.currency,
      total: fromCents(paid),
      lines: wireLines(),
    });
    const headers = { "Idempotency-Key": `sale-${sale.orderId}` };
    const answer = await call("/v1/orders", { method: "POST", json: order, headers });
    sale.done = { answer, paid, captured, coupon: sale.coupon, member };
    setBalance(answer.balance);
    setMessage(message, "");
    drawReceipt();
    drawCart();
    byId("receipt-card").focus(); // the receipt is what the cashier reads next
  } catch (error) {
    setMessage(message, problemText(error));
    byId("pay").disabled = false;
  }
}

function drawReceipt() {
  const { answer, paid, captured, coupon, member } = sale.done;
  const rows = [
    [t("till.receipt.order"), el("span", { className: "mono", text: answer.order_id, attrs: { id: "receipt-order" } })],
    [t("till.receipt.member"), member.profile?.name || member.member_id],
    [t("till.cart.subtotal"), money(subtotalCents(sale.lines))],
  ];
  if (coupon) rows.push([t("till.receipt.coupon", { name: coupon.name }), money(-discountCents(coupon.discount, sale.lines))]);
  rows.push([t("till.receipt.paid"), money(paid)]);
  if (captured) rows.push([t("till.receipt.points_redeemed"), el("span", { text: formatPoints(captured.points), attrs: { id: "receipt-redeemed" } })]);
  rows.push([t("till.receipt.points_earned"), el("span", { text: formatPoints(answer.points_earned), attrs: { id: "receipt-earned" } })]);
  rows.push([t("till.receipt.balance"), el("span", { className: "till-total", text: formatPoints(answer.balance.available), attrs: { id: "receipt-balance" } })]);
  const again = button(t("till.return.this_sale"), () => fillReturn(answer.order_id, fromCents(paid)), { quiet: true, id: "receipt-return" });
  const next = button(t("till.sale.next"), () => newSale(), { id: "next-sale" });
  byId("receipt").replaceChildren(
    el("div", { className: "till-receipt", attrs: { id: "receipt-card", tabindex: "-1" } }, [
      el("h3", { text: t("till.receipt.title") }),
      facts(rows),
      breakdownList(answer.breakdown),
      answer.bonus_pending ? el("p", { className: "hint", attrs: { id: "receipt-bonus-pending" }, text: t("till.receipt.bonus_pending") }) : null,
      el("div", { className: "actions" }, [next, again]),
    ]),
  );
}

export function redrawSale() {
  drawCart();
  if (sale.done) drawReceipt();
}

export function startSale() {
  byId("line-form").addEventListener("submit", addLine);
  byId("coupon-form").addEventListener("submit", applyCoupon);
  byId("evaluate").addEventListener("click", evaluate);
  byId("hold-form").addEventListener("submit", hold);
  byId("pay").addEventListener("click", pay);
  byId("new-sale").addEventListener("click", () => newSale());
  onShopper(() => {
    sale.preview = null;
    drawPreview();
  });
  newSale();
}
