// shop_nojs.js — the whole flow with JavaScript off: the forms work as
// plain HTML forms, the order page carries a refresh (a meta refresh in
// <noscript> while the order is not final) and a Refresh link, and after
// the handset pays it refreshes itself to paid, where the server renders
// the receipt.
'use strict';
const T = require('./lib');
const S = require('./shop');

const USER = '00001';

T.run('shop_nojs', async (t) => {
  // axe's meta-refresh (critical, WCAG 2.2.1: a page must not refresh
  // itself on a timer the user cannot turn off) is what the shop's
  // contract asks for here; the test checks it stops once the order ends
  t.axeAllow('meta-refresh', 'the order page refreshes itself every 3 s with JavaScript off while the order is not final (the shop\'s contract); WCAG 2.2.1 would want a way to stop it');
  let page;
  const codes = [];
  try {
    const o = await S.shopperWithOrder(t, [[6, 2]], { javaScriptEnabled: false });
    page = o.page;
    codes.push(o.code);
    t.is(await S.orderStatus(page), 'awaiting_user', 'the order awaits the user');
    const html = await page.content();
    t.like(html, /<noscript>\s*<meta http-equiv="refresh" content="3"/i, 'the page refreshes itself every 3 s while not final (meta refresh in noscript)');
    t.ok(await page.locator(`a[href$="/shop/orders/${o.code}"], a[href="/shop/orders/${o.code}"]`).count() > 0, 'a Refresh link to the order page');

    const navs = page.__paygw.navigations;
    const h = await S.payAsHandset(o.code, USER);
    t.is(h.handset && h.handset.exit, 0, 'the handset paid (handset shop CODE: exit 0)', h.error);
    t.ok(await S.waitStatus(page, 'paid', 30000), 'the order page, refreshing itself, shows paid', `status ${await S.orderStatus(page)}`);
    await page.waitForLoadState('load');
    t.ok(page.__paygw.navigations > navs, `it got there by reloading (${page.__paygw.navigations - navs} loads)`);
    await t.look(page, 'paid');
    t.ok(!/http-equiv="refresh"/i.test(await page.content()), 'a paid order page does not refresh any more');
    t.ok(await S.visible(page, '#receipt'), 'the receipt is shown');
    t.like((await S.text(page, '#receipt-card')).replace(/\s/g, ''), /^[0-9]{6}\*+[0-9]{4}$/, 'the card masked');
    await S.noCardNumber(t, page, USER, 'the paid order page');
  } finally {
    if (page) await S.cancelLeftovers(page, codes);
  }
});
