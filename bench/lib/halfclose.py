#!/usr/bin/env python3
"""Does the direction that stays open after a half-close deliver every byte? (a diagnostic, not a figure)

One side sends its FIN first, then reads slowly (sleeps 2 s before reading) while the other side
sends 16 MiB and then its own FIN. On a graceful route every byte must arrive and both ends must see
a clean end; a proxy that cannot keep writing to a half-closed socket truncates the stream.

  python3 bench/lib/halfclose.py --port PROXY --backend-port B --first upstream   # upstream FINs first
  python3 bench/lib/halfclose.py --port PROXY --backend-port B --first client     # client FINs first

Prints one JSON line; exit status 1 if bytes were lost or an end was not clean.
"""
import argparse
import json
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def pump(sock, n):
    buf = b"x" * 65536
    sent = 0
    while sent < n:
        sent += sock.send(buf[:min(len(buf), n - sent)])
    sock.shutdown(socket.SHUT_WR)
    while sock.recv(65536):  # to the peer's FIN
        pass
    return sent


def slow_reader(sock, delay, res, name):
    sock.shutdown(socket.SHUT_WR)  # FIN first
    time.sleep(delay)
    res[name] = 0
    while True:
        d = sock.recv(1 << 16)
        if not d:
            return res[name]
        res[name] += len(d)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True, help="the proxy's route")
    ap.add_argument("--backend-port", type=int, required=True, help="the route's upstream (this script)")
    ap.add_argument("--first", choices=("client", "upstream"), default="upstream")
    ap.add_argument("--bytes", type=int, default=16 * 1024 * 1024)
    ap.add_argument("--delay", type=float, default=2.0)
    a = ap.parse_args()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((HOST, a.backend_port))
    ls.listen(4)
    ls.settimeout(10)
    res = {"first_fin": a.first, "bytes": a.bytes}

    def run(name, fn, *args):
        try:
            res[name] = fn(*args)
        except OSError as e:
            res[name + "_error"] = repr(e)

    def backend():
        c, _ = ls.accept()
        c.settimeout(30)
        if a.first == "upstream":
            run("upstream_received", slow_reader, c, a.delay, res, "upstream_received")
        else:
            run("upstream_sent", pump, c, a.bytes)
        c.close()

    t = threading.Thread(target=backend)
    t.start()
    s = socket.create_connection((HOST, a.port), timeout=10)
    s.settimeout(30)
    if a.first == "upstream":
        run("client_sent", pump, s, a.bytes)
    else:
        run("client_received", slow_reader, s, a.delay, res, "client_received")
    s.close()
    t.join(40)
    received = res.get("upstream_received", res.get("client_received", 0))
    res["ok"] = received == a.bytes and not any(k.endswith("_error") for k in res)
    print(json.dumps(res))
    sys.exit(0 if res["ok"] else 1)


if __name__ == "__main__":
    main()
