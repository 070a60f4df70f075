"""open_store: the store a configuration describes, against real local HTTP servers."""

from __future__ import annotations

from pathlib import Path

from eternal.config import Config, load_config
from eternal.storage import BlobStore, LayeredStore, LocalStore, cid_of
from eternal.storage.from_config import open_store
from tests.unit.storage.http_servers import StaticGateway
from tests.unit.storage.kubo_api import kubo_api


def config_for(home: Path, **env: str) -> Config:
    return load_config(env={"ETERNAL_DATA_DIR": str(home), **env})


def test_by_default_blobs_live_in_the_data_dir(tmp_path: Path) -> None:
    store = open_store(config_for(tmp_path))

    cid = store.put(b"an input")

    assert isinstance(store, LocalStore) and isinstance(store, BlobStore)
    assert (tmp_path / "blobs" / cid).read_bytes() == b"an input"


def test_gateways_are_read_after_the_local_directory_and_cached_there(tmp_path: Path) -> None:
    gateway = StaticGateway(tmp_path / "gateway")
    cid = gateway.publish(b"someone else's package")

    with gateway.running() as url:
        store = open_store(config_for(tmp_path / "home", ETERNAL_GATEWAYS=url))
        fetched = store.get(cid)

    assert isinstance(store, LayeredStore)
    assert fetched == b"someone else's package"
    assert (tmp_path / "home" / "blobs" / cid).read_bytes() == fetched  # kept locally


def test_with_kubo_every_write_is_also_added_to_the_node(tmp_path: Path) -> None:
    with kubo_api() as (url, node):
        store = open_store(config_for(tmp_path, ETERNAL_KUBO_API=url))
        cid = store.put(b"a model archive")

        assert node.blocks[cid] == b"a model archive"  # published for other hosts
        assert (tmp_path / "blobs" / cid).is_file()  # and kept here
        node.blocks[cid_of(b"only on kubo")] = b"only on kubo"
        assert store.get(cid_of(b"only on kubo")) == b"only on kubo"  # kubo is a fallback
