"""The stock `openai` client against a server's /v1/completions, as lm-evaluation-harness and
other clients call it: the echoed prompt's log-likelihood (max_tokens 0, logprobs 1), a greedy
continuation, and the same continuation streamed. Prints one JSON object for the Swift test.

Usage: python openai_completions.py BASE_URL MODEL PROMPT
"""
import json
import sys

from openai import OpenAI

base_url, model, prompt = sys.argv[1], sys.argv[2], sys.argv[3]
client = OpenAI(base_url=base_url, api_key="unused")

scored = client.completions.create(model=model, prompt=prompt, max_tokens=0, echo=True, logprobs=1)
logprobs = scored.choices[0].logprobs
greedy = client.completions.create(model=model, prompt=[prompt], max_tokens=8, temperature=0)
stream = client.completions.create(
    model=model, prompt=prompt, max_tokens=8, temperature=0, stream=True, stream_options={"include_usage": True})
pieces, finish, usage = [], None, None
for chunk in stream:
    for choice in chunk.choices:
        pieces.append(choice.text)
        finish = choice.finish_reason or finish
    usage = chunk.usage or usage

print(json.dumps({
    "echo_text": scored.choices[0].text,
    "tokens": logprobs.tokens,
    "token_logprobs": logprobs.token_logprobs,
    "top_logprobs": logprobs.top_logprobs,
    "prompt_tokens": scored.usage.prompt_tokens,
    "greedy_text": greedy.choices[0].text,
    "greedy_finish": greedy.choices[0].finish_reason,
    "stream_text": "".join(pieces),
    "stream_finish": finish,
    "stream_completion_tokens": usage.completion_tokens if usage else None,
}))
