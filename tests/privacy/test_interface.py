"""The public interface: Finding's shape, ordering and offsets, purity, lazy data, redaction."""
from __future__ import annotations

import ast
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

import forum.privacy as privacy
from forum.privacy import (BLOCK, CLEAR_REASONS, KINDS, REDACTED, WARN, Finding, apply_suggestion,
                           apply_suggestions, blocking, check_span, redact, replace_spans, scan,
                           scan_fields)

PACKAGE = Path(privacy.__file__).resolve().parent
REPO = PACKAGE.parent.parent

MIXED = ("I started working with Olga Brennan in March. Olga's mobile is 07700 900123 and her "
         "email is olga.b@example.com. NI JG 10 37 45 B, NHS 943 476 5919, home LS9 6QT, "
         "27 Mill Lane. DOB 14/03/1987. Ref RST266340. IG @olga_b. Car VW18 UFA. "
         "She is from Kington, a small place. Her son Tyler is at Meadowbank Juniors.")


def test_finding_is_a_frozen_dataclass_with_the_documented_fields():
    assert dataclasses.is_dataclass(Finding)
    names = [f.name for f in dataclasses.fields(Finding)]
    assert names[:5] == ["kind", "start", "end", "severity", "reason"]
    assert {"suggestion", "rule_id"} <= set(names)
    f = scan(MIXED)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 0  # type: ignore[misc]


def test_finding_never_holds_the_matched_text():
    for f in scan(MIXED):
        assert "Olga" not in json.dumps(dataclasses.asdict(f))


def test_findings_sorted_exact_and_disjoint():
    found = scan(MIXED)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    for f in found:
        piece = MIXED[f.start:f.end]
        assert piece == piece.strip() and piece.strip(".,;:") == piece
        assert f.kind in KINDS and f.severity in (BLOCK, WARN) and f.reason and f.suggestion


def test_every_kind_in_the_mixed_text():
    assert {f.kind for f in scan(MIXED)} == {
        "name", "phone", "email", "nino", "nhs", "postcode", "address", "dob", "claim_ref",
        "handle", "vehicle", "other"}


def test_exact_offsets_for_known_spans():
    text = "Ring 07700 900123 or email a.b@example.com."
    assert [(f.kind, f.start, f.end) for f in scan(text)] == [("phone", 5, 17), ("email", 27, 42)]


def test_empty_and_blank_text():
    assert scan("") == []
    assert scan("   \n\t ") == []


def test_rejects_non_strings():
    with pytest.raises(TypeError):
        scan(None)  # type: ignore[arg-type]


def test_finding_validates_itself():
    with pytest.raises(ValueError):
        Finding("nonsense", 0, 1, BLOCK, "x")
    with pytest.raises(ValueError):
        Finding("name", 3, 3, BLOCK, "x")
    with pytest.raises(ValueError):
        Finding("name", 0, 1, "maybe", "x")


def test_scan_fields_keys_findings_by_field():
    out = scan_fields({"title": "Olga Brennan's story", "body": "Call 07700 900123.", "empty": ""})
    assert [f.kind for f in out["title"]] == ["name"]
    assert [f.kind for f in out["body"]] == ["phone"]
    assert out["empty"] == []


# -- redaction helpers ---------------------------------------------------------------------------

def test_apply_suggestion_replaces_the_span():
    text = "Call 07700 900123 today."
    (f,) = scan(text)
    assert apply_suggestion(text, f) == "Call [phone removed] today."


def test_apply_all_suggestions_keeps_the_rest():
    text = "Olga Brennan rang from 07700 900123. Olga is fine."
    assert apply_suggestions(text, scan(text)) == "Participant A rang from [phone removed]. Participant A is fine."


def test_redact_and_refuse_bad_offsets():
    text = "Olga rang."
    assert redact(text, 0, 4) == f"{REDACTED} rang."
    for bad in [(-1, 2), (0, 0), (5, 3), (0, 99), (1.0, 2)]:
        with pytest.raises(ValueError):
            redact(text, *bad)
    with pytest.raises(ValueError):
        check_span(text, True, 3)


def test_replace_spans_refuses_overlaps():
    with pytest.raises(ValueError):
        replace_spans("abcdef", [(0, 3, "x"), (2, 4, "y")])
    assert replace_spans("abcdef", [(4, 6, "Z"), (0, 1, "A")]) == "AbcdZ"


def test_blocking_and_clear_reasons():
    found = scan("Olga Brennan is from Kington, a small place.")
    assert {f.kind for f in blocking(found)} == {"name"}
    assert set(CLEAR_REASONS) == {"fictional", "public", "not_personal", "other"}


# -- purity and lazy loading ---------------------------------------------------------------------

_PROBE = """
import json, sys, types
# Load forum.privacy without running forum/__init__.py (the Flask app lives there).
pkg = types.ModuleType("forum"); pkg.__path__ = [{forum!r}]; sys.modules["forum"] = pkg
import forum.privacy as p
from forum.privacy import wordlists
loaded_at_import = wordlists.first_names.cache_info().currsize
p.scan("Olga Brennan rang 07700 900123.")
p.scan("Kamran Iqbal emailed.")
bad = sorted({{m.split(".")[0] for m in sys.modules}} & {{"flask", "sqlalchemy", "werkzeug", "jinja2", "flask_sqlalchemy"}})
print(json.dumps({{"bad": bad, "loaded_at_import": loaded_at_import,
                  "misses": wordlists.first_names.cache_info().misses}}))
"""


def test_import_pulls_in_no_web_or_database_modules_and_loads_lazily():
    code = _PROBE.format(forum=str(PACKAGE.parent))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    result = json.loads(out.stdout)
    assert result["bad"] == []
    assert result["loaded_at_import"] == 0  # importing does no work beyond definitions
    assert result["misses"] == 1  # the name list is read once per process


def test_package_source_imports_only_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside the package
                    continue
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, (path.name, roots)


def test_data_files_are_small_and_inside_the_package():
    total = sum(p.stat().st_size for p in (PACKAGE / "data").glob("*.txt"))
    assert total < 1_000_000
