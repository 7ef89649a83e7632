// Who works the till: a POS key typed in once, or a store operator's cookie session.
// The key lives only in this tab (session storage: gone when the tab closes; never in
// the browser's lasting storage, never in a URL) and goes out as `Authorization: Bearer`
// on every call; an operator signs in as on the console, and the browser sends the
// HttpOnly cookie.

import { call, request, sendWith } from "./api.js";
import { byId, setMessage } from "./dom.js";
import { t } from "./i18n.js";

const KEY_SLOT = "till.pos_key";
const STORE_SLOT = "till.store";

// mode: "key" or "operator"; store: the store the till acts for ("" = the key's own).
export const till = { mode: null, store: "", currency: "CNY", whoami: null };

// A body as the till sends it: its store when it has one (a store key names its own), and
// for an operator the `pos` channel (an operator names the touchpoint it acts at).
export function atTill(body) {
  const placed = till.store ? { ...body, store_id: till.store } : { ...body };
  if (till.mode === "operator") placed.channel = "pos";
  return placed;
}

function useKey(secret, store) {
  sendWith({ Authorization: `Bearer ${secret}` });
  Object.assign(till, { mode: "key", store, currency: "CNY", whoami: null });
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_SLOT);
  sessionStorage.removeItem(STORE_SLOT);
  sendWith({});
}

// On opening: the key this tab was given, else the operator's session, else nobody.
export async function resume() {
  const secret = sessionStorage.getItem(KEY_SLOT);
  if (secret) {
    useKey(secret, sessionStorage.getItem(STORE_SLOT) || "");
    return true;
  }
  const answer = await request("/v1/admin/whoami").catch(() => ({ ok: false }));
  if (!answer.ok) return false;
  useOperator(answer.body);
  return true;
}

function useOperator(me) {
  Object.assign(till, {
    mode: "operator",
    store: me.stores?.[0] || "",
    currency: me.tenant?.currency || "CNY",
    whoami: me,
  });
}

export function signInWithKey() {
  const secret = byId("pos-key").value.trim();
  if (!secret) {
    setMessage(byId("sign-in-message"), t("till.signin.key_missing"));
    return false;
  }
  const store = byId("key-store").value.trim();
  sessionStorage.setItem(KEY_SLOT, secret);
  sessionStorage.setItem(STORE_SLOT, store);
  byId("pos-key").value = "";
  useKey(secret, store);
  setMessage(byId("sign-in-message"), "");
  return true;
}

function signInMessage(error) {
  if (error.status === 401) return t("signin.wrong");
  if (error.status === 429) return t("signin.too_many");
  if (error.status === 422) return t("signin.missing");
  return error.status ? error.detail : t("error.network");
}

export async function signInAsOperator() {
  const message = byId("sign-in-message");
  const login = {
    tenant_id: byId("tenant-id").value.trim(),
    email: byId("email").value.trim(),
    password: byId("password").value,
    cookie: true,
  };
  if (!login.tenant_id || !login.email || !login.password) {
    setMessage(message, t("signin.missing"));
    return false;
  }
  byId("sign-in-button").disabled = true;
  setMessage(message, t("signin.signing_in"), "info");
  try {
    forgetKey();
    await call("/v1/auth/sessions", { method: "POST", json: login });
    byId("password").value = "";
    useOperator(await call("/v1/admin/whoami"));
    setMessage(message, "");
    return true;
  } catch (error) {
    setMessage(message, signInMessage(error));
    byId("password").select();
    return false;
  } finally {
    byId("sign-in-button").disabled = false;
  }
}

export async function signOut() {
  if (till.mode === "operator") {
    await request("/v1/auth/sessions/current", { method: "DELETE" }).catch(() => null);
  }
  forgetKey();
  Object.assign(till, { mode: null, store: "", whoami: null });
}
