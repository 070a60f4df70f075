from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.abi import function_signature_to_4byte_selector
from hypothesis import given
from hypothesis import strategies as st

from eternal.chain import PANIC_MEANINGS, Artifact, ErrorRegistry
from eternal.errors import ContractError, Panic, RevertedWithReason, TransactionFailed

NOT_ALLOWED = function_signature_to_4byte_selector("ProbeNotAllowed(uint256,address)")
ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def _error_abi(name: str, *inputs: tuple[str, str]) -> dict[str, Any]:
    return {
        "type": "error",
        "name": name,
        "inputs": [{"name": arg, "type": kind} for arg, kind in inputs],
    }


@pytest.fixture
def registry(probe_artifact: Artifact) -> ErrorRegistry:
    return ErrorRegistry([probe_artifact])


@given(reason=st.text())
def test_error_string_becomes_reverted_with_reason(reason: str) -> None:
    data = function_signature_to_4byte_selector("Error(string)") + encode(["string"], [reason])
    error = ErrorRegistry().decode(data, tx_hash="0x01")
    assert type(error) is RevertedWithReason
    assert error.reason == reason
    assert error.data == data
    assert error.tx_hash == "0x01"


@given(code=st.sampled_from(sorted(PANIC_MEANINGS)))
def test_known_panic_codes_carry_their_meaning(code: int) -> None:
    data = function_signature_to_4byte_selector("Panic(uint256)") + encode(["uint256"], [code])
    error = ErrorRegistry().decode(data)
    assert type(error) is Panic
    assert (error.code, error.meaning) == (code, PANIC_MEANINGS[code])


def test_division_by_zero_panic_meaning() -> None:
    assert PANIC_MEANINGS[0x12] == "division or modulo by zero"


def test_unknown_panic_code_still_decodes() -> None:
    data = function_signature_to_4byte_selector("Panic(uint256)") + encode(["uint256"], [0x99])
    error = ErrorRegistry().decode(data)
    assert isinstance(error, Panic)
    assert error.meaning == "unknown panic code"


@given(task=st.integers(min_value=0, max_value=2**256 - 1))
def test_custom_error_decodes_with_names_in_declaration_order(
    probe_artifact: Artifact, task: int
) -> None:
    data = NOT_ALLOWED + encode(["uint256", "address"], [task, ADDRESS])
    error = ErrorRegistry([probe_artifact]).decode(data)
    assert type(error) is ContractError
    assert (error.contract, error.name) == ("Probe", "ProbeNotAllowed")
    assert list(error.args.items()) == [("task", task), ("agent", ADDRESS)]
    assert str(error) == f"ProbeNotAllowed(task={task}, agent={ADDRESS})"


def test_arrays_decode_as_lists(registry: ErrorRegistry) -> None:
    selector = function_signature_to_4byte_selector("ProbeBadInput(bytes32,string,uint16[])")
    data = selector + encode(["bytes32", "string", "uint16[]"], [b"\x01" * 32, "no", [3, 4]])
    error = registry.decode(data)
    assert isinstance(error, ContractError)
    assert error.args == {"key": b"\x01" * 32, "note": "no", "codes": [3, 4]}


def test_tuple_parameters_and_unnamed_parameters() -> None:
    registry = ErrorRegistry()
    entry = _error_abi("Odd", ("", "uint8"))
    entry["inputs"].append(
        {
            "name": "pair",
            "type": "tuple",
            "components": [{"name": "a", "type": "uint8"}, {"name": "b", "type": "address"}],
        }
    )
    registry.add_abi("C", [entry])
    data = function_signature_to_4byte_selector("Odd(uint8,(uint8,address))") + encode(
        ["uint8", "(uint8,address)"], [1, (2, ADDRESS)]
    )
    error = registry.decode(data)
    assert isinstance(error, ContractError)
    assert error.args == {"arg0": 1, "pair": (2, ADDRESS)}


def test_same_error_in_two_contracts_prefers_the_one_at_the_address() -> None:
    registry = ErrorRegistry()
    registry.add_abi("First", [_error_abi("Nope", ("who", "address"))])
    registry.add_abi("Second", [_error_abi("Nope", ("who", "address"))])
    registry.bind(ADDRESS.lower(), "Second")
    data = function_signature_to_4byte_selector("Nope(address)") + encode(["address"], [ADDRESS])
    here = registry.decode(data, address=ADDRESS)
    elsewhere = registry.decode(data, address="0x" + "11" * 20)
    assert isinstance(here, ContractError) and here.contract == "Second"
    assert isinstance(elsewhere, ContractError) and elsewhere.contract == "First"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "reverted without data"),
        (
            bytes.fromhex("deadbeef") + b"\x00" * 32,
            "reverted with unknown error 0xdeadbeef (36 bytes)",
        ),
        (NOT_ALLOWED + b"\x01", "reverted with malformed data for selector 0x" + NOT_ALLOWED.hex()),
    ],
)
def test_undecodable_data_stays_a_plain_transaction_failed(
    registry: ErrorRegistry, data: bytes, message: str
) -> None:
    error = registry.decode(data)
    assert type(error) is TransactionFailed
    assert error.message == message
    assert error.data == data
