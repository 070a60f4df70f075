"""Accounts as the SDK and CLI see them: the signer type, addresses, ether, EIP-2612 permits.

Packages above `eternal.chain` never import eth_account or web3; they name a signing key as
`eternal.chain.wallet.LocalAccount` and use these helpers for what the contracts' bindings do
not cover: ether (which gas is paid in, and is not a contract's token) and signing a permit,
which lets a contract take EAI in the same transaction instead of after an `approve`.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.address import is_address, to_checksum_address

from eternal.chain.backend import ChainBackend
from eternal.chain.bindings.eai_token import EAIToken
from eternal.chain.transactions import TxRequest, TxResult, send
from eternal.errors import ChainError

__all__ = [
    "InvalidAddress",
    "LocalAccount",
    "PermitSignature",
    "account_from_key",
    "checksum_address",
    "eth_balance",
    "send_eth",
    "sign_permit",
]

WEI_PER_ETH = 10**18
_PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


class InvalidAddress(ChainError):
    """A string is not an Ethereum address."""


def checksum_address(text: str) -> str:
    """`text` as a checksummed address; InvalidAddress if it is not one."""
    if not is_address(text):
        raise InvalidAddress(f"{text!r} is not an Ethereum address (0x and 40 hex digits)")
    return str(to_checksum_address(text))


def account_from_key(private_key: str | bytes) -> LocalAccount:
    """The signer for a raw private key (0x-hex or 32 bytes)."""
    return Account.from_key(private_key)  # type: ignore[no-any-return]


def eth_balance(backend: ChainBackend, address: str) -> int:
    """Ether held by `address`, in wei."""
    checked = to_checksum_address(checksum_address(address))
    return int(backend._web3_call(lambda: backend.w3.eth.get_balance(checked)))


def send_eth(backend: ChainBackend, sender: LocalAccount, to: str, wei: int) -> TxResult:
    """Send `wei` ether from `sender` to `to` and wait for it to be mined."""
    return send(backend, sender, TxRequest(to=checksum_address(to), value=wei))


@dataclass(frozen=True)
class PermitSignature:
    """The (v, r, s) of an EIP-2612 permit, as `permit` and `...WithPermit` functions take it."""

    deadline: int
    v: int
    r: bytes
    s: bytes


def sign_permit(
    token: EAIToken, owner: LocalAccount, spender: str, value: int, deadline: int
) -> PermitSignature:
    """`owner`'s permit for `spender` to take `value` EAI until `deadline` (a timestamp),
    over the token's own EIP-712 domain and the owner's current nonce."""
    domain = token.eip712_domain()
    typed_domain = {
        "name": domain.name,
        "version": domain.version,
        "chainId": domain.chain_id,
        "verifyingContract": domain.verifying_contract,
    }
    message = {
        "owner": owner.address,
        "spender": checksum_address(spender),
        "value": value,
        "nonce": token.nonces(owner.address),
        "deadline": deadline,
    }
    signed = owner.sign_typed_data(typed_domain, _PERMIT_TYPES, message)
    return PermitSignature(
        deadline=deadline,
        v=signed.v,
        r=signed.r.to_bytes(32, "big"),
        s=signed.s.to_bytes(32, "big"),
    )
