"""`eternal chain`: deploy on a local chain, refuse to overwrite or to deploy elsewhere, info."""

from __future__ import annotations

from eternal.chain.accounts import dev_accounts
from eternal.chain.bindings.eai_token import EAIToken
from eternal.chain.deployment import Deployment
from eternal.chain.params import EAI
from tests.support.remote_node import remote_node
from tests.unit.cli.conftest import Cli, failed, ok


def test_deploy_writes_the_deployment_file_and_gives_dev_accounts_genesis_eai(cli: Cli) -> None:
    path = cli.home / "fresh" / "deployment.json"
    env = {"ETERNAL_DEPLOYMENT": str(path)}

    shown = ok(cli("chain", "deploy", "--genesis", "500", env=env))

    deployment = Deployment.load(path)
    assert f"deployment file: {path}" in shown
    assert f"TaskManager      │ {deployment.tasks}" in shown
    assert deployment.governance == dev_accounts(1)[0].address
    assert deployment.tasks != cli.network.protocol.deployment.tasks  # a new system
    token = EAIToken(cli.network.chain, deployment.token)
    assert [token.balance_of(dev.address) for dev in dev_accounts(10)] == [500 * EAI] * 10
    assert token.total_supply() == 5_000 * EAI

    assert failed(cli("chain", "deploy", env=env)) == (
        f"error: a deployment file already exists at {path}: pass --force to replace it"
    )


def test_deploy_refuses_a_chain_that_is_not_local(cli: Cli) -> None:
    with remote_node(chain_id=8453, client_version="reth/v1.1.0") as url:
        env = {"ETERNAL_DEPLOYMENT": str(cli.home / "new.json")}
        error = failed(cli("chain", "deploy", "--rpc-url", url, env=env, chain=False))

    assert error.startswith(f"error: {url} is not a local chain (chain id 8453)")
    assert not (cli.home / "new.json").exists()


def test_info_shows_the_chain_the_contracts_and_the_supply(cli: Cli) -> None:
    deployment = cli.network.protocol.deployment

    shown = ok(cli("chain", "info"))

    assert f"chain id           {deployment.chain_id}" in shown
    assert "node               EthereumTester/" in shown
    assert "EAI supply         24,000,000 EAI of at most 1,000,000,000 EAI" in shown
    assert f"EAIToken         │ {deployment.token}" in shown


def test_info_without_a_deployment_says_where_it_looked(cli: Cli) -> None:
    missing = cli.home / "missing.json"

    error = failed(cli("chain", "info", env={"ETERNAL_DEPLOYMENT": str(missing)}))

    assert error == f"error: no deployment file at {missing}"
