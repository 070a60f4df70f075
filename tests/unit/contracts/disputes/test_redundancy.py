"""Convictions feed the dynamic redundancy rule: a window of settled tasks whose fraud rate reaches
fraudRateRaiseBps raises the model's k by one. Own pools and parameters: no shared fixtures."""

from __future__ import annotations

from dataclasses import replace

from eternal.chain.bindings import events_of
from eternal.chain.bindings.dispute_manager import FraudConvicted
from eternal.chain.bindings.task_manager import RedundancyAdjusted, TaskAssigned
from tests.support.disputes import (
    accepted_task,
    challenge,
    everyone,
    staked_model,
    vote_and_resolve,
)
from tests.support.network import HONEST, WRONG, Network

WINDOW = 10


def test_window_with_a_conviction_raises_the_redundancy_by_one(network: Network) -> None:
    tasks = network.protocol.tasks
    # One fraud in a window of ten is 1000 bps: exactly the raise threshold.
    tasks.set_params(
        network.gov,
        replace(
            tasks.params(), redundancy_window=WINDOW, fraud_rate_raise_bps=1_000, min_redundancy=1
        ),
    )
    # k = 1 keeps each task to three transactions; four verifiers give committees of three.
    setup = staked_model(network, redundancy=1, agents=3, verifiers=4)
    model = setup.model_id
    assert tasks.redundancy_of(model) == 1

    honest_tasks = [accepted_task(network, model) for _ in range(WINDOW - 1)]
    network.pass_challenge_window()
    claimer = network.assigned(honest_tasks[0])[0]
    paid = tasks.claim(claimer, honest_tasks)
    assert events_of(paid, RedundancyAdjusted) == ()  # nine settled: the window is still open

    cheated = accepted_task(network, model, [WRONG])
    dispute_id, _ = challenge(network, network.verifiers[0], cheated, 0)
    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, HONEST))

    assert len(events_of(result, FraudConvicted)) == 1
    (adjusted,) = events_of(result, RedundancyAdjusted)
    assert (adjusted.model_id, adjusted.offset, adjusted.frauds_in_window) == (model, 1, 1)
    assert tasks.redundancy_of(model) == 2
    network.submit(model)
    (assigned,) = tasks.logs("latest", "latest", TaskAssigned)
    assert len(assigned.agent_ids) == 2
