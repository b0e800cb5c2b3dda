#!/usr/bin/env python3
"""Regenerates the chat-template golden files for ChatTemplatesTests.

Every template listed in Tests/ChatTemplatesTests/Fixtures/templates/manifest.json is rendered
with Python jinja2 configured exactly as transformers configures it
(transformers/utils/chat_template_utils.py, `_cached_compile_jinja_template` and
`render_jinja_template`, mirrored below from transformers 5.x), over a fixed set of conversations,
with and without the generation prompt. The expected text, or the expected error, goes to
Tests/ChatTemplatesTests/Fixtures/golden/<template>.json together with the inputs, so the Swift
test renders exactly the same inputs.

When transformers itself is importable, every case is also rendered with transformers'
`render_jinja_template` and the two must agree; the script fails otherwise.

`strftime_now` reads a fixed clock (2025-01-15 10:30:00 local time) so goldens are stable.

Usage: python3 scripts/golden_templates.py [random-seed [random-count]]
(the committed goldens use the defaults; other seeds are for hunting differences locally)
"""

import copy
import json
import re
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "ChatTemplatesTests" / "Fixtures"
TEMPLATES = FIXTURES / "templates"
GOLDEN = FIXTURES / "golden"
FIXED_NOW = datetime(2025, 1, 15, 10, 30, 0)


# --- jinja2 configured as transformers configures it -------------------------------------------

