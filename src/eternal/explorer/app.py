"""The explorer's web application: `create_app(protocol, store)` wires pages, templates, static
files and error pages around one `Explorer`.

    app = create_app(protocol, store, refresh_seconds=2)
    uvicorn.run(app, host="127.0.0.1", port=8000)

Pages refresh themselves every `refresh_seconds` (0: never): a few lines of JavaScript fetch the
page again and swap in the `data-live` parts that changed, so media players keep playing.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.exceptions import HTTPException

from eternal.chain.protocol import Protocol
from eternal.errors import ChainError
from eternal.explorer.errors import UnknownId
from eternal.explorer.formatting import FILTERS
from eternal.explorer.pages import render, router
from eternal.explorer.views import Explorer
from eternal.storage.errors import BlobCorrupted, StorageError
from eternal.storage.store import BlobStore

HERE = Path(__file__).parent
DEFAULT_REFRESH_SECONDS = 2.0


def create_app(
    protocol: Protocol,
    store: BlobStore,
    *,
    refresh_seconds: float = DEFAULT_REFRESH_SECONDS,
    log_range: int = 2_000,
    chain_lock: threading.Lock | None = None,
) -> FastAPI:
    """The explorer of `protocol`'s network, showing outputs from `store`.

    `chain_lock` is held by every chain read the explorer makes: pass the lock your own threads
    hold when they share an in-process chain with it (eth-tester is not thread-safe).
    """
    if refresh_seconds < 0:
        raise ValueError(f"refresh_seconds cannot be negative, got {refresh_seconds}")
    app = FastAPI(title="Eternal explorer", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.explorer = Explorer(protocol, store, log_range=log_range, lock=chain_lock)
    app.state.templates = _templates(refresh_seconds)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)
    app.add_exception_handler(UnknownId, _unknown)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(ChainError, _chain_down)
    app.add_exception_handler(StorageError, _storage_error)
    return app


def _templates(refresh_seconds: float) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,  # a typo in a template fails loudly, in the tests first
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals["refresh_seconds"] = f"{refresh_seconds:g}"
    return Jinja2Templates(env=env)


def _error(request: Request, status: int, title: str, message: str) -> Response:
    return render(
        request, "error.html", status_code=status, title=title, message=message, head=None
    )


def _unknown(request: Request, exc: Exception) -> Response:
    return _error(request, 404, "Not found", str(exc))


def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return _error(request, 404, "Not found", f"there is no page at {request.url.path}")
    return _error(request, status, "Error", str(getattr(exc, "detail", exc)))


def _chain_down(request: Request, exc: Exception) -> Response:
    return _error(request, 503, "The chain does not answer", str(exc))


def _storage_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, BlobCorrupted):
        # The store holds bytes that do not match the CID: refuse them rather than serve them.
        return _error(request, 502, "Tampered blob", str(exc))
    return _error(request, 503, "Storage unavailable", str(exc))
