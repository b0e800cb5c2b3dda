#!/usr/bin/env python3
"""Golden judging prompts for GenRMTests, built independently of the Swift code.

Implements PROTOCOL.md section 2 with plain Python string building, and renders the Llama 3
chat format with jinja2 (the engine vLLM and transformers use for chat templates). For each case
it writes, under Tests/GenRMTests/Fixtures/prompts/:
  <name>.request.json   the request as a client sends it (the Swift test's input)
  <name>.options.json   the prompt options the case uses
  <name>.expected.json  {"messages": [...], "text": "..."}: what `genrm prompt --json` must print
  <name>.txt            the rendered text alone, byte for byte what `genrm prompt` must print

Run from the repository root: python3 scripts/golden_prompts.py
"""

import json
import pathlib
import re

import jinja2

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "Sources/GenRM/Resources/judge-prompt.txt"
OUT = ROOT / "Tests/GenRMTests/Fixtures/prompts"

# The Llama 3 chat template's behaviour (as in Llama 3.x and Nemotron-Super): BOS once, a header
# per message, content trimmed, <|eot_id|> after each, then the assistant header.
LLAMA3_TEMPLATE = (
    "{{- bos_token }}"
    "{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)

DEFAULT_OPTIONS = {
    "thinking": True,
    "apostrophe": "straight",
    "boxed_suffix": "scores",
    "strip_candidate_reasoning": True,
}


def replace_once(text, old, new):
    assert text.count(old) == 1, f"variant text {old!r} must occur once"
    return text.replace(old, new)


def template_text(options):
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    if options["apostrophe"] == "curly":
        text = replace_once(text, "(the last turn is the User's query)", "(the last turn is the User\u2019s query)")
    if options["boxed_suffix"] == "ranking":
        text = replace_once(text, "\\boxed{x, y} if there exists 2 responses\n", "\\boxed{x, y} \n")
        text = replace_once(text, "\\boxed{z} \n", "\\boxed{z} if there exists 2 responses\n")
    return text


def content_text(content):
    if isinstance(content, str):
        return content
    return "\n".join(part["text"] for part in content)


def judged_response(text, options):
    if options["strip_candidate_reasoning"] and "</think>" in text:
        return text.split("</think>")[-1].strip()
    return text


def judging_messages(request, options):
    messages = request["messages"] if isinstance(request, dict) else request
    lines, responses = [], []
    for message in messages:
        role, text = message["role"], content_text(message["content"])
        if role == "system":
            lines.append("System: " + text)
        elif role == "user":
            lines.append("User: " + text)
        elif role == "assistant":
            lines.append("Assistant: " + text)
        else:
            responses.append(judged_response(text, options))
    context = "\n".join(lines)
    blocks = [f"[The Begin of Response {i}]\n{text}\n[The End of Response {i}]" for i, text in enumerate(responses, 1)]
    responses_text = "\n".join(blocks) + ("\n" if len(blocks) == 2 else "")
    values = {"context": context, "responses": responses_text}
    prompt = re.sub(r"\{(context|responses)\}", lambda m: values[m.group(1)], template_text(options))
    system = "detailed thinking on" if options["thinking"] else "detailed thinking off"
    return [{"role": "system", "content": system}, {"role": "user", "content": prompt}]


def render_llama3(messages):
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    return env.from_string(LLAMA3_TEMPLATE).render(
        messages=messages, bos_token="<|begin_of_text|>", add_generation_prompt=True
    )


CARD_HISTORY = [
    {"role": "user", "content": "What is 1+1?"},
    {"role": "assistant", "content": "1+1=2"},
    {"role": "user", "content": "What about 1+2?"},
]

CASES = {
    # The model card's one-response example, as a bare messages array.
    "card-one-response": (CARD_HISTORY + [{"role": "response_1", "content": "1+2=4"}], {}),
    # The model card's two-response example, as a chat-completions body.
    "card-two-responses": (
        {
            "model": "nvidia/Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual",
            "messages": CARD_HISTORY
            + [{"role": "response_1", "content": "1+2=4"}, {"role": "response_2", "content": "1+2=3"}],
            "temperature": 0.0,
            "top_p": 1.0,
            "max_tokens": 32768,
        },
        {},
    ),
    # A system turn, several turns, text parts, multi-line content, a candidate's own reasoning
    # (stripped by default), and text that looks like a template placeholder.
    "multi-turn-system": (
        {
            "messages": [
                {"role": "system", "content": "You are a terse assistant. Answer in one sentence."},
                {"role": "user", "content": [{"type": "text", "text": "Name a prime number."}]},
                {"role": "assistant", "content": "7 is prime."},
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "Now explain why it is prime,"},
                        {"type": "text", "text": "and keep it short."},
                    ],
                },
                {
                    "role": "response_1",
                    "content": "<think>\nDivisors of 7: only 1 and 7.\n</think>\n\n7 has no divisors other than 1 and itself.",
                },
                {
                    "role": "response_2",
                    "content": "Because {context} says so.\n\n  Also {responses}.  \n",
                },
            ]
        },
        {},
    ),
    # Scripts of several languages, emoji (with ZWJ and flags), combining marks, RTL text.
    "multilingual": (
        [
            {"role": "user", "content": "请用中文解释什么是机器学习。"},
            {"role": "assistant", "content": "机器学习是人工智能的一个分支。"},
            {"role": "user", "content": "ما هو التعلم الآلي؟ और हिंदी में भी बताइए 🙏🏽"},
            {"role": "response_1", "content": "التعلم الآلي هو فرع من الذكاء الاصطناعي. मशीन लर्निंग 🤖👩‍💻🇮🇳"},
            {"role": "response_2", "content": "Ма́шинное обуче́ние — e\u0301te\u0301 Z\u0324\u0354\u0367\u0311 ñ n\u0303 한국어 日本語"},
        ],
        {},
    ),
    # The other prompt variants: curly apostrophe, suffix on the ranking box, thinking off, and
    # the candidate's reasoning kept.
    "variant-curly-ranking-nothink-keep": (
        CARD_HISTORY
        + [
            {"role": "response_1", "content": "<think>1 plus 2</think>1+2=4"},
            {"role": "response_2", "content": "1+2=3"},
        ],
        {"thinking": False, "apostrophe": "curly", "boxed_suffix": "ranking", "strip_candidate_reasoning": False},
    ),
}


def write(path, text):
    path.write_bytes(text.encode("utf-8"))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (request, overrides) in CASES.items():
        options = {**DEFAULT_OPTIONS, **overrides}
        messages = judging_messages(request, options)
        text = render_llama3(messages)
        write(OUT / f"{name}.request.json", json.dumps(request, ensure_ascii=False, indent=2) + "\n")
        write(OUT / f"{name}.options.json", json.dumps(options, indent=2) + "\n")
        write(OUT / f"{name}.expected.json", json.dumps({"messages": messages, "text": text}, ensure_ascii=False, indent=2) + "\n")
        write(OUT / f"{name}.txt", text)
        print(f"{name}: {len(text.encode('utf-8'))} bytes")


if __name__ == "__main__":
    main()
