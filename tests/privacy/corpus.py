"""Test corpora for the privacy detector, all inside tests/privacy/data (never ../shared).

* sample_corpus.jsonl and score.py: copies of the shared corpus and its scorer.
* own_cases.txt: our own labelled texts in a readable markup, turned into the same JSON shape:
  [[kind:text]] marks an identifier, {{trap_kind:text}} a planted look-alike.
* catch_more.txt: the same markup, for the kinds issue 22 asks the guard to catch (streets with no
  number, postcode districts, small towns, small employers, lower-case names, odd references) and
  clean texts with a trap for each; the case id's letters say which kind (ST, PD, TW, BZ, LN, RF,
  CL for clean).

Run `python -m tests.privacy.corpus` to score the detector on both (like score.py does).
"""
from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
_MARK = re.compile(r"\[\[(?P<kind>[a-z_]+):(?P<id>.+?)\]\]|\{\{(?P<trap>[a-z_]+):(?P<tt>.+?)\}\}")


def parse_case(case_id: str, marked: str) -> dict:
    """One marked-up text -> {"id", "text", "identifiers", "traps", "meta"}."""
    text, identifiers, traps, pos = [], [], [], 0
    length = 0
    for m in _MARK.finditer(marked):
        plain = marked[pos:m.start()]
        text.append(plain)
        length += len(plain)
        inner = m.group("id") if m.group("kind") else m.group("tt")
        span = {"start": length, "end": length + len(inner),
                "kind": m.group("kind") or m.group("trap")}
        (identifiers if m.group("kind") else traps).append(span)
        text.append(inner)
        length += len(inner)
        pos = m.end()
    text.append(marked[pos:])
    return {"id": case_id, "text": "".join(text), "identifiers": identifiers, "traps": traps,
            "meta": {"has_identifiers": bool(identifiers)}}


def marked_cases(filename: str) -> tuple[dict, ...]:
    """The cases of a marked-up file in data/ ("### ID" starts each one)."""
    cases, current, lines = [], None, []
    for line in (DATA / filename).read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            if current:
                cases.append(parse_case(current, "\n".join(lines).strip("\n")))
            current, lines = line[4:].strip(), []
        elif current is not None:
            lines.append(line)
        # lines before the first case are the file's header comment
    if current:
        cases.append(parse_case(current, "\n".join(lines).strip("\n")))
    return tuple(cases)


@cache
def own_cases() -> tuple[dict, ...]:
    return marked_cases("own_cases.txt")


@cache
def catch_more_cases() -> tuple[dict, ...]:
    return marked_cases("catch_more.txt")


def group_of(case: dict) -> str:
    """"ST04" -> "ST": which kind a catch_more case is about."""
    return case["id"].rstrip("0123456789")


@cache
def sample_cases() -> tuple[dict, ...]:
    with open(DATA / "sample_corpus.jsonl", encoding="utf-8") as f:
        return tuple(json.loads(line) for line in f if line.strip())


@cache
def scorer():
    """The shared score.py, loaded from our copy."""
    spec = importlib.util.spec_from_file_location("privacy_score", DATA / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    from forum.privacy import scan

    for name, docs in (("sample", sample_cases()), ("own", own_cases()),
                       ("catch_more", catch_more_cases())):
        print(f"== {name}")
        print(scorer().report(scorer().score(list(docs), scan), show=40))
