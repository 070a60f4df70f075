"""Keys in encrypted Ethereum keystore files (version 3, as geth and eth-account write them).

One file per account, `<keystore_dir>/<address>.json`, written with mode 0600. The password
comes from the caller (the CLI asks for it or reads ETERNAL_PASSWORD / ETERNAL_PASSWORD_FILE).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.address import is_address, to_checksum_address

from eternal.errors import EternalError


class KeystoreError(EternalError):
    """A key file is missing, unreadable, or the password does not open it."""


class Keystore:
    def __init__(self, directory: Path, *, scrypt_n: int | None = None) -> None:
        self.directory = directory
        # Lower scrypt cost only for tests; None keeps eth-account's default (2**18).
        self._scrypt_n = scrypt_n

    def create(self, password: str) -> str:
        """A new random key, encrypted under `password`; returns its address."""
        account: LocalAccount = Account.create()
        return self.add(account.key, password)

    def add(self, private_key: bytes | str, password: str) -> str:
        """Store an existing key (e.g. a dev key on a local chain); returns its address."""
        if not password:
            raise KeystoreError("refusing to encrypt a key with an empty password")
        account: LocalAccount = Account.from_key(private_key)
        encrypted = Account.encrypt(account.key, password, iterations=self._scrypt_n)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._path(account.address)
        temporary = path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            json.dump(encrypted, file)
        os.replace(temporary, path)
        return str(account.address)

    def addresses(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(to_checksum_address(p.stem) for p in self.directory.glob("0x*.json"))

    def load(self, address: str, password: str) -> LocalAccount:
        if not is_address(address):
            raise KeystoreError(f"{address!r} is not an Ethereum address")
        path = self._path(address)
        try:
            encrypted = json.loads(path.read_text())
        except FileNotFoundError as exc:
            raise KeystoreError(f"no key for {address} in {self.directory}") from exc
        except (OSError, json.JSONDecodeError) as exc:
            raise KeystoreError(f"{path} is not a keystore file: {exc}") from exc
        try:
            key = Account.decrypt(encrypted, password)
        except ValueError as exc:
            raise KeystoreError(f"wrong password for {address}") from exc
        return Account.from_key(key)  # type: ignore[no-any-return]

    def _path(self, address: str) -> Path:
        return self.directory / f"{to_checksum_address(address)}.json"
