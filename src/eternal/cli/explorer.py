"""`eternal explorer`: serve the web explorer of the configured network."""

from __future__ import annotations

from typing import Annotated

import typer

from eternal.cli.context import (
    ConfigOption,
    connect_protocol,
    console,
    handles_errors,
    load_cli_config,
    open_store,
)


@handles_errors
def explorer(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    refresh: Annotated[
        float,
        typer.Option(min=0.0, help="Seconds between live updates of an open page (0: none)."),
    ] = 2.0,
    config_path: ConfigOption = None,
) -> None:
    """Serve a web explorer of the network: tasks, outputs, agents, verifiers, disputes, models."""
    # Imported here: the web stack would add half a second to every other command's start.
    import uvicorn

    from eternal.explorer import create_app

    config = load_cli_config(config_path)
    protocol = connect_protocol(config)  # reads only: no account, no password
    app = create_app(
        protocol, open_store(config), refresh_seconds=refresh, log_range=config.chain.log_range
    )
    console.print(f"explorer of {config.chain.rpc_url} on http://{host}:{port} (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
