"""A whole network on this machine for integration tests: anvil, the contracts, a shared blob
store, and agents and verifiers as separate OS processes (`python -m eternal agent run`).

Every node gets its own data dir (config.toml, keystore, SQLite state, package cache) and
shares the blob directory, as nodes on one host would. Logs are kept under the test's tmp dir
and printed when a wait times out.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from eth_account.signers.local import LocalAccount

from eternal.chain import AnvilProcess, RpcChain
from eternal.chain.bindings.model_registry import ModelTerms
from eternal.chain.bindings.model_registry import VerificationMode as ChainMode
from eternal.chain.bindings.task_manager import TaskFinalized, TaskRevealed, TaskState
from eternal.chain.keystore import Keystore
from eternal.chain.params import EAI, DisputeParams, ProtocolParams, TaskParams
from eternal.models.archive import pack
from eternal.models.metadata import VerificationMode
from eternal.models.package import ModelPackage
from eternal.runtime.inputs import encode_task_input
from eternal.storage.cid import sha256, uri_of
from eternal.storage.local import LocalStore
from tests.support.network import Network

PASSWORD = "integration-test"
T = TypeVar("T")

# The shortest windows the contracts accept: tests move anvil's clock past them.
FAST_PARAMS = ProtocolParams(
    tasks=TaskParams(commit_window=30, reveal_window=30, challenge_window=60),
    disputes=DisputeParams(vote_commit_window=60, vote_reveal_window=60),
    epoch_length=600,
)


@dataclass
class NodeProcess:
    role: str
    account: LocalAccount
    home: Path
    args: list[str]
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.home / f"{self.role}.log"

    def start(self) -> NodeProcess:
        env = {**os.environ, "ETERNAL_PASSWORD": PASSWORD, "ETERNAL_CONFIG": str(self.config)}
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "eternal", self.role, "run", *self.args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def config(self) -> Path:
        return self.home / "config.toml"

    def kill(self) -> None:
        """SIGKILL the node and everything it started (its Cog server too): a crash."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)
        if self.process is not None:
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)

    def _signal(self, signum: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            return
        if signum == signal.SIGKILL:
            self.process.wait()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class LiveNetwork:
    root: Path
    anvil: AnvilProcess
    net: Network
    store: LocalStore
    nodes: list[NodeProcess] = field(default_factory=list)

    @classmethod
    def start(cls, root: Path, params: ProtocolParams = FAST_PARAMS) -> LiveNetwork:
        anvil = AnvilProcess(accounts=24).start()
        keys = [account.key for account in anvil.dev_accounts()]
        net = Network.create(RpcChain(anvil.url, keys), params, users=2, agents=8, verifiers=12)
        net.protocol.deployment.save(root / "deployment.json")
        return cls(root, anvil, net, LocalStore(root / "blobs"))

    @property
    def chain(self) -> RpcChain:
        chain = self.net.chain
        assert isinstance(chain, RpcChain)
        return chain

    def publish(self, package_dir: Path, *, fee: int = 10 * EAI, redundancy: int = 3) -> int:
        package = ModelPackage.load(package_dir)
        archive = pack(package)
        self.store.put(archive)
        metadata_cid = self.store.put(package.metadata.to_canonical_json())
        mode = package.metadata.verification.mode
        terms = ModelTerms(
            fee=fee,
            min_agent_stake=100 * EAI,
            redundancy=redundancy,
            mode=ChainMode.TOLERANT if mode is VerificationMode.TOLERANT else ChainMode.EXACT,
        )
        registry = self.net.protocol.registry
        registry.register_model(
            self.net.creator,
            sha256(archive),
            uri_of(metadata_cid),
            terms,
        )
        return registry.model_count()

    def home_of(self, role: str, account: LocalAccount, *, timeout: float = 20.0) -> Path:
        """A data dir for `account` acting as `role`: its key and a config.toml (made once)."""
        home = self.root / f"{role}-{account.address[:10]}"
        if not (home / "config.toml").exists():
            Keystore(home / "keystore", scrypt_n=2**4).add(account.key, PASSWORD)
            (home / "config.toml").write_text(
                f'data_dir = "{home}"\naccount = "{account.address}"\n'
                f'[chain]\nrpc_url = "{self.anvil.url}"\n'
                f'deployment = "{self.root / "deployment.json"}"\n'
                f"poll_interval = 0.3\n"
                f'[storage]\nblobs_dir = "{self.root / "blobs"}"\n'
                f"[runtime]\nprediction_timeout = {timeout}\nstartup_timeout = 180.0\n"
            )
        return home

    def cli(
        self, role: str, account: LocalAccount, *args: str, timeout: float = 300.0
    ) -> subprocess.CompletedProcess[str]:
        """Run `python -m eternal ARGS` as `account` (a user, a creator) and wait for it."""
        home = self.home_of(role, account)
        env = {
            **os.environ,
            "ETERNAL_PASSWORD": PASSWORD,
            "ETERNAL_CONFIG": str(home / "config.toml"),
        }
        return subprocess.run(
            [sys.executable, "-m", "eternal", *args],
            cwd=home,  # files a command saves by default land in its data dir
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def _node(
        self, role: str, account: LocalAccount, args: list[str], *, timeout: float = 20.0
    ) -> NodeProcess:
        home = self.home_of(role, account, timeout=timeout)
        node = NodeProcess(role, account, home, args).start()
        self.nodes.append(node)
        return node

    def start_agent(
        self, account: LocalAccount, model_id: int, behaviour: str = "honest", timeout: float = 20.0
    ) -> NodeProcess:
        args = ["--model", str(model_id), "--behaviour", behaviour]
        return self._node("agent", account, args, timeout=timeout)

    def start_verifier(self, account: LocalAccount, behaviour: str = "honest") -> NodeProcess:
        return self._node("verifier", account, ["--behaviour", behaviour])

    def wait_for(self, what: str, probe: Callable[[], T | None], timeout: float = 90.0) -> T:
        """Poll `probe` until it returns something truthy; on timeout show every node's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = probe()
            if value:
                return value
            for node in self.nodes:
                if node.process is not None and node.process.poll() not in (None, -9):
                    raise AssertionError(f"{node.role} exited early:\n{node.log_text()[-3000:]}")
            time.sleep(0.3)
        logs = "\n".join(
            f"--- {n.role} {n.account.address}\n{n.log_text()[-2500:]}" for n in self.nodes
        )
        raise AssertionError(f"timed out waiting for {what}\n{logs}")

    def supply_is_conserved(self) -> bool:
        """Stop the nodes first: balances read one by one while they send would not add up."""
        self.stop_nodes()
        return self.net.supply_is_conserved()

    def stop_nodes(self) -> None:
        for node in self.nodes:
            node.stop()

    def stop(self) -> None:
        self.stop_nodes()
        self.net.chain.close()
        self.anvil.stop()


def submit(live: LiveNetwork, user: LocalAccount, model_id: int, **inputs: object) -> int:
    """A user's prompt, inline, as the SDK sends it; returns the task id."""
    tasks = live.net.protocol.tasks
    fee = live.net.protocol.registry.terms(model_id).fee
    tasks.submit_prompt(user, model_id, encode_task_input(inputs), fee)
    return tasks.task_count()


def task_state(live: LiveNetwork, task_id: int) -> TaskState:
    return live.net.protocol.tasks.task(task_id).state


def winner_output(live: LiveNetwork, task_id: int) -> bytes:
    """The winning output, read from the store by the winner's reveal (verified by its CID):
    the one paid out, else (before payout) the accepted one."""
    tasks = live.net.protocol.tasks
    task = tasks.task(task_id)
    paid = [e.winner_id for e in tasks.logs(0, "latest", TaskFinalized) if e.task_id == task_id]
    winner = paid[0] if paid else task.agent_ids[task.winner_index]
    reveals = [e for e in tasks.logs(0, "latest", TaskRevealed) if e.task_id == task_id]
    uri = next(e.output_uri for e in reveals if e.agent_id == winner)
    return live.store.get(uri)
