"""Privacy guard: find personal identifiers in case write-ups before they are published.

    from forum.privacy import scan
    for f in scan(text):
        print(f.kind, f.severity, f.start, f.end, f.reason)

Pure Python (no Flask or database imports). The shipped word lists in data/ load on the first
scan, once per process. See RULES.md in the shared corpus for the rules this implements.
"""
from .findings import BLOCK, KINDS, WARN, Finding
from .redact import (CLEAR_REASONS, REDACTED, apply_suggestion, apply_suggestions, blocking,
                     check_span, redact, replace_spans)
from .scanner import scan, scan_fields
from .wordlists import load_all as warm_up

__all__ = [
    "BLOCK", "WARN", "KINDS", "Finding", "scan", "scan_fields", "warm_up",
    "CLEAR_REASONS", "REDACTED", "apply_suggestion", "apply_suggestions", "blocking",
    "check_span", "redact", "replace_spans",
]
