#!/usr/bin/python3
# webhook_receiver.py PORT DIR — a shop's webhook endpoint for the
# webhook_*.t tests (Debian's python3, standard library only): every POST
# is kept as DIR/NNNN.headers ("name: value" lines, names in lower case),
# DIR/NNNN.body (the bytes as received) and DIR/NNNN.status (what it was
# answered), and answered with the status in DIR/answer (200 when absent),
# read at each request so a test can turn the shop "down" and back.
# Listens on 127.0.0.1 only; stops on SIGTERM.
import http.server
import os
import sys

PORT, DIR = int(sys.argv[1]), sys.argv[2]


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        try:
            with open(os.path.join(DIR, "answer")) as f:
                status = int(f.read().strip() or "200")
        except (OSError, ValueError):
            status = 200
        n = len([f for f in os.listdir(DIR) if f.endswith(".body")]) + 1
        base = os.path.join(DIR, "%04d" % n)
        with open(base + ".headers", "w") as f:
            for name, value in self.headers.items():
                f.write("%s: %s\n" % (name.lower(), value))
        with open(base + ".status", "w") as f:
            f.write("%d\n" % status)
        with open(base + ".body", "wb") as f:  # written last: a test counts the .body files
            f.write(body)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
