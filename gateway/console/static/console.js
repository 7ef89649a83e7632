// The operator console. Plain ES module, no dependencies, no build step.
//
// Safety rules for this file (unit tests check them): the DOM is only ever built with
// createElement/textContent, never from HTML strings, so data such as a member's name can
// never become markup; the operator signs in with e-mail and password and the session
// lives in an HttpOnly cookie the gateway sets, so no script (this one included) can read
// it and nothing is kept in the browser's storage.

const DEPENDENCIES = [
  ["mongo", "Gateway database"],
  ["member", "Member service"],
  ["points", "Points service"],
  ["campaign", "Campaign service"],
];

const IDENTITY_LABELS = {
  phone: "Phone",
  email: "Email",
  card: "Card number",
  wechat_openid: "WeChat OpenID",
  wechat_unionid: "WeChat UnionID",
  ecommerce_account: "E-commerce account",
  app_user: "App user",
};

const PROFILE_FIELDS = [
  ["name", "Name"],
  ["birthday", "Birthday"],
  ["email", "Email"],
  ["gender", "Gender"],
  ["preferred_store_id", "Preferred store"],
];

const byId = (id) => document.getElementById(id);

// Later answers win: a slow earlier answer never replaces a newer one.
const state = { lookupSeq: 0, statusSeq: 0 };

// ---------------------------------------------------------------------------------------
// DOM helpers: every text goes through textContent.

