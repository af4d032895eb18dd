"""Text from people is data in the minutes, and the HTML page is sound."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from circle.domain.clock import FakeClock
from circle.domain.session import Session, session_at_rest
from circle.minutes.export import render_html
from circle.minutes.markdown import SECTION_HEADINGS, esc, esc_lines, render_markdown, table
from tests.conftest import make_session

MD = MarkdownIt("commonmark", {"html": False}).enable("table")

HOSTILE = [
    "# x",
    "a | b | c",
    "<script>alert(1)</script>",
    "[a](http://x)",
    "*a* _b_ **c**",
    "``code`` `x`",
    "&lt; &amp; &#60;",
    "1. one",
    "- dash",
    "> quote",
    "![img](http://x/i.png)",
    "<http://x>",
    "\\| escaped \\",
]
NAMES = dict(
    mentors=["Ada *the* Mentor"],
    mentees=["Mira|Pipe", "<b>Jon</b>", "[Priya](http://x)", "# Leo", "`Tom`"],
)
LONG_QUESTION = ("<i>|*x*|</i> [l](http://x) # " * 20)[:280]
COMMENT = "line1\n# heading\n| a | b |\n- item\n1. one\n    code\n===\n<script>alert(1)</script>"
TITLE = "`Tue` | <i>circle</i> # 1"
ITEM = "<img src=x onerror=alert(1)> | *new*"


def collapsed(text: str) -> str:
    return " ".join(text.split())


class TextAndTags(HTMLParser):
    """The text as a reader sees it, and the tags as opened and closed."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.opened: list[str] = []
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.opened.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.opened.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.unbalanced.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> TextAndTags:
    parser = TextAndTags()
    parser.feed(html)
    parser.close()
    return parser


def hostile_session() -> Session:
    clock = FakeClock()
    s = make_session(clock, title=TITLE, **NAMES)
    s.start_turn("Mira|Pipe")
    clock.advance(30)
    s.end_turn()
    for text in [*HOSTILE, LONG_QUESTION]:
        s.add_question(text, asker="<b>Jon</b>")
    s.vote(s.add_question("line one\nline two | # three")["seq"])
    for text in HOSTILE:
        s.add_takeaway(text)
        s.add_action(text, owner="[Priya](http://x)", due="2026-10-01")
        goal = s.add_goal(text, owner="`Tom`")["seq"]
        s.update_goal(goal, "at risk", note=text)
    s.insert_item(ITEM, 300)
    s.next_item()
    s.next_item()
    s.add_takeaway("decided: <u>yes</u> | no", kind="decision")
    s.set_attendance("# Leo", "late")
    s.next_item()  # the flash item
    s.start_flash()
    s.flash_note("topic", "a | b\n<script>x</script>")
    s.flash_note("takeaway", "[t](http://x) *t*")
    clock.advance(2000)
    s.end_session()
    for text in HOSTILE:
        s.give_pulse(5, text)
    s.give_pulse(6, COMMENT)
    return session_at_rest(s.events, {"session_s": s.now()})


def pipe_counts(markdown: str) -> list[list[int]]:
    """Unescaped pipes in each raw table row, table by table."""
    tables: list[list[int]] = []
    previous_was_row = False
    for line in markdown.splitlines():
        is_row = line.startswith("|")
        if is_row and not previous_was_row:
            tables.append([])
        if is_row:
            tables[-1].append(len(re.findall(r"(?<!\\)\|", line)))
        previous_was_row = is_row
    return tables


# -- the whole minutes --------------------------------------------------------


def test_hostile_text_renders_literally() -> None:
    assert len(LONG_QUESTION) == 280  # the join page's limit
    session = hostile_session()
    markdown = render_markdown(session)
    html = MD.render(markdown)
    text = collapsed("".join(parse(html).text))
    everything = [*HOSTILE, LONG_QUESTION, TITLE, ITEM, *NAMES["mentors"], *NAMES["mentees"]]
    for literal in everything + ["a | b <script>x</script>", "[t](http://x) *t*"]:
        assert collapsed(literal) in text, literal
    for line in COMMENT.splitlines():
        assert collapsed(line) in text, line
    assert "line one line two | # three" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_text_injects_no_markup() -> None:
    html = MD.render(render_markdown(hostile_session()))
    for tag in ("<script", "<a ", "<em>", "<strong>", "<code>", "<img", "<i>", "<b>", "<u>"):
        assert tag not in html, tag
    for tag in ("<blockquote>", "<pre>", "<ol>", "<hr"):
        assert tag not in html, tag
    assert html.count("<h1>") == 1
    assert re.findall(r"<h2>(.*?)</h2>", html) == list(SECTION_HEADINGS)


