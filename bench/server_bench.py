"""bench/server: genrm serve vs llama.cpp's OpenAI-compatible server (llama-cpp-python[server]),
same model file, same threads. Sends identical chat completions at concurrency 1, 4 and 16 and
prints requests/s, generated tokens/s and p50/p99 latency for each server, side by side.

Usage: bench/server [--genrm .build/release/genrm] [--model PATH] [--threads 2]
       [--requests 16] [--max-tokens 32]
Needs: llama-cpp-python[server] (pip install 'llama-cpp-python[server]'); the genrm release build.
"""
import argparse
import concurrent.futures
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

PROMPTS = ["Tell me about the ocean.", "Describe a lighthouse.", "What makes a good cup of tea?", "Explain rainbows."]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, process, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit("server exited with %d" % process.returncode)
        try:
            urllib.request.urlopen(url + "/v1/models", timeout=2).read()
            return
        except Exception:
            time.sleep(0.5)
    sys.exit("server not ready after %ds" % seconds)


def one_request(url, model, index, max_tokens):
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": PROMPTS[index % len(PROMPTS)]}],
                       "max_tokens": max_tokens, "temperature": 0}).encode()
    request = urllib.request.Request(url + "/v1/chat/completions", body, {"Content-Type": "application/json"})
    start = time.perf_counter()
    reply = json.load(urllib.request.urlopen(request, timeout=600))
    return time.perf_counter() - start, reply["usage"]["completion_tokens"]


def measure(url, model, concurrency, requests, max_tokens):
    one_request(url, model, 0, 4)  # warm-up
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda i: one_request(url, model, i, max_tokens), range(requests)))
    wall = time.perf_counter() - start
    latencies = sorted(r[0] for r in results)
    tokens = sum(r[1] for r in results)
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    return {"req_s": requests / wall, "tok_s": tokens / wall, "p50": statistics.median(latencies), "p99": p99}


def run_server(command, url, name, args):
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(url, process)
        return {c: measure(url, name, c, max(args.requests, c), args.max_tokens) for c in (1, 4, 16)}
    finally:
        process.terminate()
        process.wait(30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--genrm", default=".build/release/genrm")
    parser.add_argument("--model", default=os.path.expanduser(os.environ.get("GENRM_CACHE", "~/.cache/genrm")) + "/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--requests", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=32)
    args = parser.parse_args()
    results = {}
    port = free_port()
    results["genrm"] = run_server([args.genrm, "serve", "--model", args.model, "--threads", str(args.threads), "--port", str(port),
                                   "--served-model-name", "bench", "--max-num-seqs", "16", "--quiet"],
                                  "http://127.0.0.1:%d" % port, "bench", args)
    port = free_port()
    results["llama.cpp"] = run_server([sys.executable, "-m", "llama_cpp.server", "--model", args.model, "--n_threads", str(args.threads),
                                       "--port", str(port), "--model_alias", "bench", "--n_ctx", "8192"],
                                      "http://127.0.0.1:%d" % port, "bench", args)
    print("threads %d, %d requests per level (at least the concurrency), max_tokens %d, load average %s"
          % (args.threads, args.requests, args.max_tokens, " ".join("%.2f" % x for x in os.getloadavg())))
    print("| concurrency | server | requests/s | generated tok/s | p50 s | p99 s | tok/s ratio genrm/llama.cpp |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for c in (1, 4, 16):
        for name in ("genrm", "llama.cpp"):
            r = results[name][c]
            ratio = "%.2fx" % (results["genrm"][c]["tok_s"] / results["llama.cpp"][c]["tok_s"]) if name == "genrm" else ""
            print("| %d | %s | %.2f | %.1f | %.2f | %.2f | %s |" % (c, name, r["req_s"], r["tok_s"], r["p50"], r["p99"], ratio))


if __name__ == "__main__":
    main()
