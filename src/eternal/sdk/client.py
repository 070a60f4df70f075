"""`eternal.Client`: submit prompts to models and get their verified outputs.

    client = eternal.Client(rpc_url="http://127.0.0.1:8545", deployment="deployment.json",
                            account=account, store=store)
    result = client.run(1, prompt="Tell me about dragons")      # submit + wait
    print(result.output, result.finality)

    submission = client.submit(1, prompt="...")                  # or step by step
    result = client.wait(submission, on_progress=print)
    final = client.wait_final(submission)                        # until paid out, beyond dispute

`wait` returns once the task is accepted (its output stands but can still be challenged until
`result.finality.challenge_deadline`), finalized or refunded. While it waits it also moves the
task on when it is due and nobody else did (`settle=True`, with an account): after the reveal
deadline that resolves it (penalizing no-shows, reassigning, refunding), so a prompt nobody
answers comes back as a refund instead of waiting forever.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from eternal.chain.bindings.task_manager import TaskRevealed, TaskState, TaskSubmitted, TaskView
from eternal.chain.connect import connect, is_local_chain
from eternal.chain.protocol import Protocol
from eternal.chain.transactions import TxResult
from eternal.chain.wallet import LocalAccount
from eternal.config import Config, load_config
from eternal.errors import ContractError
from eternal.models.metadata import MetadataError, ModelMetadata
from eternal.sdk.errors import InsufficientFunds, ModelUnavailable, SdkError, TaskTimeout
from eternal.sdk.follower import DEFAULT_LOG_RANGE, TaskFollower
from eternal.sdk.inputs import build_task_input
from eternal.sdk.outputs import fetch_output
from eternal.sdk.payment import send_submission
from eternal.sdk.results import Finality, Progress, Result, Status, Submission, TaskOutput
from eternal.sdk.tracker import TaskTracker
from eternal.storage.errors import StorageError
from eternal.storage.from_config import open_store
from eternal.storage.store import BlobStore

OnProgress = Callable[[Progress], None]
DEFAULT_TIMEOUT = 600.0  # seconds: two commit + reveal rounds with the default windows fit
# Errors that only mean "not yet" or "someone else already did it" when settling a task.
_SETTLE_RACES = frozenset({"TaskManagerNotDue", "TaskManagerWrongState"})


class Client:
    """A user's handle on the network: one account, one deployment, one blob store.

    Give either `rpc_url` and `deployment` (the deployment file's path) or an already connected
    `protocol`. Without an `account` the client only reads (follows tasks, reads models).
    `store` holds inputs and reads outputs and metadata (default: the store the configuration
    describes, `~/.eternal/blobs` unless configured otherwise).
    """

    def __init__(
        self,
        *,
        account: LocalAccount | None,
        store: BlobStore | None = None,
        rpc_url: str | None = None,
        deployment: Path | str | None = None,
        protocol: Protocol | None = None,
        poll_interval: float = 1.0,
        log_range: int = DEFAULT_LOG_RANGE,
    ) -> None:
        if protocol is None:
            if rpc_url is None or deployment is None:
                raise TypeError("Client needs rpc_url and deployment, or a connected protocol")
            protocol = connect(rpc_url, Path(deployment), [account] if account else [])
        elif rpc_url is not None or deployment is not None:
            raise TypeError("give Client either rpc_url and deployment, or protocol, not both")
        self.protocol = protocol
        self.account = account
        self.store = store if store is not None else open_store(load_config())
        self.poll_interval = poll_interval
        self.log_range = log_range
        self._metadata: dict[int, ModelMetadata] = {}
        self._agents: dict[int, str] = {}
        self._dev_chain: bool | None = None

    @classmethod
    def from_config(
        cls, config: Config, account: LocalAccount | None, *, store: BlobStore | None = None
    ) -> Client:
        """A client on the configured chain, deployment and store."""
        accounts = [account] if account is not None else []
        return cls(
            protocol=connect(config.chain.rpc_url, config.deployment_path, accounts),
            account=account,
            store=store if store is not None else open_store(config),
            poll_interval=config.chain.poll_interval,
            log_range=config.chain.log_range,
        )

    # ------------------------------------------------------------------ models

    def metadata(self, model_id: int) -> ModelMetadata:
        """A model's metadata, read from its metadata URI (`ipfs://<cid>`) through the store."""
        cached = self._metadata.get(model_id)
        if cached is not None:
            return cached
        count = self.protocol.registry.model_count()
        if not 1 <= model_id <= count:
            raise ModelUnavailable(f"there is no model {model_id} (models are 1..{count})")
        uri = self.protocol.registry.token_uri(model_id)
        try:
            metadata = ModelMetadata.from_json(self.store.get(uri))
        except (StorageError, MetadataError) as exc:
            raise ModelUnavailable(
                f"cannot read model {model_id}'s metadata at {uri}: {exc}"
            ) from exc
        self._metadata[model_id] = metadata
        return metadata

    # ------------------------------------------------------------------ prompts

    def submit(
        self, model_id: int, inputs: Mapping[str, Any] | None = None, /, **named: Any
    ) -> Submission:
        """Validate the inputs, store the files, pay the fee and submit; returns at once.

        The fee is paid in as few transactions as possible (see `eternal.sdk.payment`).

        Inputs come as a mapping, as keyword arguments, or both. Raises InvalidInput before any
        transaction when the model would refuse them, ModelUnavailable when nobody can run the
        model, InsufficientFunds when the fee is out of reach.
        """
        p = self.protocol
        signer = self._signer()
        user = signer.address
        metadata = self.metadata(model_id)
        encoded = build_task_input(metadata, {**(inputs or {}), **named}, self.store)
        if p.agents.pool_size(model_id) == 0:
            raise ModelUnavailable(
                f"model {model_id} has no agents in its pool: nobody can run it now"
            )
        fee = p.registry.terms(model_id).fee
        balance = p.token.balance_of(user)
        if balance < fee:
            raise InsufficientFunds(
                f"{user} holds {balance} wei of EAI; model {model_id}'s fee is {fee} wei"
            )
        sent = send_submission(p, signer, self.store, model_id, encoded, fee)
        submitted = sent.transactions[-1]
        return Submission(
            task_id=sent.task_id,
            model_id=model_id,
            user=user,
            fee=fee,
            block_number=submitted.block_number,
            metadata=metadata,
            tx_hashes=tuple(tx.tx_hash for tx in sent.transactions),
            gas_used=sum(tx.gas_used for tx in sent.transactions),
            input_uri=sent.input_uri,
        )

    def run(
        self,
        model_id: int,
        inputs: Mapping[str, Any] | None = None,
        /,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        on_progress: OnProgress | None = None,
        **named: Any,
    ) -> Result:
        """`submit` then `wait`: the accepted (or refunded) result."""
        submission = self.submit(model_id, inputs, **named)
        return self.wait(submission, on_progress=on_progress, timeout=timeout)

    def wait(
        self,
        task: Submission | int,
        *,
        on_progress: OnProgress | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        settle: bool = True,
    ) -> Result:
        """Follow a task until it is accepted, finalized or refunded.

        `on_progress` gets every step (`Progress`), starting from the submission. A task id
        instead of a `Submission` follows it from the deployment's first block. Raises
        OutputRejected when the accepted output's stored bytes do not match its digest, and
        TaskTimeout after `timeout` seconds.
        """
        return self._follow(
            task, final=False, on_progress=on_progress, timeout=timeout, settle=settle
        )

    def wait_final(
        self,
        task: Submission | Result | int,
        *,
        on_progress: OnProgress | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        settle: bool = True,
    ) -> Result:
        """Follow a task until it is finalized (paid out, beyond dispute) or refunded.

        The winning agent usually finalizes it when claiming; with `settle` this client also
        calls `finalize` itself once the challenge window has closed.
        """
        if isinstance(task, Result):
            task = task.task_id
        return self._follow(
            task, final=True, on_progress=on_progress, timeout=timeout, settle=settle
        )

    def task(self, task_id: int) -> TaskView:
        """The task's on-chain record; SdkError if there is no such task."""
        try:
            view = self.protocol.tasks.task(task_id)
        except ContractError as exc:
            if exc.name != "TaskManagerUnknownTask":
                raise
            view = None
        if view is None or view.state is TaskState.NONE:
            count = self.protocol.tasks.task_count()
            raise SdkError(f"there is no task {task_id} (tasks are 1..{count})")
        return view

    # ------------------------------------------------------------------ following

    def _follow(
        self,
        task: Submission | int,
        *,
        final: bool,
        on_progress: OnProgress | None,
        timeout: float,
        settle: bool,
    ) -> Result:
        submission = task if isinstance(task, Submission) else self._submission_of(task)
        metadata = submission.metadata
        task_id = submission.task_id

        def load_output(reveal: TaskRevealed) -> TaskOutput:
            return fetch_output(self.store, metadata, reveal.output_uri, reveal.digest)

        tracker = TaskTracker(task_id, load_output, self._agent_address)
        follower = TaskFollower(
            self.protocol, task_id, submission.block_number, log_range=self.log_range
        )
        settled: list[TxResult] = []
        give_up = time.monotonic() + timeout
        while True:
            for event in follower.poll():
                for progress in tracker.apply(event):
                    if on_progress is not None:
                        on_progress(progress)
            done = tracker.status is not None and (
                final is False or tracker.status is not Status.ACCEPTED
            )
            if done:
                return _result(submission, tracker, settled)
            if settle:
                moved = self._settle_if_due(task_id, final=final)
                if moved is not None:
                    settled.append(moved)
                    continue
            if time.monotonic() >= give_up:
                state = self.protocol.tasks.task(task_id).state.name.lower()
                raise TaskTimeout(
                    f"task {task_id} is still {state} after {timeout:g} s",
                    task_id=task_id,
                    state=state,
                )
            time.sleep(self.poll_interval)

    def _settle_if_due(self, task_id: int, *, final: bool) -> TxResult | None:
        """Call `finalize` when the task's current phase is over; the transaction if sent."""
        if self.account is None:
            return None
        view = self.protocol.tasks.task(task_id)
        open_phase = view.state in (TaskState.COMMITTING, TaskState.REVEALING)
        if not (open_phase or (final and view.state is TaskState.ACCEPTED)):
            return None
        backend = self.protocol.backend
        if backend.latest_timestamp() <= view.deadline:
            # Not over on chain. A dev chain (anvil) mines only when it gets a transaction, so
            # its last block's time lags the clock and a call estimated there would revert: once
            # the clock is past the deadline, have it mine a block stamped now. Real chains
            # make blocks on their own.
            if int(time.time()) <= view.deadline or not self._on_dev_chain():
                return None
            backend.mine()
        try:
            return self.protocol.tasks.finalize(self.account, task_id)
        except ContractError as exc:
            if exc.name in _SETTLE_RACES:
                return None
            raise

    def _submission_of(self, task_id: int) -> Submission:
        """A Submission rebuilt from the chain, for a task this client did not submit."""
        view = self.task(task_id)
        start = self.protocol.deployment.block_number
        follower = TaskFollower(self.protocol, task_id, start, log_range=self.log_range)
        submitted = next((e for e in follower.poll() if isinstance(e, TaskSubmitted)), None)
        if submitted is None:
            raise SdkError(f"task {task_id}: no TaskSubmitted event since block {start}")
        return Submission(
            task_id=task_id,
            model_id=view.model_id,
            user=view.user,
            fee=submitted.fee,
            block_number=submitted.block_number,
            metadata=self.metadata(view.model_id),
            tx_hashes=(),
            gas_used=0,
        )

    def _on_dev_chain(self) -> bool:
        if self._dev_chain is None:
            self._dev_chain = is_local_chain(self.protocol.backend)
        return self._dev_chain

    def _signer(self) -> LocalAccount:
        if self.account is None:
            raise SdkError("this client has no account: it can follow tasks but not submit")
        return self.account

    def _agent_address(self, agent_id: int) -> str:
        address = self._agents.get(agent_id)
        if address is None:
            address = self._agents[agent_id] = self.protocol.agents.agent_of(agent_id)
        return address


def _result(submission: Submission, tracker: TaskTracker, settled: list[TxResult]) -> Result:
    assert tracker.status is not None
    output = tracker.output if tracker.status is not Status.REFUNDED else None
    deadline = tracker.challenge_deadline if tracker.status is Status.ACCEPTED else None
    return Result(
        task_id=submission.task_id,
        model_id=submission.model_id,
        status=tracker.status,
        finality=Finality(tracker.status, deadline),
        output=output.value if output is not None else None,
        output_digest=output.digest if output is not None else None,
        output_uri=output.uri if output is not None else None,
        winner=tracker.winner if output is not None else None,
        files=output.files if output is not None else {},
        fee=submission.fee,
        refunded=tracker.refunded,
        tx_hashes=submission.tx_hashes + tuple(tx.tx_hash for tx in settled),
        gas_used=submission.gas_used + sum(tx.gas_used for tx in settled),
        media_type=output.media_type if output is not None else None,
    )
