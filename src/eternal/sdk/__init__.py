"""The Python SDK: `Client` submits prompts and returns verified outputs.

    import eternal
    client = eternal.Client(rpc_url=..., deployment=..., account=..., store=...)
    result = client.run(model_id, prompt="...")

Modules: `client` (Client), `inputs` (building a task's input), `payment` (submitting and
paying the fee), `models` (publishing and reading models), `follower` and `tracker`
(following a task's events), `outputs` (fetching and checking outputs), `results` (the
dataclasses handed back), `errors`.
"""

from eternal.sdk.client import Client
from eternal.sdk.errors import (
    InsufficientFunds,
    InvalidTerms,
    ModelUnavailable,
    OutputRejected,
    SdkError,
    TaskTimeout,
)
from eternal.sdk.results import Finality, Progress, Result, Stage, Status, Submission, TaskOutput

__all__ = [
    "Client",
    "Finality",
    "InsufficientFunds",
    "InvalidTerms",
    "ModelUnavailable",
    "OutputRejected",
    "Progress",
    "Result",
    "SdkError",
    "Stage",
    "Status",
    "Submission",
    "TaskOutput",
    "TaskTimeout",
]
