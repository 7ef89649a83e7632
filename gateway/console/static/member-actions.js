// What the member desk does for a member: adjust points with a reason, merge a duplicate
// into this member after seeing what will move. Each shown only if the role may call it.

import { call, fieldErrors, operationId } from "./api.js";
import { button, card, el, facts, field, hint, setMessage, showFieldErrors } from "./dom.js";
import { formatPoints, t } from "./i18n.js";
import { may } from "./shell.js";

const showErrors = (form, errors) => showFieldErrors(form, errors, (name) => `adjust-${name}`);

function adjustCard(member, refresh) {
  const points = el("input", { attrs: { type: "number", step: "1", required: true, inputmode: "numeric" } });
  const reason = el("input", { attrs: { type: "text", required: true, maxlength: "200" } });
  const message = el("p", { className: "message", attrs: { role: "status" } });
  message.hidden = true;
  const submit = el("button", { className: "button", text: t("adjust.submit"), attrs: { type: "submit", id: "adjust-submit" } });
  const form = el("form", { attrs: { id: "adjust-form", novalidate: true } }, [
    field(t("adjust.points"), points, { id: "adjust-points" }),
    field(t("adjust.reason"), reason, { id: "adjust-reason" }),
    el("div", { className: "actions" }, [submit]),
    message,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { adjustment_id: operationId("console"), points: Number(points.value), reason: reason.value.trim() };
    const local = {};
    if (!Number.isInteger(body.points) || body.points === 0) local.points = t("adjust.points_invalid");
    if (!body.reason) local.reason = t("adjust.reason_missing");
    showErrors(form, local);
    if (Object.keys(local).length) return;
    submit.disabled = true;
    try {
      const path = `/v1/admin/members/${encodeURIComponent(member.member_id)}/points/adjustments`;
      await call(path, { method: "POST", json: body });
      refresh();
    } catch (error) {
      showErrors(form, fieldErrors(error));
      setMessage(message, error.detail);
    } finally {
      submit.disabled = false;
    }
  });
  return card(t("adjust.title"), [hint(t("adjust.hint")), form], { id: "adjust-panel" });
}

function mergePreview(member, other, otherPoints) {
  return facts([
    [t("merge.survivor"), member.member_id],
    [t("merge.merged"), other.member_id],
    [t("merge.moves_identities"), (other.identities || []).map((i) => `${t(`identity.${i.type}`)} ${i.value}`).join(", ") || t("common.none")],
    [t("merge.moves_points"), otherPoints ? formatPoints(otherPoints.available) : "—"],
    [t("merge.moves_held"), otherPoints ? formatPoints(otherPoints.held) : "—"],
    [t("merge.tier_after"), t("merge.tier_reevaluated")],
  ]);
}

function mergeCard(member, refresh) {
  const otherId = el("input", { attrs: { type: "text", spellcheck: "false", autocomplete: "off" } });
  const preview = el("div", { attrs: { id: "merge-preview", "aria-live": "polite" } });
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  const confirm = async (other) => {
    try {
      await call("/v1/members/merge", { method: "POST", json: { survivor_id: member.member_id, merged_id: other.member_id } });
      refresh();
    } catch (error) {
      setMessage(message, error.detail);
    }
  };
  const submit = el("button", { className: "button button-quiet", text: t("merge.preview"), attrs: { type: "submit", id: "merge-preview-button" } });
  const form = el("form", { attrs: { id: "merge-form", novalidate: true } }, [
    field(t("merge.other_id"), otherId, { id: "merge-other" }),
    el("div", { className: "actions" }, [submit]),
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    setMessage(message, "");
    preview.replaceChildren();
    const id = otherId.value.trim();
    if (!id || id === member.member_id) {
      setMessage(message, t("merge.other_invalid"));
      return;
    }
    try {
      const base = `/v1/members/${encodeURIComponent(id)}`;
      const [other, points] = await Promise.all([call(base), call(`${base}/points`).catch(() => null)]);
      preview.replaceChildren(
        el("h3", { text: t("merge.what_moves") }),
        mergePreview(member, other, points),
        el("div", { className: "actions" }, [button(t("merge.confirm"), () => confirm(other), { danger: true, id: "merge-confirm" })]),
      );
    } catch (error) {
      setMessage(message, error.status === 404 ? t("members.not_found") : error.detail);
    }
  });
  return card(t("merge.title"), [hint(t("merge.hint")), form, message, preview], { id: "merge-panel" });
}

export function actionCards(member, points, refresh) {
  if (member.status !== "active") return [];
  const cards = [];
  if (may("POST", "/v1/admin/members/{member_id}/points/adjustments")) cards.push(adjustCard(member, refresh));
  if (may("POST", "/v1/members/merge")) cards.push(mergeCard(member, refresh));
  return cards;
}
