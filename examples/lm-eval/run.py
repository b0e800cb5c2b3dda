#!/usr/bin/env python3
"""lm-evaluation-harness, unchanged, against `genrm serve`, checked against llama.cpp.

Runs lm-eval's `local-completions` model (the OpenAI legacy completions client it uses for
log-likelihood tasks: `echo: true, logprobs: 1, max_tokens: 1`, the prompt as token ids, or as
text with `tokenized_requests=False`) on a small multiple-choice task (questions.jsonl beside
this file, 20 questions x 4 choices = 80 log-likelihood requests) against `genrm serve` on the
embedded default GGUF, once each way. The reference: llama.cpp (llama-cpp-python's library,
`logits_all`) scores the same token ids lm-eval derives for each request (its `_encode_pair`:
context, then the continuation as what the whole adds) from its own logits. Prints acc /
acc_norm of each run and of the reference, and request by request how far apart the
log-likelihoods are and whether the same choice wins. (llama-cpp-python's *server* is no peer
here: it takes text prompts only, and its echoed `token_logprobs` are shifted by one token.)

usage: examples/lm-eval/run.py [--model GGUF] [--genrm PATH] [--threads N]

Needs (made on first use, from PyPI, never inside genrm):
  $GENRM_CACHE/venv-lmeval   lm_eval[api] 0.4.13, transformers (tokenizer only, no torch),
                             tokenizers, gguf: this script re-runs itself with it
  $GENRM_CACHE/venv          the test venv (scripts/python-env.sh): llama-cpp-python's server
The tokenizer lm-eval encodes with is SmolLM2's, built from the GGUF as the tokenizer goldens
build it (scripts/golden_tokenizer.py), so both servers receive the same token ids.
"""
import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = pathlib.Path(os.environ.get("GENRM_CACHE", pathlib.Path.home() / ".cache/genrm"))
LMEVAL_VENV = CACHE / "venv-lmeval"
TEST_PYTHON = pathlib.Path(os.environ.get("GENRM_PYTHON", CACHE / "venv/bin/python"))
SERVED_NAME = "smollm2"


def ensure_lmeval_venv():
    python = LMEVAL_VENV / "bin/python"
    if pathlib.Path(sys.prefix).resolve() == LMEVAL_VENV.resolve():
        return
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LMEVAL_VENV)], check=True)
    probe = subprocess.run([str(python), "-c", "import lm_eval, transformers, tokenizers, gguf"], capture_output=True)
    if probe.returncode != 0:
        print(f"installing lm_eval[api] into {LMEVAL_VENV} ...", file=sys.stderr)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "lm_eval[api]==0.4.13", "transformers",
                        "tokenizers", "gguf"], check=True)
    os.execv(str(python), [str(python), *sys.argv])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, process, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"server on port {port} not ready after {seconds} s")


def write_tokenizer(model, directory):
    sys.path.insert(0, str(ROOT / "scripts"))
    os.environ["GENRM_CACHE"] = str(CACHE)
    import golden_tokenizer  # the SmolLM2 tokenizer.json recipe of the tokenizer goldens
    if pathlib.Path(model).name != "SmolLM2-135M-Instruct.Q4_1.gguf":
        sys.exit("the tokenizer recipe is SmolLM2's: run with the embedded default model")
    golden_tokenizer.smollm2_tokenizer().save(str(directory / "tokenizer.json"))
    (directory / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "PreTrainedTokenizerFast"}))


def write_task(directory):
    (directory / "genrm_mc.yaml").write_text(f"""task: genrm_mc
dataset_path: json
dataset_kwargs:
  data_files:
    test: {HERE / 'questions.jsonl'}
test_split: test
output_type: multiple_choice
doc_to_text: "Question: {{{{question}}}}\\nAnswer:"
doc_to_choice: "{{{{choices}}}}"
doc_to_target: "{{{{answer}}}}"
metric_list:
  - metric: acc
  - metric: acc_norm
""")


def run_lmeval(port, tokenizer, tasks, output, tokenized):
    args = [sys.executable, "-m", "lm_eval", "--model", "local-completions", "--model_args",
            f"model={SERVED_NAME},base_url=http://127.0.0.1:{port}/v1/completions,tokenizer={tokenizer},"
            f"tokenizer_backend=huggingface,tokenized_requests={tokenized},num_concurrent=1,max_retries=1,timeout=300",
            "--tasks", "genrm_mc", "--include_path", str(tasks), "--log_samples", "--output_path", str(output)]
    env = dict(os.environ, HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    results = json.loads(next(output.rglob("results_*.json")).read_text())["results"]["genrm_mc"]
    samples = [json.loads(line) for line in next(output.rglob("samples_genrm_mc_*.jsonl")).read_text().splitlines()]
    return results, samples


def serve(command, port):
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, process)
    return process


