// The virtual till (`/till`): a client of the public API only, for store staff and for POS
// vendors testing their integration. The console's modules (api.js, dom.js, i18n.js)
// and message tables, its own sale, shopper, return and API-call panel modules.

import { onUnauthorized } from "./api.js";
import { byId, keepFormsInPage, setMessage, show } from "./dom.js";
import { locale, onLocaleChange, preferredLocale, setLocale, setTenantFormats, t } from "./i18n.js";
import { clearLog, drawLog, startLog } from "./till-log.js";
import { startReturn } from "./till-return.js";
import { newSale, redrawSale, startSale } from "./till-sale.js";
import { forgetKey, resume, signInAsOperator, signInWithKey, signOut, till } from "./till-session.js";
import { drawShopper, startShopper } from "./till-shopper.js";

function drawSession() {
  const detail = [];
  if (till.mode === "key") {
    byId("session-tenant").textContent = t("till.session.key");
  } else {
    const me = till.whoami;
    byId("session-tenant").textContent = me.tenant ? me.tenant.name : me.tenant_id;
    detail.push(t(`role.${me.role}`));
  }
  detail.push(till.store ? t("till.session.store", { store: till.store }) : t("till.session.key_store"));
  byId("session-detail").textContent = detail.join(" · ");
}

function showTill() {
  setTenantFormats({ timeZone: till.whoami?.tenant?.time_zone, currency: till.currency });
  drawSession();
  show(byId("session"), true);
  show(byId("sign-in-panel"), false);
  show(byId("till-main"), true);
  document.documentElement.dataset.till = "ready";
  newSale();
  byId("identify-value").focus();
}

function showSignedOut(messageKey = "", kind = "error") {
  delete document.documentElement.dataset.till;
  show(byId("session"), false);
  show(byId("till-main"), false);
  show(byId("sign-in-panel"), true);
  clearLog();
  setMessage(byId("sign-in-message"), messageKey ? t(messageKey) : "", kind);
  // Not away from a field of the sign-in the clerk is typing in (at the page's start).
  if (!byId("sign-in-panel").contains(document.activeElement)) byId("pos-key").focus();
}

async function switchLanguage(event) {
  await setLocale(event.target.value);
  const url = new URL(location.href);
  url.searchParams.set("lang", locale());
  history.replaceState(null, "", url);
}

keepFormsInPage();
await setLocale(preferredLocale());
byId("language").value = locale();
byId("language").addEventListener("change", switchLanguage);
onLocaleChange(() => {
  byId("language").value = locale();
  document.title = t("till.title");
  if (till.mode) {
    drawSession();
    drawShopper();
    redrawSale();
    drawLog();
  }
});
byId("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (signInWithKey()) showTill();
});
byId("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (await signInAsOperator()) showTill();
});
byId("sign-out").addEventListener("click", async () => {
  await signOut();
  showSignedOut("session.signed_out", "info");
});
onUnauthorized(() => {
  if (!till.mode) return;
  forgetKey();
  till.mode = null;
  showSignedOut("till.signin.refused");
});
startLog();
startShopper();
startSale();
startReturn();
if (await resume()) showTill();
else showSignedOut();
// Disabled in the page until here: a sign-in sent earlier would race the check above.
for (const id of ["key-sign-in", "sign-in-button"]) byId(id).disabled = false;
