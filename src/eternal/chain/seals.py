"""The commitments agents and committee members publish before revealing.

They must match the contracts bit for bit:
- an agent's seal: keccak256(abi.encode(taskId, agent, outputDigest, salt)) (TaskManager);
- a committee vote's seal: keccak256(abi.encode(disputeId, member, vote, salt)) (DisputeManager).
The task manager keeps the first 128 bits of seals and revealed digests; EXACT votes are compared
on the same 128 bits (`digest_prefix`).
"""

from __future__ import annotations

import secrets

from eth_abi.abi import encode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

VOTE_ACCEPT = (1).to_bytes(32, "big")
VOTE_REJECT = (2).to_bytes(32, "big")


def new_salt() -> bytes:
    """A fresh 32-byte salt: it keeps a committed digest secret until it is revealed."""
    return secrets.token_bytes(32)


def task_seal(task_id: int, agent: str, digest: bytes, salt: bytes) -> bytes:
    return keccak(
        encode(
            ["uint256", "address", "bytes32", "bytes32"],
            [task_id, to_checksum_address(agent), _word(digest), _word(salt)],
        )
    )


def vote_seal(dispute_id: int, member: str, vote: bytes, salt: bytes) -> bytes:
    return keccak(
        encode(
            ["uint256", "address", "bytes32", "bytes32"],
            [dispute_id, to_checksum_address(member), _word(vote), _word(salt)],
        )
    )


def digest_prefix(digest: bytes) -> bytes:
    """What the chain stores of a digest: its first 128 bits, left-aligned in 32 bytes."""
    return _word(digest)[:16] + bytes(16)


def _word(value: bytes) -> bytes:
    if len(value) != 32:
        raise ValueError(f"expected 32 bytes, got {len(value)}")
    return value