def main():
    ensure_lmeval_venv()
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(CACHE / "models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--genrm", default=str(ROOT / ".build/release/genrm"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="genrm-lmeval-"))
    (work / "tokenizer").mkdir()
    (work / "tasks").mkdir()
    write_tokenizer(args.model, work / "tokenizer")
    write_task(work / "tasks")

    runs = {}
    port = free_port()
    process = serve([args.genrm, "serve", "--model", args.model, "--host", "127.0.0.1", "--port", str(port),
                     "--threads", str(args.threads), "--served-model-name", SERVED_NAME], port)
    try:
        for engine, tokenized in (("genrm", True), ("genrm (text prompts)", False)):
            started = time.time()
            runs[engine] = run_lmeval(port, work / "tokenizer", work / "tasks", work / str(tokenized), tokenized)
            print(f"{engine}: {time.time() - started:.1f} s")
    finally:
        process.terminate()
        process.wait()
    runs["llama.cpp (library)"] = reference(runs["genrm"][1], work / "tokenizer", args.model, args.threads)

    for engine, (results, _) in runs.items():
        print(f"{engine:26} acc {results['acc,none']:.3f}  acc_norm {results['acc_norm,none']:.3f}")
    compare(runs, "genrm", "genrm (text prompts)")
    compare(runs, "genrm", "llama.cpp (library)")


def encode_pair(tokenizer, context, continuation):
    """lm-eval's TemplateAPI._encode_pair: trailing spaces of the context move to the
    continuation, whose ids are what encoding the whole adds after the context's."""
    spaces = len(context) - len(context.rstrip())
    if spaces:
        context, continuation = context[:-spaces], context[-spaces:] + continuation
    whole = tokenizer.encode(context + continuation, add_special_tokens=False)
    context_ids = tokenizer.encode(context, add_special_tokens=False)
    return context_ids, whole[len(context_ids):]


LLAMA_CPP_SCORER = """
import json, sys, numpy as np, llama_cpp
model, threads, requests = sys.argv[1], int(sys.argv[2]), json.load(sys.stdin)
llm = llama_cpp.Llama(model_path=model, n_ctx=2048, n_threads=threads, logits_all=True, verbose=False)
out = []
for context, continuation in requests:
    llm.reset()
    llm.eval(context + continuation)
    logits = np.asarray(llm.scores[:len(context) + len(continuation)], dtype=np.float64)
    total, greedy = 0.0, True
    for k, token in enumerate(continuation):
        row = logits[len(context) + k - 1]
        top = row.max()
        total += row[token] - top - np.log(np.exp(row - top).sum())
        greedy = greedy and int(row.argmax()) == token
    out.append([total, greedy])
print(json.dumps(out))
"""


def reference(samples, tokenizer_directory, model, threads):
    """llama.cpp's log-likelihood of each request lm-eval sent, in lm-eval's sample shape."""
    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_directory))
    requests, shape = [], []
    for sample in samples:
        shape.append(len(sample["arguments"]))
        # lm-eval 0.4.13 logs each request as {"gen_args_i": {"arg_0": context, "arg_1": continuation}}.
        for argument in sample["arguments"].values():
            requests.append(encode_pair(tokenizer, argument["arg_0"], argument["arg_1"]))
    scored = subprocess.run([str(TEST_PYTHON), "-c", LLAMA_CPP_SCORER, model, str(threads)], input=json.dumps(requests),
                            capture_output=True, text=True, check=True)
    values = json.loads(scored.stdout)
    result, position, correct, correct_norm = [], 0, 0, 0
    for sample, count in zip(samples, shape):
        responses = values[position:position + count]
        position += count
        result.append({"doc_id": sample["doc_id"], "filtered_resps": responses})
        choices = sample["doc"]["choices"]
        best = max(range(count), key=lambda i: responses[i][0])
        best_norm = max(range(count), key=lambda i: responses[i][0] / len(choices[i]))
        correct += best == sample["doc"]["answer"]
        correct_norm += best_norm == sample["doc"]["answer"]
    return {"acc,none": correct / len(samples), "acc_norm,none": correct_norm / len(samples)}, result


def compare(runs, first, second):
    ours = {s["doc_id"]: s for s in runs[first][1]}
    theirs = {s["doc_id"]: s for s in runs[second][1]}
    differences, same_pick, same_greedy, requests = [], 0, 0, 0
    for doc_id, sample in sorted(ours.items()):
        a = sample["filtered_resps"]
        b = theirs[doc_id]["filtered_resps"]
        for (la, ga), (lb, gb) in zip(a, b):
            differences.append(abs(float(la) - float(lb)))
            same_greedy += str(ga) == str(gb)
            requests += 1
        pick = lambda pairs: max(range(len(pairs)), key=lambda i: float(pairs[i][0]))
        same_pick += pick(a) == pick(b)
    print(f"{first} against {second}, {requests} log-likelihood requests: |difference| mean "
          f"{sum(differences) / len(differences):.4f}, max {max(differences):.4f} nats (whole continuation); "
          f"is_greedy equal on {same_greedy}/{requests}; same choice on {same_pick}/{len(ours)} questions")

if __name__ == "__main__":
    main()
