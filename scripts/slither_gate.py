"""Fail on High or Medium slither findings that docs/slither.md does not accept.

A finding is keyed by its check name and a stable location: ``Contract.function`` for findings
in a function (or a statement in it), ``Contract.name`` for state variables, events, errors and
modifiers, ``Contract`` for findings on a contract, and the file otherwise. Line numbers are
left out, so edits elsewhere in a file do not invalidate an acceptance.

docs/slither.md holds the accepted findings as a markdown table::

    | check | location | reason |
    | --- | --- | --- |
    | reentrancy-eth | Vault.withdraw | the callee is our own Treasury, which has no callback |

Usage: python scripts/slither_gate.py --report build/slither.json --accepted docs/slither.md
Standard library only: it runs in slither's virtualenv.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GATED_IMPACTS = ("High", "Medium")
IMPACT_ORDER = ("High", "Medium", "Low", "Informational", "Optimization")


@dataclass(frozen=True)
class Finding:
    check: str
    impact: str
    confidence: str
    location: str
    where: str  # file#lines, for people
    description: str


def location_key(element: dict[str, Any]) -> str:
    """The stable location of a slither result element (see the module docstring)."""
    kind = element.get("type", "")
    name = str(element.get("name", ""))
    parent = element.get("type_specific_fields", {}).get("parent") or {}
    if kind == "contract":
        return name
    if parent.get("type") == "contract":
        return f"{parent.get('name')}.{name}"
    if parent:  # a statement or a local variable: where its function is
        return location_key(parent)
    filename = element.get("source_mapping", {}).get("filename_relative")
    return f"{filename}:{name}" if filename else name


def load_findings(report_path: Path) -> list[Finding]:
    report = json.loads(report_path.read_text(encoding="utf-8"))
    if not report.get("success", False):
        raise SystemExit(f"slither_gate: slither reported a failure: {report.get('error')}")
    findings = []
    for result in report.get("results", {}).get("detectors", []):
        elements = result.get("elements") or [{}]
        findings.append(
            Finding(
                check=result["check"],
                impact=result["impact"],
                confidence=result["confidence"],
                location=location_key(elements[0]),
                where=result.get("first_markdown_element", ""),
                description=result.get("description", "").strip().splitlines()[0],
            )
        )
    return findings


def parse_accepted(path: Path) -> set[tuple[str, str]]:
    """(check, location) pairs from the first `check | location | reason` table in path."""
    if not path.exists():
        print(f"slither_gate: {path} not found: no finding is accepted", file=sys.stderr)
        return set()
    accepted: set[tuple[str, str]] = set()
    columns: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            if columns is not None:
                break  # the table ended
            continue
        cells = [cell.strip().strip("`").strip() for cell in stripped.strip("|").split("|")]
        if columns is None:
            lowered = [cell.lower() for cell in cells]
            if lowered[:3] == ["check", "location", "reason"]:
                columns = lowered
            continue
        if all(set(cell) <= set("-: ") for cell in cells):
            continue  # the separator row
        if len(cells) < 3 or not cells[0] or not cells[1] or not cells[2]:
            raise SystemExit(
                f"slither_gate: {path}:{number}: a row needs a check, a location and a reason"
            )
        accepted.add((cells[0], cells[1]))
    return accepted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=Path("build/slither.json"))
    parser.add_argument("--accepted", type=Path, default=Path("docs/slither.md"))
    parser.add_argument("--text", help="where slither's text report was written (for the message)")
    args = parser.parse_args(argv)

    findings = load_findings(args.report)
    accepted = parse_accepted(args.accepted)
    counts = Counter(f.impact for f in findings)
    summary = ", ".join(f"{counts.get(impact, 0)} {impact}" for impact in IMPACT_ORDER)
    print(f"slither: {len(findings)} finding(s): {summary}")

    gated = sorted(
        (f for f in findings if f.impact in GATED_IMPACTS),
        key=lambda f: (IMPACT_ORDER.index(f.impact), f.check, f.location, f.where),
    )
    # One line per (check, location): the key an acceptance names.
    by_key: dict[tuple[str, str], list[Finding]] = {}
    for finding in gated:
        by_key.setdefault((finding.check, finding.location), []).append(finding)
    rejected = []
    for key, group in by_key.items():
        first = group[0]
        ok = key in accepted
        if not ok:
            rejected.append(first)
        times = f" x{len(group)}" if len(group) > 1 else ""
        status = "accepted" if ok else "NOT ACCEPTED"
        print(
            f"  {first.impact:<6} {first.check} {first.location}{times} ({first.where}, "
            f"confidence {first.confidence}): {status}"
        )
    seen = {(f.check, f.location) for f in findings}
    for check, location in sorted(accepted - seen):
        print(f"  note: accepted `{check} | {location}` no longer matches a finding: remove it")

    if rejected:
        details = f"; details in {args.text}" if args.text else ""
        print(
            f"slither_gate: {len(rejected)} High/Medium (check, location) pair(s) not accepted in "
            f"{args.accepted}"
            f"{details}. Fix them, or add a row with the reason:",
            file=sys.stderr,
        )
        for finding in rejected:
            print(f"| {finding.check} | {finding.location} | <why this is safe> |", file=sys.stderr)
        return 1
    print(f"slither_gate: ok ({len(gated)} High/Medium finding(s), all accepted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
