"""The explorer's routes: one server-rendered page per kind of thing, and verified blobs.

Every page request takes the explorer's lock, reads the blocks mined since the last request,
builds its page model (`eternal.explorer.views`) and renders it before letting go: records are
never read while the indexer writes them.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from eternal.explorer.errors import UnknownId
from eternal.explorer.outputs import Display, display_of, media_type_of
from eternal.explorer.views import Explorer
from eternal.storage.cid import InvalidCid
from eternal.storage.errors import BlobNotFound

router = APIRouter()

# A blob is whatever an agent stored: never let a browser treat it as a page of ours.
BLOB_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "public, max-age=31536000, immutable",  # a CID names these bytes forever
}


def explorer_of(request: Request) -> Explorer:
    explorer: Explorer = request.app.state.explorer
    return explorer


def render(request: Request, template: str, status_code: int = 200, **context: object) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _page(request: Request, template: str, build: Callable[[Explorer], object]) -> Response:
    explorer = explorer_of(request)
    with explorer.lock:
        explorer.refresh()
        return render(request, template, page=build(explorer), head=explorer.index.block)


def _number(what: str, text: str) -> int:
    if not text.isdecimal():
        raise UnknownId(what, text, detail="ids are whole numbers")
    return int(text)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> Response:
    return _page(request, "overview.html", lambda e: e.overview())


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task(request: Request, task_id: str) -> Response:
    number = _number("task", task_id)
    return _page(request, "task.html", lambda e: e.task(number))


@router.get("/agents/{address}", response_class=HTMLResponse)
def agent(request: Request, address: str) -> Response:
    return _page(request, "agent.html", lambda e: e.agent(address))


@router.get("/verifiers/{address}", response_class=HTMLResponse)
def verifier(request: Request, address: str) -> Response:
    return _page(request, "verifier.html", lambda e: e.verifier(address))


@router.get("/disputes/{dispute_id}", response_class=HTMLResponse)
def dispute(request: Request, dispute_id: str) -> Response:
    number = _number("dispute", dispute_id)
    return _page(request, "dispute.html", lambda e: e.dispute(number))


@router.get("/models/{model_id}", response_class=HTMLResponse)
def model(request: Request, model_id: str) -> Response:
    number = _number("model", model_id)
    return _page(request, "model.html", lambda e: e.model(number))


@router.get("/blobs/{cid}")
def blob(request: Request, cid: str) -> Response:
    """The blob named `cid`, checked against it by the store (a tampered one is refused)."""
    try:
        data = explorer_of(request).store.get(cid)
    except InvalidCid as exc:
        raise UnknownId("blob", cid, detail="not a CIDv1 (raw, sha2-256)") from exc
    except BlobNotFound as exc:
        raise UnknownId("blob", cid, detail="the store does not hold it") from exc
    media_type = media_type_of(data)
    headers = dict(BLOB_HEADERS)
    if display_of(media_type) is Display.DOWNLOAD:
        headers["Content-Disposition"] = f'attachment; filename="{cid}"'
    return Response(content=data, media_type=media_type, headers=headers)
