#!/usr/bin/python3
# fake_shop.py PORT DIR — a stand-in for the demo shop's handset API, for
# the handset_shop*.t tests until shop.fcgi lands (Debian's python3,
# standard library only).  HTTPS on 127.0.0.1:PORT with the certificate and
# key in FAKE_SHOP_CERT / FAKE_SHOP_KEY (the stack's, issued by its CA).
#
# POST /shop/api/orders/{CODE}/user {"user_id": "..."} — the order is known
# when the file DIR/orders/CODE exists.  An empty file: the shop asks the
# real gateway for a transaction (POST $PAYGW_URL/v1/transactions, the
# terminal credential in FAKE_SHOP_CREDENTIAL, Idempotency-Key order-CODE,
# reference CODE, two items: 3,456 JPY with 256 tax) and answers the
# contract's 200 JSON; a user ID is kept in DIR/orders/CODE.user, and another
# one later is 409 order_has_user.  The file may hold instead:
#   400 | 409 | 502 | 503  that answer, as problem+json
#   bad-credential         ask the gateway with a wrong credential (it refuses: 502
#                          gateway_refused with gateway_code and gateway_status)
#   unknown-transaction    answer 200 with a transaction the gateway never made
#   other-order            answer 200 for another order code
# Unknown code: 404 unknown_order.  Every TCP connection adds a line to
# DIR/connections and every request a JSON line to DIR/requests (method,
# path, content_type, body), written before the answer, so a test can tell
# that nothing reached the shop.  DIR/ready appears once it listens.  Stops
# on SIGTERM.
import http.server
import json
import os
import re
import ssl
import sys
import urllib.error
import urllib.request

PORT, DIR = int(sys.argv[1]), sys.argv[2]
SHOP_NAME = "Fake shop (tests)"
ITEMS = [{"name": "Coffee beans", "quantity": 2, "unit_price": 1200, "tax": 192},
         {"name": "Mug", "quantity": 1, "unit_price": 800, "tax": 64}]
PATH = re.compile(r"^/shop/api/orders/([A-Z0-9]{1,16})/user$")
TITLES = {400: "bad request", 404: "unknown order", 409: "order has a user", 502: "gateway refused",
          503: "try again"}


def append(name, line):
    with open(os.path.join(DIR, name), "a") as f:
        f.write(line + "\n")


def ask_gateway(code, user_id, credential):
    """POST /v1/transactions as the shop's terminal: (status, JSON or None)."""
    body = {"user_id": user_id, "currency": "JPY", "items": ITEMS, "reference": code}
    req = urllib.request.Request(
        os.environ["PAYGW_URL"] + "/v1/transactions", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": "Bearer " + credential, "Content-Type": "application/json",
                 "Idempotency-Key": "order-" + code})
    ctx = ssl.create_default_context(cafile=os.environ["PAYGW_CA"])
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.load(e)
        except ValueError:
            return e.code, None
    except OSError as e:
        return 0, {"code": "gateway_unreachable", "detail": str(e)}


class Shop(http.server.BaseHTTPRequestHandler):
    def answer(self, status, doc, problem=False):
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/problem+json" if problem else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def problem(self, status, code, detail):
        self.answer(status, {"type": "about:blank", "title": TITLES.get(status, "error"), "status": status,
                             "code": code, "detail": detail}, problem=True)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        append("requests", json.dumps({"method": "POST", "path": self.path,
                                       "content_type": self.headers.get("Content-Type", ""),
                                       "body": raw.decode("utf-8", "replace")}))
        m = PATH.match(self.path)
        order = os.path.join(DIR, "orders", m.group(1)) if m else None
        if not order or not os.path.isfile(order):
            return self.problem(404, "unknown_order", "no order %s" % (m.group(1) if m else self.path))
        code = m.group(1)
        with open(order) as f:
            mode = f.read().strip()
        if mode in ("400", "409", "502", "503"):
            codes = {"400": "invalid_field", "409": "order_not_awaiting_user", "502": "gateway_unreachable",
                     "503": "database_unavailable"}
            return self.problem(int(mode), codes[mode], "forced by the test (%s)" % mode)
        try:
            body = json.loads(raw)
            user_id = body["user_id"]
            assert isinstance(user_id, str) and user_id and set(body) == {"user_id"}
        except (ValueError, KeyError, TypeError, AssertionError):
            return self.problem(400, "invalid_field", "the body must be {\"user_id\": \"...\"}")
        if mode == "unknown-transaction":
            return self.answer(200, {"order": code, "status": "awaiting_payment", "shop": SHOP_NAME,
                                     "transaction": "ZZZZZZZZZZZZZZZZ", "binding_code": "ZZZZ",
                                     "total": 3456, "tax_total": 256, "currency": "JPY"})
        if mode == "other-order":
            return self.answer(200, {"order": "WXYZ2345", "status": "awaiting_payment", "shop": SHOP_NAME,
                                     "transaction": "ZZZZZZZZZZZZZZZZ", "binding_code": "ZZZZ",
                                     "total": 3456, "tax_total": 256, "currency": "JPY"})
        held = order + ".user"
        if os.path.exists(held):
            with open(held) as f:
                if f.read().strip() != user_id:
                    return self.problem(409, "order_has_user", "order %s already has a user ID" % code)
        credential = "t-nobody.wrong" if mode == "bad-credential" else os.environ["FAKE_SHOP_CREDENTIAL"]
        status, txn = ask_gateway(code, user_id, credential)
        if status == 0:
            return self.problem(502, "gateway_unreachable", "the gateway did not answer: %s" % txn["detail"])
        if status not in (200, 201) or not txn:
            # as shop.fcgi answers it: the gateway's code and status beside the shop's own
            gw_code = (txn or {}).get("code", "")
            return self.answer(502, {"type": "about:blank", "title": TITLES[502], "status": 502,
                                     "code": "gateway_refused", "gateway_code": gw_code, "gateway_status": status,
                                     "detail": "the gateway answered %d %s" % (status, gw_code)}, problem=True)
        with open(held, "w") as f:
            f.write(user_id + "\n")
        self.answer(200, {"order": code, "status": "awaiting_payment", "shop": SHOP_NAME,
                          "transaction": txn["transaction"], "binding_code": txn["binding_code"],
                          "total": txn["total"], "tax_total": txn["tax_total"], "currency": txn["currency"]})

    def log_message(self, fmt, *args):
        pass


class TLSServer(http.server.HTTPServer):
    """Logs each TCP connection before its TLS handshake (which the handset
    may refuse), then serves it over TLS."""

    def server_bind(self):
        super().server_bind()
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.minimum_version = ssl.TLSVersion.TLSv1_2
        self.tls.load_cert_chain(os.environ["FAKE_SHOP_CERT"], os.environ["FAKE_SHOP_KEY"])

    def get_request(self):
        sock, addr = self.socket.accept()
        append("connections", "%s:%d" % addr)
        sock.settimeout(30)
        try:
            return self.tls.wrap_socket(sock, server_side=True), addr
        except (ssl.SSLError, OSError):
            sock.close()
            raise OSError("TLS handshake failed")


os.makedirs(os.path.join(DIR, "orders"), exist_ok=True)
server = TLSServer(("127.0.0.1", PORT), Shop)
open(os.path.join(DIR, "ready"), "w").close()  # listening: the test waits for this, not for a connection
server.serve_forever()
