#!/usr/bin/env python3
"""A bounded load test of `experiments serve`, on loopback only.

Starts `BINARY serve --port 0` (or uses --address), then CLIENTS threads each
request PATH back to back on a kept-alive connection (a new one after an error
or a close; with --close, a new one for every request; after a 503, the
Retry-After it asks) for SECONDS, and prints requests/s, the latency's p50 and p99,
and every answer that was not a 200 (by status, or the error raised). The
server it started is stopped with SIGINT at the end and its exit code printed.

  python3 scripts/serve_load.py --binary target/debug/experiments            # 30 clients, 20 s, the default run
  python3 scripts/serve_load.py --binary target/debug/experiments --clients 200 --seconds 10   # past the connection limit

Bounds: at most 300 clients and 60 s; only 127.0.0.1 or ::1 as the address.
The client shares the machine's cores with the server, so compare two servers
back to back with the same flags, and say how busy the machine was.
"""

import argparse
import http.client
import os
import signal
import subprocess
import sys
import threading
import time


def percentile(sorted_values, p):
    """The lower p-quantile (nearest rank) of an ascending list."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def client(host, port, path, close, until, latencies, outcomes, lock):
    conn = None
    mine, other = [], {}
    while time.monotonic() < until:
        if conn is None:
            conn = http.client.HTTPConnection(host, port, timeout=30)
        started = time.monotonic()
        try:
            conn.request("GET", path, headers={"Connection": "close"} if close else {})
            answer = conn.getresponse()
            answer.read()
            elapsed = time.monotonic() - started
            if answer.status == 200:
                mine.append(elapsed)
            else:
                other[answer.status] = other.get(answer.status, 0) + 1
            if close or answer.will_close:
                conn.close()
                conn = None
            # A polite client waits as long as a 503 asks (at most 5 s).
            retry = answer.getheader("Retry-After")
            if answer.status == 503 and retry is not None and retry.isdigit():
                time.sleep(max(0.0, min(float(retry), 5.0, until - time.monotonic())))
        except (OSError, http.client.HTTPException) as e:
            name = type(e).__name__
            other[name] = other.get(name, 0) + 1
            conn.close()
            conn = None
    if conn is not None:
        conn.close()
    with lock:
        latencies.extend(mine)
        for key, n in other.items():
            outcomes[key] = outcomes.get(key, 0) + n


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="an experiments binary to start as `serve --port 0`")
    parser.add_argument("--address", help="HOST:PORT of a running server (127.0.0.1 or [::1] only)")
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--close", action="store_true", help="a new connection for every request")
    parser.add_argument("--path", default="/api/train", help="default: the notebook's run, 100 snapshots")
    args = parser.parse_args()
    if not 1 <= args.clients <= 300 or not 0 < args.seconds <= 60:
        sys.exit("error: --clients must be in 1..=300 and --seconds in (0, 60]")
    if (args.binary is None) == (args.address is None):
        sys.exit("error: give either --binary or --address")

    server = None
    if args.binary:
        server = subprocess.Popen([args.binary, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
        line = server.stdout.readline()
        address = line.split("http://")[1].split("/")[0]
    else:
        address = args.address
    host, port = address.rsplit(":", 1)
    host = host.strip("[]")
    if host not in ("127.0.0.1", "::1"):
        sys.exit("error: only a server on loopback (127.0.0.1 or [::1]) may be load-tested")

    latencies, outcomes, lock = [], {}, threading.Lock()
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    until = started + args.seconds
    threads = [
        threading.Thread(target=client, args=(host, int(port), args.path, args.close, until, latencies, outcomes, lock))
        for _ in range(args.clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()
    connections = "a connection per request" if args.close else "kept-alive connections"
    print(f"{args.clients} clients ({connections}), {wall:.1f} s, GET {args.path} on {address}; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after")
    print(f"{len(latencies)} answered 200: {len(latencies) / wall:.0f} requests/s, "
          f"p50 {percentile(latencies, 50) * 1000:.1f} ms, p99 {percentile(latencies, 99) * 1000:.1f} ms, "
          f"max {(latencies[-1] if latencies else float('nan')) * 1000:.1f} ms")
    print("not 200: " + (", ".join(f"{k}: {n}" for k, n in sorted(outcomes.items(), key=str)) or "none"))
    if server is not None:
        server.send_signal(signal.SIGINT)
        try:
            print(f"the server exited {server.wait(timeout=15)} on SIGINT")
        except subprocess.TimeoutExpired:
            server.kill()
            print("the server did not exit within 15 s of SIGINT; killed")


if __name__ == "__main__":
    main()
