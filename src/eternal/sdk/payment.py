"""Sending a prompt's submission and paying its fee, in as few transactions as possible.

    inline input,  allowance covers the fee   submitPrompt                   1 transaction
    inline input,  no allowance               submitPromptWithPermit         1 (permit signed here)
    input by URI,  allowance covers the fee   submitPromptByRef              1
    input by URI,  no allowance               approve + submitPromptByRef    2 (no permit variant)

An input longer than the task manager's `maxInlineInput` is stored and sent by URI and SHA-256.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from eternal.chain.bindings.task_manager import TaskSubmitted
from eternal.chain.protocol import Protocol
from eternal.chain.transactions import TxResult
from eternal.chain.wallet import LocalAccount, sign_permit
from eternal.sdk.errors import SdkError
from eternal.storage.cid import sha256, uri_of
from eternal.storage.store import BlobStore

PERMIT_LIFETIME = 3_600  # seconds a fee permit stays valid: the submission is sent at once


@dataclass(frozen=True)
class Sent:
    """The transactions a submission took (the last one submitted), and the task they made."""

    task_id: int
    transactions: tuple[TxResult, ...]
    input_uri: str | None


def send_submission(
    protocol: Protocol,
    signer: LocalAccount,
    store: BlobStore,
    model_id: int,
    encoded_input: bytes,
    fee: int,
) -> Sent:
    p = protocol
    allowed = p.token.allowance(signer.address, p.tasks.address) >= fee
    sent: list[TxResult] = []
    input_uri = None
    if len(encoded_input) <= p.tasks.params().max_inline_input:
        if allowed:
            sent.append(p.tasks.submit_prompt(signer, model_id, encoded_input, fee))
        else:
            deadline = max(p.backend.latest_timestamp(), int(time.time())) + PERMIT_LIFETIME
            permit = sign_permit(p.token, signer, p.tasks.address, fee, deadline)
            sent.append(
                p.tasks.submit_prompt_with_permit(
                    signer, model_id, encoded_input, fee, deadline, permit.v, permit.r, permit.s
                )
            )
    else:
        if not allowed:
            sent.append(p.token.approve(signer, p.tasks.address, fee))
        input_uri = uri_of(store.put(encoded_input))
        digest = sha256(encoded_input)
        sent.append(p.tasks.submit_prompt_by_ref(signer, model_id, input_uri, digest, fee))
    return Sent(_task_id(p, sent[-1]), tuple(sent), input_uri)


def _task_id(protocol: Protocol, result: TxResult) -> int:
    for event in protocol.tasks.events(result):
        if isinstance(event, TaskSubmitted):
            return event.task_id
    raise SdkError(f"transaction {result.tx_hash} emitted no TaskSubmitted event")
