"""bench/remote: what the gateway (`genrm serve --backend URL ...`) costs and buys. In one run, the
same judgments (the model card's two-response example, response text varied per request) go
  1. straight to one `genrm serve` backend's /v1/judge,
  2. through a gateway whose pool is that one backend,
  3. through a gateway over two backends (a second `genrm serve` is started),
at the same concurrency, and it prints judgments/s and p50/p99 latency for each, side by side. Then,
at concurrency 1 (direct and gateway-1 requests interleaved in pairs), the gateway's added latency:
the median paired difference end to end, and the part of it spent outside the backend's own request
time (read from the backend's /metrics around each request), which the model's variance doesn't blur.

Usage: bench/remote [--genrm .build/release/genrm] [--requests 24] [--concurrency 4] [--threads 1]
       [--pairs 12] [--reasoning-tokens 6] [--analysis-tokens 6]
Needs: the genrm release build and the embedded default model in the cache. Python 3 stdlib only.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
READY = re.compile(r"serving .* at (http://\S+?)/v1\s*$")
# Each pass gets its own block of request numbers, all four digits wide, so requests are the same
# shape everywhere but no pass finds another pass's exact prompt in a backend's prefix cache.
BASE = {"direct": 1000, "gateway-1": 2000, "gateway-2": 3000, "pair-direct": 4000, "pair-gateway": 5000,
        "warm": 6000, "warm-b": 7000}


class Server:
    """A `genrm serve` process; its URL comes from the `serving ... at URL/v1` line on stderr."""

    def __init__(self, name, command):
        self.name, self.command = name, command
        self.tail = collections.deque(maxlen=40)
        self.url = None
        self.ready = threading.Event()
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, errors="replace")
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stderr:
            self.tail.append(line.rstrip("\n"))
            match = READY.search(line)
            if match and not self.ready.is_set():
                self.url = match.group(1)
                self.ready.set()
        self.ready.set()  # exited: wake the waiter

    def wait_ready(self, seconds=180):
        if not self.ready.wait(seconds) or self.url is None:
            raise RuntimeError("%s not ready (%s); stderr:\n%s" % (
                self.name, "exited with %s" % self.process.poll() if self.process.poll() is not None else
                "no ready line after %ds" % seconds, "\n".join(self.tail)))
        status = urllib.request.urlopen(self.url + "/health", timeout=10).status
        if status != 200:
            raise RuntimeError("%s: /health answered %d" % (self.name, status))
        return self

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def judging_messages():
    with open(os.path.join(ROOT, "examples", "two-responses.json")) as f:
        return json.load(f)["messages"]


def body(messages, number):
    varied = [dict(m) for m in messages]
    for m in varied:
        if m["role"] == "response_2":
            m["content"] = "%s (#%d)" % (m["content"], number)
    return json.dumps({"messages": varied, "temperature": 0}).encode()


def judge(url, messages, number):
    """One /v1/judge request: (latency s, HTTP status; 0 for a connection error or a non-JSON 200)."""
    request = urllib.request.Request(url + "/v1/judge", body(messages, number), {"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as reply:
            status, data = reply.status, reply.read()
        latency = time.perf_counter() - start
        if status == 200:
            json.loads(data)
    except urllib.error.HTTPError as error:
        error.read()
        return time.perf_counter() - start, error.code
    except (OSError, ValueError):
        return time.perf_counter() - start, 0
    return latency, status


def metrics(url):
    """A backend's /metrics: {(name, labels): value} for the counters and sums this bench reads."""
    text = urllib.request.urlopen(url + "/metrics", timeout=10).read().decode()
    values = {}
    for line in text.splitlines():
        match = re.match(r"(genrm_requests_total|genrm_request_duration_seconds_sum|genrm_running_sequences|genrm_queue_depth)"
                         r"(\{[^}]*\})?\s+(\S+)$", line)
        if match:
            values[(match.group(1), match.group(2) or "")] = float(match.group(3))
    return values


def backend_seconds(before, after, route):
    key = ("genrm_request_duration_seconds_sum", '{route="%s"}' % route)
    return after.get(key, 0.0) - before.get(key, 0.0)


def backend_counts(before, after, route):
    """{status: requests} that reached a backend on route between two /metrics scrapes."""
    counts = {}
    for (name, labels), value in after.items():
        match = re.match(r'\{route="([^"]*)",status="(\d+)"\}', labels)
        if name == "genrm_requests_total" and match and match.group(1) == route:
            delta = int(value - before.get((name, labels), 0.0))
            if delta:
                counts[match.group(2)] = delta
    return counts


def summarize(results, wall):
    ok = sorted(latency for latency, status in results if status == 200)
    stats = {"requests": len(results), "errors": len(results) - len(ok), "statuses": collections.Counter(s for _, s in results)}
    stats["jps"] = len(ok) / wall if wall > 0 else 0.0
    stats["p50"] = statistics.median(ok) if ok else float("nan")
    stats["p99"] = ok[min(len(ok) - 1, int(round(0.99 * (len(ok) - 1))))] if ok else float("nan")
    return stats


