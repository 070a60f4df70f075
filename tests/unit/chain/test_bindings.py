"""Generated contract bindings: the generator's rules, and a round trip on the embedded chain."""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from eternal.chain.bindings import EAIToken, ModelRegistry, events_of
from eternal.chain.bindings._runtime import EventSpec
from eternal.chain.bindings.eai_token import OwnershipTransferred, Transfer
from eternal.chain.bindings.model_registry import ModelRegistered, ModelTerms, VerificationMode
from eternal.chain.bindings.model_registry import Transfer as ModelTransfer
from eternal.chain.embedded import EmbeddedChain
from eternal.errors import ContractError

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "src" / "eternal" / "chain" / "artifacts"
BINDINGS = ROOT / "src" / "eternal" / "chain" / "bindings"
ZERO = "0x0000000000000000000000000000000000000000"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _load("gen_bindings", ROOT / "scripts" / "gen_bindings.py")


# Generator ----------------------------------------------------------------------------------


def test_generator_gives_the_same_bytes_twice(gen: ModuleType, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    gen.write(gen.generate(ARTIFACTS), first)
    gen.write(gen.generate(ARTIFACTS), second)
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    assert "task_manager.py" in names and "__init__.py" in names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_committed_bindings_match_the_packaged_artifacts(gen: ModuleType) -> None:
    for name, text in gen.generate(ARTIFACTS).items():
        assert (BINDINGS / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run `make contracts`"
        )


@pytest.mark.parametrize(
    ("solidity", "python"),
    [
        ("submitPromptWithPermit", "submit_prompt_with_permit"),
        ("balanceOf", "balance_of"),
        ("tokenURI", "token_uri"),
        ("setMetadataURI", "set_metadata_uri"),
        ("DOMAIN_SEPARATOR", "domain_separator"),
        ("MAX_DRAW", "max_draw"),
        ("eip712Domain", "eip712_domain"),
        ("EAIToken", "eai_token"),
        ("params_", "params"),
        ("_owner", "owner"),
        ("agentIds", "agent_ids"),
    ],
)
def test_snake_case(gen: ModuleType, solidity: str, python: str) -> None:
    assert gen.snake_case(solidity) == python


def _fn(name: str, *inputs: tuple[str, str]) -> dict[str, Any]:
    return {
        "type": "function",
        "name": name,
        "stateMutability": "nonpayable",
        "inputs": [{"name": n, "type": t, "internalType": t} for n, t in inputs],
        "outputs": [],
    }


def test_shortest_overload_keeps_the_name_and_others_add_their_extra_parameters(
    gen: ModuleType,
) -> None:
    short = _fn("safeTransferFrom", ("from", "address"), ("to", "address"), ("tokenId", "uint256"))
    long = _fn(
        "safeTransferFrom",
        ("from", "address"),
        ("to", "address"),
        ("tokenId", "uint256"),
        ("data", "bytes"),
    )
    names = gen._overload_names("safe_transfer_from", [long, short])
    assert (names[id(short)], names[id(long)]) == (
        "safe_transfer_from",
        "safe_transfer_from_with_data",
    )


def test_overloads_of_equal_length_are_named_after_their_types(gen: ModuleType) -> None:
    by_number = _fn("set", ("value", "uint256"))
    by_address = _fn("set", ("value", "address"))
    names = gen._overload_names("set", [by_number, by_address])
    assert (names[id(by_number)], names[id(by_address)]) == ("set_uint256", "set_address")


def _fake_abi() -> list[dict[str, Any]]:
    thing = {
        "name": "thing",
        "type": "tuple",
        "internalType": "struct IFake.Thing",
        "components": [
            {"name": "owner", "type": "address", "internalType": "address"},
            {"name": "mode", "type": "uint8", "internalType": "enum IFake.Mode"},
            {"name": "ids", "type": "uint24[]", "internalType": "uint24[]"},
        ],
    }
    return [
        {
            "type": "constructor",
            "stateMutability": "nonpayable",
            "inputs": [{"name": "owner_", "type": "address", "internalType": "address"}],
        },
        _fn("events"),
        _fn("move", ("from", "address"), ("sender", "address"), ("gas", "uint256")),
        {**_fn("put"), "inputs": [thing]},
        {
            "type": "function",
            "name": "stats",
            "stateMutability": "view",
            "inputs": [],
            "outputs": [
                {"name": "count", "type": "uint256", "internalType": "uint256"},
                {"name": "", "type": "bool", "internalType": "bool"},
            ],
        },
        {
            "type": "event",
            "name": "Thing",
            "anonymous": False,
            "inputs": [
                {"name": "label", "type": "string", "internalType": "string", "indexed": True},
                {"name": "address", "type": "address", "internalType": "address", "indexed": False},
                {**thing, "name": "value", "indexed": False},
            ],
        },
    ]


@pytest.fixture
def fake(gen: ModuleType, tmp_path: Path) -> ModuleType:
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    artifact = {"contractName": "Fake", "sourceName": "contracts/Fake.sol", "abi": _fake_abi()}
    artifact |= {"bytecode": "0x00", "deployedBytecode": "0x00"}
    (artifacts / "Fake.json").write_text(json.dumps(artifact))
    (artifacts / "enums.json").write_text(json.dumps({"IFake.Mode": ["None", "ReadOnly"]}))
    gen.write(gen.generate(artifacts), tmp_path / "out")
    return _load("fake_binding", tmp_path / "out" / "fake.py")


def test_names_dodge_keywords_binding_attributes_and_the_generated_parameters(
    fake: ModuleType,
) -> None:
    cls = fake.Fake
    assert hasattr(cls, "events_") and hasattr(cls, "put")  # `events` is the decoder
    move = list(inspect.signature(cls.move).parameters)
    assert move == ["self", "sender", "from_", "sender_", "gas_", "gas"]
    assert list(inspect.signature(cls.deploy).parameters)[:4] == [
        "backend",
        "sender",
        "owner",
        "gas",
    ]


def test_enums_structs_events_and_results_get_their_python_shapes(fake: ModuleType) -> None:
    assert [member.name for member in fake.Mode] == ["NONE", "READ_ONLY"]
    thing = fake.Thing(owner=ZERO, mode=fake.Mode.READ_ONLY, ids=(1, 2))
    assert thing.to_abi() == (ZERO, 1, [1, 2])
    # The event clashes with the struct: it takes the suffix; its `address` field too.
    assert [f.name for f in dataclasses.fields(fake.ThingEvent)] == [
        *("tx_hash", "block_number", "log_index", "address"),
        *("label", "address_", "value"),
    ]
    assert fake.StatsResult._fields == ("count_", "value1")


def test_indexed_string_event_field_is_the_hash_the_log_carries(fake: ModuleType) -> None:
    spec: EventSpec = fake.ThingEvent.EVENT
    assert spec.signature == "Thing(string,address,(address,uint8,uint24[]))"
    owner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    data = encode(["address", "(address,uint8,uint24[])"], [owner, (owner, 1, [7])])
    log: Any = {
        "address": owner.lower(),
        "topics": [spec.topic, keccak(text="hello")],
        "data": data,
        "transactionHash": b"\x01" * 32,
        "blockNumber": 3,
        "logIndex": 0,
    }
    event = fake.ThingEvent.from_log(log)
    assert event.label == keccak(text="hello")
    assert event.address_ == owner and event.address == owner
    assert event.value == fake.Thing(owner=owner, mode=fake.Mode.READ_ONLY, ids=(7,))
    assert (event.tx_hash, event.block_number, event.log_index) == (b"\x01" * 32, 3, 0)


# Round trip on the embedded chain ------------------------------------------------------------


def test_token_transfer_decodes_its_event_and_moves_the_balance(
    embedded_chain: EmbeddedChain,
) -> None:
    governance, holder, receiver = embedded_chain.accounts[:3]
    token, deployment = EAIToken.deploy(
        embedded_chain, governance, 10**27, [holder.address], [10**24], governance.address
    )
    genesis = events_of(deployment, Transfer)
    assert [(e.from_, e.to, e.value) for e in genesis] == [(ZERO, holder.address, 10**24)]

    result = token.transfer(holder, receiver.address, 250)

    assert token.events(result) == (
        Transfer(
            from_=holder.address,
            to=receiver.address,
            value=250,
            tx_hash=bytes.fromhex(result.tx_hash.removeprefix("0x")),
            block_number=result.block_number,
            log_index=0,
            address=token.address,
        ),
    )
    assert events_of(result, Transfer) == token.events(result)
    assert token.balance_of(receiver.address) == 250
    assert token.balance_of(holder.address) == 10**24 - 250
    # A daemon's view: the same events from eth_getLogs, all or one class.
    assert token.logs(0, "latest", Transfer) == (*genesis, *token.events(result))
    assert {type(e) for e in token.logs(0, "latest")} == {OwnershipTransferred, Transfer}


def test_model_terms_round_trip_through_a_struct_with_an_enum(
    embedded_chain: EmbeddedChain,
) -> None:
    governance, creator = embedded_chain.accounts[:2]
    registry, _ = ModelRegistry.deploy(embedded_chain, governance, governance.address, 10**18)
    terms = ModelTerms(
        fee=5 * 10**15, min_agent_stake=2 * 10**18, redundancy=3, mode=VerificationMode.TOLERANT
    )

    result = registry.register_model(creator, b"\x11" * 32, "uri", terms)

    registered = events_of(result, ModelRegistered)
    assert [(e.model_id, e.creator, e.metadata_uri, e.mode) for e in registered] == [
        (1, creator.address, "uri", VerificationMode.TOLERANT)
    ]
    (minted,) = events_of(result, ModelTransfer)  # ERC-721 Transfer: not EAIToken's
    assert (minted.from_, minted.to, minted.token_id) == (ZERO, creator.address, 1)
    read = registry.terms(1)
    assert read == terms
    assert type(read.mode) is VerificationMode
    assert registry.package_digest(1) == b"\x11" * 32
    assert registry.owner_of(1) == creator.address


def test_reverts_through_a_binding_raise_the_decoded_contract_error(
    embedded_chain: EmbeddedChain,
) -> None:
    governance, creator = embedded_chain.accounts[:2]
    registry, _ = ModelRegistry.deploy(embedded_chain, governance, governance.address, 10**18)
    cheap = ModelTerms(fee=0, min_agent_stake=1, redundancy=1, mode=VerificationMode.EXACT)

    with pytest.raises(ContractError) as sent:
        registry.register_model(creator, b"\x11" * 32, "uri", cheap)
    with pytest.raises(ContractError) as viewed:
        registry.terms(7)

    assert (sent.value.contract, sent.value.name) == (
        "ModelRegistry",
        "ModelRegistryStakeBelowFloor",
    )
    assert dict(sent.value.args) == {"minAgentStake": 1, "floor": 10**18}
    assert (viewed.value.name, dict(viewed.value.args)) == (
        "ModelRegistryUnknownModel",
        {"modelId": 7},
    )
