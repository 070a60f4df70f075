"""`eternal agent`: run an agent node, look at it, leave the pool."""

from __future__ import annotations

from typing import Annotated

import typer

from eternal.cli.context import (
    AccountOption,
    ConfigOption,
    connect_protocol,
    console,
    handles_errors,
    load_account,
    load_cli_config,
    open_store,
    resolve_address,
)
from eternal.cli.serve import IntervalOption, MetricsPortFileOption, MetricsPortOption, serve
from eternal.node.agent import Behaviour
from eternal.node.state import JobStatus, NodeState
from eternal.node.wiring import build_agent

app = typer.Typer(help="Run an agent: compute prompts for a model's fees.", no_args_is_help=True)


@app.command()
@handles_errors
def run(
    config_path: ConfigOption = None,
    account: AccountOption = None,
    model: Annotated[
        int | None, typer.Option(help="Model id (default: the one in \\[agent] models).")
    ] = None,
    metrics_port: MetricsPortOption = None,
    metrics_port_file: MetricsPortFileOption = None,
    interval: IntervalOption = None,
    behaviour: Annotated[
        Behaviour, typer.Option(help="Simulated misbehaviour (demos, tests).", hidden=True)
    ] = Behaviour.HONEST,
) -> None:
    """Stake (if needed), join the model's pool, and serve assignments until stopped."""
    config = load_cli_config(config_path)
    signer = load_account(config, account)
    protocol = connect_protocol(config, signer)
    store = open_store(config)
    node = build_agent(config, protocol, signer, store, model_id=model, behaviour=behaviour)
    interval = interval or config.chain.poll_interval
    serve(node, metrics_port=metrics_port, interval=interval, metrics_port_file=metrics_port_file)


@app.command()
@handles_errors
def status(config_path: ConfigOption = None, account: AccountOption = None) -> None:
    """Stake, status and the unfinished jobs of this agent."""
    config = load_cli_config(config_path)
    address = resolve_address(config, account)
    protocol = connect_protocol(config)
    info = protocol.agents.agent_info(address)
    claimable = protocol.tasks.claimable(address)
    console.print(
        f"{address}: {info.status.name.lower()}, model {info.model_id}, "
        f"stake {info.stake / 1e18:g} EAI, claimable {claimable / 1e18:g} EAI"
    )
    if config.state_db("agent").exists():
        state = NodeState(config.state_db("agent"), owner=address)
        for job in state.jobs():
            if job.status is not JobStatus.DONE:
                console.print(f"  task {job.task_id} (attempt {job.attempt}): {job.status}")


@app.command()
@handles_errors
def unstake(config_path: ConfigOption = None, account: AccountOption = None) -> None:
    """Leave the pool and start unbonding (`eternal agent withdraw` when it ends)."""
    config = load_cli_config(config_path)
    signer = load_account(config, account)
    protocol = connect_protocol(config, signer)
    protocol.agents.unstake(signer)
    until = protocol.agents.agent_info(signer.address).until
    console.print(f"unbonding until {until} (unix time); then `eternal agent withdraw`")


@app.command()
@handles_errors
def withdraw(config_path: ConfigOption = None, account: AccountOption = None) -> None:
    """Take the stake back once unbonding has ended."""
    config = load_cli_config(config_path)
    signer = load_account(config, account)
    connect_protocol(config, signer).agents.withdraw(signer)
    console.print("stake withdrawn")