def measure(url, messages, base, requests, concurrency):
    pool = concurrent.futures.ThreadPoolExecutor(concurrency)
    try:
        start = time.perf_counter()
        results = list(pool.map(lambda i: judge(url, messages, base + i), range(requests)))
        return summarize(results, time.perf_counter() - start)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: don't run out the queue


class LoadSampler:
    """Samples each backend's running + queued sequences from /metrics every `every` seconds, in a
    thread, to see how evenly the gateway spreads the load at each moment."""

    def __init__(self, urls, every=0.25):
        self.urls, self.every, self.samples = urls, every, []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.done.wait(self.every):
            try:
                loads = [metrics(u) for u in self.urls]
            except OSError:
                continue
            self.samples.append([m.get(("genrm_running_sequences", ""), 0) + m.get(("genrm_queue_depth", ""), 0) for m in loads])

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.done.set()
        self.thread.join()

    def summary(self):
        if not self.samples:
            return "no load samples"
        busy = [s for s in self.samples if sum(s) > 0]
        lopsided = sum(1 for s in busy if min(s) == 0 and max(s) >= 2)
        return "mean sequences running or queued A %s, B %s; in %d%% of %d busy samples one backend sat idle while the other had 2 or more" % (
            "%.2f" % statistics.mean(s[0] for s in self.samples), "%.2f" % statistics.mean(s[1] for s in self.samples),
            round(100 * lopsided / len(busy)) if busy else 0, len(busy))


def warm(url, messages, base, count=2):
    for i in range(count):
        latency, status = judge(url, messages, base + i)
        if status != 200:
            raise RuntimeError("warm-up request to %s answered %s" % (url, status or "a connection error"))


def pairs(direct_url, gateway_url, backend_url, messages, count):
    """Concurrency 1, direct and gateway requests alternating; per request, the backend's own time."""
    direct, gateway = [], []
    for i in range(count):
        for results, url, base, route in ((direct, direct_url, BASE["pair-direct"], "/v1/judge"),
                                          (gateway, gateway_url, BASE["pair-gateway"], "/v1/chat/completions")):
            before = metrics(backend_url)
            latency, status = judge(url, messages, base + i)
            results.append((latency, status, backend_seconds(before, metrics(backend_url), route)))
    return direct, gateway


def busy_seconds():
    """(busy, stolen): CPU seconds the whole machine has run work (all cores; user, nice, system,
    irq, softirq) and had taken by the hypervisor (steal), from /proc/stat; None elsewhere."""
    try:
        with open("/proc/stat") as f:
            user, nice, system, idle, iowait, irq, softirq, steal = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def own_seconds():
    """CPU seconds of this script and the servers it started and waited for."""
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))


def serve_command(args, extra):
    return [args.genrm, "serve", "--host", "127.0.0.1", "--port", "0", "--quiet"] + extra


