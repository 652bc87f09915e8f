// order.js — the order page follows its order without a reload: it asks
// GET /shop/orders/{CODE}/status every second and updates the status, the
// binding code, which forms show, and the receipt.  Text goes in with
// textContent only (never as HTML).  Without JavaScript the shopper follows
// the order with the page's Refresh link (no timed refresh: WCAG 2.2.1).
(function () {
  'use strict';
  var page = document.getElementById('page');
  if (!page || page.getAttribute('data-page') !== 'order') return;
  var code = page.getAttribute('data-code');
  var FINAL = ['paid', 'declined', 'failed', 'canceled', 'expired'];

  function show(id, on) {
    var el = document.getElementById(id);
    if (el) el.hidden = !on;
  }
  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text == null ? '' : text;
  }
  function cell(row, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
  }
  function fillReceipt(r) {
    var body = document.getElementById('receipt-lines');
    if (!body || !r) return;
    while (body.firstChild) body.removeChild(body.firstChild);
    (r.lines || []).forEach(function (l) {
      var tr = document.createElement('tr');
      tr.className = 'receipt-line';
      cell(tr, l.name, 'line-name');
      cell(tr, String(l.quantity), 'num');
      cell(tr, '¥' + l.line_total, 'num');
      body.appendChild(tr);
    });
    setText('receipt-tax', '¥' + r.tax_total);
    setText('receipt-total', '¥' + r.total);
    setText('receipt-method', r.method);
    setText('receipt-approval', r.approval_code);
    setText('receipt-card', r.card);
    setText('receipt-transaction', r.transaction);
  }
  function apply(s) {
    var status = document.getElementById('order-status');
    status.setAttribute('data-status', s.status);
    status.textContent = s.status_text;
    setText('binding-code', s.binding_code);
    setText('order-error', s.error);
    show('order-error', !!s.error);
    var ended = FINAL.indexOf(s.status) >= 0;
    setText('order-reason', ended && s.status !== 'paid' ? s.reason : '');
    show('order-reason', ended && s.status !== 'paid' && !!s.reason);
    show('pay-steps', s.status === 'awaiting_user');
    show('user-form', s.status === 'awaiting_user');
    show('binding', s.status === 'awaiting_payment');
    show('cancel-form', s.status === 'awaiting_user' || s.status === 'awaiting_payment');
    if (s.receipt) fillReceipt(s.receipt);
    show('receipt', s.status === 'paid');
    return ended;
  }
  function poll() {
    fetch('/shop/orders/' + encodeURIComponent(code) + '/status', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && apply(s)) return;
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  var initial = document.getElementById('order-status').getAttribute('data-status');
  if (FINAL.indexOf(initial) < 0) setTimeout(poll, 1000);
})();
