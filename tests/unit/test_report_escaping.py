"""Text from people is data in the programme report: no table breaks, nothing is markup."""

from __future__ import annotations

import json
import re
import string

from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from circle.domain.carry import carry_over
from circle.domain.clock import FakeClock
from circle.domain.errors import DomainError
from circle.domain.session import Session
from circle.domain.text import clean_name, clean_text
from circle.report.facts import session_facts
from circle.report.html import render_report_html
from circle.report.json_report import report_dict
from circle.report.markdown import REPORT_HEADINGS, render_report_markdown
from circle.report.model import ProgrammeReport, build_report
from tests.conftest import small_agenda
from tests.unit.test_minutes_escaping import HOSTILE, collapsed, parse, pipe_counts

MD = MarkdownIt("commonmark", {"html": False}).enable("table")
ALPHABET = string.punctuation + "aZ09 \n\t" + "é—<>&|\\"
hostile = st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=ALPHABET, min_size=1, max_size=30))


def build(series: str, title: str, names: list[str], texts: list[str]) -> ProgrammeReport:
    """Two sessions of a series in which every text people type is hostile."""
    clock = FakeClock()
    facts, carried = [], {}
    for number in (1, 2):
        s = Session.create(
            title=f"{title} {number}",
            agenda=small_agenda(),
            mentors=names[:1],
            mentees=names[1:],
            clock=clock,
            series=series,
            carried_goals=carried.get("goals", ()),
            carried_actions=carried.get("actions", ()),
        )
        for n, text in enumerate(texts):
            s.start_turn(names[1 + n % 3])
            clock.advance(30)
            goal = s.add_goal(text)["seq"]
            s.update_goal(goal, "at risk", note=text)
            s.add_action(text)
        s.end_session()
        for score in (7, 8, 9):
            s.give_pulse(score, texts[0])
        carry = carry_over(s.folded, f"S{number}")
        carried = {"goals": carry.goals, "actions": carry.actions}
        facts.append(session_facts(f"S{number}", s.events, None))
        clock.advance(86_400)
    return build_report(facts[-1].series, facts)


def check_tables(markdown: str) -> None:
    tables = pipe_counts(markdown)
    assert tables, "the report has tables"
    for rows in tables:
        assert len(set(rows)) == 1, rows
    html = MD.render(markdown)
    for table in re.findall(r"<table>(.*?)</table>", html, flags=re.S):
        heads = len(re.findall(r"<th[ >]", table))
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[-1], flags=re.S):
            assert row.count("<td") == heads


def check_literal(markdown: str, page: str, texts: list[str]) -> None:
    seen = collapsed("".join(parse(MD.render(markdown)).text))
    page_text = collapsed("".join(parse(page).text))
    for text in texts:
        literal = collapsed(clean_text(text))
        if literal:
            assert literal in seen, literal
            assert literal in page_text, literal


def check_no_markup(markdown: str, page: str) -> None:
    html = MD.render(markdown)
    for tag in ("<script", "<a ", "<em>", "<strong>", "<code>", "<img", "<i>", "<b>"):
        assert tag not in html and tag not in page, tag
    assert re.findall(r"<h2>(.*?)</h2>", html) == list(REPORT_HEADINGS)
    parsed = parse(page)
    assert parsed.stack == [] and parsed.unbalanced == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    series=hostile,
    title=hostile,
    names=st.lists(hostile, min_size=4, max_size=4),
    texts=st.lists(hostile, min_size=1, max_size=3),
)
def test_hostile_text_breaks_no_report_table(
    series: str, title: str, names: list[str], texts: list[str]
) -> None:
    cleaned = [clean_name(n) for n in names]
    assume(all(cleaned) and len({n.casefold() for n in cleaned}) == 4)
    assume(clean_text(title) and all(clean_text(t) for t in texts))
    try:
        report = build(series, title, names, texts)
    except DomainError:
        reject()  # a name the roster refuses (too long, say): not this test's subject
    markdown = render_report_markdown(report)
    page = render_report_html(report)
    check_tables(markdown)
    check_literal(markdown, page, [series or title, *names, *texts])
    check_no_markup(markdown, page)
    data = json.loads(json.dumps(report_dict(report)))
    assert data["goals"][0]["text"] == clean_text(texts[0])
    assert data["goals"][0]["history"][-1]["note"] == clean_text(texts[0])


def test_the_classic_hostile_strings() -> None:
    names = ["Ada *the* Mentor", "Mira|Pipe", "<b>Jon</b>", "[Priya](http://x)"]
    report = build("`Tue` | <i>series</i> # 1", "<script>x</script>", names, HOSTILE)
    markdown = render_report_markdown(report)
    page = render_report_html(report)
    check_tables(markdown)
    check_literal(markdown, page, ["`Tue` | <i>series</i> # 1", *names, *HOSTILE])
    check_no_markup(markdown, page)
    # The charts' labels are escaped too.
    svg = "".join(re.findall(r"<svg .*?</svg>", page, flags=re.S))
    assert "Mira|Pipe" in svg and "&lt;b&gt;Jon&lt;/b&gt;" in svg and "<b>" not in svg
    title = re.search(r"<title>(.*?)</title>", page)
    assert title and title[1] == "`Tue` | &lt;i&gt;series&lt;/i&gt; # 1 — programme report"