def main():
    parser = argparse.ArgumentParser(description="genrm serve direct vs through the gateway (--backend).")
    parser.add_argument("--genrm", default=os.path.join(ROOT, ".build", "release", "genrm"))
    parser.add_argument("--requests", type=int, default=24, help="judgments per measured pass (default 24)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight (default 4)")
    parser.add_argument("--threads", type=int, default=1, help="engine threads per backend (default 1)")
    parser.add_argument("--pairs", type=int, default=12, help="direct/gateway pairs at concurrency 1 (default 12)")
    parser.add_argument("--reasoning-tokens", type=int, default=6)
    parser.add_argument("--analysis-tokens", type=int, default=6)
    args = parser.parse_args()
    # Ctrl-C (even where the parent shell ignores SIGINT, as in `bench/remote &`) and SIGTERM both
    # unwind through the finally below, which stops every server this run started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    messages = judging_messages()
    backend = ["--threads", str(args.threads), "--reasoning-tokens", str(args.reasoning_tokens),
               "--analysis-tokens", str(args.analysis_tokens)]
    servers, rows, notes = [], [], []
    began, busy_began, own_began = time.time(), busy_seconds(), own_seconds()
    # Every server runs one private copy of the binary: a rebuild during the run can't mix builds.
    scratch = tempfile.mkdtemp(prefix="genrm-remote-bench-")
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(os.path.getmtime(args.genrm)))
    try:
        args.genrm = shutil.copy2(args.genrm, os.path.join(scratch, "genrm"))
        a = Server("backend A", serve_command(args, backend))
        servers.append(a)
        a.wait_ready()
        warm(a.url, messages, BASE["warm"])
        direct = measure(a.url, messages, BASE["direct"], args.requests, args.concurrency)
        rows.append(("direct", 1, args.concurrency, direct))

        g1 = Server("gateway-1", serve_command(args, ["--backend", a.url + "/v1"]))
        servers.append(g1)
        g1.wait_ready()
        warm(g1.url, messages, BASE["warm"] + 10)
        before = metrics(a.url)
        gateway1 = measure(g1.url, messages, BASE["gateway-1"], args.requests, args.concurrency)
        rows.append(("gateway", 1, args.concurrency, gateway1))
        notes.append("gateway-1: backend A got %s" % backend_counts(before, metrics(a.url), "/v1/chat/completions"))

        pair_direct, pair_gateway = pairs(a.url, g1.url, a.url, messages, args.pairs)
        rows.append(("direct", 1, 1, summarize([(l, s) for l, s, _ in pair_direct], sum(l for l, _, _ in pair_direct))))
        rows.append(("gateway", 1, 1, summarize([(l, s) for l, s, _ in pair_gateway], sum(l for l, _, _ in pair_gateway))))
        g1.stop()

        b = Server("backend B", serve_command(args, backend))
        servers.append(b)
        b.wait_ready()
        warm(b.url, messages, BASE["warm-b"])
        g2 = Server("gateway-2", serve_command(args, ["--backend", a.url + "/v1", "--backend", b.url + "/v1"]))
        servers.append(g2)
        g2.wait_ready()
        warm(g2.url, messages, BASE["warm"] + 20)
        before_a, before_b = metrics(a.url), metrics(b.url)
        with LoadSampler([a.url, b.url]) as sampler:
            gateway2 = measure(g2.url, messages, BASE["gateway-2"], args.requests, args.concurrency)
        rows.insert(2, ("gateway", 2, args.concurrency, gateway2))
        notes.append("gateway-2: backend A got %s, backend B got %s" % (
            backend_counts(before_a, metrics(a.url), "/v1/chat/completions"),
            backend_counts(before_b, metrics(b.url), "/v1/chat/completions")))
        balance = "gateway-2 balance: " + sampler.summary()
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip():
        commit += " (working tree has uncommitted changes)"
    flags = subprocess.run("grep -o -m1 'avx512[a-z_]*\\|avx2' /proc/cpuinfo | sort -u", shell=True,
                           capture_output=True, text=True).stdout.split()
    print("command: %s" % " ".join(shlex.quote(a) for a in ["bench/remote"] + sys.argv[1:]))
    print("commit %s, genrm binary built %s, nproc %d, CPU flags: %s, load average %s, %.0f s"
          % (commit or "?", built, os.cpu_count(), " ".join(flags) or "(no avx2/avx512)",
             " ".join("%.2f" % x for x in os.getloadavg()), time.time() - began))
    busy = busy_seconds()
    if busy is not None and busy_began is not None:
        others = max(0.0, busy[0] - busy_began[0] - (own_seconds() - own_began))
        stolen = busy[1] - busy_began[1]
        available = (time.time() - began) * os.cpu_count()
        print("CPU used by other processes during the run: %.0f core-s of %.0f (%.0f%%), stolen by the hypervisor %.0f "
              "(%.0f%%); more than a few %% skews the numbers" % (others, available, 100 * others / available,
                                                                  stolen, 100 * stolen / available))
    print("backends: genrm serve --threads %d --reasoning-tokens %d --analysis-tokens %d; /v1/judge, temperature 0, "
          "the card's two-response example with response_2 varied per request; 2 warm-up requests per path"
          % (args.threads, args.reasoning_tokens, args.analysis_tokens))
    print()
    print("| path | backends | concurrency | requests | errors | judgments/s | p50 s | p99 s | ratio vs direct |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path, backends, concurrency, r in rows:
        reference = next(s for p, _, c, s in rows if p == "direct" and c == concurrency)
        ratio = "%.2fx" % (r["jps"] / reference["jps"]) if reference["jps"] else "-"
        print("| %s | %d | %d | %d | %d | %.2f | %.2f | %.2f | %s |" % (
            path, backends, concurrency, r["requests"], r["errors"], r["jps"], r["p50"], r["p99"], ratio))
    print()
    both = [(d, g) for d, g in zip(pair_direct, pair_gateway) if d[1] == 200 and g[1] == 200]
    if both:
        added = statistics.median(g[0] - d[0] for d, g in both)
        outside = statistics.median((g[0] - g[2]) - (d[0] - d[2]) for d, g in both)
        print("gateway added latency (concurrency 1, %d interleaved pairs): median %.1f ms end to end; "
              "median %.1f ms outside the backend's own request time (client latency minus the backend's "
              "/metrics duration, gateway minus direct)" % (len(both), added * 1000, outside * 1000))
        print("backend A's own time per request at concurrency 1: median %.3f s for direct /v1/judge, %.3f s for the "
              "gateway's /v1/chat/completions (all its tries)" % (statistics.median(d[2] for d, _ in both),
                                                               statistics.median(g[2] for _, g in both)))
    else:
        print("gateway added latency: no pair of successful requests")
    for note in notes:
        print(note + " (backend /v1/chat/completions requests by HTTP status)")
    print(balance)
    for path, backends, concurrency, r in rows:
        if r["errors"]:
            print("errors, %s over %d at concurrency %d: %s" % (path, backends, concurrency,
                  dict((s or "connection", k) for s, k in r["statuses"].items() if s != 200)))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted; the servers this run started are stopped")
