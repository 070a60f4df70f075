"""Governance of the task manager: parameters inside hard bounds, only by the owner; wired once."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from eternal.chain.bindings.task_manager import Params, TaskParamsChanged
from eternal.chain.params import EAI
from tests.support.network import PROMPT, Network
from tests.unit.contracts.tasks.helpers import of_type, reverts, set_task_params

HOUR = 3_600


def _with(network: Network, **changes: Any) -> Params:
    return dataclasses.replace(network.protocol.tasks.params(), **changes)


@pytest.mark.parametrize(
    ("field", "name", "value", "low", "high"),
    [
        ("commit_window", "commitWindow", 29, 30, 2 * HOUR),
        ("reveal_window", "revealWindow", 2 * HOUR + 1, 30, 2 * HOUR),
        ("challenge_window", "challengeWindow", 59, 60, 12 * HOUR),
        ("max_inline_input", "maxInlineInput", 32_769, 0, 32_768),
        ("min_redundancy", "minRedundancy", 0, 1, 6),
        ("min_redundancy", "minRedundancy", 7, 1, 6),
        ("initial_block_reward", "initialBlockReward", 1_000 * EAI + 1, 0, 1_000 * EAI),
        ("halving_interval", "halvingInterval", 0, 1, 2**32 - 1),
        ("redundancy_window", "redundancyWindow", 9, 10, 10_000),
        ("fraud_rate_raise_bps", "fraudRateRaiseBps", 0, 1, 10_000),
    ],
)
def test_parameter_out_of_bounds_is_rejected(
    network: Network, field: str, name: str, value: int, low: int, high: int
) -> None:
    params = _with(network, **{field: value})
    with reverts("ParameterOutOfBounds", name=name, value=value, min=low, max=high):
        network.protocol.tasks.set_params(network.gov, params)


def test_shares_above_the_whole_fee_are_rejected(network: Network) -> None:
    params = _with(network, creator_bps=3_000, winner_bps=5_000, verifier_bps=2_001)
    with reverts("ParameterSharesExceedWhole", totalBps=10_001):
        network.protocol.tasks.set_params(network.gov, params)


def test_shares_may_take_the_whole_fee(network: Network) -> None:
    set_task_params(network, creator_bps=3_000, winner_bps=5_000, verifier_bps=2_000)
    assert network.protocol.tasks.params().verifier_bps == 2_000


def test_set_params_stores_and_announces_them(network: Network) -> None:
    tasks = network.protocol.tasks
    params = _with(network, commit_window=300, halving_interval=7, max_inline_input=16)

    result = tasks.set_params(network.gov, params)

    (changed,) = of_type(tasks.events(result), TaskParamsChanged)
    assert changed.params == params
    assert tasks.params() == params


def test_new_inline_limit_applies_to_the_next_submission(network: Network, model: int) -> None:
    set_task_params(network, max_inline_input=16)
    with reverts("TaskManagerInputTooLarge", size=len(PROMPT), max=16):
        network.protocol.tasks.submit_prompt(network.users[0], model, PROMPT, 10 * EAI)


def test_set_params_by_another_account_is_rejected(network: Network) -> None:
    stranger = network.users[0]
    with reverts("OwnableUnauthorizedAccount", account=stranger.address):
        network.protocol.tasks.set_params(stranger, network.protocol.tasks.params())


def test_wire_twice_is_rejected(network: Network) -> None:
    p = network.protocol
    with reverts("TaskManagerAlreadyWired"):
        p.tasks.wire(network.gov, p.disputes.address, p.verifiers.address)


def test_wire_by_another_account_is_rejected(network: Network) -> None:
    p, stranger = network.protocol, network.users[0]
    with reverts("OwnableUnauthorizedAccount", account=stranger.address):
        p.tasks.wire(stranger, stranger.address, stranger.address)


def test_only_the_dispute_manager_may_mark_a_task_disputed(network: Network, model: int) -> None:
    stranger = network.users[0]
    task_id = network.submit(model)
    with reverts("TaskManagerUnauthorized", caller=stranger.address):
        network.protocol.tasks.mark_disputed(stranger, task_id, 0, 1)
