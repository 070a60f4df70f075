import pickle

import pytest

from eternal.errors import (
    ChainError,
    ContractError,
    EternalError,
    NodeStartError,
    Panic,
    RevertedWithReason,
    RpcError,
    TransactionFailed,
)

AGENT = "0xAbC0000000000000000000000000000000000001"


def test_contract_error_reads_like_the_solidity_call() -> None:
    error = ContractError("NotAssigned", {"task": 7, "agent": AGENT}, contract="TaskManager")
    assert str(error) == f"NotAssigned(task=7, agent={AGENT})"
    assert error.args == {"task": 7, "agent": AGENT}
    assert list(error.args) == ["task", "agent"]
    assert error.contract == "TaskManager"


def test_contract_error_formats_bytes_strings_and_arrays() -> None:
    error = ContractError(
        "Bad", {"key": b"\x01\x02", "note": "hi", "codes": [1, 2], "pair": (3, True)}, contract="C"
    )
    assert str(error) == "Bad(key=0x0102, note='hi', codes=[1, 2], pair=(3, True))"


def test_str_names_the_transaction_when_known() -> None:
    error = RevertedWithReason("nope", tx_hash="0xabc")
    assert str(error) == "reverted: nope (tx 0xabc)"


@pytest.mark.parametrize(
    ("exc", "parents"),
    [
        (RpcError("x"), (ChainError, EternalError)),
        (NodeStartError("x"), (ChainError, EternalError)),
        (ContractError("E", {}, contract="C"), (TransactionFailed, ChainError)),
        (RevertedWithReason("r"), (TransactionFailed, ChainError)),
        (Panic(0x12, "division or modulo by zero"), (TransactionFailed, ChainError)),
    ],
)
def test_exception_tree(exc: EternalError, parents: tuple[type[Exception], ...]) -> None:
    assert all(isinstance(exc, parent) for parent in parents)


@pytest.mark.parametrize(
    "exc",
    [
        ContractError("E", {"a": 1}, contract="C", data=b"\x01", tx_hash="0x1"),
        Panic(0x11, "arithmetic overflow or underflow"),
        RpcError("down", method="eth_call", attempts=3),
        TransactionFailed("reverted without data"),
    ],
)
def test_exceptions_survive_pickling(exc: EternalError) -> None:
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc)
    assert str(copy) == str(exc)
    assert copy.__dict__ == exc.__dict__
