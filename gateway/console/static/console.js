// The operator console: plain ES modules, no build step. Each page is its own module,
// loaded when first opened, and listed for the roles that may call what it needs.

import { preferredLocale, setLocale } from "./i18n.js";
import { startShell } from "./shell.js";

const MEMBER_DESK = [["GET", "/v1/members/lookup"], ["GET", "/v1/admin/members"]];

const PAGES = [
  { id: "home", title: "nav.home", needs: [], load: () => import("./page-home.js") },
  { id: "members", title: "nav.members", needs: MEMBER_DESK, load: () => import("./page-members.js") },
  {
    id: "campaigns",
    title: "nav.campaigns",
    needs: [["GET", "/v1/admin/campaigns"]],
    load: () => import("./page-campaigns.js"),
  },
  {
    id: "points",
    title: "nav.points",
    needs: [["POST", "/v1/admin/points/transfers"], ["POST", "/v1/admin/points/reconciliation"]],
    load: () => import("./page-points.js"),
  },
  { id: "access", title: "nav.access", needs: [["GET", "/v1/admin/keys"]], load: () => import("./page-access.js") },
];

await setLocale(preferredLocale());
await startShell(PAGES);
