"""forum.markdown.render: hostile input never yields script-capable markup; Markdown still works.

No fixtures: render is a pure function and must stay testable without an app.
"""

import ast
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # so the test runs however pytest is invoked
    sys.path.insert(0, str(ROOT))

from forum.markdown import render  # noqa: E402

# The allowlist is restated here on purpose: the test must not trust the module's own constants.
ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a",
}
ALLOWED_ATTRS = {"a": {"href", "title", "rel"}}
REL = "nofollow noopener noreferrer"
BAD_SCHEME_RE = re.compile(r"(javascript|vbscript|data|livescript|mocha):")
FORBIDDEN_MARKUP = (
    "<script", "<img", "<svg", "<iframe", "<object", "<embed", "<style", "<math", "<form",
    "<input", "<base", "<link", "<meta", "<noscript", "<frame", "<video", "<audio", "<source",
    "<textarea", "<button", "<details", "<template", "<xmp", "<plaintext",
)


class TagCollector(HTMLParser):
    """Records every tag with its (entity-decoded) attributes, plus anything that is not a tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.other: list[str] = []  # comments, doctypes, processing instructions

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.other.append(f"decl {decl!r}")

    def handle_pi(self, data):
        self.other.append(f"pi {data!r}")

    def unknown_decl(self, data):
        self.other.append(f"unknown {data!r}")


def squash(value: str) -> str:
    """What a browser ignores inside a URL scheme: whitespace and control characters."""
    return "".join(ch for ch in value if ord(ch) > 0x20 and ord(ch) != 0x7F).lower()


def assert_safe(html: str) -> None:
    parser = TagCollector()
    parser.feed(html)
    parser.close()
    assert not parser.other, parser.other
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        assert set(attrs) <= ALLOWED_ATTRS.get(tag, set()), (tag, attrs, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (name, html)
            assert not BAD_SCHEME_RE.search(squash(value or "")), (name, value, html)
        if tag == "a" and "href" in attrs:
            scheme = squash(attrs["href"] or "").partition(":")[0]
            assert scheme in {"http", "https", "mailto"}, (attrs, html)
            assert attrs.get("rel") == REL, (attrs, html)
    # Belt and braces on the raw string: escaped text (&lt;script&gt;) is fine, markup is not.
    lowered = html.lower()
    for needle in FORBIDDEN_MARKUP:
        assert needle not in lowered, (needle, html)


HOSTILE = [
    # Markdown links with dangerous schemes
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](javascript&colon;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[x](&#0000106&#0000097vascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](<java\nscript:alert(1)>)",
    "[x](java%0ascript:alert(1))",
    "[x](javascript%3Aalert(1))",
    "[x](\\javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](javascript://%0Aalert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:image/png;base64,iVBORw0KGgo=)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](livescript:alert(1))",
    "[x](file:///etc/passwd)",
    "[`x`](`javascript:alert(1)`)",
    # Link titles trying to break out of the attribute
    '[x](https://example.com "a\\" onmouseover=\\"alert(1))',
    "[x](https://example.com 'a\" onmouseover=\"alert(1)')",
    '[x](https://example.com "&quot; onmouseover=&quot;alert(1)")',
    '[x](https://example.com "><script>alert(1)</script>")',
    # Reference-style links and footnote-like references
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]: <javascript:alert(1)>",
    "[x]\n\n[x]: data:text/html,<script>alert(1)</script>",
    "[r]\n\n[r]: https://example.com \"t' onclick='alert(1)\"",
    "Text[^1]\n\n[^1]: javascript:alert(1)",
    "[^x]: <script>alert(1)</script>\n\n[^x]",
    # Autolinks
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<http://example.com/\" onmouseover=\"alert(1)>",
    "<mailto:a@b.c?body=\"><script>alert(1)</script>>",
    # Raw HTML (must come out as text)
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x0A;ascript:alert(1)">click</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=data:text/html,x>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<form action=javascript:alert(1)><input type=submit></form>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # Mutation XSS and malformed nesting
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<a href=\"https://ok.example\"><a href=\"javascript:alert(1)\">x</a></a>",
    "<p><b><i>unclosed <em>tags",
    "<img/src=`x`/onerror=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    # Markdown constructs carrying payloads
    "![x](javascript:alert(1))",
    "![x\" onerror=\"alert(1)](https://example.com/x.png)",
    "[![img](https://example.com/x.png)](javascript:alert(1))",
    "![a](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "# <script>alert(1)</script>",
    "## [x](javascript:alert(1))",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "| <img src=x onerror=alert(1)> |\n|:-:|\n| <svg onload=alert(1)> |",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "```\" onmouseover=\"alert(1)\n<svg onload=alert(1)>\n```",
    "    <iframe src=javascript:alert(1)>",
    "> <img src=x onerror=alert(1)>\n> [x](javascript:alert(1))",
    "- [x](javascript:alert(1))\n- <script>alert(1)</script>",
    "~~<script>alert(1)</script>~~",
    "**[x](javascript:alert(1))**",
    "[x](https://example.com/\"onmouseover=\"alert(1))",
    "[x](https://example.com/'><script>alert(1)</script>)",
    "\u202e[x](javascript:alert(1))\u2066",
    "[x](java\x00script:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "[x](&#x1;javascript:alert(1))",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_input_never_yields_script_capable_markup(payload):
    assert_safe(render(payload))


def test_there_are_enough_hostile_inputs():
    assert len(set(HOSTILE)) >= 45


# --- Markdown that should work ---------------------------------------------------------------


def test_blank_input_renders_nothing():
    assert render("") == ""
    assert render("   \n\t\n") == ""
    assert render("\u202e\u2066") == ""


@pytest.mark.parametrize(
    ("source", "tag"),
    [("# A", "h3"), ("## A", "h4"), ("### A", "h5"), ("#### A", "h6"), ("###### A", "h6"),
     ("A\n===", "h3"), ("A\n---", "h4")],
)
def test_headings_are_shifted_down(source, tag):
    assert render(source) == f"<{tag}>A</{tag}>"


@pytest.mark.parametrize("source", ["#", "## ", "###   #", "# ![](https://example.com/x.png)"])
def test_empty_headings_are_dropped(source):
    assert render(source + "\n\nbody") == "<p>body</p>"


def test_paragraphs_lists_blockquote_and_code():
    html = render("Hello *you* and **me**\n\n- one\n- two\n\n1. first\n\n> quoted\n\n---")
    assert "<p>Hello <em>you</em> and <strong>me</strong></p>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n</ol>" in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert "<hr>" in html


def test_code_is_escaped_text_without_class():
    assert render("```python\nif a < b: pass\n```") == "<pre><code>if a &lt; b: pass\n</code></pre>"
    assert render("use `<b>`") == "<p>use <code>&lt;b&gt;</code></p>"


def test_raw_html_is_shown_as_text():
    assert render("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"


def test_tables_render_without_style():
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html and "<th>a</th>" in html and "<td>2</td>" in html
    assert "style" not in html


def test_strikethrough_uses_s():
    assert render("~~gone~~") == "<p><s>gone</s></p>"


def test_links_get_rel():
    assert render("[docs](https://example.com/a?b=1)") == (
        f'<p><a href="https://example.com/a?b=1" rel="{REL}">docs</a></p>'
    )


def test_link_title_is_kept():
    html = render('[docs](http://example.com "Read me")')
    assert f'<a href="http://example.com" title="Read me" rel="{REL}">docs</a>' in html


def test_mailto_and_autolinks_allowed():
    assert f'<a href="mailto:help@example.org" rel="{REL}">write</a>' in render(
        "[write](mailto:help@example.org)"
    )
    assert f'<a href="https://example.com" rel="{REL}">https://example.com</a>' in render(
        "<https://example.com>"
    )


@pytest.mark.parametrize(
    "source", ["[help](/help)", "[help](help.html)", "[help](#top)", "[help](ftp://example.com)",
               "[help](//example.com)"],
)
def test_other_links_keep_text_only(source):
    assert render(source) == "<p>help</p>"


def test_images_become_alt_text():
    html = render("See ![a *cat*](https://example.com/cat.png \"title\") here")
    assert html == "<p>See a cat here</p>"


def test_bidi_and_nul_characters_removed():
    assert render("a\u202eb\u2066c\u2069d\u202ae\x00f") == "<p>abcdef</p>"
    assert render("x &#x202E; y &#8294;z") == "<p>x  y z</p>"


@pytest.mark.parametrize(
    ("text", "href"),
    [("www.bank.example", "https://evil.example/login"),
     ("https://bank.example", "https://bank.example.evil.example/"),
     ("bank.example/login", "http://evil.example"),
     ("**https://bank.example**", "https://evil.example"),
     ("bank.example", "mailto:someone@evil.example")],
)
def test_spoofed_link_text_shows_real_address(text, href):
    html = render(f"[{text}]({href})")
    assert html.endswith(f"</a> ({href})</p>"), html


@pytest.mark.parametrize(
    ("text", "href"),
    [("www.example.com", "https://example.com/page"),
     ("https://example.com/a", "https://EXAMPLE.com/b"),
     ("our guide", "https://example.com")],
)
def test_honest_link_text_is_left_alone(text, href):
    assert render(f"[{text}]({href})").endswith("</a></p>")


def test_output_is_deterministic_and_thread_safe():
    source = "# T\n\n[a](https://example.com) ~~b~~ <script>\n\n| x |\n|---|\n| y |"
    expected = render(source)
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(render, [source] * 200)) == {expected}


# --- Purity -----------------------------------------------------------------------------------


def test_render_needs_no_app():
    result = subprocess.run(
        [sys.executable, "-c", "import forum.markdown as m; print(m.render('# hi'))"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    assert result.stdout.strip() == "<h3>hi</h3>"


def test_markdown_module_imports_no_flask_or_app_code():
    tree = ast.parse((ROOT / "forum" / "markdown.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"flask", "forum"}}
