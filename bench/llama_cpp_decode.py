"""Times llama.cpp's decode step (one token per eval) on SmolLM2-135M Q4_1, by process CPU time
(comparable to the single-thread CPU times of bench/kernels.sh on a shared machine) and wall clock."""
import argparse
import os
import time

import llama_cpp

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--tokens", type=int, default=128)
parser.add_argument("--model", default=os.path.join(os.environ.get("GENRM_CACHE", os.path.expanduser("~/.cache/genrm")),
                                                    "models", "SmolLM2-135M-Instruct.Q4_1.gguf"))
args = parser.parse_args()

llm = llama_cpp.Llama(model_path=args.model, n_threads=args.threads, n_threads_batch=args.threads, n_ctx=512,
                      verbose=False)
prompt = llm.tokenize(b"The quick brown fox jumps over the lazy dog")
llm.eval(prompt)
token = prompt[-1]
cpu, wall = time.process_time(), time.perf_counter()
for _ in range(args.tokens):
    llm.eval([token])
    token = (token * 7 + 13) % llm.n_vocab()
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(f"llama.cpp {llama_cpp.__version__} decode (whole step incl. attention and logits), {args.threads} thread(s): "
      f"CPU time {1e3 * cpu / args.tokens:.2f} ms/token ({args.tokens / cpu:.0f} tokens/s), "
      f"wall {1e3 * wall / args.tokens:.2f} ms/token ({args.tokens / wall:.0f} tokens/s)")
