"""The Python environment a package runs in: the node's own, or a virtualenv cached by digest.

A package lists its `python_packages` (cog.yaml). When the running interpreter already
satisfies every one of them (checked with importlib.metadata and packaging: name, version
specifier, environment marker, extras), the model runs in the node's own environment: nothing
to build, and cog/coglet are already there. Otherwise it gets a virtualenv of its own,
`<cache_dir>/<package digest>`:

- the node's site-packages stay visible through a .pth file (so cog and coglet import), behind
  the virtualenv's own packages, which therefore win;
- `pip install` (the node's pip, pointed at the new interpreter) gets every requirement and
  installs what is missing or of the wrong version into the virtualenv only;
- it is built under a temporary name in the same folder and renamed when complete, so a crash
  mid-install never leaves a half environment where a complete one is expected; then it is
  reused as is. Scripts pip wrote into bin/ are re-pointed at the final path after the rename.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
import venv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier
from packaging.version import InvalidVersion

from eternal.runtime.errors import EnvironmentSetupError

_BUILDING_PREFIX = ".building-"
_PARENT_PTH = "eternal_parent_env.pth"
_PIP_OUTPUT_TAIL = 3000  # characters of pip's output quoted in an EnvironmentSetupError
_SCRIPT_SIZE_LIMIT = 1 << 20  # bin/ files bigger than this are binaries, not scripts


@dataclass(frozen=True)
class PythonEnvironment:
    """The interpreter a Cog server runs with; `bin_dir` goes first on the server's PATH."""

    python: Path
    bin_dir: Path
    reused_current: bool

    @classmethod
    def current(cls) -> PythonEnvironment:
        python = Path(sys.executable)
        return cls(python=python, bin_dir=python.parent, reused_current=True)


def resolve_environment(
    requirements: Sequence[str], digest_hex: str, cache_dir: Path, *, pip_timeout: float = 1800.0
) -> PythonEnvironment:
    """The environment for a package with these requirements (see the module docstring)."""
    if not unsatisfied_requirements(requirements):
        return PythonEnvironment.current()
    if not digest_hex or not all(c in "0123456789abcdef" for c in digest_hex):
        raise EnvironmentSetupError(f"package digest {digest_hex!r} is not lowercase hex")
    target = Path(cache_dir) / digest_hex
    if not _python_of(target).exists():
        _build(target, requirements, pip_timeout)
    python = _python_of(target)
    return PythonEnvironment(python=python, bin_dir=python.parent, reused_current=False)


def unsatisfied_requirements(requirements: Sequence[str]) -> list[str]:
    """The requirements the running interpreter does not satisfy (in the order given)."""
    missing = []
    for text in requirements:
        try:
            requirement = Requirement(text)
        except InvalidRequirement as exc:
            raise EnvironmentSetupError(f"invalid requirement {text!r}: {exc}") from exc
        applies = requirement.marker is None or requirement.marker.evaluate({"extra": ""})
        if applies and not _installed(requirement, set()):
            missing.append(text)
    return missing


def _installed(requirement: Requirement, seen: set[tuple[str, str]]) -> bool:
    if requirement.url:
        return False  # a direct reference names no version we could compare
    try:
        distribution = importlib.metadata.distribution(requirement.name)
        if not requirement.specifier.contains(distribution.version, prereleases=True):
            return False
    except (importlib.metadata.PackageNotFoundError, InvalidVersion, InvalidSpecifier):
        return False
    return all(_extra_installed(distribution, extra, seen) for extra in sorted(requirement.extras))


def _extra_installed(
    distribution: importlib.metadata.Distribution, extra: str, seen: set[tuple[str, str]]
) -> bool:
    """Whether the dependencies an extra adds (`pkg[extra]`) are installed too."""
    key = (distribution.metadata["Name"] or "", extra)
    if key in seen:
        return True
    seen.add(key)
    for text in distribution.requires or []:
        try:
            dependency = Requirement(text)
        except InvalidRequirement:
            return False
        marker = dependency.marker
        only_for_extra = (
            marker is not None
            and marker.evaluate({"extra": extra})
            and not marker.evaluate({"extra": ""})
        )
        if only_for_extra and not _installed(dependency, seen):
            return False
    return True


def _python_of(env_dir: Path) -> Path:
    return env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"


def _build(target: Path, requirements: Sequence[str], pip_timeout: float) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_builds(target.parent)
    building = Path(tempfile.mkdtemp(prefix=f"{_BUILDING_PREFIX}{os.getpid()}-", dir=target.parent))
    try:
        venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(building)
        _expose_current_site_packages(building)
        _pip_install(_python_of(building), requirements, pip_timeout)
        _repoint_scripts(building, target)
        try:
            building.rename(target)
        except OSError:
            # Another process finished the same environment first: use theirs.
            if not _python_of(target).exists():
                raise
    except (OSError, subprocess.SubprocessError) as exc:
        raise EnvironmentSetupError(f"cannot build the environment {target}: {exc}") from exc
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _expose_current_site_packages(env_dir: Path) -> None:
    # An `import` line in a .pth runs at startup; addsitedir also reads the node's own .pth files
    # (editable installs). Appended after the venv's site-packages, so the venv's packages win.
    purelib = Path(sysconfig.get_path("purelib", vars={"base": env_dir, "platbase": env_dir}))
    purelib.mkdir(parents=True, exist_ok=True)
    lines = [f"import site; site.addsitedir({folder!r})" for folder in _current_site_dirs()]
    (purelib / _PARENT_PTH).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _current_site_dirs() -> list[str]:
    folders = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    return [folder for folder in folders if Path(folder).is_dir()]


def _pip_install(python: Path, requirements: Sequence[str], timeout: float) -> None:
    command = [
        sys.executable, "-m", "pip", "--python", str(python),
        "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off",
        *requirements,
    ]  # fmt: skip
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False
    )
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).strip()[-_PIP_OUTPUT_TAIL:]
        raise EnvironmentSetupError(
            f"pip install {' '.join(requirements)} failed (exit {completed.returncode}):\n{output}"
        )


def _repoint_scripts(building: Path, target: Path) -> None:
    """Rewrite the build path to the final one in bin/ scripts (shebangs, activate)."""
    old, new = str(building).encode(), str(target).encode()
    for path in _python_of(building).parent.iterdir():
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _SCRIPT_SIZE_LIMIT:
            continue
        content = path.read_bytes()
        if old in content:
            path.write_bytes(content.replace(old, new))


def _remove_abandoned_builds(folder: Path) -> None:
    """Delete temporary builds whose process died (a crash mid-install)."""
    for entry in folder.glob(f"{_BUILDING_PREFIX}*"):
        pid_text = entry.name.removeprefix(_BUILDING_PREFIX).split("-", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True
