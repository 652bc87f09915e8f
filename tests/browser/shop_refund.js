// shop_refund.js — a refund clicked through (issue 15): a shopper's order
// paid on the handset; the owner, on a 360 px phone with JavaScript off,
// signs in, finds the order's refund form with what is left prefilled,
// types a part of it and a reason and clicks "Refund" twice (one refund at
// the gateway all the same: the form's Idempotency-Key); the owner page
// says it is done, shows the order partly refunded and the form's new
// amount left.  The shopper's order page (JavaScript on) then shows the
// refund and "Paid — partly refunded"; the history, on the phone with
// JavaScript off, shows the payment "Partly refunded" in the list and the
// refund on its receipt with the refunded total and what was paid net.
// Every page of the phone fits its 360 px screen, and axe finds nothing
// on any page, of any impact.
'use strict';
const fs = require('fs');
const path = require('path');
const T = require('./lib');
const S = require('./shop');

const USER = '00001';
const PHONE_NOJS = { viewport: { width: 360, height: 740 }, isMobile: true, javaScriptEnabled: false, fit: true };

T.run('shop_refund', async (t) => {
  let shopper;
  const codes = [];
  try {
    const o = await S.shopperWithOrder(t, [[8, 1]], {}, 'shopper-');   // Tenugui towel 1100 + 10 % = 1210
    shopper = o.page;
    codes.push(o.code);
    const h = await S.payAsHandset(o.code, USER);
    t.is(h.handset && h.handset.exit, 0, 'the order is paid on the handset', h.error);
    t.ok(await S.waitStatus(shopper, 'paid', 30000), 'its page says paid');
    await t.look(shopper, 'shopper-paid');
    const txn = S.psql(`SELECT transaction_number FROM shop.orders WHERE code = :'code'`, { code: o.code });
    const total = Number(S.psql(`SELECT total FROM shop.orders WHERE code = :'code'`, { code: o.code }));

    // the owner, on a phone without JavaScript
    const password = fs.readFileSync(path.join(T.env('PAYGW_VAR'), 'shop/admin-password'), 'utf8').trim();
    const { page } = await t.newPage(PHONE_NOJS);
    await t.goto(page, T.shopUrl('admin'), 'admin-login');
    await page.locator('#admin-login input[name="password"]').fill(password);
    await t.clickAndLook(page, page.locator('#admin-login [type="submit"]').first(), 'admin-orders');
    const li = page.locator(`li.refund-order[data-code="${o.code}"]`);
    t.is(await li.count(), 1, 'the paid order has a refund form');
    const amount = li.locator('input[name="amount"]');
    t.is(await amount.inputValue(), String(total), `the amount left prefilled (${total})`);
    t.like(await li.locator('input[name="key"]').inputValue(), /^shop-refund-[0-9a-f]{32}$/, 'the form carries its Idempotency-Key');
    t.like(await li.locator('input[name="csrf"]').inputValue(), /^[0-9a-f]{32}$/, 'and the session\'s form token');
    await amount.fill('300');
    await li.locator('input[name="reason"]').fill('box <b>damaged</b>');
    // a double click: the browser may send the form twice; one refund all the same
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), li.locator('button[type="submit"]').dblclick()]);
    await page.waitForLoadState('load');
    await t.look(page, 'admin-refunded');
    const notice = page.locator('#refund-notice');
    t.like(await notice.getAttribute('data-result').catch(() => ''), /^(completed|pending)$/, 'the owner page says the refund was made',
      await notice.textContent().catch(() => ''));
    const gw = S.psql(`SELECT count(*) || ' ' || sum(r.amount) FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id
                        WHERE t.number = :'n'`, { n: txn });
    t.is(gw, '1 300', 'one refund of 300 at the gateway');
    const row = page.locator(`#orders tr.order[data-code="${o.code}"]`);
    t.like(await row.locator('.order-refund').textContent().catch(() => ''), /Partly refunded \(¥300\)/, 'the order: partly refunded (¥300)');
    t.is(await page.locator(`li.refund-order[data-code="${o.code}"] input[name="amount"]`).inputValue(), String(total - 300),
      `its form now offers the ${total - 300} left`);

    // the shopper's order page
    await t.goto(shopper, T.shopUrl(`orders/${o.code}`), 'shopper-refunded');
    t.is(await shopper.locator('#order-status').getAttribute('data-refund'), 'partly_refunded', 'the order page: partly refunded');
    t.like(await S.text(shopper, '#order-status'), /Paid — partly refunded/, 'in words');
    const refund = shopper.locator('#refunds tr.refund');
    t.is(await refund.count(), 1, 'one refund listed');
    t.like(await refund.innerText(), /¥300[\s\S]*box <b>damaged<\/b>/, 'its amount and reason, as text');
    t.is(S.digits(await S.text(shopper, '#net-paid')), String(total - 300), 'paid net of refunds');

    // the history, on the phone without JavaScript
    const { page: hist } = await t.newPage(PHONE_NOJS);
    await t.goto(hist, T.historyUrl('/sign-in'), 'history-sign-in');
    await hist.locator('#sign-in-form [name="user_id"]').fill(USER);
    await hist.locator('#sign-in-form [name="password"]').fill(`demo-web-${USER}`);
    await t.clickAndLook(hist, hist.locator('#sign-in-form [type="submit"]').first(), 'history-list');
    t.like(await hist.locator(`tr.txn[data-number="${txn}"] .refund-badge`).textContent().catch(() => ''), /Partly refunded/,
      'the history list: the payment partly refunded');
    await t.clickAndLook(hist, hist.locator(`tr.txn[data-number="${txn}"] a`).first(), 'history-receipt');
    t.is(await hist.locator('#refunds tr.refund').count(), 1, 'the receipt lists the refund');
    t.like(await hist.locator('#refunds tr.refund').innerText(), /300 JPY[\s\S]*Completed[\s\S]*box <b>damaged<\/b>/,
      'its amount, status and reason');
    t.is(S.digits(await S.text(hist, '#refunded')), '300', 'refunded: 300');
    t.is(S.digits(await S.text(hist, '#net-paid')), String(total - 300), `paid net: ${total - 300}`);
  } finally {
    if (shopper) await S.cancelLeftovers(shopper, codes);
  }
}, { axe: 'all' });