class GenerationTag(jinja2.ext.Extension):
    """transformers' AssistantTracker: `{% generation %}...{% endgeneration %}` renders its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


class TemplateNamespace(jinja2.utils.Namespace):
    def __init__(*args, **kwargs):
        self, args = args[0], args[1:]
        attrs = dict(*args, **kwargs)
        for name in attrs:
            TemplateNamespace._check_name(name)
        jinja2.utils.Namespace.__init__(self, attrs)

    def __setitem__(self, name, value):
        TemplateNamespace._check_name(name)
        jinja2.utils.Namespace.__setitem__(self, name, value)

    @staticmethod
    def _check_name(name):
        if isinstance(name, str) and name.startswith("_"):
            raise jinja2.exceptions.SecurityError(
                f"Chat templates cannot store underscore-prefixed attributes on a namespace, but got {name!r}. "
                "Please rename the attribute."
            )


class TemplateDict:
    def __call__(self, *args, **kwargs):
        return dict(*args, **kwargs)

    def fromkeys(self, *args, **kwargs):
        return dict.fromkeys(*args, **kwargs)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return FIXED_NOW.strftime(format)


def make_environment():
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    env.globals["dict"] = TemplateDict()
    env.globals["namespace"] = TemplateNamespace
    return env


REASONING_FIELDS = ("reasoning_content", "thinking", "reasoning")


def prepare_messages(messages):
    """apply_chat_template drops None-valued keys; render_jinja_template aliases reasoning fields."""
    prepared = []
    for message in messages:
        message = {key: value for key, value in message.items() if value is not None}
        reasoning = next((message[key] for key in REASONING_FIELDS if message.get(key) is not None), None)
        if reasoning is not None:
            message = {"thinking": reasoning, **message, "reasoning_content": reasoning}
        prepared.append(message)
    return prepared


def render_reference(env, source, case, tokens):
    template = env.from_string(source)
    kwargs = {**tokens, **case.get("kwargs", {})}
    return template.render(
        messages=prepare_messages(case["messages"]),
        tools=case.get("tools"),
        documents=case.get("documents"),
        add_generation_prompt=case["add_generation_prompt"],
        **kwargs,
    )


# --- transformers itself, when installed --------------------------------------------------------

@contextmanager
def fixed_transformers_clock(module):
    class FixedDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return FIXED_NOW

    saved = module.datetime
    module.datetime = FixedDatetime
    try:
        yield
    finally:
        module.datetime = saved


def render_with_transformers(module, source, case, tokens):
    from transformers.utils.chat_template_utils import _normalize_chat_messages

    kwargs = {**tokens, **case.get("kwargs", {})}
    with fixed_transformers_clock(module):
        rendered, _ = module.render_jinja_template(
            conversations=[_normalize_chat_messages(case["messages"])],
            tools=case.get("tools"),
            documents=case.get("documents"),
            chat_template=source,
            add_generation_prompt=case["add_generation_prompt"],
            **kwargs,
        )
    return rendered[0]


def load_transformers():
    try:
        import transformers.utils.chat_template_utils as module
    except Exception:  # transformers is optional: the mirrored configuration above is the reference
        return None
    return module


# --- the conversations --------------------------------------------------------------------------

JUDGE_PROMPT = (
    "You are a skilled little expert at scoring responses. ... \n\n"
    "[The Begin of Conversation Context]\nUser: What is 2+2?\n[The End of Conversation Context]\n\n"
    "[The Begin of Responses]\n[The Begin of Response 1]\n4\n[The End of Response 1]\n"
    "[The Begin of Response 2]\nfive\n[The End of Response 2]\n\n[The End of Responses]\n"
)

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city. Returns °C; use the city's \"common\" name.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name, e.g. 'Zürich' or 東京"},
                "days": {"type": "integer", "description": "How many days <= 7"},
                "units": {"type": "string", "enum": ["metric", "imperial"], "description": "Unit system"},
                "hours": {"type": "array", "items": {"type": "number"}, "description": "Hours of day"},
            },
            "required": ["city"],
        },
    },
}

SEARCH_TOOL = {
    "type": "function",
    "function": {
        "name": "search",
        "description": "Search the web & return snippets.",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string", "description": "The query"}},
            "required": ["query"],
        },
    },
}

TOOL_CALL = {
    "id": "call12345",
    "type": "function",
    "function": {"name": "get_weather", "arguments": {"city": "Zürich", "days": 2}},
}

CONVERSATIONS = {
    "user_only": {"messages": [{"role": "user", "content": "Hello! How are you?"}]},
    "system_user": {
        "messages": [
            {"role": "system", "content": "You are a concise assistant."},
            {"role": "user", "content": "Name three primes."},
        ]
    },
    "multi_turn": {
        "messages": [
            {"role": "system", "content": "  Be brief.  \n"},
            {"role": "user", "content": "What is the capital of France?"},
            {"role": "assistant", "content": "Paris."},
            {"role": "user", "content": "And of Italy?\n"},
        ]
    },
    "multilingual": {
        "messages": [
            {"role": "user", "content": "你好，世界！こんにちは。안녕하세요. Привет! مرحبا 👋🏽 e\u0301 ß"},
            {"role": "assistant", "content": "Bonjour ! ¿Qué tal? Grüß Gott. Xin chào. Cześć."},
            {"role": "user", "content": "Tiếng Việt, Nederlands, Bahasa Indonesia, Português, Italiano."},
        ]
    },
    "special_characters": {
        "messages": [
            {"role": "user", "content": "Quotes ' and \" and \\ backslash, <tags> & {{ braces }} {% raw %} \t tab"},
            {"role": "assistant", "content": "\n\nLeading and trailing whitespace\n\n"},
            {"role": "user", "content": "Line one\nLine two\r\nLine three"},
        ]
    },
    "genrm_two_responses": {
        "messages": [
            {"role": "user", "content": "What is 2+2?"},
            {"role": "response_1", "content": "4"},
            {"role": "response_2", "content": "<think>adding</think>five"},
        ]
    },
    "genrm_judging_prompt": {
        "messages": [
            {"role": "system", "content": "detailed thinking on"},
            {"role": "user", "content": JUDGE_PROMPT},
        ]
    },
    "reasoning_history": {
        "messages": [
            {"role": "user", "content": "Think about 2+2."},
            {"role": "assistant", "content": "<think>\nTwo plus two.\n</think>\n\nIt is 4.", "reasoning_content": None},
            {"role": "user", "content": "And 3+3?"},
            {"role": "assistant", "content": "It is 6.", "reasoning_content": "Three plus three."},
        ]
    },
    "tools": {
        "tools": [WEATHER_TOOL, SEARCH_TOOL],
        "messages": [
            {"role": "system", "content": "You can call tools."},
            {"role": "user", "content": "Weather in Zürich?"},
            {"role": "assistant", "content": None, "tool_calls": [TOOL_CALL]},
            {"role": "tool", "tool_call_id": "call12345", "content": "{\"temperature\": 21.5, \"sky\": \"clear\"}"},
            {"role": "user", "content": "Thanks!"},
        ],
    },
    "tools_no_system": {
        "tools": [WEATHER_TOOL],
        "messages": [{"role": "user", "content": "Is it raining in Paris?"}],
    },
    "thinking_disabled": {
        "kwargs": {"enable_thinking": False},
        "messages": [
            {"role": "system", "content": "/no_think You answer briefly."},
            {"role": "user", "content": "Hi"},
        ],
    },
}


def build_cases():
    cases = []
    for name, conversation in CONVERSATIONS.items():
        for generation in (True, False):
            case = {"name": f"{name}/{'prompt' if generation else 'no_prompt'}", "add_generation_prompt": generation}
            case.update(json.loads(json.dumps(conversation)))
            cases.append(case)
    return cases


def expected_for(env, source, case, tokens, transformers_module):
    try:
        expected = {"output": render_reference(env, source, case, tokens)}
    except jinja2.exceptions.TemplateError as error:
        # raise_exception raises the base TemplateError; its subclasses are Jinja's own failures.
        kind = "raised" if type(error) is jinja2.exceptions.TemplateError else "error"
        expected = {"error": {"kind": kind, "message": str(error)}}
    except Exception as error:  # Python TypeError and friends inside the template
        expected = {"error": {"kind": "error", "message": f"{type(error).__name__}: {error}"}}
    if transformers_module is not None:
        try:
            check = {"output": render_with_transformers(transformers_module, source, case, tokens)}
        except Exception as error:
            check = {"error": str(error)}
        if "output" in expected or "output" in check:
            if check.get("output") != expected.get("output"):
                sys.exit(f"transformers disagrees with the mirrored configuration on {case['name']}")
    return expected


def render_constructs(env, cases, filename):
    """Small templates rendered here and by the Swift unit tests from the same sources."""
    entries = []
    for name, source, context in cases:
        entry = {"name": name, "source": source, "context": context}
        try:
            template = env.from_string(source)
        except jinja2.exceptions.TemplateSyntaxError as error:
            entry["expected"] = {"error": {"kind": "syntax", "message": error.message, "line": error.lineno}}
            entries.append(entry)
            continue
        except jinja2.exceptions.TemplateAssertionError as error:
            entry["expected"] = {"error": {"kind": "syntax", "message": error.message, "line": error.lineno}}
            entries.append(entry)
            continue
        except SyntaxError as error:  # Jinja compiles to Python; `break` outside a loop fails there
            entry["expected"] = {"error": {"kind": "syntax", "message": error.msg, "line": 1}}
            entries.append(entry)
            continue
        try:
            # A template can mutate its inputs (`list|indent` extends the list in place): render a copy.
            output = template.render(**copy.deepcopy(context))
            if re.search(r"object[a-z_]*atx", re.sub(r"[^a-z_]", "", output.lower())):
                continue  # a printed generator or function: Python shows its memory address
            entry["expected"] = {"output": output}
        except jinja2.exceptions.TemplateError as error:
            kind = "raised" if type(error) is jinja2.exceptions.TemplateError else "error"
            entry["expected"] = {"error": {"kind": kind, "message": str(error)}}
        except Exception as error:
            entry["expected"] = {"error": {"kind": "error", "message": f"{type(error).__name__}: {error}"}}
        entries.append(entry)
    path = GOLDEN / filename
    golden = {"now": FIXED_NOW.isoformat(), "jinja2": jinja2.__version__, "cases": entries}
    path.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(entries)} cases")


def main():
    env = make_environment()
    sys.path.insert(0, str(Path(__file__).resolve().parent / "templates"))
    from constructs import CONSTRUCTS
    from random_templates import random_cases

    render_constructs(env, CONSTRUCTS, "constructs.json")
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 20250115
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 800
    render_constructs(env, random_cases(count, seed), "random.json")
    transformers_module = load_transformers()
    manifest = json.loads((TEMPLATES / "manifest.json").read_text(encoding="utf-8"))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for entry in manifest:
        source = (TEMPLATES / entry["file"]).read_text(encoding="utf-8")
        tokens = {}
        if entry.get("bos_token") is not None:
            tokens["bos_token"] = entry["bos_token"]
        if entry.get("eos_token") is not None:
            tokens["eos_token"] = entry["eos_token"]
        cases = build_cases()
        for case in cases:
            case["expected"] = expected_for(env, source, case, tokens, transformers_module)
        golden = {
            "template": entry["file"],
            "bos_token": entry.get("bos_token"),
            "eos_token": entry.get("eos_token"),
            "now": FIXED_NOW.isoformat(),
            "jinja2": jinja2.__version__,
            "cases": cases,
        }
        path = GOLDEN / (Path(entry["file"]).stem + ".json")
        path.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        outputs = sum(1 for case in cases if "output" in case["expected"])
        print(f"{path.relative_to(ROOT)}: {outputs} outputs, {len(cases) - outputs} errors")
    print("cross-checked with transformers" if transformers_module else "transformers not installed: not cross-checked")


if __name__ == "__main__":
    main()
