"""Test corpora for the privacy detector, all inside tests/privacy/data (never ../shared).

* sample_corpus.jsonl and score.py: copies of the shared corpus and its scorer.
* own_cases.txt: our own labelled texts in a readable markup, turned into the same JSON shape:
  [[kind:text]] marks an identifier, {{trap_kind:text}} a planted look-alike.

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


@cache
def own_cases() -> tuple[dict, ...]:
    cases, current, lines = [], None, []
    for line in (DATA / "own_cases.txt").read_text(encoding="utf-8").splitlines():
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

    for name, docs in (("sample", sample_cases()), ("own", own_cases())):
        print(f"== {name}")
        print(scorer().report(scorer().score(list(docs), scan), show=40))
