#!/usr/bin/env python3
"""client_token_relay.py LISTEN-PORT TARGET-HOST:PORT MODE-FILE

A TCP relay between a POS and the credit server for client_token_reversal.t:
it passes the mutual-TLS bytes through untouched, except that a connection
accepted while MODE-FILE says "drop-once" loses the credit server's answer
to the POS's first message: the relay counts the client's TLS records, and
once the client has sent its second encrypted record (the first is its
Finished, the second the 0100) nothing more from the server reaches it.  The
credit server has decided and charged; the POS never learns it.  The mode
file is then set back to "pass", so the POS's next connection (its reversal)
goes through.  The relay never decrypts anything: the TLS stays end to end.
"""
import socket
import sys
import threading

HANDSHAKE_DONE_RECORDS = 2  # encrypted client records: Finished, then the 0100


def read_mode(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return "pass"


def pipe_client(client, server, state):
    """client -> server, counting the client's application-data records."""
    pending = b""
    try:
        while True:
            data = client.recv(65536)
            if not data:
                break
            server.sendall(data)
            pending += data
            while len(pending) >= 5:
                length = int.from_bytes(pending[3:5], "big")
                if len(pending) < 5 + length:
                    break
                if pending[0] == 23:
                    state["app_records"] += 1
                pending = pending[5 + length:]
    except OSError:
        pass
    for s in (server, client):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def pipe_server(server, client, state):
    """server -> client, silenced once the dropped connection's request went by."""
    try:
        while True:
            data = server.recv(65536)
            if not data:
                break
            if state["drop"] and state["app_records"] >= HANDSHAKE_DONE_RECORDS:
                if not state["dropped"]:
                    state["dropped"] = True
                    print("relay: dropped the answer", file=sys.stderr, flush=True)
                continue
            client.sendall(data)
    except OSError:
        pass


def main():
    port, target, mode_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    host, tport = target.rsplit(":", 1)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    print("relay: listening", file=sys.stderr, flush=True)
    while True:
        client, _ = listener.accept()
        drop = read_mode(mode_file) == "drop-once"
        if drop:
            with open(mode_file, "w") as f:
                f.write("pass\n")
        try:
            server = socket.create_connection((host, int(tport)), timeout=5)
            server.settimeout(None)
        except OSError:
            client.close()
            continue
        state = {"drop": drop, "app_records": 0, "dropped": False}
        print(f"relay: connection ({'drop-once' if drop else 'pass'})", file=sys.stderr, flush=True)
        threading.Thread(target=pipe_client, args=(client, server, state), daemon=True).start()
        threading.Thread(target=pipe_server, args=(server, client, state), daemon=True).start()


if __name__ == "__main__":
    main()
