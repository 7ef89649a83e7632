// Sign-in codes: under `make run` no SMS leaves the machine; the development sender keeps the
// tenant's last messages for a quarter of an hour, and admins and support read them here.

import { ApiError, call, problemText } from "./api.js";
import { button, card, el, hint, table } from "./dom.js";
import { t, timeElement } from "./i18n.js";
import { go } from "./shell.js";

const codeOf = (text) => (text.match(/\b\d{6}\b/) || [""])[0];

function messagesTable(messages) {
  const columns = [
    [t("codes.to"), (m) => m.to],
    [t("codes.code"), (m) => el("strong", { className: "sign-in-code", text: codeOf(m.text) })],
    [t("codes.sent_at"), (m) => timeElement(m.sent_at)],
    [t("codes.text"), (m) => m.text],
  ];
  return table(columns, messages, { caption: t("nav.codes"), empty: t("codes.none") });
}

export async function render(view) {
  view.append(el("h1", { className: "page-title", text: t("nav.codes") }));
  const refresh = button(t("codes.refresh"), () => go("codes"), { quiet: true, id: "codes-refresh" });
  let body;
  try {
    const answer = await call("/v1/admin/member-code-messages");
    body = [hint(t("codes.explain")), messagesTable(answer.messages)];
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "code_messages_unavailable") throw error;
    body = [hint(t("codes.unavailable")), hint(problemText(error))];
  }
  view.append(el("div", { className: "grid" }, [card(t("codes.title"), body, { id: "codes-messages", wide: true, actions: [refresh] })]));
}
