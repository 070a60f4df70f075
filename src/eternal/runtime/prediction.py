"""One prediction, whatever runs the server: the result type and the steps every runner shares.

task inputs --prepare_inputs--> validated inputs (+ task seed)
            --materialise_files--> Cog inputs (files as data URIs, fetched by CID)
            --CogClient.predict--> raw output --canonicalise--> CanonicalOutput
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from eternal.models.metadata import InputType, ModelMetadata
from eternal.runtime.canonical import CanonicalOutput, canonicalise
from eternal.runtime.cog_client import CogClient
from eternal.storage.cid import URI_SCHEME

# A CID -> the blob's bytes, already checked against the CID (the node's blob store).
Fetch = Callable[[str], bytes]

_DEFAULT_MEDIA_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Prediction:
    """A finished prediction.

    `inputs` are the inputs the model was run with: validated, defaults applied, the task seed
    included, files still as ipfs:// URIs. `predict_seconds` is the wall time of the HTTP
    prediction call (waiting for a free slot included).
    """

    canonical: CanonicalOutput
    predict_seconds: float
    inputs: Mapping[str, Any]


def materialise_files(
    metadata: ModelMetadata, inputs: Mapping[str, Any], fetch: Fetch
) -> dict[str, Any]:
    """The inputs as Cog takes them: each ipfs:// file input fetched and sent as a data URI."""
    result = dict(inputs)
    for name, spec in metadata.inputs.items():
        if spec.type is InputType.FILE and name in result:
            blob = fetch(str(result[name]).removeprefix(URI_SCHEME))
            media_type = spec.media_type or _DEFAULT_MEDIA_TYPE
            result[name] = f"data:{media_type};base64,{base64.b64encode(blob).decode('ascii')}"
    return result


def run_prediction(
    client: CogClient,
    metadata: ModelMetadata,
    inputs: Mapping[str, Any],
    cog_inputs: Mapping[str, Any],
    timeout: float,
) -> Prediction:
    """One call to the server, canonicalised. Errors: see `CogClient.predict`, InvalidOutput."""
    started = time.monotonic()
    raw = client.predict(cog_inputs, timeout)
    seconds = time.monotonic() - started
    canonical = canonicalise(metadata, raw, fetch_url=client.download)
    return Prediction(
        canonical=canonical, predict_seconds=seconds, inputs=MappingProxyType(dict(inputs))
    )
