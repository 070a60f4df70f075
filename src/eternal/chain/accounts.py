"""Dev accounts: the same mnemonic and derivation path as anvil, so both backends agree."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from eth_account import Account
from eth_account.signers.local import LocalAccount

# anvil's (and hardhat's) well-known test mnemonic. Never hold real funds with it.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_HD_PATH = "m/44'/60'/0'/0"

Account.enable_unaudited_hdwallet_features()


@lru_cache(maxsize=8)
def dev_accounts(
    count: int = 10, mnemonic: str = DEV_MNEMONIC, hd_path: str = DEV_HD_PATH
) -> tuple[LocalAccount, ...]:
    """The first `count` accounts of `mnemonic` (cached: deriving a key takes a few ms)."""
    return tuple(
        Account.from_mnemonic(mnemonic, account_path=f"{hd_path}/{index}") for index in range(count)
    )


def accounts_from_keys(private_keys: Sequence[str | bytes]) -> tuple[LocalAccount, ...]:
    """LocalAccount objects for raw private keys (0x-hex strings or 32 bytes)."""
    return tuple(Account.from_key(key) for key in private_keys)
