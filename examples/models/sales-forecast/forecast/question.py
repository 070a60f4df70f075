"""Read the analyst's question: forecast or trend analysis, how far ahead, which recent window.

    "Examine the sales data from the last quarter and identify emerging trends"
        -> trend analysis, window = the last 3 months of data
    "Forecast the potential market growth for electric vehicles over the next five years"
        -> forecast, horizon = 5 years (60 monthly periods)

Numbers may be digits or words up to twenty ("five", "12"). Spans are calendar lengths and
become a count of periods once the data's frequency is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
)
_NUMBER = r"(\d{1,3}|" + "|".join(_WORDS) + r"|a|an)"
_UNIT = r"(day|week|month|quarter|year|decade)s?"
_DAYS = {"day": 1, "week": 7, "month": 30.4375, "quarter": 91.3125, "year": 365.25}
_DAYS["decade"] = 3652.5
_AHEAD = re.compile(rf"\b(?:next|coming|following|upcoming)\s+(?:{_NUMBER}\s+)?{_UNIT}\b")
_BACK = re.compile(rf"\b(?:last|past|previous|recent|latest)\s+(?:{_NUMBER}\s+)?{_UNIT}\b")
_FORECAST = re.compile(r"\b(forecast\w*|predict\w*|project\w*|outlook|future|next|coming)\b")
MAX_QUESTION = 2000


class QuestionError(ValueError):
    """The question is too long or asks for a span the model cannot use."""


@dataclass(frozen=True)
class Question:
    text: str
    task: str  # "forecast" | "trend analysis"
    ahead_days: float | None  # the forecast span asked for, in days
    back_days: float | None  # the recent window asked for, in days


def read_question(text: str) -> Question:
    cleaned = " ".join(text.split())
    if len(cleaned) > MAX_QUESTION:
        raise QuestionError(f"the prompt has {len(cleaned)} characters, at most {MAX_QUESTION}")
    lower = cleaned.lower()
    task = "forecast" if _FORECAST.search(lower) else "trend analysis"
    return Question(cleaned, task, _span(_AHEAD, lower), _span(_BACK, lower))


def _span(pattern: re.Pattern[str], text: str) -> float | None:
    match = pattern.search(text)
    if match is None:
        return None
    count_text, unit = match.group(1), match.group(2)
    count = _count(count_text)
    if count == 0:
        raise QuestionError(f"{match.group(0)!r} is an empty span")
    return count * _DAYS[unit]


def _count(text: str | None) -> int:
    if text is None or text in ("a", "an"):
        return 1
    if text.isdigit():
        return int(text)
    return _WORDS.index(text)


def periods_in(days: float, per_year: int) -> int:
    """How many periods of a frequency with `per_year` periods a year span `days` days."""
    return max(1, round(days * per_year / 365.25))
