"""A web explorer of a running Eternal network: server-rendered pages that follow the chain.

    indexer.py / recording.py  the protocol's logs, read incrementally into records.py
    views.py, page_models.py   what each page shows: records joined with O(1) contract views
    timeline.py                a task's events in chain order
    outputs.py                 outputs fetched by URI, checked, sorted by what a browser shows
    pages.py / app.py          the routes and `create_app`, the FastAPI factory
    templates/ static/         Jinja2 templates, one stylesheet, a few lines of JavaScript

Start it with `eternal explorer`, or build the app in process:

    app = create_app(protocol, store, refresh_seconds=2)
"""

from eternal.explorer.app import create_app

__all__ = ["create_app"]
