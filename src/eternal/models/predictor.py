"""Reads a predictor's shape from its source with `ast`, never importing it.

A package comes from strangers: loading it must not run its code. Parsing is enough to check
that the class cog.yaml names exists, has a `predict` (or Cog's newer `run`) method, and which
parameters that method takes, to compare them with the inputs `eternal.yaml` declares.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

# Cog calls the first of these the class defines (`run` is Cog's newer name).
ENTRY_POINTS = ("predict", "run")


@dataclass(frozen=True)
class PredictorShape:
    """The entry method's name and parameter names (None when `*args`/`**kwargs` hide them)."""

    method: str
    parameters: tuple[str, ...] | None


class PredictorError(ValueError):
    """The source does not define the predictor as cog.yaml says (the message says how)."""


def read_predictor(source: str, *, filename: str, class_name: str) -> PredictorShape:
    try:
        module = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise PredictorError(f"{filename} does not parse: line {exc.lineno}: {exc.msg}") from exc
    classes = {node.name: node for node in module.body if isinstance(node, ast.ClassDef)}
    if class_name not in classes:
        raise PredictorError(f"{filename} has no class {class_name}")
    method = _entry_method(classes[class_name], classes)
    if method is None:
        names = " or ".join(ENTRY_POINTS)
        raise PredictorError(f"class {class_name} in {filename} has no {names} method")
    return PredictorShape(method=method.name, parameters=_parameters(method))


def _entry_method(
    cls: ast.ClassDef, classes: dict[str, ast.ClassDef], seen: frozenset[str] = frozenset()
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    methods = {
        node.name: node
        for node in cls.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    for name in ENTRY_POINTS:
        if name in methods:
            return methods[name]
    # A base class defined in the same file may carry the method; imported bases cannot be
    # read without importing them.
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in classes and base.id not in seen:
            found = _entry_method(classes[base.id], classes, seen | {cls.name})
            if found is not None:
                return found
    return None


def _parameters(method: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...] | None:
    args = method.args
    if args.vararg is not None or args.kwarg is not None:
        return None
    positional = [arg.arg for arg in (*args.posonlyargs, *args.args)]
    keyword = [arg.arg for arg in args.kwonlyargs]
    return tuple(positional[1:] + keyword)  # the first positional is `self`
