#!/usr/bin/env python3
"""Regenerates Tests/EngineTests/Fixtures/llamacpp/*.json: llama.cpp's greedy continuations.

For each of 20 prompts (raw text, no chat template) llama.cpp (llama-cpp-python, PyPI) tokenizes the
text, then decodes greedily for STEPS tokens. Each fixture holds the prompt ids, the generated
ids and, for every step, the two largest logits with their token ids, so the Swift test can feed
the same ids to genrm and accept a divergence only where llama.cpp itself was nearly tied.

Usage: scripts/golden_llamacpp.py [--family smollm2|gemma3|qwen2.5-coder-1.5b] [--model PATH] [--threads N]
  smollm2 (default): $GENRM_CACHE/models/SmolLM2-135M-Instruct.Q4_1.gguf -> Fixtures/llamacpp
  gemma3: $GENRM_CACHE/models/gemma-3-270m-Q4_K_M.gguf -> Fixtures/llamacpp-gemma3, the same
          prompts in Gemma's turn format with BOS, plus a prompt longer than the 512-position
          sliding window of Gemma 3's local layers.
  qwen2.5-coder-1.5b: $GENRM_CACHE/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf (Q4_K and Q6_K
          matrices, Q6_K output) -> Fixtures/llamacpp-qwen2.5-coder-1.5b, the same prompts (ChatML
          is Qwen's own format)
(all three models are fetched by fetch-assets.sh)
"""
import argparse
import json
import os
import pathlib

import llama_cpp
import numpy as np

STEPS = 32

# (name, text, parse_special): varied registers, code, numbers, special tokens, a long prompt.
PROMPTS = [
    ("capital", "The capital of France is", False),
    ("story", "Once upon a time, in a small village by the sea,", False),
    ("code", "def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n", False),
    ("counting", "1, 2, 3, 4, 5, 6,", False),
    ("science", "Photosynthesis is the process by which plants", False),
    ("chatml", "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n", True),
    ("list", "Here are three tips for staying healthy:\n1.", False),
    ("judge", "<|im_start|>system\nYou are a careful judge of answers.<|im_end|>\n<|im_start|>user\n"
              "Question: Which is larger, 9.11 or 9.9?\nResponse: 9.9 is larger because 0.9 > 0.11.\n"
              "Rate the response from 1 to 5.<|im_end|>\n<|im_start|>assistant\n", True),
    ("long", ("The history of the printing press begins in the fifteenth century, when Johannes "
              "Gutenberg combined movable metal type, oil-based ink and a screw press adapted from "
              "wine making. Within fifty years, presses had spread to more than two hundred cities "
              "across Europe, and the price of books fell sharply. Historians often argue that "
              "this change"), False),
    ("unicode", "Les élèves ont étudié «la Révolution française» et", False),
    ("recipe", "To make a simple tomato sauce, start by", False),
    ("math", "Question: If a train travels 60 miles per hour for 3 hours, how far does it go?\nAnswer:", False),
    ("json", '{"name": "Alice", "age": 30, "city": "', False),
    ("dialogue", "A: Did you finish the report?\nB: Not yet, I", False),
    ("definition", "In computer science, a hash table is", False),
    ("poem", "Roses are red,\nViolets are blue,\n", False),
    ("email", "Dear Professor Smith,\n\nI am writing to ask whether", False),
    ("sql", "SELECT name, COUNT(*) FROM orders", False),
    ("history", "The Roman Empire fell in the year", False),
    ("compare", "<|im_start|>user\nCompare cats and dogs as pets in two sentences.<|im_end|>\n<|im_start|>assistant\n", True),
]


def gemma_prompts():
    """The prompts in Gemma's turn format, and one past the sliding window."""
    def turns(text):
        return (text.replace("<|im_start|>system\n", "<start_of_turn>user\n")
                .replace("<|im_start|>user\n", "<start_of_turn>user\n")
                .replace("<|im_start|>assistant\n", "<start_of_turn>model\n")
                .replace("<|im_end|>\n", "<end_of_turn>\n"))
    long_text = dict((n, t) for n, t, _ in PROMPTS)["long"]
    window = ("<start_of_turn>user\nSummarise this text in one sentence.\n\n" + " ".join([long_text] * 9)
              + "<end_of_turn>\n<start_of_turn>model\n")
    return [(name, turns(text), special) for name, text, special in PROMPTS] + [("window", window, True)]


def top2(logits):
    order = np.argsort(-logits, kind="stable")[:2]
    return [[int(i), float(logits[i])] for i in order]


def main():
    cache = os.environ.get("GENRM_CACHE", os.path.expanduser("~/.cache/genrm"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--family", choices=["smollm2", "gemma3", "qwen2.5-coder-1.5b"], default="smollm2")
    parser.add_argument("--model")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out")
    args = parser.parse_args()
    fixtures = pathlib.Path(__file__).resolve().parent.parent / "Tests/EngineTests/Fixtures"
    gemma = args.family == "gemma3"
    files = {"smollm2": ("SmolLM2-135M-Instruct.Q4_1.gguf", "llamacpp"),
             "gemma3": ("gemma-3-270m-Q4_K_M.gguf", "llamacpp-gemma3"),
             "qwen2.5-coder-1.5b": ("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "llamacpp-qwen2.5-coder-1.5b")}
    model_file, folder = files[args.family]
    args.model = args.model or os.path.join(cache, "models", model_file)
    args.out = args.out or str(fixtures / folder)
    prompts = gemma_prompts() if gemma else PROMPTS

    llm = llama_cpp.Llama(model_path=args.model, n_ctx=2048, n_batch=512, n_threads=args.threads,
                          logits_all=True, seed=0, verbose=False)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, text, special in prompts:
        prompt = llm.tokenize(text.encode("utf-8"), add_bos=gemma, special=special)
        llm.reset()
        llm.eval(prompt)
        tokens, tops = [], []
        for _ in range(STEPS):
            logits = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
            best = int(np.argmax(logits))
            tokens.append(best)
            tops.append(top2(logits))
            llm.eval([best])
        record = {
            "generator": "scripts/golden_llamacpp.py",
            "reference": f"llama-cpp-python {llama_cpp.__version__}, greedy, n_threads={args.threads}",
            "model": os.path.basename(args.model),
            "name": name,
            "text": text,
            "parse_special": special,
            "prompt_ids": prompt,
            "generated_ids": tokens,
            "generated_text": llm.detokenize(tokens).decode("utf-8", errors="replace"),
            "top2": tops,
        }
        path = out / f"{name}.json"
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        print(f"{path}: {len(prompt)} prompt tokens -> {record['generated_text']!r}")


if __name__ == "__main__":
    main()
