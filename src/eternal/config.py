"""Node and client configuration: a TOML file, then environment variables on top.

Where the file is: `--config PATH`, else $ETERNAL_CONFIG, else `<data_dir>/config.toml` (used
only if it exists). Every field has a default, so no file is needed on a local chain. Example:

    data_dir = "~/.eternal"                 # state.db, keystore/, blobs/, packages/, envs/
    account = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

    [chain]
    rpc_url = "http://127.0.0.1:8545"
    deployment = "deployment.json"          # relative paths are under data_dir

    [storage]
    blobs_dir = "/srv/eternal/blobs"        # default <data_dir>/blobs; share it on one host
    gateways = ["http://127.0.0.1:8080"]    # read-only fallbacks: GET <gateway>/ipfs/<cid>
    kubo_api = "http://127.0.0.1:5001"      # optional: also write through IPFS (kubo)

    [runtime]
    prediction_timeout = 120.0
    cog_urls = { "1" = "http://gpu-host:5000" }   # model id -> external Cog server

    [agent]
    models = [1]
    stake = "100"                            # EAI, decimal string
    concurrency = 2

    [verifier]
    stake = "1000"
    sample_rate = 1.0                        # share of revealed outputs recomputed

Environment variables override the file: ETERNAL_DATA_DIR, ETERNAL_RPC_URL, ETERNAL_DEPLOYMENT,
ETERNAL_ACCOUNT, ETERNAL_BLOBS_DIR, ETERNAL_GATEWAYS (comma-separated), ETERNAL_KUBO_API.
Passwords never live in the file: ETERNAL_PASSWORD or ETERNAL_PASSWORD_FILE (see `password`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from eternal.errors import EternalError

DEFAULT_DATA_DIR = Path("~/.eternal")
CONFIG_FILE = "config.toml"
EAI_DECIMALS = 18


class ConfigError(EternalError):
    """The configuration file or an environment variable is invalid."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def parse_eai(text: str) -> int:
    """A decimal EAI amount ("1.5") in wei; ConfigError for anything else."""
    try:
        amount = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ConfigError(f"{text!r} is not an EAI amount (a decimal number)") from exc
    wei = amount * (10**EAI_DECIMALS)
    if amount < 0 or wei != wei.to_integral_value():
        raise ConfigError(f"{text!r} is not a non-negative EAI amount with at most 18 decimals")
    return int(wei)


class ChainConfig(_Section):
    rpc_url: str = "http://127.0.0.1:8545"
    deployment: Path = Path("deployment.json")
    # Blocks per eth_getLogs request when following the chain.
    log_range: Annotated[int, Field(gt=0)] = 2_000
    poll_interval: Annotated[float, Field(gt=0)] = 1.0


class StorageConfig(_Section):
    blobs_dir: Path | None = None
    gateways: tuple[str, ...] = ()
    kubo_api: str | None = None


class RuntimeConfig(_Section):
    prediction_timeout: Annotated[float, Field(gt=0)] = 120.0
    startup_timeout: Annotated[float, Field(gt=0)] = 300.0
    cog_urls: dict[int, str] = {}


class AgentConfig(_Section):
    models: tuple[int, ...] = ()
    stake: str = "100"
    concurrency: Annotated[int, Field(ge=1, le=64)] = 2

    @field_validator("stake")
    @classmethod
    def _stake_is_amount(cls, value: str) -> str:
        parse_eai(value)
        return value


class VerifierConfig(_Section):
    stake: str = "1000"
    sample_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0

    @field_validator("stake")
    @classmethod
    def _stake_is_amount(cls, value: str) -> str:
        parse_eai(value)
        return value


class Config(_Section):
    data_dir: Path = DEFAULT_DATA_DIR
    account: str | None = None
    chain: ChainConfig = ChainConfig()
    storage: StorageConfig = StorageConfig()
    runtime: RuntimeConfig = RuntimeConfig()
    agent: AgentConfig = AgentConfig()
    verifier: VerifierConfig = VerifierConfig()

    @property
    def home(self) -> Path:
        return self.data_dir.expanduser()

    def under_home(self, path: Path) -> Path:
        path = path.expanduser()
        return path if path.is_absolute() else self.home / path

    @property
    def deployment_path(self) -> Path:
        return self.under_home(self.chain.deployment)

    @property
    def keystore_dir(self) -> Path:
        return self.home / "keystore"

    @property
    def blobs_dir(self) -> Path:
        return self.under_home(self.storage.blobs_dir or Path("blobs"))

    @property
    def packages_dir(self) -> Path:
        return self.home / "packages"

    @property
    def environments_dir(self) -> Path:
        return self.home / "envs"

    def state_db(self, role: str) -> Path:
        return self.home / f"{role}.db"


_ENV_FIELDS: dict[str, tuple[str, ...]] = {
    "ETERNAL_DATA_DIR": ("data_dir",),
    "ETERNAL_ACCOUNT": ("account",),
    "ETERNAL_RPC_URL": ("chain", "rpc_url"),
    "ETERNAL_DEPLOYMENT": ("chain", "deployment"),
    "ETERNAL_BLOBS_DIR": ("storage", "blobs_dir"),
    "ETERNAL_GATEWAYS": ("storage", "gateways"),
    "ETERNAL_KUBO_API": ("storage", "kubo_api"),
}


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The file (if any), overridden by the environment; ConfigError names what is wrong."""
    env = os.environ if env is None else env
    explicit = path or (Path(env["ETERNAL_CONFIG"]) if env.get("ETERNAL_CONFIG") else None)
    data: dict[str, Any] = {}
    if explicit is not None:
        data = _read_toml(explicit.expanduser())
    else:
        home = Path(env.get("ETERNAL_DATA_DIR", str(DEFAULT_DATA_DIR))).expanduser()
        if (home / CONFIG_FILE).is_file():
            data = _read_toml(home / CONFIG_FILE)
    for name, keys in _ENV_FIELDS.items():
        if env.get(name):
            value: Any = env[name]
            if name == "ETERNAL_GATEWAYS":
                value = [item.strip() for item in value.split(",") if item.strip()]
            section = data
            for key in keys[:-1]:
                section = section.setdefault(key, {})
            section[keys[-1]] = value
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from exc


def password(env: Mapping[str, str] | None = None) -> str | None:
    """The keystore password from ETERNAL_PASSWORD_FILE or ETERNAL_PASSWORD, if set."""
    env = os.environ if env is None else env
    if env.get("ETERNAL_PASSWORD_FILE"):
        file = Path(env["ETERNAL_PASSWORD_FILE"]).expanduser()
        try:
            return file.read_text(encoding="utf-8").rstrip("\n")
        except OSError as exc:
            raise ConfigError(f"cannot read the password file {file}: {exc}") from exc
    return env.get("ETERNAL_PASSWORD")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError as exc:
        raise ConfigError(f"no configuration file at {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
