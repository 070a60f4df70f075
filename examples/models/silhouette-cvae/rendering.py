"""28x28 decoder output -> a crisp black-on-white PNG of any size, with reproducible bytes.

Every step after the decoder is integer arithmetic in Pillow (8-bit resampling, a lookup table),
and the PNG is written without a timestamp or any other varying chunk, so the same pixels give
the same file on every run with the pinned Pillow.
"""

from __future__ import annotations

import io
import math

import torch
from PIL import Image

DEFAULT_SIZE = 256  # pixels per side of the served PNG unless the user asks for another size
# Bicubic upscaling leaves soft grey edges; this curve pulls grey levels towards black or white
# around mid-grey, which reads as an anti-aliased silhouette instead of a blur, and inverts them
# (the data set draws animals white on black; a silhouette is black on white). It stays gentle
# enough to keep the grey texture of a zebra's stripes, which a hard threshold would fill in.
_EDGE_SOFTNESS = 30.0
_INK_CURVE = [
    255 - round(255 / (1 + math.exp(-(level - 127.5) / _EDGE_SOFTNESS))) for level in range(256)
]


def to_grey_image(pixels: torch.Tensor) -> Image.Image:
    """A 2-D tensor of intensities in [0, 1] -> an 8-bit greyscale image (white = animal)."""
    height, width = pixels.shape
    levels = (pixels.clamp(0.0, 1.0) * 255.0).round().to(torch.uint8)
    return Image.frombytes("L", (width, height), bytes(levels.flatten().tolist()))


def render(pixels: torch.Tensor, size: int) -> Image.Image:
    """Upscale to size x size, sharpen the edges, and draw the animal black on white."""
    grey = to_grey_image(pixels).resize((size, size), Image.Resampling.BICUBIC)
    return grey.point(_INK_CURVE)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Fixed encoder settings and no optional chunks: the bytes depend on the pixels alone.
    image.save(buffer, format="PNG", optimize=False, compress_level=9)
    return buffer.getvalue()


def png_of(pixels: torch.Tensor, size: int) -> bytes:
    """The served file: `render` then `png_bytes`."""
    return png_bytes(render(pixels, size))
