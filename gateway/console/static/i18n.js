// The one translation mechanism: the server's message tables (messages.<locale>.json),
// also used by the server to render the page. Numbers, money and dates go through Intl in
// the reader's language and the tenant's time zone.

const FILES = { en: "./messages.en.json", "zh-CN": "./messages.zh-CN.json" };
// The member centre's own part of each table (gateway/console/assets.py makes them).
const CENTRE_FILES = { en: "./messages.centre.en.json", "zh-CN": "./messages.centre.zh-CN.json" };
export const LOCALES = Object.keys(FILES);
let tables = FILES;

// The member centre reads only its part of the tables: a phone downloads less.
export function useCentreMessages() {
  tables = CENTRE_FILES;
}

const state = { locale: "en", messages: {}, timeZone: undefined, currency: "CNY" };
const listeners = [];

export function locale() {
  return state.locale;
}

function supported(tag) {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  return (
    LOCALES.find((code) => code.toLowerCase() === lower) ||
    LOCALES.find((code) => code.split("-")[0] === lower.split("-")[0]) ||
    null
  );
}

// ?lang= first (the switch keeps it there), then the browser's languages, then English.
export function preferredLocale() {
  const asked = supported(new URLSearchParams(location.search).get("lang"));
  if (asked) return asked;
  for (const tag of navigator.languages || [navigator.language]) {
    const found = supported(tag);
    if (found) return found;
  }
  return "en";
}

export async function setLocale(code) {
  const chosen = supported(code) || "en";
  const response = await fetch(new URL(tables[chosen], import.meta.url));
  state.messages = await response.json();
  state.locale = chosen;
  document.documentElement.lang = chosen;
  translateStatic(document);
  for (const listener of listeners) listener(chosen);
}

export function onLocaleChange(listener) {
  listeners.push(listener);
}

export function setTenantFormats({ timeZone, currency } = {}) {
  state.timeZone = timeZone || undefined;
  if (currency) state.currency = currency;
}

// t("segments.size", { size: "3", count: 3 }) → the text with {size} filled in. A text that depends
// on a number has a form per plural category (key.one, key.other), chosen by params.count.
export function t(key, params = {}) {
  let text = state.messages[key];
  if (text === undefined && typeof params.count === "number") {
    const form = new Intl.PluralRules(state.locale).select(params.count);
    text = state.messages[`${key}.${form}`] ?? state.messages[`${key}.other`];
  }
  if (text === undefined) {
    console.warn(`missing message ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? String(params[name]) : whole,
  );
}

// For values the API may extend (an audit action): their text if the table has one.
export function tOr(key, fallback) {
  return state.messages[key] === undefined ? fallback : state.messages[key];
}

// The page's own elements: data-i18n (text) and data-i18n-label (aria-label).
export function translateStatic(root) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
}

export function formatNumber(value) {
  if (value === null || value === undefined || value === "") return "—";
  return new Intl.NumberFormat(state.locale).format(value);
}

export function formatPoints(value, { signed = false } = {}) {
  if (value === null || value === undefined) return "—";
  const options = signed ? { signDisplay: "exceptZero" } : {};
  return new Intl.NumberFormat(state.locale, options).format(value);
}

export function formatMoney(value, currency) {
  if (value === null || value === undefined || value === "") return "—";
  const style = { style: "currency", currency: currency || state.currency };
  return new Intl.NumberFormat(state.locale, style).format(value);
}

export function formatPercent(value) {
  return new Intl.NumberFormat(state.locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
}

export function formatTime(value, { dateOnly = false } = {}) {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const style = dateOnly ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" };
  return new Intl.DateTimeFormat(state.locale, { ...style, timeZone: state.timeZone }).format(date);
}

// A calendar date (YYYY-MM-DD, already local to the tenant) in the reader's language.
export function formatDate(value) {
  if (!value) return "—";
  const style = { dateStyle: "medium", timeZone: "UTC" };
  return new Intl.DateTimeFormat(state.locale, style).format(new Date(`${value}T00:00:00Z`));
}

export function timeElement(value, options) {
  const node = document.createElement("time");
  node.textContent = formatTime(value, options);
  if (value) node.setAttribute("datetime", String(value));
  return node;
}

function zoneOffset(date) {
  const style = { timeZone: state.timeZone, timeZoneName: "longOffset" };
  const name = new Intl.DateTimeFormat("en-US", style).formatToParts(date).find((p) => p.type === "timeZoneName");
  const offset = (name?.value || "GMT").replace("GMT", "");
  return offset || "+00:00";
}

// A <input type="datetime-local"> value read in the tenant's time zone → ISO 8601 with offset.
export function localInputToIso(value) {
  if (!value) return null;
  const guess = new Date(`${value}:00Z`);
  return `${value}:00${zoneOffset(guess)}`;
}

// An instant → the <input type="datetime-local"> value showing it in the tenant's time zone.
export function isoToLocalInput(value) {
  if (!value) return "";
  const style = { timeZone: state.timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" };
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", style).formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
