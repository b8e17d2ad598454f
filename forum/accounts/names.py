"""Display names and handles: pure rules, no database.

A display name is what people see ("Siân Evans"): letters of any alphabet, numbers, spaces,
hyphens, apostrophes and dots. Two names are the same name when they differ only in capitals
or accents ("Sian evans"), so `display_name_key` is unique. A handle is how people @mention
someone (`@sian.evans`): derived once from the name when the account is made, a number added
when it is taken, and never changed after (a new display name keeps the old handle, so
earlier mentions still find the person).
"""

from __future__ import annotations

import re
import unicodedata

from forum.text import clean

MAX_NAME = 40
DISPLAY_NAME = re.compile(r"^[^\W_][\w'.\- ]{1,39}$")
DISPLAY_NAME_RULE = ("Enter a display name of 2 to 40 characters: letters, numbers, spaces, hyphens, apostrophes "
                     "and dots, starting with a letter or number")
#: A handle, as mentioned after "@" (cases.mentions.MENTION finds the same shape).
HANDLE = re.compile(r"^[^\W_][\w.\-]{1,39}$")
MAX_HANDLE_BASE = 30  # room for the number added when the handle is taken

#: Letters that carry no separate accent mark in Unicode but read as a plain letter.
_PLAIN = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae",
                        "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ı": "i", "’": "'", "‘": "'"})


def tidy(name: str) -> str:
    """The name as stored: invisible characters gone, one space between words, curly
    apostrophes straight."""
    name = unicodedata.normalize("NFKC", clean(name)).replace("’", "'").replace("‘", "'")
    return " ".join(name.split())


def problem_with(name: str) -> str | None:
    """What is wrong with a tidied display name, or None."""
    if not name:
        return "Enter a display name"
    if len(name) > MAX_NAME:
        return f"Enter a display name of {MAX_NAME} characters or fewer"
    if not DISPLAY_NAME.match(name):
        return DISPLAY_NAME_RULE
    return None


def _plain(text: str) -> str:
    """Without capitals or accents: "Siân" and "sian" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def display_name_key(name: str) -> str:
    """What makes two display names the same: unique, ignoring capitals, accents and spacing."""
    return " ".join(_plain(tidy(name)).split())[:MAX_NAME]


def handle_base(name: str) -> str:
    """The handle a display name suggests: "Siân O'Neill-Evans" gives "sian.oneill-evans"."""
    plain = _plain(tidy(name)).replace("'", "")
    base = re.sub(r"[^\w\-]+", ".", plain).strip("._-")
    base = re.sub(r"\.{2,}", ".", base)[:MAX_HANDLE_BASE].strip("._-")
    return base if base else "member"


def handle_candidates(name: str):
    """The handle, then the handle with 2, 3, ... added (a one-letter base starts at 1)."""
    base = handle_base(name)
    if HANDLE.match(base):
        yield base
    number = 1 if not HANDLE.match(base) else 2
    while True:
        yield f"{base}{number}"
        number += 1


def mention_key(text: str) -> str:
    """How a typed @mention is compared with handles (stored in this form)."""
    return unicodedata.normalize("NFKC", text).casefold()
