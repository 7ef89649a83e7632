// Money at the till: the API's decimal strings ("398.00", up to two decimals) held as
// integer minor units (cents), so no total is ever worked out in floating point.

const MONEY = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

// "12.5" → 1250; anything else (a comma, a sign, three decimals) → null.
export function toCents(text) {
  const match = MONEY.exec(String(text ?? "").trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
}

// 1250 → "12.50", the string the API expects.
export function fromCents(cents) {
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents % 100).padStart(2, "0")}`;
}

export function lineCents(line) {
  return line.cents * line.quantity;
}

export function subtotalCents(lines) {
  return lines.reduce((sum, line) => sum + lineCents(line), 0);
}

// What a coupon takes off the cart, in cents, never more than the cart: amount_off its
// amount, percent_off that share (rounded half up to the cent), free_item one unit of the
// SKU when the cart holds it.
export function discountCents(discount, lines) {
  const subtotal = subtotalCents(lines);
  if (!discount) return 0;
  let off = 0;
  if (discount.kind === "amount_off") off = toCents(discount.amount) || 0;
  if (discount.kind === "percent_off") off = Math.floor((subtotal * discount.percent + 50) / 100);
  if (discount.kind === "free_item") off = lines.find((line) => line.sku === discount.sku)?.cents || 0;
  return Math.min(off, subtotal);
}
