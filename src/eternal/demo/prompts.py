"""The example models the demo publishes and the prompts it sends them.

The prompts are the whitepaper's examples of its four kinds of prompt (text, image, music, data
analysis) plus one for the text-understanding model. The image model draws animal silhouettes
and refuses prompts that name none, so its prompt keeps the whitepaper's scene and names a
bird in it; every other prompt is the whitepaper's own words. File inputs are paths inside the
model's package folder (the data-analysis prompts send the CSV files it ships).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eternal.demo.errors import DemoError

TEXT_INPUTS = ("prompt", "text")  # the inputs whose value the summary quotes


@dataclass(frozen=True)
class ExampleModel:
    name: str  # folder under examples/models/
    kind: str  # what it does, in the whitepaper's words


@dataclass(frozen=True)
class DemoPrompt:
    model: str
    kind: str
    inputs: Mapping[str, Any]
    files: Mapping[str, str] = field(default_factory=dict)  # input name -> path in the package
    whitepaper: bool = True  # the whitepaper's own words

    @property
    def text(self) -> str:
        return next((str(self.inputs[n]) for n in TEXT_INPUTS if n in self.inputs), "")

    def all_inputs(self, package_dir: Path) -> dict[str, Any]:
        """The inputs to submit, file inputs as paths the SDK stores."""
        return {**self.inputs, **{name: package_dir / path for name, path in self.files.items()}}


TEXT = ExampleModel("shakespeare-gpt", "text generation")
IMAGE = ExampleModel("silhouette-cvae", "image generation")
MUSIC = ExampleModel("bach-chorale", "music generation")
DATA = ExampleModel("sales-forecast", "data analysis")
UNDERSTANDING = ExampleModel("minilm-embed", "text understanding")
EXAMPLE_MODELS = (TEXT, IMAGE, MUSIC, DATA, UNDERSTANDING)

# The dishonest agent serves this model: EXACT, so its wrong output opens a dispute by itself,
# and the cheapest to recompute for the committee.
CHEAT_MODEL = MUSIC.name

DEMO_PROMPTS = (
    DemoPrompt(
        TEXT.name,
        TEXT.kind,
        {"prompt": "Compose a narrative involving a dragon and a knight", "max_tokens": 240},
    ),
    DemoPrompt(
        IMAGE.name,
        IMAGE.kind,
        {"prompt": "Create an image of a bird flying over a futuristic cityscape"},
        whitepaper=False,
    ),
    DemoPrompt(
        MUSIC.name,
        MUSIC.kind,
        {"prompt": "Compose a serene, ambient piece featuring piano and string instruments"},
    ),
    DemoPrompt(
        DATA.name,
        DATA.kind,
        {"prompt": "Examine the sales data from the last quarter and identify emerging trends"},
        files={"data": "data/store-sales-synthetic.csv"},
    ),
    DemoPrompt(
        DATA.name,
        DATA.kind,
        {
            "prompt": "Forecast the potential market growth for electric vehicles over the next "
            "five years"
        },
        files={"data": "data/ev-registrations-synthetic.csv"},
    ),
    DemoPrompt(
        UNDERSTANDING.name,
        UNDERSTANDING.kind,
        {"text": "Create an image of a futuristic cityscape featuring flying cars"},
    ),
)


def find_examples(explicit: Path | None = None) -> Path:
    """The examples/models folder: `explicit`, else the repository's, else ./examples/models."""
    here = Path(__file__).resolve().parents[3] / "examples" / "models"  # src/eternal/demo/...
    candidates = [explicit] if explicit is not None else [here, Path.cwd() / "examples" / "models"]
    for candidate in candidates:
        if candidate is not None and all((candidate / m.name).is_dir() for m in EXAMPLE_MODELS):
            return candidate
    looked = ", ".join(str(c) for c in candidates if c is not None)
    raise DemoError(
        f"the example models ({', '.join(m.name for m in EXAMPLE_MODELS)}) are not in {looked}: "
        "run from a clone of the repository or pass --examples DIR"
    )
