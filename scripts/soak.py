#!/usr/bin/env python3
"""Soak test of `genrm serve`: mixed traffic at a fixed concurrency for a fixed time, then a verdict.

Starts `genrm serve` on the embedded default (or uses --url), and runs --concurrency workers for
--duration seconds, each looping over a weighted mix of what real clients do:
  chat        a short chat completion (max_tokens 8): its latency is the p50/p99 reported
  stream      a streamed chat completion read to its [DONE]
  judge       /v1/judge on the card's two-response example with 2-4 sampled votes
  rewards     /v1/rewards of a 3-candidate group
  hangup      a stream closed by the client after its first event, or a long generation closed
              after 0.2 s (the server must cancel it and go on)
  bad         a bad request (broken JSON, an unknown role, top_p 0, a huge n, an unknown route)
              that must be a 4xx naming the problem
The server's RSS (/proc/PID/status) is sampled every 5 s. The run fails (exit 1) if any answer is
a 5xx other than 503 (overload), a bad request is not a 4xx, the server dies, or its RSS after the
warm-up (the first 20% of the run) grows by more than 10%. Prints a table and, with --json, writes
the figures for BENCHMARKS.md.

Usage: scripts/soak.py [--duration 1800] [--concurrency 8] [--threads 2] [--url URL] [--json FILE]
Python stdlib only (run it with any python3).
"""
import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CARD = [
    {"role": "user", "content": "What is 1+1?"},
    {"role": "assistant", "content": "1+1=2"},
    {"role": "user", "content": "What about 1+2?"},
    {"role": "response_1", "content": "1+2=4"},
    {"role": "response_2", "content": "1+2=3"},
]
MIX = [("chat", 30), ("stream", 15), ("judge", 15), ("rewards", 5), ("hangup", 15), ("bad", 20)]
BAD = [
    (b'{"messages": [', "broken JSON"),
    (json.dumps({"messages": [{"role": "wizard", "content": "x"}, {"role": "response_1", "content": "y"}]}).encode(), "unknown role"),
    (json.dumps({"messages": [{"role": "user", "content": "hi"}], "top_p": 0}).encode(), "top_p 0"),
    (json.dumps({"messages": [{"role": "user", "content": "hi"}], "n": 10**12}).encode(), "huge n"),
]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}  # (kind, status) -> n
        self.short_latencies = []
        self.failures = []  # first few unexpected answers

    def add(self, kind, status, latency=None, problem=None):
        with self.lock:
            self.counts[(kind, status)] = self.counts.get((kind, status), 0) + 1
            if latency is not None:
                self.short_latencies.append(latency)
            if problem and len(self.failures) < 20:
                self.failures.append(problem)


def connection(host, port):
    return http.client.HTTPConnection(host, port, timeout=300)


