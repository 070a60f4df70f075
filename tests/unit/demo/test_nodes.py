"""A node's home and metrics: the config it gets is read back by eternal.config as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from eternal.chain.accounts import dev_accounts
from eternal.chain.keystore import Keystore
from eternal.config import load_config, parse_eai
from eternal.demo.cast import WRONG_OUTPUT, Cast, Role
from eternal.demo.nodes import (
    LOCAL_PASSWORD,
    NodeSettings,
    prepare_node,
    read_metrics,
    slug,
    write_home,
)
from eternal.demo.processes import free_port
from eternal.node.errors import NodeError
from eternal.node.metrics import NodeMetrics

CAST = Cast.plan(
    dev_accounts(8), ["bach-chorale"], agents_per_model=3, verifiers=2, cheat_model="bach-chorale"
)


def _settings(tmp_path: Path) -> NodeSettings:
    return NodeSettings(
        rpc_url="http://127.0.0.1:8545",
        deployment=tmp_path / "a dir with spaces" / "deployment.json",
        blobs_dir=tmp_path / "blobs",
        network_root=tmp_path,
        verifier_sample_rate=0.5,
    )


def test_an_agents_config_reads_back_with_its_model_stake_and_shared_blobs(tmp_path: Path) -> None:
    agent = CAST.agents_of("bach-chorale")[0]
    config_path = write_home(tmp_path / "agent", agent, 3, _settings(tmp_path))

    config = load_config(config_path, env={})

    assert config.account == agent.address
    assert config.agent.models == (3,)
    assert parse_eai(config.agent.stake) == 100 * 10**18
    assert config.deployment_path == tmp_path / "a dir with spaces" / "deployment.json"
    assert config.blobs_dir == tmp_path / "blobs"
    assert (
        Keystore(config.keystore_dir).load(agent.address, LOCAL_PASSWORD).key == agent.account.key
    )


def test_a_verifiers_config_carries_its_sample_rate(tmp_path: Path) -> None:
    verifier = CAST.of_role(Role.VERIFIER)[0]
    config = load_config(write_home(tmp_path / "v", verifier, None, _settings(tmp_path)), env={})
    assert config.verifier.sample_rate == 0.5
    assert config.agent.models == ()


def test_the_dishonest_agents_command_line_names_its_behaviour(tmp_path: Path) -> None:
    cheat = next(a for a in CAST.actors if a.behaviour == WRONG_OUTPUT)
    node = prepare_node(tmp_path, cheat, 7, _settings(tmp_path), tied=True)
    argv = node.process.argv
    assert argv[argv.index("--behaviour") + 1] == WRONG_OUTPUT
    assert argv[argv.index("--model") + 1] == "7"
    assert node.process.env is not None
    assert node.process.env["TMPDIR"] == str(tmp_path / "tmp")
    assert node.process.env["ETERNAL_LOCAL_NETWORK"] == str(tmp_path)
    assert node.home == tmp_path / "bach-chorale-agent-3"


def test_metrics_are_read_from_a_nodes_prometheus_endpoint() -> None:
    metrics = NodeMetrics("verifier")
    metrics.tasks.labels(outcome="checked").inc(3)
    port = metrics.serve(0)  # the OS chooses
    samples = read_metrics(f"http://127.0.0.1:{port}/metrics")
    assert samples is not None
    assert samples['eternal_tasks_total{outcome="checked"}'] == 3.0


def test_metrics_of_a_node_that_does_not_answer_are_none() -> None:
    assert read_metrics(f"http://127.0.0.1:{free_port()}/metrics", timeout=0.5) is None
    assert read_metrics(None) is None  # a node that has not said its port yet


def test_a_taken_metrics_port_is_a_clear_error() -> None:
    port = NodeMetrics("agent").serve(0)
    with pytest.raises(NodeError, match=f"cannot serve metrics on 127.0.0.1:{port}"):
        NodeMetrics("agent").serve(port)


def test_labels_become_folder_names() -> None:
    assert slug("sales-forecast agent 2") == "sales-forecast-agent-2"
    assert slug("Verifier #1") == "verifier-1"


def test_a_nodes_metrics_port_is_the_one_it_wrote_once_serving(tmp_path: Path) -> None:
    verifier = CAST.of_role(Role.VERIFIER)[0]
    node = prepare_node(tmp_path, verifier, None, _settings(tmp_path), tied=True)
    argv = node.process.argv
    assert argv[argv.index("--metrics-port") + 1] == "0"
    assert node.metrics_url is None  # not started: it has not said
    Path(argv[argv.index("--metrics-port-file") + 1]).write_text("28123\n")
    assert node.metrics_url == "http://127.0.0.1:28123/metrics"
