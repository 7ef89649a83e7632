// The operator console: plain ES modules, no build step. Each page is its own module,
// loaded when first opened, and listed for the roles that may call what it needs.

import { preferredLocale, setLocale } from "./i18n.js";
import { startShell } from "./shell.js";
import { keepFormsInPage } from "./dom.js";

const MEMBER_DESK = [["GET", "/v1/members/lookup"], ["GET", "/v1/admin/members"]];
const TIER_PAGE = [["PUT", "/v1/admin/tier-program"], ["POST", "/v1/admin/segments/preview"]];
const POINTS_DESK = [["POST", "/v1/admin/points/transfers"], ["POST", "/v1/admin/points/reconciliation"]];

// For those who may start a long operation (the records are everyone's own).
const LONG_OPERATIONS = [
  ["POST", "/v1/admin/points/adjustments/bulk"],
  ["POST", "/v1/admin/campaigns/{campaign_id}/backtest"],
  ["POST", "/v1/admin/coupon-templates/{template_id}/batches"],
];
const OVERVIEW = [["GET", "/v1/admin/analytics/overview"]];
// `when`: for whom among those who may (a store manager gets their stores' page instead).
const page = (id, needs, load, when) => ({ id, title: `nav.${id}`, needs, load, when });
const managesStores = (me) => me.role === "store_manager";

const PAGES = [
  page("home", [], () => import("./page-home.js")),
  page("dashboard", OVERVIEW, () => import("./page-dashboard.js"), (me) => !managesStores(me)),
  page("stores", OVERVIEW, () => import("./page-stores.js"), managesStores),
  page("retention", [["GET", "/v1/admin/analytics/retention"]], () => import("./page-retention.js")),
  page("rfm", [["GET", "/v1/admin/analytics/rfm"]], () => import("./page-rfm.js")),
  page("churn", [["GET", "/v1/admin/analytics/churn"]], () => import("./page-churn.js")),
  page("league", [["GET", "/v1/admin/analytics/campaigns"]], () => import("./page-league.js")),
  page("finance", [["GET", "/v1/admin/analytics/liability"]], () => import("./page-finance.js")),
  page("members", MEMBER_DESK, () => import("./page-members.js")),
  page("campaigns", [["GET", "/v1/admin/campaigns"]], () => import("./page-campaigns.js")),
  page("segments", [["GET", "/v1/admin/segments"]], () => import("./page-segments.js")),
  page("coupons", [["GET", "/v1/admin/coupon-templates"]], () => import("./page-coupons.js")),
  page("tiers", TIER_PAGE, () => import("./page-tiers.js")),
  page("points", POINTS_DESK, () => import("./page-points.js")),
  page("access", [["GET", "/v1/admin/keys"]], () => import("./page-access.js")),
  page("codes", [["GET", "/v1/admin/member-code-messages"]], () => import("./page-codes.js")),
  page("audit", [["GET", "/v1/admin/audit"]], () => import("./page-audit.js")),
  page("feedback", [["GET", "/v1/admin/feedback"]], () => import("./page-feedback.js")),
  page("approvals", [["GET", "/v1/admin/approvals"]], () => import("./page-approvals.js")),
  page("webhooks", [["POST", "/v1/admin/webhooks"]], () => import("./page-webhooks.js")),
  page("operations", LONG_OPERATIONS, () => import("./page-operations.js")),
];

keepFormsInPage();
await setLocale(preferredLocale());
await startShell(PAGES);
