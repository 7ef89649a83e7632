// Who is buying: found by what they show (the code their app shows, a phone number, a
// card), or enrolled at the counter; with their points now.

import { call, operationId, problemText } from "./api.js";
import { byId, el, facts, setMessage, show } from "./dom.js";
import { formatPoints, t } from "./i18n.js";
import { atTill } from "./till-session.js";

const state = { member: null, points: null, listeners: [] };

export function shopper() {
  return state.member;
}

export function onShopper(listener) {
  state.listeners.push(listener);
}

function changed() {
  for (const listener of state.listeners) listener(state.member);
}

// The balance an answer brought (an order, a hold, a return): shown without another call.
export function setBalance(balance) {
  if (!state.member || !balance) return;
  state.points = { ...(state.points || {}), available: balance.available, held: balance.held };
  drawShopper();
}

export function drawShopper() {
  const box = byId("shopper");
  const member = state.member;
  if (!member) {
    box.replaceChildren(el("p", { className: "hint", text: t("till.shopper.none") }));
    return;
  }
  const name = member.profile?.name || t("till.shopper.no_name");
  box.replaceChildren(
    el("div", { className: "member-head" }, [
      el("span", { className: "member-name", text: name }),
      member.tier ? el("span", { className: "badge badge-tier", text: member.tier.name }) : null,
    ]),
    facts([
      [t("till.shopper.member_id"), el("span", { className: "mono", text: member.member_id, attrs: { id: "shopper-id" } })],
      [t("points.available"), el("span", { text: formatPoints(state.points?.available), attrs: { id: "shopper-available" } })],
      [t("points.held"), formatPoints(state.points?.held)],
    ]),
  );
}

async function useMember(member) {
  state.member = member;
  state.points = null;
  drawShopper();
  changed();
  try {
    state.points = await call(`/v1/members/${encodeURIComponent(member.member_id)}/points`);
  } catch (error) {
    setMessage(byId("shopper-message"), problemText(error));
  }
  drawShopper();
}

export function forgetShopper() {
  state.member = null;
  state.points = null;
  drawShopper();
  changed();
}

async function identify(event) {
  event.preventDefault();
  const message = byId("shopper-message");
  const type = byId("identify-type").value;
  const value = byId("identify-value").value.trim();
  if (!value) {
    byId("identify-value").focus();
    return;
  }
  setMessage(message, "");
  const query = new URLSearchParams({ type, value });
  try {
    const member = await call(`/v1/members/lookup?${query}`);
    byId("identify-value").value = "";
    byId("line-sku").focus(); // next: ring up (before the points arrive)
    await useMember(member);
  } catch (error) {
    forgetShopper();
    const key = `till.shopper.error.${error.code}`;
    setMessage(message, ["member_not_found", "forbidden"].includes(error.code) ? t(key) : problemText(error));
    byId("identify-value").select();
  }
}

async function enrol(event) {
  event.preventDefault();
  const message = byId("shopper-message");
  const phone = byId("enrol-phone").value.trim();
  if (!phone) {
    setMessage(message, t("till.enrol.phone_missing"));
    byId("enrol-phone").focus();
    return;
  }
  const body = atTill({
    identities: [{ type: "phone", value: phone }],
    consents: { marketing: byId("enrol-marketing").checked },
  });
  const name = byId("enrol-name").value.trim();
  if (name) body.profile = { name };
  byId("enrol-submit").disabled = true;
  try {
    const headers = { "Idempotency-Key": operationId("enrol") };
    const member = await call("/v1/members", { method: "POST", json: body, headers });
    setMessage(message, t(member.created ? "till.enrol.created" : "till.enrol.existing"), "info");
    byId("enrol-form").reset();
    show(byId("enrol-form"), false);
    await useMember(member);
  } catch (error) {
    setMessage(message, problemText(error));
  } finally {
    byId("enrol-submit").disabled = false;
  }
}

export function startShopper() {
  byId("identify-form").addEventListener("submit", identify);
  byId("enrol-form").addEventListener("submit", enrol);
  byId("enrol-open").addEventListener("click", () => {
    const form = byId("enrol-form");
    show(form, form.hidden);
    if (!form.hidden) byId("enrol-phone").focus();
  });
  drawShopper();
}
