// The member's own data: the profile and consents they may change, everything held about
// them as a file, and ending the session.

import { call, problemText, request } from "./api.js";
import { button, checkboxes, el, field, setMessage } from "./dom.js";
import { t } from "./i18n.js";
import { centre, memberPath } from "./centre-session.js";

function profileForm(member, done) {
  const p = member.profile || {};
  const name = el("input", { attrs: { type: "text", value: p.name || "", maxlength: "200", autocomplete: "name" } });
  const email = el("input", { attrs: { type: "email", value: p.email || "", autocomplete: "email" } });
  const birthday = el("input", { attrs: { type: "date", value: p.birthday || "" } });
  const granted = Object.keys(member.consents || {}).filter((purpose) => member.consents[purpose]);
  const consents = checkboxes("consent", t("centre.me.consents"), ["marketing", "profiling"].map((c) => [c, t(`centre.consent.${c}`)]), granted, { id: "me-consents" });
  const message = el("p", { className: "message", attrs: { role: "status", id: "me-message" } });
  message.hidden = true;
  const form = el("form", { attrs: { id: "profile-form", novalidate: true } }, [
    field(t("profile.name"), name, { id: "me-name" }),
    field(t("profile.email"), email, { id: "me-email" }),
    field(t("profile.birthday"), birthday, { id: "me-birthday" }),
    consents,
    el("button", { className: "button", text: t("profile.save"), attrs: { type: "submit", id: "me-save" } }),
    message,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const patch = { name: name.value.trim() || null, email: email.value.trim() || null, birthday: birthday.value || null };
    const chosen = Object.fromEntries([...form.querySelectorAll('input[name="consent"]')].map((box) => [box.value, box.checked]));
    try {
      await call(memberPath("/profile"), { method: "PATCH", json: patch });
      await call(memberPath("/consents"), { method: "PUT", json: { consents: chosen, source: "member_centre" } });
      setMessage(message, t("centre.me.saved"), "info");
      done();
    } catch (error) {
      setMessage(message, problemText(error));
    }
  });
  return form;
}

async function download(link) {
  const answer = await request(memberPath("/export"));
  if (!answer.ok) return;
  const blob = new Blob([JSON.stringify(answer.body, null, 2)], { type: "application/json" });
  link.href = URL.createObjectURL(blob);
  link.setAttribute("download", `${centre.memberId}.json`);
  link.click();
}

export async function drawMe(view, { signedOut }) {
  const member = await call(memberPath());
  const exportLink = el("a", { className: "button button-quiet", text: t("centre.me.export"), attrs: { href: "#/me", id: "me-export" } });
  exportLink.addEventListener("click", (event) => {
    if (exportLink.getAttribute("download")) return;
    event.preventDefault();
    download(exportLink);
  });
  const phone = (member.identities || []).find((identity) => identity.type === "phone");
  view.replaceChildren(
    el("section", { className: "centre-card", attrs: { "aria-labelledby": "me-title" } }, [
      el("h1", { text: t("centre.me.title"), attrs: { id: "me-title" } }),
      phone ? el("p", { className: "hint", text: t("centre.me.phone", { phone: phone.value }) }) : null,
      profileForm(member, () => {}),
    ]),
    el("section", { className: "centre-card", attrs: { "aria-labelledby": "data-title" } }, [
      el("h2", { text: t("centre.me.data"), attrs: { id: "data-title" } }),
      el("p", { className: "hint", text: t("centre.me.export_hint") }),
      exportLink,
    ]),
    el("section", { className: "centre-card", attrs: { "aria-labelledby": "session-title" } }, [
      el("h2", { text: t("centre.me.session"), attrs: { id: "session-title" } }),
      button(t("centre.me.sign_out"), signedOut, { quiet: true, id: "sign-out" }),
    ]),
  );
}
