#!/usr/bin/env python3
"""Screenshots of a running explorer's pages, for the README and the docs.

Usage: .venv/bin/python scripts/explorer_screenshots.py URL [--out DIR] [--page NAME=PATH ...]
                                                              [--full]
  URL            the explorer, e.g. the one `eternal devnet up --explorer` prints
  --out DIR      where the PNG files go (default build/screenshots)
  --page N=PATH  a page to shoot as N.png (default: overview=/); repeat for more
  --full         also shoot each whole page, as N-full.png

Drives Debian's chromium (/usr/bin/chromium) through Playwright, as the browser tests do:
Playwright's own browser download is not possible on these machines. Pages are shot at
1280x900, as a visitor first sees them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Error, ViewportSize, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--out", type=Path, default=Path("build/screenshots"))
    parser.add_argument("--page", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    pages = dict(_page(item) for item in args.page) or {"overview": "/"}
    if not CHROMIUM.is_file():
        print(f"no browser: {CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        for name, path in pages.items():
            try:
                response = page.goto(base + path, wait_until="networkidle")
            except Error as exc:
                print(f"{base + path}: {exc.message.splitlines()[0]}", file=sys.stderr)
                return 1
            if response is None or not response.ok:
                status = response.status if response is not None else "no response"
                print(f"{base + path}: {status}", file=sys.stderr)
                return 1
            page.screenshot(path=str(args.out / f"{name}.png"))
            written = [f"{name}.png"]
            if args.full:
                page.screenshot(path=str(args.out / f"{name}-full.png"), full_page=True)
                written.append(f"{name}-full.png")
            print(f"{base + path} -> {', '.join(written)} in {args.out}")
        browser.close()
    return 0


def _page(item: str) -> tuple[str, str]:
    name, separator, path = item.partition("=")
    if not separator or not name or not path.startswith("/"):
        raise SystemExit(f"--page {item!r}: expected NAME=/path")
    return name, path


if __name__ == "__main__":
    sys.exit(main())