def post(host, port, path, body, headers=None):
    c = connection(host, port)
    try:
        c.request("POST", path, body=body if isinstance(body, bytes) else json.dumps(body).encode(),
                  headers={"Content-Type": "application/json", **(headers or {})})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def worker(host, port, deadline, stats, seed):
    rng = random.Random(seed)
    kinds, weights = zip(*MIX)
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        start = time.monotonic()
        try:
            if kind == "chat":
                status, body = post(host, port, "/v1/chat/completions", {
                    "messages": [{"role": "user", "content": rng.choice(["Name a colour.", "Say hi.", "Count to three."])}],
                    "max_tokens": 8, "temperature": 0.7, "seed": rng.randrange(1 << 30)})
                stats.add(kind, status, time.monotonic() - start if status == 200 else None)
            elif kind == "stream":
                c = connection(host, port)
                c.request("POST", "/v1/chat/completions", body=json.dumps({
                    "messages": [{"role": "user", "content": "Tell me a story."}], "max_tokens": 32, "stream": True,
                    "stream_options": {"include_usage": True}}).encode(), headers={"Content-Type": "application/json"})
                r = c.getresponse()
                text = r.read().decode("utf-8", "replace")
                c.close()
                ok = r.status != 200 or "data: [DONE]" in text
                stats.add(kind, r.status, problem=None if ok else "a stream ended without [DONE]")
                if not ok:
                    stats.add(kind, "truncated")
            elif kind == "judge":
                status, body = post(host, port, "/v1/judge", {"messages": CARD, "votes": rng.randint(2, 4), "temperature": 0.6,
                                                             "seed": rng.randrange(1 << 30)})
                stats.add(kind, status)
            elif kind == "rewards":
                status, body = post(host, port, "/v1/rewards", {
                    "history": [{"role": "user", "content": "What is 1+2?"}], "candidates": ["3", "4", "three"],
                    "seed": rng.randrange(1 << 30)})
                stats.add(kind, status)
            elif kind == "hangup":
                s = socket.create_connection((host, port), timeout=30)
                streaming = rng.random() < 0.5
                body = json.dumps({"messages": [{"role": "user", "content": "Write a long essay."}], "max_tokens": 400,
                                   "stream": streaming}).encode()
                s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n" % len(body) + body)
                if streaming:
                    s.recv(4096)
                else:
                    time.sleep(0.2)
                s.close()
                stats.add(kind, "closed")
            else:
                if rng.random() < 0.2:
                    c = connection(host, port)
                    c.request("GET", "/v1/nowhere")
                    r = c.getresponse()
                    r.read()
                    c.close()
                    status, what = r.status, "unknown route"
                else:
                    payload, what = rng.choice(BAD)
                    status, _ = post(host, port, "/v1/chat/completions", payload)
                ok = 400 <= status < 500
                stats.add(kind, status, problem=None if ok else f"bad request ({what}) answered {status}")
        except (OSError, http.client.HTTPException) as error:
            stats.add(kind, "error", problem=f"{kind}: {type(error).__name__}: {error}")


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=1800)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--url", help="an already running server (no RSS then)")
    parser.add_argument("--genrm", help="the genrm binary (default: the release build)")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()

    server = None
    if args.url:
        m = re.match(r"http://([^:/]+):(\d+)", args.url)
        host, port = m.group(1), int(m.group(2))
    else:
        genrm = args.genrm or os.path.join(ROOT, ".build", "release", "genrm")
        log = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"soak-serve-{os.getpid()}.log"), "w+")
        server = subprocess.Popen([genrm, "serve", "--host", "127.0.0.1", "--port", "0", "--threads", str(args.threads),
                                   "--reasoning-tokens", "16", "--analysis-tokens", "16"], stdout=log, stderr=log)
        host, port = "127.0.0.1", None
        for _ in range(600):
            log.seek(0)
            found = re.search(r"at http://127\.0\.0\.1:(\d+)", log.read())
            if found:
                port = int(found.group(1))
                break
            if server.poll() is not None:
                break
            time.sleep(0.2)
        if port is None:
            log.seek(0)
            sys.exit("genrm serve did not start:\n" + log.read())

    stats = Stats()
    started = time.monotonic()
    deadline = started + args.duration
    threads = [threading.Thread(target=worker, args=(host, port, deadline, stats, i), daemon=True) for i in range(args.concurrency)]
    for t in threads:
        t.start()
    samples = []  # (seconds since start, rss bytes)
    alive = True
    while time.monotonic() < deadline:
        time.sleep(5)
        if server is not None:
            if server.poll() is not None:
                alive = False
                break
            samples.append((time.monotonic() - started, rss_bytes(server.pid)))
    for t in threads:
        t.join(timeout=330)

    five_xx = {k: v for k, v in stats.counts.items() if isinstance(k[1], int) and k[1] >= 500 and k[1] != 503}
    errors = {k: v for k, v in stats.counts.items() if k[1] in ("error", "truncated")}
    warm = [rss for (t, rss) in samples if t >= 0.2 * args.duration]
    growth = (warm[-1] - warm[0]) / warm[0] if len(warm) >= 2 else None
    spread = (max(warm) - min(warm)) / min(warm) if warm else None
    total = sum(stats.counts.values())
    figures = {
        "duration_s": args.duration, "concurrency": args.concurrency, "threads": args.threads, "requests": total,
        "by_kind_and_status": {f"{k} {s}": n for (k, s), n in sorted(stats.counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))},
        "unexpected_5xx": sum(five_xx.values()), "client_errors": sum(errors.values()),
        "short_chat_p50_s": percentile(stats.short_latencies, 50), "short_chat_p99_s": percentile(stats.short_latencies, 99),
        "short_chats": len(stats.short_latencies),
        "rss_after_warmup_first_mib": warm[0] / 2**20 if warm else None, "rss_after_warmup_last_mib": warm[-1] / 2**20 if warm else None,
        "rss_growth_after_warmup": growth, "rss_spread_after_warmup": spread, "server_alive": alive,
        "failures": stats.failures,
    }
    if server is not None:
        server.terminate()
        try:
            figures["server_exit_code"] = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            figures["server_exit_code"] = "killed after 60 s"
    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    bad_answers = [f for f in stats.failures if f.startswith("bad request")]
    failed = bool(five_xx) or bool(bad_answers) or not alive or (growth is not None and growth > 0.10)
    if failed:
        print("soak FAILED", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
