// Finance: what the programme owes in points now, its value at the tenant's point value,
// what expires soon and the breakage over trailing periods.

import { call } from "./api.js";
import { bars, csvLink, figure, reportPath } from "./analytics-view.js";
import { barChart } from "./chart.js";
import { card, el, facts, hint, table } from "./dom.js";
import { formatDate, formatNumber, t } from "./i18n.js";

export async function render(view) {
  view.append(el("h1", { className: "page-title", text: t("nav.finance") }));
  const report = await call(reportPath("liability"));
  const wallet = ["available", "held", "pending"].map((kind) => [kind, report[kind]]);
  const summary = facts([
    ...wallet.map(([kind, value]) => [t(`points.${kind}`), figure(kind, value)]),
    [t("analytics.outstanding"), figure("outstanding", report.outstanding)],
    [t("analytics.point_value"), report.point_value === null ? t("analytics.point_value_unset") : figure("point_value", report.point_value, "money", report.currency)],
    [t("analytics.outstanding_value"), report.outstanding_value === null ? "—" : figure("outstanding_value", report.outstanding_value, "money", report.currency)],
    [t("analytics.wallets"), figure("members", report.members)],
  ]);
  const expiring = report.expiring.map((row) => [t("analytics.within_days", { days: row.days }), row.points]);
  const breakage = table(
    [
      [t("analytics.trailing"), (row) => t("analytics.within_days", { days: row.days })],
      [t("analytics.points.issued"), (row) => formatNumber(row.issued), "num"],
      [t("analytics.points.expired"), (row) => formatNumber(row.expired), "num"],
      [t("analytics.breakage_rate"), (row) => figure(`breakage_${row.days}`, row.rate, "rate"), "num"],
    ],
    report.breakage,
    { caption: t("analytics.breakage") },
  );
  view.append(
    hint(t("analytics.as_of", { day: formatDate(report.as_of) })),
    el("div", { className: "grid" }, [
      card(t("analytics.liability"), [summary], { id: "finance-liability", wide: true, actions: [csvLink("liability", {}, "finance-csv")] }),
      card(t("analytics.wallet_title"), [barChart({ id: "finance-wallet-chart", title: t("analytics.wallet_title"), bars: bars(wallet, (kind) => t(`points.${kind}`)), valueLabel: t("analytics.points") })], { id: "finance-wallet" }),
      card(t("analytics.expiring"), [barChart({ id: "finance-expiring-chart", title: t("analytics.expiring"), bars: bars(expiring), valueLabel: t("analytics.points") })], { id: "finance-expiring" }),
      card(t("analytics.breakage"), [breakage], { id: "finance-breakage", wide: true }),
    ]),
  );
}
