// Who the member centre acts for. The member session lives in an HttpOnly cookie the
// gateway sets (from a hand-off code the brand's app opened the page with, or a one-time
// code sent to the phone); no script ever holds it. Every call says
// `X-Session-Cookie: member`, so a browser also signed in to the console stays apart.

import { call, request, sendWith } from "./api.js";

export const centre = { tenantId: "", memberId: "", ownId: "" };

sendWith({ "X-Session-Cookie": "member" });

const params = () => new URLSearchParams(location.search);

// The hand-off code leaves the address at once (history and screenshots never keep it),
// then buys the cookie; a used or expired code leaves the page signed out.
export async function takeHandoff() {
  const url = new URL(location.href);
  const code = url.searchParams.get("handoff");
  if (!code) return null;
  url.searchParams.delete("handoff");
  history.replaceState(null, "", url);
  const answer = await request("/v1/member-sessions/handoff", { method: "POST", json: { code } });
  return answer.ok ? "ok" : "centre.signin.handoff_refused";
}

export async function resume() {
  const answer = await request("/v1/member-sessions/current").catch(() => ({ ok: false }));
  if (!answer.ok) {
    centre.tenantId = params().get("tenant") || "";
    return false;
  }
  centre.tenantId = answer.body.tenant_id;
  centre.ownId = answer.body.member_id;
  // A link may name a member (`?member=`): the API answers 404 for anyone but the member.
  centre.memberId = params().get("member") || centre.ownId;
  return true;
}

export async function requestCode(tenantId, phone) {
  return request("/v1/member-sessions/otp", {
    method: "POST",
    json: { tenant_id: tenantId, identity: { type: "phone", value: phone } },
  });
}

export async function signIn(tenantId, phone, code, consents) {
  const body = { tenant_id: tenantId, identity: { type: "phone", value: phone }, code, consents, cookie: true };
  return request("/v1/member-sessions", { method: "POST", json: body });
}

export async function signOut() {
  await call("/v1/member-sessions/current", { method: "DELETE" }).catch(() => null);
  Object.assign(centre, { memberId: "", ownId: "" });
}

export const memberPath = (suffix = "") => `/v1/members/${encodeURIComponent(centre.memberId)}${suffix}`;
