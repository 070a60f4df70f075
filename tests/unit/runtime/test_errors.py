"""The runtime's exceptions: messages that name the problem, and they survive pickling."""

from __future__ import annotations

import pickle

import pytest

from eternal.errors import EternalError
from eternal.runtime.errors import (
    EnvironmentSetupError,
    InvalidInput,
    InvalidOutput,
    ModelRuntimeError,
    ModelServerDown,
    ModelStartError,
    PredictionFailed,
    PredictionTimeout,
)


def test_invalid_input_names_the_input_or_the_whole_task_input() -> None:
    assert str(InvalidInput("times", "9 is above the maximum 5")) == (
        "input 'times': 9 is above the maximum 5"
    )
    assert str(InvalidInput(None, "not JSON")) == "task input: not JSON"


@pytest.mark.parametrize(
    "error",
    [
        InvalidInput("times", "too many"),
        ModelStartError("setup failed"),
        ModelServerDown("gone"),
        PredictionTimeout("late", started=True),
        PredictionFailed("ValueError: boom", logs="line\n"),
        InvalidOutput("expected text"),
        EnvironmentSetupError("pip failed"),
    ],
)
def test_runtime_errors_are_eternal_errors_and_pickle_whole(error: ModelRuntimeError) -> None:
    assert isinstance(error, EternalError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error) and copy.__dict__ == error.__dict__
