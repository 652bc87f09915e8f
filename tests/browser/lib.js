// tests/browser/lib.js — what every headless-browser test shares: Debian's
// chromium driven by playwright-core, trusting the stack's CA (an NSS
// database of the test's own, so TLS is checked for real), TAP-style lines
// that scripts/check counts, a full-page screenshot and an axe-core audit
// of every page a test visits, and the stack's environment
// (tests/api/browser_*.t source var/check/stack.env and run one script);
// and what the tests of the shop and of the history both use: psql as the
// superuser, the demo card numbers, text of an element, no card number in
// a page's HTML.
//
//   const T = require('./lib');
//   T.run('cart', async (t) => {
//     const { page } = await t.newPage();
//     await t.goto(page, T.shopUrl(), 'catalog');   // screenshot + axe
//     t.is(await page.locator('#page').getAttribute('data-page'), 'catalog', 'the catalog');
//   });
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const CHROMIUM = process.env.PAYGW_CHROMIUM || '/usr/bin/chromium';
const AXE_SOURCE = path.join(__dirname, 'node_modules/axe-core/axe.min.js');
// axe findings at these impacts fail a page; minor and moderate are printed
// (a test run with {axe: 'all'} fails every finding, whatever its impact)
const AXE_FAILING = ['serious', 'critical'];
const AXE_ALL = ['minor', 'moderate', 'serious', 'critical'];

function formatAxe(vs) {
  return vs.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(', ')}`).join('\n');
}

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run the test through tests/api/browser_*.t, which sources the stack's stack.env)`);
  return v;
}

// the shop's base URL, ending in "/shop/"
function shopUrl(rest = '') {
  return env('PAYGW_SHOP_URL').replace(/\/?$/, '/') + rest.replace(/^\//, '');
}

// the history's URL (docs/history.md) + REST: PAYGW_HISTORY_URL of the
// stack's environment without its last "/", so historyUrl('/sign-in') is
// https://HOST:PORT/history/sign-in and historyUrl('') /history itself
function historyUrl(rest = '') {
  return env('PAYGW_HISTORY_URL').replace(/\/$/, '') + rest;
}

// psql SQL [VARS]: runs SQL on the stack's database as the tests' role
// (PAYGW_PGURI, the superuser); VARS become psql variables (:'name' in SQL
// quotes one as a literal), so no value is pasted into the statement.
// → stdout, trimmed
function psql(sql, vars = {}) {
  const args = ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1'];
  for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
  args.push(env('PAYGW_PGURI'));
  return execFileSync('psql', args, { input: sql, encoding: 'utf8' }).trim();
}

// the demo card number of a demo user (lib/common/demo_data.h), for the
// checks that it appears nowhere; never printed
function demoPan(user) {
  const src = fs.readFileSync(path.join(ROOT, 'lib/common/demo_data.h'), 'utf8');
  const m = src.match(new RegExp(`\\{\\s*"${user}",\\s*"[^"]*",\\s*"[^"]*",\\s*"[^"]*",\\s*"[^"]*",\\s*"([0-9]{12,19})"`));
  if (!m) throw new Error(`no demo card for user ${user} in lib/common/demo_data.h`);
  return m[1];
}

// the page's data-page (#page's attribute, as the shop's and the history's
// templates mark each page), or null
async function dataPage(page) {
  return page.locator('#page').getAttribute('data-page', { timeout: 5000 }).catch(() => null);
}

const digits = (s) => (s || '').replace(/[^0-9]/g, '');
// the text of the first element SEL matches, trimmed ('' when none)
async function text(page, sel) {
  return ((await page.locator(sel).first().textContent({ timeout: 5000 }).catch(() => null)) || '').trim();
}
async function visible(page, sel) {
  return page.locator(sel).first().isVisible().catch(() => false);
}

// noCardNumber T PAGE USER WHAT: the page's HTML has no card number:
// neither USER's demo card's digits (USER null: no demo card to look for)
// nor any run of 12 or more digits (spaces or dashes between them allowed)
async function noCardNumber(t, page, user, what) {
  const html = await page.content();
  const pan = user ? demoPan(user) : null;
  // the forms' CSRF token is random hex digits: a run of 12 decimal ones
  // in it (about one page in thirty) is no card number
  const scrubbed = html.replace(/(name="csrf" value=")[0-9a-f]+"/g, '$1"');
  const run = scrubbed.match(/(?<![0-9])[0-9](?:[ -]?[0-9]){11,}(?![0-9])/);
  t.ok(!(pan && html.includes(pan)) && !run, `${what}: no card number in the HTML`, run ? `a digit run: ${run[0].slice(0, 4)}…` : 'the demo card number');
}

// A home folder with an NSS database that trusts the stack's CA (CA: its
// PEM file; null: an empty database): chromium on Linux reads locally trusted
// certificates from $HOME/.pki/nssdb (certutil, Debian's libnss3-tools).
function nssHome(ca) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'paygw-browser-'));
  const db = path.join(home, '.pki/nssdb');
  fs.mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  if (ca) execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', 'paygw stack CA', '-t', 'C,,', '-i', ca]);
  return home;
}

