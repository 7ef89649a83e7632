// The member centre (`/m`): a shopper's card, points history, coupons and own data on a
// phone. A client of the public API only, with the console's translation mechanism
// (i18n.js, the same message tables) and DOM helpers; no framework, nothing inline.

import { call, onUnauthorized } from "./api.js";
import { byId, keepFormsInPage, setMessage, show } from "./dom.js";
import {
  locale,
  onLocaleChange,
  preferredLocale,
  setLocale,
  t,
  useCentreMessages,
} from "./i18n.js";
import { drawActivity } from "./centre-activity.js";
import { drawCard, stopCard } from "./centre-card.js";
import { drawCoupons } from "./centre-coupons.js";
import { drawMe } from "./centre-me.js";
import { centre, requestCode, resume, signIn, signOut, takeHandoff } from "./centre-session.js";

// Feedback is loaded when first opened: the first page stays small.
const drawFeedback = async (view) => (await import("./centre-feedback.js")).drawFeedback(view);
const VIEWS = { card: drawCard, activity: drawActivity, coupons: drawCoupons, feedback: drawFeedback, me: drawMe };
const brand = { name: "" };

function message(text, kind = "error") {
  setMessage(byId("centre-message"), text, kind);
}

async function loadBranding(tenantId) {
  if (!tenantId) return;
  const look = await call(`/v1/tenants/${encodeURIComponent(tenantId)}/branding`).catch(() => null);
  if (!look) return;
  brand.name = look.display_name;
  byId("brand-name").textContent = look.display_name;
  document.title = `${look.display_name} · ${t("centre.title")}`;
  if (look.colour) document.documentElement.style.setProperty("--brand", look.colour);
  const logo = byId("brand-logo");
  if (look.logo) logo.src = look.logo;
  show(logo, Boolean(look.logo));
}

function currentView() {
  const name = location.hash.replace(/^#\//, "");
  return name in VIEWS ? name : "card";
}

function problemMessage(error) {
  if (error.code === "member_not_found") return t("centre.error.member_not_found");
  if (error.status === 0) return t("error.network");
  return error.detail;
}

async function drawView() {
  if (!centre.memberId) return;
  stopCard();
  const name = currentView();
  const view = byId("view");
  delete view.dataset.view;
  for (const tab of Object.keys(VIEWS)) {
    const link = byId(`tab-${tab}`);
    if (tab === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  try {
    await VIEWS[name](view, { signedOut: leave });
    message("");
    view.dataset.view = name;
  } catch (error) {
    if (error.status === 401) return;
    view.replaceChildren();
    message(problemMessage(error));
    view.dataset.view = `${name}-refused`;
  }
}

function showSignIn(messageKey = "", kind = "error") {
  stopCard();
  show(byId("centre"), false);
  show(byId("sign-in"), true);
  show(byId("tenant-field"), !centre.tenantId);
  byId("tenant-id").value = centre.tenantId;
  show(byId("code-form"), false);
  show(byId("phone-form"), true);
  message(messageKey ? t(messageKey) : "", kind);
  document.documentElement.dataset.centre = "signed-out";
}

async function showCentre() {
  show(byId("sign-in"), false);
  show(byId("centre"), true);
  document.documentElement.dataset.centre = "ready";
  await loadBranding(centre.tenantId);
  await drawView();
}

async function leave() {
  await signOut();
  showSignIn("centre.signed_out", "info");
}

async function sendCode(event) {
  event.preventDefault();
  const tenantId = byId("tenant-id").value.trim();
  const phone = byId("phone").value.trim();
  if (!tenantId || !phone) return message(t("centre.signin.missing"));
  byId("send-code").disabled = true;
  const answer = await requestCode(tenantId, phone).catch(() => ({ ok: false, status: 0 }));
  byId("send-code").disabled = false;
  if (!answer.ok) return message(answer.status === 429 ? t("signin.too_many") : t("centre.signin.send_failed"));
  centre.tenantId = tenantId;
  await loadBranding(tenantId);
  show(byId("phone-form"), false);
  show(byId("code-form"), true);
  message(t("centre.signin.sent", { phone }), "info");
  byId("code").focus();
}

async function enter(event) {
  event.preventDefault();
  const consents = { marketing: byId("consent-marketing").checked, profiling: byId("consent-profiling").checked };
  byId("sign-in-button").disabled = true;
  const answer = await signIn(centre.tenantId, byId("phone").value.trim(), byId("code").value.trim(), consents).catch(() => ({ ok: false, status: 0 }));
  byId("sign-in-button").disabled = false;
  if (!answer.ok) {
    message(answer.status === 429 ? t("signin.too_many") : t("centre.signin.wrong_code"));
    byId("code").select();
    return;
  }
  byId("code").value = "";
  if (await resume()) await showCentre();
}

async function switchLanguage(event) {
  await setLocale(event.target.value);
  const url = new URL(location.href);
  url.searchParams.set("lang", locale());
  history.replaceState(null, "", url);
}

keepFormsInPage();
useCentreMessages();
await setLocale(preferredLocale());
byId("language").value = locale();
byId("language").addEventListener("change", switchLanguage);
onLocaleChange(() => {
  byId("language").value = locale();
  if (brand.name) byId("brand-name").textContent = brand.name;
  if (document.documentElement.dataset.centre === "ready") drawView();
});
byId("phone-form").addEventListener("submit", sendCode);
byId("code-form").addEventListener("submit", enter);
window.addEventListener("hashchange", drawView);
onUnauthorized(() => {
  if (document.documentElement.dataset.centre === "ready") showSignIn("centre.session_ended");
});
const handed = await takeHandoff();
if (await resume()) await showCentre();
else {
  await loadBranding(centre.tenantId);
  showSignIn(handed && handed !== "ok" ? handed : "");
}
// Disabled in the page until here: a code asked for earlier would race the check above.
byId("send-code").disabled = false;
