"""Markdown to safe HTML: the one sanitiser for every post, reply, preview and export.

`render` is a pure function (no app, request or config) so it can be called on write, in
previews and from tests alike. Two layers, each enough on its own for the dangerous cases:

1. markdown-it-py (CommonMark + tables + strikethrough, raw HTML off) builds a token stream,
   which we rewrite: headings shifted down, empty headings dropped, images turned into their alt
   text, links limited to http/https/mailto and given rel, spoofed link text exposed.
2. bleach with a strict allowlist cleans the resulting HTML, in case anything slipped through.
"""

import re
import threading
from urllib.parse import urlsplit

import bleach
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

# Pages own h1 and h2, so user headings start at h3.
HEADING_TAGS = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}

# Bidi embedding/override/isolate controls can make text read differently from what it is
# (e.g. a reversed file name or URL); NUL has no business in text.
_INVISIBLE_RE = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")

# Link text that reads as a web address: "https://...", "www....", or a bare "host.tld/path".
_ADDRESS_RE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+"
    r"|(?:[\w-]+\.)+(?:[^\W\d_]{2,}|xn--[\w-]+)\.?(?::\d*)?(?:[/?#]\S*)?",
    re.IGNORECASE,
)

# Building the parser is cheap and it holds no per-call state, so one shared instance is fine.
_md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

# bleach.Cleaner is not thread-safe (its HTML parser keeps state), so build one per thread.
_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
    return cleaner


def render(markdown_text: str) -> str:
    """Render user Markdown to sanitised HTML ('' for blank input)."""
    text = _INVISIBLE_RE.sub("", markdown_text or "")
    if not text.strip():
        return ""
    env: dict = {}
    tokens = _rewrite_blocks(_md.parse(text, env))
    html = _cleaner().clean(_md.renderer.render(tokens, _md.options, env))
    # Entities such as &#x202E; are decoded by the parser, so strip the output too.
    return _INVISIBLE_RE.sub("", html).strip()


def _rewrite_blocks(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "inline":
            token.children = _rewrite_inline(token.children or [])
        elif token.type == "heading_open":
            # markdown-it always emits heading_open, inline, heading_close.
            inline, close = tokens[i + 1], tokens[i + 2]
            inline.children = _rewrite_inline(inline.children or [])
            if not _plain_text(inline.children).strip():
                i += 3  # an empty heading is noise (and a blank landmark for screen readers)
                continue
            token.tag = close.tag = HEADING_TAGS[token.tag]
            out.extend((token, inline, close))
            i += 3
            continue
        out.append(token)
        i += 1
    return out


def _rewrite_inline(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    open_links: list[tuple[Token, int, bool]] = []  # (link_open, its index in out, kept?)
    for token in children:
        if token.type == "image":
            # No images: they leak readers' addresses to other sites. Keep the alt text only.
            out.append(_text_token(_plain_text(token.children or [])))
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            kept = _is_allowed_href(href)
            open_links.append((token, len(out), kept))
            if kept:
                token.attrSet("rel", LINK_REL)
                out.append(token)
            # A refused link keeps its text but loses the <a>.
        elif token.type == "link_close":
            link, start, kept = open_links.pop()
            if kept:
                out.append(token)
                href = str(link.attrGet("href"))
                if _is_spoofed(_plain_text(out[start + 1 : -1]), href):
                    # Spoofed address: keep the author's text but show the real address right
                    # after the link, as plain text, so readers see where it really goes.
                    out.append(_text_token(f" ({href})"))
        else:
            out.append(token)
    return out


def _is_allowed_href(href: str) -> bool:
    """Only absolute http(s) URLs with a host, and mailto: relative and other schemes go."""
    try:
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            return bool(parts.hostname)
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    return scheme == "mailto" and bool(parts.path)


def _is_spoofed(link_text: str, href: str) -> bool:
    """True when the link text reads as a web address for a different host than href's."""
    text = link_text.strip()
    if not _ADDRESS_RE.fullmatch(text):
        return False
    text_host = _host(text if "://" in text else "http://" + text)
    return not text_host or text_host != _host(href)


def _host(url: str) -> str:
    # Compared as written: a non-ASCII (homograph) host in the text never equals the punycode
    # host markdown-it puts in href, so such links always show their real address.
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _plain_text(tokens: list[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_plain_text(token.children))
    return "".join(parts)


def _text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)
