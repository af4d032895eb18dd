"""The notes renderer: readable Markdown, never markup."""

from circle.widgets.notes import notes_content


def test_lists_headings_code_and_continuations() -> None:
    text = str(
        notes_content(
            '### Prompts\n- "One word for how you arrive,\n  and one win."\n'
            "1. **Bold** start\n\n```\n## not a heading\n```\nPlain [b]markup[/b] text"
        )
    )
    assert text.splitlines() == [
        "Prompts",
        '• "One word for how you arrive, and one win."',
        "• Bold start",
        "",
        "## not a heading",
        "Plain [b]markup[/b] text",
    ]


async def test_the_queue_shows_one_person_per_line(tmp_path) -> None:
    from circle.agendafiles.parser import resolve_agenda
    from circle.app import CircleApp
    from circle.domain.clock import FakeClock
    from circle.runtime import LiveRun
    from circle.storage import Store
    from circle.widgets.panels import QueuePanel

    store = Store(tmp_path)
    run = LiveRun.start_new(
        store,
        FakeClock(),
        title="T",
        agenda=resolve_agenda("group-circle"),
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )
    app = CircleApp(store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "3")
        await pilot.pause()
        panel = app.screen.query_one(QueuePanel)
        assert panel.size.height >= 3  # the panel's spare rows: room for all three
        lines = str(panel.render()).splitlines()
        assert lines == ["1. Mira new", "2. Jon new", "3. Priya new"]
