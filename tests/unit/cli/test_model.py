"""`eternal model`: publish a package folder, list models, show one."""

from __future__ import annotations

from pathlib import Path

import pytest

from eternal.chain.bindings.model_registry import VerificationMode
from eternal.chain.params import EAI
from eternal.models.metadata import ModelMetadata
from eternal.models.package import ModelPackage
from eternal.storage.cid import cid_of
from tests.support.prompting import ECHO, FEE, answer, publish
from tests.unit.cli.conftest import Cli, failed, lines, ok, user_address

FIXTURES = Path(__file__).parents[2] / "fixtures" / "models"
ECHO_PACKAGE = FIXTURES / "echo"
EMBED_PACKAGE = FIXTURES / "embed"


def test_publish_stores_the_package_and_metadata_and_mints_the_model(cli: Cli) -> None:
    shown = ok(cli("model", "publish", ECHO_PACKAGE, "--fee", "2.5", "--min-stake", "150"))

    package = ModelPackage.load(ECHO_PACKAGE)
    registry = cli.network.protocol.registry
    assert "model id         1" in shown
    assert f"package          {package.cid}" in shown
    terms = registry.terms(1)
    assert (terms.fee, terms.min_agent_stake, terms.redundancy) == (25 * EAI // 10, 150 * EAI, 3)
    assert terms.mode is VerificationMode.EXACT
    assert registry.package_digest(1) == package.digest
    assert registry.owner_of(1) == user_address(cli)
    # What agents and users fetch is in the store, under the ids the chain names.
    assert cid_of(cli.store.get(package.cid)) == package.cid
    metadata = ModelMetadata.from_json(cli.store.get(registry.token_uri(1)))
    assert metadata == package.metadata


def test_a_tolerant_model_is_registered_as_tolerant(cli: Cli) -> None:
    ok(cli("model", "publish", EMBED_PACKAGE, "--fee", "1", "--redundancy", "2"))

    terms = cli.network.protocol.registry.terms(1)
    assert (terms.mode, terms.redundancy) == (VerificationMode.TOLERANT, 2)
    assert terms.min_agent_stake == cli.network.protocol.registry.stake_floor()


def test_a_folder_that_is_not_a_package_is_refused_before_any_transaction(
    cli: Cli, tmp_path: Path
) -> None:
    (tmp_path / "predict.py").write_text("print('hi')\n")

    assert (
        failed(cli("model", "publish", tmp_path, "--fee", "1")) == f"error: {tmp_path}: no cog.yaml"
    )
    assert cli.network.protocol.registry.model_count() == 0


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (["--redundancy", "7"], "redundancy 7 is outside 1..6"),
        (
            ["--min-stake", "99.5"],
            "minimum agent stake 99.5 EAI is below the registry's floor of 100 EAI",
        ),
        (["--fee", "1000001"], "fee 1000001 EAI is above the maximum 1000000 EAI"),
    ],
)
def test_terms_the_registry_would_refuse_are_refused_before_anything_is_stored(
    cli: Cli, options: list[str], problem: str
) -> None:
    args = ["model", "publish", ECHO_PACKAGE, "--fee", "1", *options]

    assert failed(cli(*args)) == f"error: {problem}"
    assert not (cli.home / "blobs").exists() or not any((cli.home / "blobs").iterdir())


def test_list_and_show_describe_published_models(cli: Cli) -> None:
    ok(cli("model", "publish", ECHO_PACKAGE, "--fee", "1"))

    listed = ok(cli("model", "list"))
    shown = ok(cli("model", "show", "1"))

    assert "│ 1  │ tiny-echo │ 1 EAI │ 3 │ exact │ 0      │" in listed
    assert "model            1 (tiny-echo)" in shown
    assert "agents in pool   0" in shown
    assert "│ times  │ integer │          │ 1       │ >= 1; <= 5" in shown
    assert "│ seed   │ integer │          │         │ >= 0; <= 2147483647" in shown


def test_show_reports_metadata_the_store_cannot_read(cli: Cli) -> None:
    ok(cli("model", "publish", ECHO_PACKAGE, "--fee", "1"))
    uri = cli.network.protocol.registry.token_uri(1)
    (cli.home / "blobs" / uri.removeprefix("ipfs://")).unlink()

    shown = ok(cli("model", "show", "1"))

    assert "model            1" in lines(shown)  # no name: that is in the metadata
    assert f"metadata unreadable: local store {cli.home / 'blobs'}: no blob" in shown


def test_show_an_unknown_model(cli: Cli) -> None:
    assert failed(cli("model", "show", "3")) == "error: there is no model 3 (models are 1..0)"


def test_claim_pays_the_creator_share_to_the_model_s_owner(cli: Cli) -> None:
    net = cli.network
    model = publish(net, cli.store, ECHO)
    task_id = net.submit(model)
    answer(net, cli.store, task_id, [b"an answer"] * 3)
    net.pass_challenge_window()
    net.protocol.tasks.finalize(net.gov, task_id)
    owner_before = net.protocol.token.balance_of(net.creator.address)
    share = FEE * net.params.tasks.creator_bps // 10_000

    shown = ok(cli("model", "claim", model))  # sent by the CLI's user, paid to the owner

    assert shown.strip() == f"paid 2 EAI to {net.creator.address}, the owner of model {model}"
    assert net.protocol.token.balance_of(net.creator.address) == owner_before + share
    assert ok(cli("model", "claim", model)).strip() == f"model {model} has no income to claim"
