"""Seeded random expression templates for differential testing against jinja2.

Each template combines literals, context variables, operators, filters, tests, methods, slices
and control structures at random; jinja2 renders it (or fails) and the Swift renderer must agree.
Cases whose Python output depends on memory addresses (printing a generator) are dropped.
"""

import random

CONTEXT = {
    "s": "Hello, World",
    "t": "  pad me \n",
    "n": 7,
    "f": 2.5,
    "neg": -3,
    "xs": [3, 1, 2],
    "words": ["b", "A", "c", "a"],
    "d": {"b": 1, "a": 2, "items": "shadowed"},
    "msgs": [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": "héllo"},
        {"role": "assistant", "content": "<think>r</think>ans", "tool_calls": [{"function": {"name": "f"}}]},
    ],
    "empty": [],
    "nothing": None,
    "flag": True,
}

STRINGS = ["'a'", "'Hello World'", "' pad '", "'x,y,z'", "'é'", "''", "'</think>'", "'%s!'", "'{}-{}'"]
NUMBERS = ["0", "1", "2", "3", "-1", "10", "0.5", "2.25", "-1.5", "1e3"]
NAMES = ["s", "t", "n", "f", "neg", "xs", "words", "d", "msgs", "empty", "nothing", "flag", "u"]

FILTERS = [
    ("trim", []), ("length", []), ("upper", []), ("lower", []), ("capitalize", []), ("title", []),
    ("tojson", []), ("tojson", ["indent=2"]), ("join", []), ("join", ["', '"]), ("default", ["'dflt'"]),
    ("default", ["'dflt'", "true"]), ("first", []), ("last", []), ("list", []), ("string", []), ("int", []),
    ("float", []), ("round", []), ("round", ["1"]), ("safe", []), ("indent", []), ("dictsort", []),
    ("items", []), ("replace", ["'l'", "'L'"]), ("map", ["'upper'"]), ("map", ["attribute='role'"]),
    ("select", []), ("reject", []), ("select", ["'odd'"]), ("selectattr", ["'role'", "'equalto'", "'user'"]),
    ("rejectattr", ["'role'", "'in'", "['user']"]), ("sort", []), ("reverse", []), ("unique", []),
    ("sum", []), ("min", []), ("max", []), ("abs", []), ("count", []), ("batch", ["2"]), ("center", ["9"]),
    ("wordcount", []), ("truncate", ["8", "true"]), ("format", ["1"]),
]
TESTS = [
    "defined", "undefined", "none", "string", "number", "mapping", "iterable", "sequence", "true", "false",
    "odd", "even", "integer", "float", "boolean", "lower", "upper", "callable",
]
TESTS_WITH_ARGUMENT = [("equalto", STRINGS + NUMBERS), ("in", ["xs", "s", "d", "'abc'"]), ("divisibleby", ["2", "3"])]
METHODS = [
    ("strip", []), ("lstrip", []), ("rstrip", ["'\\n'"]), ("split", []), ("split", ["','"]), ("upper", []),
    ("lower", []), ("title", []), ("startswith", ["'H'"]), ("endswith", ["'d'"]), ("replace", ["'o'", "'0'"]),
    ("format", ["1", "2"]), ("get", ["'a'"]), ("items", []), ("keys", []), ("values", []), ("count", ["'l'"]),
    ("find", ["'o'"]),
]
BINARY = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", ">", "<=", "and", "or", "in", "not in"]


def expression(rng, depth):
    if depth <= 0 or rng.random() < 0.25:
        kind = rng.random()
        if kind < 0.45:
            return rng.choice(NAMES)
        if kind < 0.7:
            return rng.choice(STRINGS)
        if kind < 0.9:
            return rng.choice(NUMBERS)
        return rng.choice(["none", "true", "false", "[1, 'a']", "{'k': 'v'}", "(1, 2)"])
    choice = rng.random()
    inner = expression(rng, depth - 1)
    if choice < 0.22:
        name, args = rng.choice(FILTERS)
        return f"({inner}) | {name}" + (f"({', '.join(args)})" if args else "")
    if choice < 0.34:
        negate = "not " if rng.random() < 0.3 else ""
        if rng.random() < 0.7:
            return f"({inner}) is {negate}{rng.choice(TESTS)}"
        name, arguments = rng.choice(TESTS_WITH_ARGUMENT)
        return f"({inner}) is {negate}{name} {rng.choice(arguments)}"
    if choice < 0.5:
        return f"({inner}) {rng.choice(BINARY)} ({expression(rng, depth - 1)})"
    if choice < 0.6:
        name, args = rng.choice(METHODS)
        return f"({inner}).{name}({', '.join(args)})"
    if choice < 0.7:
        index = rng.choice(["[0]", "[-1]", "[1:]", "[:-1]", "[::-1]", "[::2]", "['role']", ".role", "[5]"])
        return f"({inner}){index}"
    if choice < 0.78:
        return f"({inner}) if ({expression(rng, depth - 1)}) else ({expression(rng, depth - 1)})"
    if choice < 0.84:
        return f"not ({inner})"
    if choice < 0.88:
        return f"-({inner})"
    if choice < 0.94:
        return f"[{inner}, {expression(rng, depth - 1)}]"
    return f"({inner}) | {rng.choice(['tojson', 'string', 'list', 'length'])}"


def template(rng):
    form = rng.random()
    expr = expression(rng, rng.randint(1, 4))
    if form < 0.55:
        return "{{ " + expr + " }}"
    if form < 0.7:
        return "{% if " + expr + " %}T{% else %}F{% endif %}"
    if form < 0.85:
        return "{% for x in " + expr + " %}{{ loop.index }}:{{ x }},{% else %}E{% endfor %}"
    return "{% set v = " + expr + " %}[{{ v }}]"


def random_cases(count=600, seed=20250115):
    rng = random.Random(seed)
    return [(f"random/{index:04d}", template(rng), CONTEXT) for index in range(count)]