class Test {
  constructor(name, { axe = 'serious' } = {}) {
    this.name = name;
    this.axeFailing = axe === 'all' ? AXE_ALL : AXE_FAILING;
    this.n = 0;
    this.failed = 0;
    this.step = 0;
    this.shotDir = path.join(process.env.PAYGW_BROWSER_SHOTS || path.join(ROOT, 'var/check-logs/browser'), name);
    fs.rmSync(this.shotDir, { recursive: true, force: true });
    fs.mkdirSync(this.shotDir, { recursive: true });
    this.browser = null;
    this.browsers = [];
    this.homes = [];
    this.pages = [];   // every page opened, for the end-of-test checks
  }

  // --- TAP lines (scripts/check counts /^ok / and /^not ok /) --------------
  ok(cond, text, diag) {
    this.n += 1;
    if (cond) {
      console.log(`ok ${this.n} - ${text}`);
    } else {
      this.failed += 1;
      console.log(`not ok ${this.n} - ${text}`);
      if (diag !== undefined) this.diag(diag);
    }
    return !!cond;
  }
  is(got, want, text) {
    return this.ok(got === want, text, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  like(got, re, text) {
    return this.ok(typeof got === 'string' && re.test(got), text, `got ${JSON.stringify(got)}, want ${re}`);
  }
  diag(text) {
    for (const line of String(text).split('\n')) console.log(`# ${line}`);
  }

  // --- the browser ---------------------------------------------------------
  // launch([{trustStackCA}]): chromium, headless; by default one browser for
  // the whole test, trusting the stack's CA.  {trustStackCA: false} starts
  // another one with an empty NSS database (to show the trust is real).
  async launch({ trustStackCA = true } = {}) {
    if (trustStackCA && this.browser) return this.browser;
    const home = nssHome(trustStackCA ? env('PAYGW_CA') : null);
    this.homes.push(home);
    const args = ['--disable-dev-shm-usage', '--no-first-run', '--disable-gpu'];
    // chromium's sandbox needs user namespaces it cannot have as root (CI
    // and this machine run as root): off then, and only then
    if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args,
      env: { ...process.env, HOME: home },
    });
    this.browsers.push(browser);
    if (trustStackCA) this.browser = browser;
    return browser;
  }

  // A new context and page.  TLS errors are never ignored: the stack's CA is
  // trusted through the NSS database, and a certificate it did not sign (or
  // for another name) fails the navigation.  The shop's CSP is enforced
  // (no bypassCSP): axe goes in through the DevTools protocol, which a
  // page's CSP does not govern (see audit).  opts go to browser.newContext.
  // {fit: true} in opts: every look() also checks that the page fits its
  // viewport's width.
  async newPage(opts = {}, browser = null) {
    browser = browser || await this.launch();
    const { fit, ...ctxOpts } = opts;
    const context = await browser.newContext({ ignoreHTTPSErrors: false, ...ctxOpts });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    this.watch(page);
    page.__paygw.fit = !!fit;
    page.__paygw.touch = !!ctxOpts.hasTouch;
    page.__paygw.nojs = ctxOpts.javaScriptEnabled === false;
    return { context, page };
  }

