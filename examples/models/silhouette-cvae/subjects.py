"""Which animal a prompt asks for: words in the prompt -> one class the model draws well.

The model knows ten classes (animal-mnist's, in its label order) but claims only those that an
independent classifier recognises in at least the threshold share of its drawings; the training
run writes that verdict to weights/classes.json. A prompt must name exactly one subject, by its
name, plural or a listed synonym; anything else is refused with a message that lists what the
model can draw, rather than drawing something the user did not ask for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

CLASS_NAMES = (
    "bear",
    "bird",
    "cat",
    "cow",
    "dog",
    "elephant",
    "giraffe",
    "horse",
    "sheep",
    "zebra",
)

# Words that name each class (lower case); the class name itself and its plural included.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "bear": ("bear", "bears", "grizzly", "grizzlies"),
    "bird": ("bird", "birds", "songbird", "sparrow", "sparrows", "robin", "crow", "finch"),
    "cat": ("cat", "cats", "kitten", "kittens", "kitty", "feline"),
    "cow": ("cow", "cows", "cattle", "bull", "bulls", "ox", "calf", "heifer"),
    "dog": ("dog", "dogs", "puppy", "puppies", "pup", "hound", "hounds", "canine"),
    "elephant": ("elephant", "elephants"),
    "giraffe": ("giraffe", "giraffes"),
    "horse": ("horse", "horses", "pony", "ponies", "stallion", "mare", "foal", "colt"),
    "sheep": ("sheep", "lamb", "lambs", "ewe", "ewes", "ram", "rams"),
    "zebra": ("zebra", "zebras"),
}
_WORD_TO_CLASS = {word: name for name, words in SYNONYMS.items() for word in words}


class SubjectError(ValueError):
    """The prompt does not name exactly one animal this model draws."""


@dataclass(frozen=True)
class ClassVerdict:
    name: str
    index: int
    recognised: float  # share of generated samples the independent classifier recognised
    claimed: bool


@dataclass(frozen=True)
class Claims:
    """The quality gate's verdict per class, as weights/classes.json records it."""

    threshold: float
    verdicts: tuple[ClassVerdict, ...]

    @classmethod
    def read(cls, path: Path) -> Claims:
        data = json.loads(path.read_text(encoding="utf-8"))
        verdicts = tuple(ClassVerdict(**entry) for entry in data["classes"])
        if tuple(verdict.name for verdict in verdicts) != CLASS_NAMES:
            raise ValueError(f"{path}: classes {[v.name for v in verdicts]} != {CLASS_NAMES}")
        return cls(threshold=float(data["threshold"]), verdicts=verdicts)

    @property
    def claimed(self) -> tuple[str, ...]:
        return tuple(verdict.name for verdict in self.verdicts if verdict.claimed)

    def subject_of(self, prompt: str) -> ClassVerdict:
        """The one claimed class the prompt names; SubjectError otherwise."""
        words = re.findall(r"[a-z]+", prompt.lower())
        named = sorted({_WORD_TO_CLASS[word] for word in words if word in _WORD_TO_CLASS})
        can_draw = ", ".join(self.claimed)
        if not named:
            raise SubjectError(
                f"no subject this model can draw in the prompt {prompt!r}: name one of "
                f"{can_draw} (for example 'Create an image of a {self.claimed[0]}')"
            )
        if len(named) > 1:
            raise SubjectError(
                f"the prompt names several subjects ({', '.join(named)}): this model draws one "
                f"animal per image, one of {can_draw}"
            )
        verdict = self.verdicts[CLASS_NAMES.index(named[0])]
        if not verdict.claimed:
            raise SubjectError(
                f"this model does not draw a {verdict.name} well enough to offer it (an "
                f"independent classifier recognised {verdict.recognised:.0%} of its drawings, "
                f"below {self.threshold:.0%}): it draws {can_draw}"
            )
        return verdict