def test_tables_keep_their_cell_count() -> None:
    markdown = render_markdown(hostile_session())
    tables = pipe_counts(markdown)
    assert len(tables) == 3  # agenda, speaking time, flash
    for rows in tables:
        assert len(set(rows)) == 1, rows
    html = MD.render(markdown)
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S):
        cells = [row.count("<td") for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]
        assert len(set(cells)) == 1


# -- the HTML page --------------------------------------------------------------


def test_html_page_is_standalone_and_balanced() -> None:
    page = render_html(hostile_session())
    parsed = parse(page)
    assert page.startswith("<!doctype html>\n")
    assert parsed.doctype.lower() == "doctype html"
    assert parsed.stack == [] and parsed.unbalanced == []
    assert parsed.opened[:3] == ["html", "head", "meta"]
    assert '<meta charset="utf-8">' in page
    title = re.search(r"<title>(.*?)</title>", page)
    assert title and title[1] == "`Tue` | &lt;i&gt;circle&lt;/i&gt; # 1 — 2026-09-21"
    assert "@media print" in page
    for tag in ("<script", "<a ", "<img", "<em>", "<i>", "<b>"):
        assert tag not in page, tag


def test_html_page_has_a_bar_per_agenda_item() -> None:
    session = hostile_session()
    page = render_html(session)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', page)
    assert [r[0] for r in rows] == [
        "Check-in",
        "&lt;img src=x onerror=alert(1)&gt; | *new*",
        "Hot seat",
        "Flash",
        "Questions",
        "Break",
        "Wrap-up",
    ]
    assert all(re.search(r'class="bar planned" style="width: \d+\.\d%"', r[1]) for r in rows)
    widths = [float(w) for w in re.findall(r"width: ([\d.]+)%", page)]
    assert max(widths) == 100.0 and min(widths) >= 0.0
    assert 'class="bar actual over"' in page  # the flash item ran long


def test_html_page_of_an_empty_session() -> None:
    s = make_session(FakeClock())
    page = render_html(session_at_rest(s.events, None))
    parsed = parse(page)
    assert parsed.stack == [] and parsed.unbalanced == []
    assert re.findall(r"<h2>(.*?)</h2>", page) == list(SECTION_HEADINGS)


# -- the escaper, for any text ------------------------------------------------

ALPHABET = string.punctuation + "aZ09 \t\n" + "é—\u00a0"


def rendered_text(markdown: str) -> str:
    return "".join(parse(MD.render(markdown)).text).strip()


@given(st.text(alphabet=ALPHABET, min_size=1, max_size=40))
def test_esc_is_literal_in_every_context(text: str) -> None:
    literal = collapsed(text)
    if not literal:
        return
    assert rendered_text(esc(text)) == literal
    assert rendered_text("- " + esc(text)) == literal
    assert rendered_text("## " + esc(text)) == literal
    cell = table(["h"], [[esc(text)]])
    assert pipe_counts(cell) == [[2, 2, 2]]
    body = MD.render(cell).split("<tbody>")[1]
    assert body.count("<td>") == 1
    assert "".join(parse(body).text).strip() == literal


@given(st.lists(st.text(alphabet=ALPHABET.replace("\n", ""), min_size=1), min_size=1))
def test_esc_lines_keeps_each_line_in_its_list_item(lines: list[str]) -> None:
    kept = [collapsed(line) for line in lines if collapsed(line)]
    if not kept:
        return
    html = MD.render("- " + esc_lines("\n".join(lines), "  ") + "\n- next")
    assert html.count("<li>") == 2
    item = html.split("<li>")[1].split("</li>")[0]
    assert [collapsed(p) for p in "".join(parse(item).text).split("\n")] == kept
