"""EIP-2612 permits for the EAI token, signed locally with eth_account.

The token's EIP-712 domain is name "Eternal AI", version "1", the chain's id and the token's
address; a permit is only valid for the owner's current nonce.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account
from eth_account.signers.local import LocalAccount

from eternal.chain.bindings import EAIToken

DOMAIN_NAME = "Eternal AI"
DOMAIN_VERSION = "1"

PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


@dataclass(frozen=True)
class Permit:
    owner: str
    spender: str
    value: int
    deadline: int
    v: int
    r: bytes
    s: bytes


def sign_permit(
    token: EAIToken,
    owner: LocalAccount,
    spender: str,
    value: int,
    deadline: int,
    *,
    nonce: int | None = None,
    signer: LocalAccount | None = None,
) -> Permit:
    """`owner`'s permit for `spender` to take `value` until `deadline`, signed by `signer`
    (the owner unless a test forges it) over the owner's current nonce (or `nonce`)."""
    domain = {
        "name": DOMAIN_NAME,
        "version": DOMAIN_VERSION,
        "chainId": token.backend.chain_id,
        "verifyingContract": token.address,
    }
    message = {
        "owner": owner.address,
        "spender": spender,
        "value": value,
        "nonce": token.nonces(owner.address) if nonce is None else nonce,
        "deadline": deadline,
    }
    signed = Account.sign_typed_data((signer or owner).key, domain, PERMIT_TYPES, message)
    return Permit(
        owner=owner.address,
        spender=spender,
        value=value,
        deadline=deadline,
        v=signed.v,
        r=signed.r.to_bytes(32, "big"),
        s=signed.s.to_bytes(32, "big"),
    )
