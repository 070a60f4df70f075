"""Running model packages: Cog's HTTP server per model, validated inputs, canonical outputs.

runner        ModelRunner (a warm local Cog server per package), RemoteRunner (a Cog URL)
prediction    Prediction, and the steps both runners share
inputs        task input wire format, validation against the metadata, the task seed
canonical     outputs -> the exact bytes that are hashed (PROTOCOL.md)
tolerance     do two outputs agree under a model's verification rule
cog_client    Cog's HTTP API (the one module that imports httpx)
cog_process   Cog's server as a child process
environments  the interpreter a package runs with (the node's, or a cached virtualenv)
errors        ModelRuntimeError and its branch
"""

from eternal.runtime.canonical import CanonicalOutput, canonical_json, canonicalise
from eternal.runtime.cog_client import CogClient
from eternal.runtime.cog_process import CogProcess
from eternal.runtime.environments import (
    PythonEnvironment,
    resolve_environment,
    unsatisfied_requirements,
)
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
from eternal.runtime.inputs import (
    decode_task_input,
    encode_task_input,
    prepare_inputs,
    task_seed,
    validate_inputs,
)
from eternal.runtime.prediction import Fetch, Prediction
from eternal.runtime.runner import ModelRunner, RemoteRunner, Runner
from eternal.runtime.tolerance import outputs_agree

__all__ = [
    "CanonicalOutput",
    "CogClient",
    "CogProcess",
    "EnvironmentSetupError",
    "Fetch",
    "InvalidInput",
    "InvalidOutput",
    "ModelRunner",
    "ModelRuntimeError",
    "ModelServerDown",
    "ModelStartError",
    "Prediction",
    "PredictionFailed",
    "PredictionTimeout",
    "PythonEnvironment",
    "RemoteRunner",
    "Runner",
    "canonical_json",
    "canonicalise",
    "decode_task_input",
    "encode_task_input",
    "outputs_agree",
    "prepare_inputs",
    "resolve_environment",
    "task_seed",
    "unsatisfied_requirements",
    "validate_inputs",
]
