// The shell: sign-in, the session line, the navigation the role gets, and the router.
// A page is listed only when the role may call what it needs (whoami's `may`).

import { ApiError, call, onUnauthorized, problemText, request } from "./api.js";
import { button, byId, clear, el, setMessage, show } from "./dom.js";
import { locale, onLocaleChange, setLocale, setTenantFormats, t } from "./i18n.js";
import { onJobsChange } from "./jobs.js";

const session = { whoami: null, pages: [], rendered: 0 };

export function may(method, path) {
  return (session.whoami?.may || []).some((route) => route.method === method && route.path === path);
}

export function whoami() {
  return session.whoami;
}

function allowed(page) {
  if (page.when && !page.when(session.whoami)) return false;
  return page.needs.length === 0 || page.needs.some(([method, path]) => may(method, path));
}

// #/members/mem_123 → { id: "members", args: ["mem_123"] }
function currentRoute() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  return { id: parts[0] || "home", args: parts.slice(1) };
}

export function go(id, ...args) {
  const hash = `#/${[id, ...args].map(encodeURIComponent).join("/")}`;
  if (location.hash === hash) render();
  else location.hash = hash;
}

function renderNav(active) {
  const nav = byId("nav");
  clear(nav);
  const list = el("ul", { className: "nav-list" });
  for (const page of session.pages.filter(allowed)) {
    const link = el("a", {
      className: "nav-link",
      text: t(page.title),
      attrs: { href: `#/${page.id}`, "aria-current": page.id === active ? "page" : null },
    });
    list.append(el("li", {}, [link]));
  }
  nav.append(list);
}

export async function render() {
  if (!session.whoami) return;
  const seq = ++session.rendered;
  const route = currentRoute();
  const page = session.pages.find((p) => p.id === route.id && allowed(p)) || session.pages[0];
  renderNav(page.id);
  const view = byId("view");
  delete view.dataset.page; // a test or a reader waits for the page drawn anew
  const started = performance.now();
  const module = await page.load();
  if (seq !== session.rendered) return;
  // Each drawing gets a container of its own: a slower earlier one lands in a detached one.
  const content = document.createElement("div");
  view.replaceChildren(content);
  document.title = `${t(page.title)} · ${t("app.title")}`;
  try {
    await module.render(content, { args: route.args, isCurrent: () => seq === session.rendered });
  } catch (error) {
    if (seq === session.rendered) failed(content, error);
  }
  if (seq === session.rendered) {
    view.dataset.page = page.id;
    view.dataset.renderedMs = String(Math.round(performance.now() - started));
  }
}

// A page whose API call was refused says why, in the reader's language, instead of what it
// had drawn so far (no card half filled): its title, the refusal, and a way to try again.
// A refusal that passes (503: the reports being rebuilt, a service restarting) is not an error.
function failed(content, error) {
  const title = content.querySelector("h1");
  const api = error instanceof ApiError;
  const text = !api ? t("error.title") : error.status === 0 ? t("error.network") : problemText(error);
  const said = el("p", { className: `message message-${api && error.status === 503 ? "info" : "error"}`, text, attrs: { id: "page-failed", role: "status" } });
  const again = el("div", { className: "actions" }, [button(t("page.try_again"), render, { id: "page-try-again" })]);
  content.replaceChildren(...[title, said, again].filter(Boolean));
  if (!api) console.error(error);
}

function showSignedIn(me) {
  session.whoami = me;
  setTenantFormats({ timeZone: me.tenant?.time_zone, currency: me.tenant?.currency });
  byId("session-tenant").textContent = me.tenant ? me.tenant.name : me.tenant_id;
  const parts = [t(`role.${me.role}`)];
  if (me.stores.length) parts.push(t("session.stores", { stores: me.stores.join(", ") }));
  byId("session-detail").textContent = parts.join(" · ");
  show(byId("session"), true);
  show(byId("sign-in-panel"), false);
  show(byId("workspace"), true);
  render();
}

// `typedMeanwhile`: at the page's start, what the operator typed while it loaded stays,
// and so does the focus.
function showSignedOut(messageKey, kind = "error", { typedMeanwhile = false } = {}) {
  session.whoami = null;
  session.rendered += 1;
  show(byId("session"), false);
  show(byId("workspace"), false);
  show(byId("sign-in-panel"), true);
  clear(byId("view"));
  clear(byId("nav"));
  if (!typedMeanwhile) byId("password").value = "";
  setMessage(byId("sign-in-message"), messageKey ? t(messageKey) : "", kind);
  if (!typedMeanwhile || !byId("sign-in-form").contains(document.activeElement)) {
    byId(byId("tenant-id").value ? "email" : "tenant-id").focus();
  }
}

function signInMessage(error) {
  if (error.status === 401) return t("signin.wrong");
  if (error.status === 429) return t("signin.too_many");
  if (error.status === 422) return t("signin.missing");
  return error.status ? error.detail : t("error.network");
}

async function signIn(event) {
  event.preventDefault();
  const message = byId("sign-in-message");
  const login = {
    tenant_id: byId("tenant-id").value.trim(),
    email: byId("email").value.trim(),
    password: byId("password").value,
    cookie: true,
  };
  if (!login.tenant_id || !login.email || !login.password) {
    setMessage(message, t("signin.missing"));
    return;
  }
  byId("sign-in-button").disabled = true;
  setMessage(message, t("signin.signing_in"), "info");
  try {
    await call("/v1/auth/sessions", { method: "POST", json: login });
    byId("password").value = "";
    setMessage(message, "");
    showSignedIn(await call("/v1/admin/whoami"));
  } catch (error) {
    setMessage(message, signInMessage(error));
    byId("password").select();
  } finally {
    byId("sign-in-button").disabled = false;
  }
}

async function signOut() {
  try {
    await request("/v1/auth/sessions/current", { method: "DELETE" });
  } finally {
    showSignedOut("session.signed_out", "info");
  }
}

async function switchLanguage(event) {
  await setLocale(event.target.value);
  const url = new URL(location.href);
  url.searchParams.set("lang", locale());
  history.replaceState(null, "", url);
}

export async function startShell(pages) {
  session.pages = pages;
  byId("sign-in-form").addEventListener("submit", signIn);
  byId("sign-out").addEventListener("click", signOut);
  byId("language").addEventListener("change", switchLanguage);
  byId("language").value = locale();
  window.addEventListener("hashchange", render);
  onJobsChange((count) => {
    byId("jobs-running").textContent = t("jobs.running", { count });
    show(byId("jobs-running"), count > 0);
  });
  onUnauthorized(() => {
    if (session.whoami) showSignedOut("session.ended");
  });
  onLocaleChange(() => {
    byId("language").value = locale();
    if (session.whoami) showSignedIn(session.whoami);
  });
  const answer = await request("/v1/admin/whoami").catch(() => ({ ok: false }));
  if (answer.ok) showSignedIn(answer.body);
  else showSignedOut("", "error", { typedMeanwhile: true });
  // Disabled in the page until here: a sign-in sent earlier would race the check above.
  byId("sign-in-button").disabled = false;
}
