"""The model card's client code, run against `genrm serve` (issue 5).

The two examples are copied from the Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual model card
exactly, apart from host and port (GENRM_HOST / GENRM_PORT, default 127.0.0.1:5000). Run one of
them: `python3 scripts/card_client.py one` or `... two`; it prints what the card prints.
Needs the `openai` package: pip install openai
"""
import os
import sys

try:
    from openai import OpenAI
except ImportError:
    sys.exit("card_client.py needs the openai package: pip install openai")

BASE_URL = "http://%s:%s/v1" % (os.environ.get("GENRM_HOST", "127.0.0.1"), os.environ.get("GENRM_PORT", "5000"))


def judge_one_response():
    client = OpenAI(base_url=BASE_URL, api_key="dummy")

    # when judging one response
    msg = [
      {"role": "user", "content": "What is 1+1?"}, 
      {"role": "assistant", "content": "1+1=2"}, 
      {"role": "user", "content": "What about 1+2?"},
      {"role": "response_1", "content": "1+2=4"}
    ]

    completion = client.chat.completions.create(
        model="nvidia/Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual",
        messages=msg,
        temperature=0.0,
        top_p=1.0,
        max_tokens=32768,
        stream=False
    )
    output = completion.choices[0].message.content
    print(output.split("</think>")[-1].strip())


def judge_two_responses():
    client = OpenAI(base_url=BASE_URL, api_key="dummy")

    # when judging two responses
    msg = [
      {"role": "user", "content": "What is 1+1?"}, 
      {"role": "assistant", "content": "1+1=2"}, 
      {"role": "user", "content": "What about 1+2?"},
      {"role": "response_1", "content": "1+2=4"},
      {"role": "response_2", "content": "1+2=3"}
    ]

    completion = client.chat.completions.create(
        model="nvidia/Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual",
        messages=msg,
        temperature=0.0,
        top_p=1.0,
        max_tokens=32768,
        stream=False
    )
    output = completion.choices[0].message.content
    print(output.split("</think>")[-1].strip())


if __name__ == "__main__":
    {"one": judge_one_response, "two": judge_two_responses}[sys.argv[1] if len(sys.argv) > 1 else "one"]()
