"""`eternal model`: publish a model package as an AI-721 token, list models, show one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from eternal.cli.context import (
    AccountOption,
    ConfigOption,
    connect_protocol,
    console,
    handles_errors,
    load_account,
    load_cli_config,
    open_store,
)
from eternal.cli.display import eai, key_values, number, parse_units
from eternal.models.metadata import InputSpec
from eternal.sdk.models import DEFAULT_REDUNDANCY, ModelInfo, model_info, publish_model

app = typer.Typer(help="Publish models and look them up.")


@app.command("publish")
@handles_errors
def publish(
    package_dir: Annotated[
        Path, typer.Argument(help="The package folder: cog.yaml, predictor, eternal.yaml, weights.")
    ],
    fee: Annotated[str, typer.Option(help="Fee per prompt, in EAI.")],
    min_stake: Annotated[
        str | None,
        typer.Option(help="Stake an agent needs to serve it, in EAI (default: the floor)."),
    ] = None,
    redundancy: Annotated[
        int, typer.Option(help="Agents drawn per prompt (k).", min=1)
    ] = DEFAULT_REDUNDANCY,
    config_path: ConfigOption = None,
    account: AccountOption = None,
) -> None:
    """Validate, pack and store a model package, then mint its AI-721 token."""
    config = load_cli_config(config_path)
    fee_wei = parse_units(fee, "EAI")
    stake_wei = parse_units(min_stake, "EAI") if min_stake is not None else None
    creator = load_account(config, account)
    protocol = connect_protocol(config, creator)
    store = open_store(config)
    with console.status("packing, storing and registering..."):
        published = publish_model(
            protocol,
            creator,
            store,
            package_dir,
            fee=fee_wei,
            min_agent_stake=stake_wei,
            redundancy=redundancy,
        )
    terms = published.terms
    rows = [
        ("model id", str(published.model_id)),
        ("package", published.package_cid),
        ("metadata", published.metadata_uri),
        ("fee", eai(terms.fee)),
        ("min agent stake", eai(terms.min_agent_stake)),
        ("redundancy", str(terms.redundancy)),
        ("verification", terms.mode.name.lower()),
        ("owner", creator.address),
        ("tx", published.tx_hash),
    ]
    console.print(key_values(rows))


@app.command("list")
@handles_errors
def list_(config_path: ConfigOption = None) -> None:
    """List every registered model."""
    config = load_cli_config(config_path)
    protocol = connect_protocol(config)
    store = open_store(config)
    count = protocol.registry.model_count()
    if count == 0:
        console.print("[dim]no models yet: publish one with `eternal model publish`[/]")
        return
    table = Table("id", "name", "fee", "k", "mode", "agents", "owner")
    for model_id in range(1, count + 1):
        info = model_info(protocol, store, model_id)
        table.add_row(
            str(model_id),
            info.metadata.name if info.metadata else "[dim]? (metadata unreadable)[/]",
            eai(info.terms.fee),
            str(info.terms.redundancy),
            info.terms.mode.name.lower(),
            str(info.pool_size),
            info.owner,
        )
    console.print(table)


@app.command("show")
@handles_errors
def show(
    model_id: Annotated[int, typer.Argument(help="The model's id.")],
    config_path: ConfigOption = None,
) -> None:
    """Show a model's terms, owner, agents, income and inputs."""
    config = load_cli_config(config_path)
    info = model_info(connect_protocol(config), open_store(config), model_id)
    console.print(_summary(info))
    if info.metadata is None:
        console.print(f"[yellow]metadata unreadable:[/] {info.metadata_problem}")
        return
    inputs = Table("input", "type", "required", "default", "limits", "description", title="inputs")
    for name, spec in info.metadata.inputs.items():
        inputs.add_row(
            name,
            spec.type.value,
            "yes" if spec.required else "",
            "" if spec.default is None else repr(spec.default),
            _limits(spec),
            spec.description,
        )
    console.print(inputs)


@app.command("claim")
@handles_errors
def claim(
    model_id: Annotated[int, typer.Argument(help="The model's id.")],
    config_path: ConfigOption = None,
    account: AccountOption = None,
) -> None:
    """Pay a model's accrued creator income to its owner (the NFT's holder); anyone may call."""
    config = load_cli_config(config_path)
    caller = load_account(config, account)
    protocol = connect_protocol(config, caller)
    info = model_info(protocol, open_store(config), model_id)
    if info.income == 0:
        console.print(f"model {model_id} has no income to claim")
        return
    protocol.tasks.claim_model_income(caller, model_id)
    console.print(f"paid {eai(info.income)} to {info.owner}, the owner of model {model_id}")


def _summary(info: ModelInfo) -> Table:
    meta = info.metadata
    rows = [("model", f"{info.model_id}" + (f" ({meta.name})" if meta else ""))]
    if meta is not None and meta.description:
        rows.append(("description", meta.description))
    terms = info.terms
    rows += [
        ("owner", info.owner),
        ("fee", eai(terms.fee)),
        ("min agent stake", eai(terms.min_agent_stake)),
        ("redundancy", f"{terms.redundancy} (next prompt: {info.redundancy_now})"),
        ("verification", _verification(info)),
        ("agents in pool", str(info.pool_size)),
        ("income to claim", eai(info.income)),
        ("package", info.package_cid),
        ("metadata", info.metadata_uri),
    ]
    if meta is not None:
        media = f" ({meta.output.media_type})" if meta.output.media_type else ""
        rows += [("modality", meta.modality.value), ("output", meta.output.kind.value + media)]
    return key_values(rows)


def _verification(info: ModelInfo) -> str:
    mode = info.terms.mode.name.lower()
    check = info.metadata.verification if info.metadata else None
    if check is None or check.metric is None:
        return mode
    return f"{mode} ({check.metric.value} >= {number(check.threshold or 0)})"


def _limits(spec: InputSpec) -> str:
    parts = []
    if spec.minimum is not None:
        parts.append(f">= {number(spec.minimum)}")
    if spec.maximum is not None:
        parts.append(f"<= {number(spec.maximum)}")
    if spec.max_length is not None:
        parts.append(f"<= {spec.max_length} chars")
    if spec.choices is not None:
        parts.append("one of " + ", ".join(str(choice) for choice in spec.choices))
    if spec.media_type is not None:
        parts.append(spec.media_type)
    return "; ".join(parts)
