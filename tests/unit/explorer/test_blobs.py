"""/blobs/<cid>: stored bytes served verified, typed by what they are, never as a page.

Serving a blob reads the store only, so these tests need no chain activity.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eternal.explorer import create_app
from eternal.storage.cid import cid_of
from eternal.storage.local import LocalStore
from tests.support.explorer_scenario import png_gradient, wav_tone
from tests.support.network import Network


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "blobs")


@pytest.fixture
def client(network: Network, store: LocalStore) -> TestClient:
    return TestClient(create_app(network.protocol, store))


@pytest.mark.parametrize(
    ("blob", "media_type"),
    [
        (png_gradient(4, 4), "image/png"),
        (wav_tone(0.01), "audio/wav"),
        (b'{"answer": 42}', "application/json"),
        ("plain words, ünïcode".encode(), "text/plain; charset=utf-8"),
        (b"\x00\xff\x10binary", "application/octet-stream"),
    ],
)
def test_blob_is_served_with_the_media_type_its_bytes_show(
    client: TestClient, store: LocalStore, blob: bytes, media_type: str
) -> None:
    cid = store.put(blob)

    response = client.get(f"/blobs/{cid}")

    assert response.status_code == 200
    assert response.content == blob
    assert response.headers["content-type"] == media_type
    assert response.headers["x-content-type-options"] == "nosniff"


def test_html_or_svg_blob_is_never_served_as_a_page(client: TestClient, store: LocalStore) -> None:
    for blob in (b"<html><script>alert(1)</script></html>", b'<svg onload="alert(1)"/>'):
        response = client.get(f"/blobs/{store.put(blob)}")

        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.headers["content-security-policy"] == "sandbox"


def test_binary_blob_is_a_download(client: TestClient, store: LocalStore) -> None:
    cid = store.put(b"\x00\x01\x02")

    response = client.get(f"/blobs/{cid}")

    assert response.headers["content-disposition"] == f'attachment; filename="{cid}"'


def test_tampered_blob_is_refused(client: TestClient, store: LocalStore) -> None:
    cid = store.put(b"the bytes an agent stored")
    (store.root / cid).write_bytes(b"the bytes someone swapped in")

    response = client.get(f"/blobs/{cid}")

    assert response.status_code == 502
    assert "Tampered blob" in response.text
    assert b"swapped" not in response.content


@pytest.mark.parametrize(
    ("cid", "reason"),
    [
        (cid_of(b"never stored"), "the store does not hold it"),
        ("QmNotACidV1", "not a CIDv1"),
    ],
)
def test_unknown_or_malformed_cid_answers_404(client: TestClient, cid: str, reason: str) -> None:
    response = client.get(f"/blobs/{cid}")

    assert response.status_code == 404
    assert reason in response.text
