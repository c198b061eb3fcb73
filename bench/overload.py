#!/usr/bin/env python3
"""Open-loop RADIUS load for bench/stall.sh: Access-Requests (unknown users, PAP, Message-Authenticator) sent at a
fixed rate whatever the server does, never retransmitted, as many NAS would send them. Prints how many were answered,
how many within 3 s and 5 s (a NAS's retransmit timer), the latency of the answered ones, and per second of sending
how many of that second's requests were ever answered. A measurement: it asserts nothing.

    bench/overload.py PORT RATE SECONDS [SOCKETS]    (secret testing123, 127.0.0.1; waits 8 s for late answers)
"""
import hashlib
import hmac
import os
import selectors
import socket
import struct
import sys
import time

port, rate, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
sockets = int(sys.argv[4]) if len(sys.argv) > 4 else 256   # 256 Identifiers each: no Identifier reused within ~65,000 requests
secret = b"testing123"
selector = selectors.DefaultSelector()
socks = []
for index in range(sockets):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(("127.0.0.1", 0))
    s.setblocking(False)
    selector.register(s, selectors.EVENT_READ, index)
    socks.append(s)


def access_request(identifier, n):
    authenticator = os.urandom(16)
    user = b"load%d" % (n % 1000)
    pad = hashlib.md5(secret + authenticator).digest()   # RFC 2865 §5.2, one 16-octet block
    hidden = bytes(x ^ y for x, y in zip(b"secret".ljust(16, b"\0"), pad))
    rest = bytes([1, 2 + len(user)]) + user + bytes([2, 18]) + hidden
    head = struct.pack("!BBH", 1, identifier, 20 + 18 + len(rest))
    zero_ma = bytes([80, 18]) + bytes(16)
    mac = hmac.new(secret, head + authenticator + zero_ma + rest, hashlib.md5).digest()   # RFC 3579 §3.2
    return head + authenticator + bytes([80, 18]) + mac + rest


pending = {}
latencies = []
per_second = {}
start = time.monotonic()
stop_sending = start + seconds
n = 0
while True:
    now = time.monotonic()
    if now >= stop_sending + 8:
        break
    due = int((now - start) * rate) if now < stop_sending else n
    while n < due:
        index, identifier = n % sockets, (n // sockets) % 256
        socks[index].sendto(access_request(identifier, n), ("127.0.0.1", port))
        sent = time.monotonic()
        pending[(index, identifier)] = sent
        per_second.setdefault(int(sent - start), [0, 0])[0] += 1
        n += 1
    for key, _ in selector.select(timeout=0.001):
        while True:
            try:
                reply = key.fileobj.recv(4096)
            except BlockingIOError:
                break
            sent = pending.pop((key.data, reply[1]), None)
            if sent is not None:
                latencies.append(time.monotonic() - sent)
                per_second[int(sent - start)][1] += 1

latencies.sort()
answered = len(latencies)


def percentile(p):
    return latencies[min(answered - 1, int(p * answered))] * 1000 if answered else float("nan")


print("sent %d at %d/s for %.0f s; answered %d (%.1f%%); within 3 s %d, within 5 s %d" % (
    n, rate, seconds, answered, 100.0 * answered / max(n, 1),
    sum(1 for x in latencies if x <= 3), sum(1 for x in latencies if x <= 5)))
print("latency of the answered: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms" % (
    percentile(0.5), percentile(0.9), percentile(0.99), percentile(1.0)))
print("per second of sending, sent/answered: " + " ".join("%d:%d/%d" % (k, v[0], v[1]) for k, v in sorted(per_second.items())))
