// The operator console: plain ES modules, no build step. Each page is its own module,
// loaded when first opened, and listed for the roles that may call what it needs.

import { preferredLocale, setLocale } from "./i18n.js";
import { startShell } from "./shell.js";

const MEMBER_DESK = [["GET", "/v1/members/lookup"], ["GET", "/v1/admin/members"]];
const TIER_PAGE = [["PUT", "/v1/admin/tier-program"], ["POST", "/v1/admin/segments/preview"]];
const POINTS_DESK = [["POST", "/v1/admin/points/transfers"], ["POST", "/v1/admin/points/reconciliation"]];

const page = (id, needs, load) => ({ id, title: `nav.${id}`, needs, load });

const PAGES = [
  page("home", [], () => import("./page-home.js")),
  page("members", MEMBER_DESK, () => import("./page-members.js")),
  page("campaigns", [["GET", "/v1/admin/campaigns"]], () => import("./page-campaigns.js")),
  page("segments", [["GET", "/v1/admin/segments"]], () => import("./page-segments.js")),
  page("coupons", [["GET", "/v1/admin/coupon-templates"]], () => import("./page-coupons.js")),
  page("tiers", TIER_PAGE, () => import("./page-tiers.js")),
  page("points", POINTS_DESK, () => import("./page-points.js")),
  page("access", [["GET", "/v1/admin/keys"]], () => import("./page-access.js")),
  page("codes", [["GET", "/v1/admin/member-code-messages"]], () => import("./page-codes.js")),
  page("audit", [["GET", "/v1/admin/audit"]], () => import("./page-audit.js")),
  page("approvals", [["GET", "/v1/admin/approvals"]], () => import("./page-approvals.js")),
];

await setLocale(preferredLocale());
await startShell(PAGES);
