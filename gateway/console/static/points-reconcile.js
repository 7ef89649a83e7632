// Reconciliation: every wallet checked against its ledger, holds and lots (changes nothing).

import { call } from "./api.js";
import { button, card, el, hint, table } from "./dom.js";
import { formatTime, t } from "./i18n.js";

export function reconciliationCard() {
  const result = el("div", { attrs: { "aria-live": "polite", id: "reconciliation-result" } });
  const run = async (event) => {
    event.target.disabled = true;
    result.replaceChildren(hint(t("home.reconcile.running")));
    try {
      const answer = await call("/v1/admin/points/reconciliation", { method: "POST" });
      const drifting = answer.drifting || [];
      result.replaceChildren(
        drifting.length
          ? table(
              [
                [t("member.id"), (d) => d.member_id, "mono"],
                [t("home.reconcile.problems"), (d) => d.problems.join("; ")],
              ],
              drifting,
            )
          : el("p", { className: "badge badge-up", text: t("home.reconcile.clean") }),
        hint(t("home.status.checked", { time: formatTime(new Date().toISOString()) })),
      );
    } catch (error) {
      result.replaceChildren(hint(error.detail));
    } finally {
      event.target.disabled = false;
    }
  };
  return card(t("home.reconcile.title"), [hint(t("home.reconcile.hint")), result], {
    id: "reconcile-panel",
    actions: [button(t("home.reconcile.run"), run, { id: "reconcile-run" })],
  });
}
