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
