"""`clean(text)`: invisible characters removed from what a person typed, once, when stored.

Bidirectional overrides and isolates can make text read differently from what it is (a link
or a name shown backwards), and zero-width characters hide inside words; they would come
back in edit history, edit forms, exports and plain-text emails. Every service that stores
text someone typed (titles, parts, replies, notes, action points, display names, theme and
circle names, reasons, and every text field added later) calls `clean` first, before the
privacy guard scans it (its findings store offsets into the cleaned text). Never passwords.
"""

from __future__ import annotations

#: U+200C and U+200D are kept: they join emoji and letters in several scripts.
REMOVED = frozenset(
    [0x200B, 0x200E, 0x200F, 0xFEFF]
    + list(range(0x202A, 0x202F))  # LRE, RLE, PDF, LRO, RLO
    + list(range(0x2060, 0x2065))  # word joiner, invisible operators
    + list(range(0x2066, 0x206A))  # LRI, RLI, FSI, PDI
    + [code for code in range(0x00, 0x20) if code not in (0x09, 0x0A)]  # NUL and C0, but tab and newline
)
_TABLE = dict.fromkeys(REMOVED)


def clean(text: str) -> str:
    """`text` without the characters in REMOVED; Windows and old Mac line ends become newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_TABLE)
