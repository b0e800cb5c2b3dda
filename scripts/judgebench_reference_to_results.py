#!/usr/bin/env python3
"""Convert a JudgeBench reference judge run into genrm's results format.

JudgeBench (ScalerLab/JudgeBench) publishes its own judges' outputs: every pair's record plus
`judgments`, a list of two games. Game 1 shows (response_A, response_B); game 2 shows
(response_B, response_A), and its `decision` ("A>B", "B>A", a tie, or null) is written in
that swapped frame: "A>B" there means the response shown first, i.e. response_B, is better.

Each game becomes one results line (see docs/README-eval.md):
  pair            "AB" for game 1, "BA" for game 2
  chosen_position where the label-preferred response was shown in that game
  ranking         2 when the game's decision prefers the response shown first, 5 when it
                  prefers the second (the model card's "better" grades), 3.5 for a tie,
                  null when the game has no decision
  votes           [2] / [5] / [] accordingly; failures 1 when there is no decision
  scores          the judge's own scores in the order shown, when it gave any

`genrm eval report` on the output must reproduce JudgeBench's published figures for the judge
(for Skywork-Reward-Llama-3.1-8B: Knowledge 59.09, Reasoning 64.29, Math 76.79, Code 50.00,
Overall 62.29), which tests the harness's scoring against an independent implementation.

Usage:
  scripts/judgebench_reference_to_results.py [REFERENCE.jsonl] [OUT.jsonl]
Defaults: the Skywork-Reward-Llama-3.1-8B run under ../shared/data (or $GENRM_DATA), written to
Tests/EvalTests/Fixtures/judgebench-skywork-reference-results.jsonl.
"""
import json
import os
import sys

DATA = os.environ.get("GENRM_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
REFERENCE = os.path.join(
    DATA, "judgebench", "reference-outputs",
    "dataset=judgebench,response_model=gpt-4o-2024-05-13,judge_name=reward_model,"
    "judge_model=Skywork_Skywork-Reward-Llama-3.1-8B.jsonl")
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "EvalTests", "Fixtures",
                   "judgebench-skywork-reference-results.jsonl")


def category(source):
    if source.startswith("mmlu-pro"):
        return "Knowledge"
    categories = {"livebench-reasoning": "Reasoning", "livebench-math": "Math", "livecodebench": "Code"}
    if source not in categories:
        raise SystemExit(f"unknown source {source!r}")
    return categories[source]


def game_line(record, game, judgment, model):
    a_wins = record["label"] == "A>B"
    if record["label"] not in ("A>B", "B>A"):
        raise SystemExit(f"pair {record['pair_id']}: unknown label {record['label']!r}")
    # Game 1 shows A first; game 2 shows B first.
    chosen_position = (1 if a_wins else 2) if game == "AB" else (2 if a_wins else 1)
    decision = judgment.get("decision")
    if decision == "A>B":
        ranking, votes, failures = 2.0, [2], 0
    elif decision == "B>A":
        ranking, votes, failures = 5.0, [5], 0
    elif decision in ("A=B", "B=A"):
        ranking, votes, failures = 3.5, [], 0
    else:
        ranking, votes, failures = None, [], 1
    scores = (judgment.get("judgment") or {}).get("scores")
    return {
        "benchmark": "judgebench",
        "item": record["pair_id"],
        "category": category(record["source"]),
        "pair": game,
        "chosen_position": chosen_position,
        "ranking": ranking,
        "votes": votes,
        "scores": scores if scores else None,
        "failures": failures,
        "model": model,
        "seed": None,
    }


def main():
    reference = sys.argv[1] if len(sys.argv) > 1 else REFERENCE
    out = sys.argv[2] if len(sys.argv) > 2 else OUT
    lines = []
    with open(reference, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            record = json.loads(text)
            games = record["judgments"]
            if len(games) != 2:
                raise SystemExit(f"{reference} line {number}: expected 2 games, found {len(games)}")
            model = (games[0].get("judgment") or {}).get("judge_model") or record.get("judge_name", "unknown")
            for game, judgment in zip(("AB", "BA"), games):
                lines.append(json.dumps(game_line(record, game, judgment, model), sort_keys=True, ensure_ascii=False))
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} lines to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