function el(tag, { className, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function clear(node) {
  node.replaceChildren();
}

function show(node, visible) {
  node.hidden = !visible;
}

function formatTime(value) {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(
    date,
  );
}

function timeElement(value) {
  const node = el("time", { text: formatTime(value) });
  if (value) {
    node.setAttribute("datetime", String(value));
    node.title = String(value);
  }
  return node;
}

// ---------------------------------------------------------------------------------------
// The API: JSON in, problem+json errors out.

class ApiError extends Error {
  constructor(status, code, detail, body = null) {
    super(detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.body = body;
  }
}

async function request(path, { method = "GET", json } = {}) {
  const headers = { Accept: "application/json" };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network_error", "The gateway could not be reached. Try again.");
  }
  let body = null;
  if ((response.headers.get("content-type") || "").includes("json")) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  return { ok: response.ok, status: response.status, body };
}

function problemOf(answer) {
  const body = answer.body && typeof answer.body === "object" ? answer.body : {};
  const detail = typeof body.detail === "string" ? body.detail : `HTTP ${answer.status}`;
  const code = typeof body.code === "string" ? body.code : `http_${answer.status}`;
  return new ApiError(answer.status, code, detail, body);
}

async function call(path, options) {
  const answer = await request(path, options);
  if (!answer.ok) throw problemOf(answer);
  return answer.body;
}

// ---------------------------------------------------------------------------------------
// Session: signed in with e-mail and password; the gateway keeps the session in a cookie.

function signInMessage(error) {
  if (error.status === 401) return "Unknown e-mail or wrong password for that brand.";
  if (error.status === 429) return `Too many attempts. ${error.detail}`;
  if (error.status === 422) return "Enter the brand, your e-mail and your password.";
  return error.detail;
}

function setMessage(node, text, kind = "error") {
  node.textContent = text || "";
  node.className = `message message-${kind}`;
  show(node, Boolean(text));
}

function permissionsList(routes) {
  const list = el("ul", { className: "permissions" });
  for (const route of routes) {
    list.append(
      el("li", {}, [
        el("span", { className: `badge badge-method`, text: route.method }),
        el("span", { className: "mono", text: route.path }),
      ]),
    );
  }
  return list;
}

function showSignedIn(whoami) {
  const tenantName = whoami.tenant ? whoami.tenant.name : whoami.tenant_id;
  byId("session-tenant").textContent = tenantName;
  const parts = [`tenant ${whoami.tenant_id}`, `role ${whoami.role}`];
  if (whoami.stores.length) parts.push(`stores ${whoami.stores.join(", ")}`);
  byId("session-detail").textContent = parts.join(" · ");
  const may = byId("role-permissions");
  clear(may);
  may.append(permissionsList(whoami.may || []));
  byId("role-name").textContent = whoami.role;
  show(byId("session"), true);
  show(byId("sign-in-panel"), false);
  show(byId("workspace"), true);
  refreshStatus();
  byId("identity-value").focus();
}

function showSignedOut(message, kind = "error") {
  state.lookupSeq += 1;
  show(byId("session"), false);
  show(byId("workspace"), false);
  show(byId("sign-in-panel"), true);
  byId("session-tenant").textContent = "";
  byId("session-detail").textContent = "";
  clear(byId("lookup-result"));
  clear(byId("status-list"));
  clear(byId("role-permissions"));
  byId("lookup-form").reset();
  syncLookupMode();
  byId("password").value = "";
  setMessage(byId("sign-in-message"), message, kind);
  byId(byId("tenant-id").value ? "email" : "tenant-id").focus();
}

async function signIn(event) {
  event.preventDefault();
  const button = byId("sign-in-button");
  const message = byId("sign-in-message");
  const login = {
    tenant_id: byId("tenant-id").value.trim(),
    email: byId("email").value.trim(),
    password: byId("password").value,
    cookie: true,
  };
  if (!login.tenant_id || !login.email || !login.password) {
    setMessage(message, "Enter the brand, your e-mail and your password.");
    return;
  }
  button.disabled = true;
  setMessage(message, "Signing in…", "info");
  try {
    await call("/v1/auth/sessions", { method: "POST", json: login });
    byId("password").value = "";
    setMessage(message, "");
    showSignedIn(await call("/v1/admin/whoami"));
  } catch (error) {
    setMessage(message, signInMessage(error));
    byId("password").select();
  } finally {
    button.disabled = false;
  }
}

async function signOut() {
  try {
    await request("/v1/auth/sessions/current", { method: "DELETE" });
  } finally {
    showSignedOut("You have signed out.", "info");
  }
}

async function resumeSession() {
  const answer = await request("/v1/admin/whoami").catch((error) => ({ ok: false, error }));
  if (answer.ok) {
    showSignedIn(answer.body);
  } else {
    showSignedOut("");
  }
}

// ---------------------------------------------------------------------------------------
// Status: /readyz answers 200, or 503 naming what is down.

function statusItem(label, health) {
  const text = { up: "Up", down: "Down" }[health];
  return el("li", { className: "status-item" }, [
    el("span", { className: "status-name", text: label }),
    el("span", { className: `badge badge-${health}`, text }),
  ]);
}

async function refreshStatus() {
  const seq = ++state.statusSeq;
  const list = byId("status-list");
  const checked = byId("status-checked");
  const button = byId("status-refresh");
  button.disabled = true;
  checked.textContent = "Checking…";
  let rows;
  let note;
  try {
    const answer = await request("/readyz");
    const down = Array.isArray(answer.body?.down) ? answer.body.down.map(String) : [];
    if (answer.ok || answer.status === 503) {
      const known = DEPENDENCIES.map(([name]) => name);
      const extra = down.filter((name) => !known.includes(name)).map((name) => [name, name]);
      rows = [["gateway", "Gateway", "up"]].concat(
        [...DEPENDENCIES, ...extra].map(([name, label]) => [
          name,
          label,
          answer.ok || !down.includes(name) ? "up" : "down",
        ]),
      );
      note = answer.ok ? "All dependencies answer." : problemOf(answer).detail;
    } else {
      rows = [["gateway", "Gateway", "down"]];
      note = problemOf(answer).detail;
    }
  } catch (error) {
    rows = [["gateway", "Gateway", "down"]];
    note = error.detail;
  }
  if (seq !== state.statusSeq) return;
  clear(list);
  for (const [, label, itemState] of rows) list.append(statusItem(label, itemState));
  checked.textContent = `${note} · checked ${formatTime(new Date().toISOString())}`;
  button.disabled = false;
}

// ---------------------------------------------------------------------------------------
// Member lookup.

function lookupMode() {
  const chosen = document.querySelector('input[name="lookup-by"]:checked');
  return chosen ? chosen.value : "identity";
}

function syncLookupMode() {
  const byMember = lookupMode() === "member";
  show(byId("identity-fields"), !byMember);
  show(byId("member-fields"), byMember);
  const type = byId("identity-type").value;
  const placeholders = {
    phone: "+8613800000001",
    email: "name@example.com",
    card: "Card number",
    wechat_openid: "OpenID",
    wechat_unionid: "UnionID",
    ecommerce_account: "Account name",
    app_user: "App user id",
  };
  byId("identity-value").placeholder = placeholders[type] || "";
}

function definitionList(rows) {
  const list = el("dl", { className: "facts" });
  for (const [term, value] of rows) {
    const description = el("dd");
    if (value instanceof Node) description.append(value);
    else description.textContent = value === undefined || value === null || value === "" ? "—" : String(value);
    list.append(el("dt", { text: term }), description);
  }
  return list;
}

function section(title, content) {
  return el("section", { className: "member-section" }, [el("h3", { text: title }), content]);
}

function identitiesTable(identities) {
  if (!identities || identities.length === 0) return el("p", { className: "hint", text: "None." });
  const body = el("tbody");
  for (const identity of identities) {
    body.append(
      el("tr", {}, [
        el("th", { text: IDENTITY_LABELS[identity.type] || identity.type, attrs: { scope: "row" } }),
        el("td", { className: "mono", text: identity.value }),
      ]),
    );
  }
  return el("table", { className: "table" }, [
    el("thead", {}, [
      el("tr", {}, [
        el("th", { text: "Type", attrs: { scope: "col" } }),
        el("th", { text: "Value", attrs: { scope: "col" } }),
      ]),
    ]),
    body,
  ]);
}

function profileFacts(profile) {
  const rows = PROFILE_FIELDS.map(([field, label]) => [label, profile?.[field]]);
  const attributes = profile?.attributes || {};
  for (const [name, value] of Object.entries(attributes)) rows.push([name, value]);
  return definitionList(rows);
}

function consentList(consents) {
  const entries = Object.entries(consents || {});
  if (entries.length === 0) return el("p", { className: "hint", text: "None recorded." });
  const list = el("ul", { className: "consents" });
  for (const [purpose, granted] of entries) {
    list.append(
      el("li", {}, [
        el("span", { className: "consent-purpose", text: purpose }),
        el("span", {
          className: `badge ${granted ? "badge-up" : "badge-muted"}`,
          text: granted ? "Granted" : "Withheld",
        }),
      ]),
    );
  }
  return list;
}

function tierText(tier) {
  if (!tier) return "No tier";
  return `${tier.name} (${tier.code})`;
}

function memberCard(member) {
  const name = member.profile?.name || "Unnamed member";
  const header = el("div", { className: "member-head" }, [
    el("div", {}, [
      el("h3", { className: "member-name", text: name }),
      el("p", { className: "mono member-id", text: member.member_id }),
    ]),
    el("div", { className: "badges" }, [
      el("span", { className: `badge badge-status-${member.status}`, text: member.status }),
      el("span", { className: "badge badge-tier", text: tierText(member.tier) }),
    ]),
  ]);
  const children = [header];
  if (member.status === "merged" && member.merged_into) {
    const open = el("button", {
      className: "button button-quiet",
      text: "Open that member",
      attrs: { type: "button" },
    });
    open.addEventListener("click", () => lookup({ memberId: member.merged_into }));
    children.push(
      el("div", { className: "notice" }, [
        el("span", { text: "Merged into " }),
        el("span", { className: "mono", text: member.merged_into }),
        open,
      ]),
    );
  }
  const since = member.tier?.since ? timeElement(member.tier.since) : "—";
  children.push(
    definitionList([
      ["Member id", member.member_id],
      ["Status", member.status],
      ["Tier", tierText(member.tier)],
      ["Tier since", since],
      ["Enrolled at", timeElement(member.enrolled_at)],
      ["Enrolled via", member.enrolled_channel],
    ]),
    el("div", { className: "member-grid" }, [
      section("Identities", identitiesTable(member.identities)),
      section("Profile", profileFacts(member.profile)),
      section("Consents", consentList(member.consents)),
    ]),
  );
  return el("article", { className: "member" }, children);
}

function problemBox(error) {
  const heading =
    error.status === 404 ? "No member found" : error.status ? `Error ${error.status}` : "Error";
  return el("div", { className: "problem", attrs: { role: "alert" } }, [
    el("p", { className: "problem-title" }, [
      el("strong", { text: heading }),
      el("span", { className: "mono problem-code", text: error.code }),
    ]),
    el("p", { className: "problem-detail", text: error.detail }),
  ]);
}

async function lookup({ memberId, type, value }) {
  const seq = ++state.lookupSeq;
  const result = byId("lookup-result");
  const button = byId("lookup-button");
  const path = memberId
    ? `/v1/members/${encodeURIComponent(memberId)}`
    : `/v1/members/lookup?${new URLSearchParams({ type, value })}`;
  clear(result);
  result.append(el("p", { className: "hint", text: "Searching…" }));
  button.disabled = true;
  let content;
  try {
    content = memberCard(await call(path));
  } catch (error) {
    if (error.status === 401) {
      if (seq === state.lookupSeq) showSignedOut("Your session has ended. Please sign in again.");
      return;
    }
    content = problemBox(error);
  } finally {
    button.disabled = false;
  }
  if (seq !== state.lookupSeq) return;
  clear(result);
  result.append(content);
}

function submitLookup(event) {
  event.preventDefault();
  const result = byId("lookup-result");
  if (lookupMode() === "member") {
    const memberId = byId("member-id").value.trim();
    if (!memberId) {
      clear(result);
      result.append(problemBox(new ApiError(0, "missing_member_id", "Enter a member id.")));
      return;
    }
    lookup({ memberId });
    return;
  }
  const type = byId("identity-type").value;
  const value = byId("identity-value").value.trim();
  if (!value) {
    clear(result);
    result.append(problemBox(new ApiError(0, "missing_value", "Enter the identity's value.")));
    return;
  }
  lookup({ type, value });
}

// ---------------------------------------------------------------------------------------

function start() {
  byId("sign-in-form").addEventListener("submit", signIn);
  byId("sign-out").addEventListener("click", signOut);
  byId("status-refresh").addEventListener("click", refreshStatus);
  byId("lookup-form").addEventListener("submit", submitLookup);
  for (const radio of document.querySelectorAll('input[name="lookup-by"]')) {
    radio.addEventListener("change", syncLookupMode);
  }
  byId("identity-type").addEventListener("change", syncLookupMode);
  syncLookupMode();
  resumeSession();
}

start();
