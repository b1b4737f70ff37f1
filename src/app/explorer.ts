// The API explorer: GraphiQL, bundled at build time into dist/explorer/ (npm run build:explorer) and served
// from here, at GET /explorer and at GET /graphql for browsers. Nothing comes from a CDN.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import express, { type RequestHandler, type Router } from "express";
import helmet from "helmet";
import { PROJECT_ROOT } from "../config/paths.js";
import type { Db } from "../db/client.js";
import { DEMO_PASSWORD, DEMO_USERS } from "../demo/demo-company.js";

export const EXPLORER_ASSETS_DIR = path.join(PROJECT_ROOT, "dist", "explorer");
const ASSETS_PATH = "/explorer/assets";

const DEFAULT_QUERY = `# Log in above (or paste a token), then run a query, e.g.:
{
  me { name role }
}
`;

/** A GET a browser makes for a page (it prefers HTML to JSON). */
const wantsPage = (req: express.Request): boolean => req.method === "GET" && req.accepts(["application/json", "text/html"]) === "text/html";

/**
 * Scripts, styles, fonts, workers and API calls from this server only. A <style> element needs the page's
 * nonce (Monaco writes its theme into the ones it creates); style attributes are allowed because Monaco
 * lays out every editor line with them (markup with style="…"), and they can neither run code nor load
 * anything from elsewhere (img-src, font-src: this server and data: only).
 */
const pageSecurity = (nonce: string) =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", `'nonce-${nonce}'`],
        styleSrcElem: ["'self'", `'nonce-${nonce}'`],
        styleSrcAttr: ["'unsafe-inline'"],
        fontSrc: ["'self'", "data:"], // GraphiQL's stylesheet embeds its fonts
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The demo accounts that exist in this database (outside production only: they share a public password). */
async function demoAccounts(db: Db, production: boolean) {
  if (production) return [];
  const present = await db.user.findMany({ where: { email: { in: DEMO_USERS.map((u) => u.email) }, active: true }, select: { email: true } });
  const emails = new Set(present.map((u) => u.email));
  return DEMO_USERS.filter((u) => emails.has(u.email)).map(({ email, name, role }) => ({ email, name, role }));
}

function renderPage(nonce: string, settings: object): string {
  // JSON in a data block: `<` escaped so that no value can close the element
  const json = JSON.stringify(settings).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CRM API explorer</title>
<link rel="stylesheet" href="${ASSETS_PATH}/explorer.css">
</head>
<body>
<div id="explorer" data-style-nonce="${escapeHtml(nonce)}"></div>
<script type="application/json" id="explorer-settings">${json}</script>
<script src="${ASSETS_PATH}/explorer.js"></script>
</body>
</html>
`;
}

/** Routes of the explorer: the page (GET /explorer, GET /graphql from a browser) and its bundled assets. */
export function explorerRoutes(options: { db: Db; production: boolean; endpoint: string }): Router {
  const router = express.Router();
  const built = existsSync(path.join(EXPLORER_ASSETS_DIR, "explorer.js"));
  const page: RequestHandler = async (req, res, next) => {
    if (!built) {
      res.status(503).type("text/plain").send("The API explorer is not built: run `npm run build:explorer` (or `npm run build`).");
      return;
    }
    const nonce = randomBytes(16).toString("base64");
    const demoUsers = await demoAccounts(options.db, options.production);
    const settings = { endpoint: options.endpoint, demoUsers, demoPassword: demoUsers.length ? DEMO_PASSWORD : null, defaultQuery: DEFAULT_QUERY };
    pageSecurity(nonce)(req, res, (error?: unknown) => {
      if (error) return next(error);
      res.setHeader("cache-control", "no-store");
      res.type("html").send(renderPage(nonce, settings));
    });
  };
  router.get("/explorer", page);
  router.get(options.endpoint, (req, res, next) => (wantsPage(req) && !req.query.query ? page(req, res, next) : next()));
  router.use(ASSETS_PATH, express.static(EXPLORER_ASSETS_DIR, { index: false, maxAge: "1h" }));
  return router;
}