  // Watches a page for the whole test: a dialog (alert, confirm, prompt)
  // fails the test, as does a script error or a CSP violation the page
  // reports; every main-frame navigation is counted, so a test can assert
  // that none happened, and every URL loaded must be looked at (look()).
  watch(page) {
    const w = { dialogs: [], errors: [], csp: [], navigations: 0, loaded: [], looked: new Set() };
    page.__paygw = w;
    this.pages.push(page);
    page.on('dialog', async (d) => {
      w.dialogs.push(`${d.type()}: ${d.message()}`);
      this.ok(false, `no dialog opens (a ${d.type()} said ${JSON.stringify(d.message())} on ${page.url()})`);
      await d.dismiss().catch(() => {});
    });
    page.on('pageerror', (e) => w.errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) w.csp.push(m.text());
    });
    page.on('framenavigated', (f) => {
      if (f !== page.mainFrame()) return;
      w.navigations += 1;
      w.loaded.push(f.url());
    });
  }

  // goto PAGE URL STEP: navigate and look (screenshot + audit); the response
  async goto(page, url, step) {
    const resp = await page.goto(url, { waitUntil: 'load' });
    await this.look(page, step);
    return resp;
  }

  // clickAndLook PAGE LOCATOR STEP: click a submit button (or anything that
  // navigates), wait for the page it leads to, and look at it
  // (the response of the navigation is returned; tap instead of click on
  // a context with hasTouch)
  async clickAndLook(page, locator, step) {
    const touch = page.__paygw.touch;
    const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      touch ? locator.tap() : locator.click()]);
    await this.look(page, step);
    return resp;
  }

  // look PAGE STEP: a full-page screenshot named by the test and the step
  // (var/check-logs/browser/TEST/NN-STEP.png), and the axe audit of what
  // the page shows now; an ok line for the audit.
  async look(page, step) {
    try {
      await this.lookOnce(page, step);
    } catch (e) {
      // a page that navigates under the audit (a form's answer still
      // arriving): look again at the page it loaded
      if (!/context was destroyed|navigat/i.test(String(e.message))) throw e;
      await page.waitForLoadState('load');
      await this.lookOnce(page, `${step}-again`);
    }
  }

  async lookOnce(page, step) {
    this.step += 1;
    const file = path.join(this.shotDir, `${String(this.step).padStart(2, '0')}-${step.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    page.__paygw.looked.add(page.url());
    await this.audit(page, step);
    if (page.__paygw.fit) await this.fits(page, step);
  }

  // docShot PAGE NAME: when PAYGW_BROWSER_DOC_SHOTS names a folder, the
  // page as its viewport shows it, one pixel per CSS pixel (not the full
  // page, not the device's scale: the documentation's pictures stay
  // small) in FOLDER/NAME.png — how docs/history/*.png are made again
  // (docs/testing.md); nothing otherwise
  async docShot(page, name) {
    const dir = process.env.PAYGW_BROWSER_DOC_SHOTS;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`), scale: 'css' });
  }

  // fits PAGE STEP: the page needs no horizontal scrolling at its viewport
  // (a phone's, for newPage({fit: true})).  Compared with the screen's
  // width, not innerWidth: a mobile browser zooms out to show a page that
  // is too wide, and innerWidth grows with it.
  async fits(page, step) {
    const sw = await page.evaluate(() => document.scrollingElement.scrollWidth);
    const w = page.viewportSize().width;
    this.ok(sw <= w, `${step}: fits the ${w} px screen, no horizontal scroll (content ${sw} px wide)`);
  }

  // axe-core on the page as it is: no violation of impact serious or
  // critical.  The source (node_modules/axe-core/axe.min.js) is evaluated
  // through the DevTools protocol: the shop's CSP (script-src 'self')
  // forbids an inline <script>, and evaluation by the DevTools protocol is
  // not subject to it, so the CSP stays in force for the page under test.
  // axeAllow RULE WHY: a test that must show a page breaking axe's RULE
  // (the shop's contract asks for it) names the rule and says why; its
  // findings are printed, not failed.  Every other rule still fails.
  axeAllow(rule, why) {
    this.axeAllowed = this.axeAllowed || new Map();
    this.axeAllowed.set(rule, why);
    this.diag(`axe rule ${rule} not failing in this test: ${why}`);
  }

  async audit(page, step) {
    const all = await this.axeViolations(page);
    const allowed = this.axeAllowed || new Map();
    const result = all.filter((v) => !allowed.has(v.id));
    for (const v of all.filter((x) => allowed.has(x.id))) this.diag(`${step}: axe (allowed here): ${formatAxe([v])}`);
    const bad = result.filter((v) => this.axeFailing.includes(v.impact));
    const what = this.axeFailing === AXE_ALL ? 'no violation at all' : 'no serious or critical violation';
    this.ok(bad.length === 0, `${step}: axe finds ${what}`, formatAxe(bad));
    const minor = result.filter((v) => !this.axeFailing.includes(v.impact));
    if (minor.length) this.diag(`${step}: axe (not failing): ${formatAxe(minor)}`);
  }

  // axeViolations PAGE → [{id, impact, help, nodes}] of every rule broken
  // On a page of a context with JavaScript off, evaluation by the DevTools
  // protocol still runs but no timer ever fires, and axe queues its work
  // with setTimeout: for the audit, setTimeout runs its function as a
  // microtask instead (restored after; the page's own scripts never ran).
  async axeViolations(page) {
    if (!this.axeSource) this.axeSource = fs.readFileSync(AXE_SOURCE, 'utf8');
    const has = await page.evaluate(() => typeof window.axe === 'object').catch(() => false);
    if (!has) {
      const cdp = await page.context().newCDPSession(page);
      const r = await cdp.send('Runtime.evaluate', { expression: this.axeSource });
      await cdp.detach().catch(() => {});
      if (r.exceptionDetails) throw new Error(`axe-core did not load: ${r.exceptionDetails.text}`);
    }
    return page.evaluate((nojs) => {
      const saved = [window.setTimeout, window.clearTimeout];
      if (nojs) {
        window.setTimeout = (fn, ms, ...a) => { Promise.resolve().then(() => fn(...a)); return 0; };
        window.clearTimeout = () => {};
      }
      return window.axe.run(document, { resultTypes: ['violations'] }).then((res) =>
        res.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
        }))).finally(() => { [window.setTimeout, window.clearTimeout] = saved; });
    }, page.__paygw.nojs);
  }

  // The checks every test ends with, per page: no script error, no CSP
  // violation, and every URL the page loaded was looked at.
  finalChecks() {
    for (const [i, page] of this.pages.entries()) {
      const w = page.__paygw;
      const tag = this.pages.length > 1 ? ` (page ${i + 1})` : '';
      this.ok(w.errors.length === 0, `no script error on the pages${tag}`, w.errors.join('\n'));
      this.ok(w.csp.length === 0, `no Content-Security-Policy violation on the pages${tag}`, w.csp.join('\n'));
      const unlooked = [...new Set(w.loaded)].filter((u) => u !== 'about:blank' && !w.looked.has(u));
      this.ok(unlooked.length === 0, `every page loaded was audited and photographed${tag}`, unlooked.join('\n'));
    }
  }

  async close() {
    for (const b of this.browsers) await b.close().catch(() => {});
    for (const h of this.homes) fs.rmSync(h, { recursive: true, force: true });
  }
}

// run NAME BODY [OPTS]: one test script; exits 1 when any check failed or
// BODY threw.  OPTS {axe: 'all'}: every axe finding fails, minor and
// moderate ones too (the history's tests)
function run(name, body, opts = {}) {
  const t = new Test(name, opts);
  const timer = setTimeout(() => {
    t.ok(false, `${name} finished within ${TIME_LIMIT_S} s`);
    process.exit(1);
  }, TIME_LIMIT_S * 1000);
  (async () => {
    try {
      await body(t);
      t.finalChecks();
    } catch (e) {
      t.ok(false, `${name} ran to its end`, e && e.stack ? e.stack : String(e));
    } finally {
      await t.close();
      clearTimeout(timer);
    }
    console.log(`# ${name}: ${t.n - t.failed} ok, ${t.failed} not ok; screenshots in ${path.relative(ROOT, t.shotDir)}/`);
    process.exit(t.failed || t.n === 0 ? 1 : 0);
  })();
}
const TIME_LIMIT_S = Number(process.env.PAYGW_BROWSER_TEST_TIMEOUT_S || 240);

module.exports = {
  run, env, shopUrl, historyUrl, ROOT, psql, demoPan, dataPage, digits, text, visible, noCardNumber,
};
