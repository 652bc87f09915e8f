// stack_page.js — the runner itself, on the stack's static page
// (www/index.html): it loads over TLS with the stack's CA trusted and no
// certificate error ignored, the CSP of security_headers.conf is in force,
// axe-core runs on it (also with JavaScript off and on a phone's screen)
// and finds a fault planted in it, and a page served with a certificate chromium does
// not trust is refused (so the trust is real, not a switch left off).
'use strict';
const T = require('./lib');

T.run('stack_page', async (t) => {
  const base = T.env('PAYGW_URL');
  const { page } = await t.newPage();
  const resp = await t.goto(page, `${base}/`, 'index');
  t.is(resp.status(), 200, 'GET / answers 200 over TLS, the stack CA trusted through NSS');
  t.like(resp.headers()['content-security-policy'] || '', /default-src 'self'/, 'the page comes with its CSP');
  t.is(await page.locator('h1').textContent(), 'paygw', 'the page shows its heading');
  const sec = await resp.securityDetails();
  t.like(sec ? sec.protocol : '', /^TLS 1\.[23]$/, `TLS 1.2 or 1.3 (${sec && sec.protocol})`);
  // an inline script is refused by the page's CSP: the CSP is enforced in
  // the test's contexts (axe came in another way)
  const blocked = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__inline_ran = true;';
    document.body.appendChild(s);
    setTimeout(() => resolve(window.__inline_ran ? 'ran' : 'no event'), 2000);
  }));
  t.like(blocked, /^script-src/, `an inline script is refused by the CSP (${blocked})`);
  page.__paygw.csp.length = 0;   // that violation was made on purpose

  // the audit can fail: an image without a text alternative (axe's
  // image-alt, critical) put into the page is found
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = '/no-such.png';
    document.body.appendChild(img);
  });
  const found = await t.axeViolations(page);
  t.ok(found.some((v) => v.id === 'image-alt' && v.impact === 'critical'),
    'the audit finds a critical violation planted in the page (an img without alt)', JSON.stringify(found));

  // with JavaScript off (where no timer fires) the audit still runs and
  // still finds the planted fault
  const { page: nojs } = await t.newPage({ javaScriptEnabled: false });
  await t.goto(nojs, `${base}/`, 'index-no-javascript');
  await nojs.evaluate(() => document.body.appendChild(document.createElement('img')));
  const found2 = await t.axeViolations(nojs);
  t.ok(found2.some((v) => v.id === 'image-alt'), 'with JavaScript off too, the audit finds the planted img', JSON.stringify(found2));

  // on a phone-sized screen the page fits, and the fit check can fail: a
  // 600 px wide block put into it is found
  const { page: phone } = await t.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3,
    isMobile: true, hasTouch: true, fit: true });
  await t.goto(phone, `${base}/`, 'index-phone');
  await phone.evaluate(() => {
    const d = document.createElement('div');
    d.style.width = '600px';
    d.textContent = 'too wide';
    document.body.appendChild(d);
  });
  const wide = await phone.evaluate(() => document.scrollingElement.scrollWidth);
  t.ok(wide > 390, `a 600 px block makes the phone's page scroll sideways (content ${wide} px): the fit check would fail`);

  // a browser whose NSS database does not hold the stack's CA refuses the
  // same page: the trust above came from that database, not from a switch
  const bare = await t.launch({ trustStackCA: false });
  const { page: p2 } = await t.newPage({}, bare);
  let err = '';
  try { await p2.goto(`${base}/`, { timeout: 15000 }); } catch (e) { err = String(e.message).split('\n')[0]; }
  t.like(err, /ERR_CERT_AUTHORITY_INVALID/, `without the CA in its NSS database chromium refuses the certificate (${err})`);
  t.pages.pop();   // its error page is chromium's own, not one of ours to audit
});
