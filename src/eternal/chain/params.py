"""Protocol parameter sets: what `deployment.deploy_system` deploys with.

Each dataclass mirrors one contract's `Params` struct field for field (same order), so
`astuple()` is its ABI encoding. The hard bounds live in the contracts only: a value out of
bounds is refused there with `ParameterOutOfBounds(name, value, min, max)`, decoded into a
`ContractError`. Defaults and bounds are documented in docs/parameters.md.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field, replace
from typing import Any

EAI = 10**18
DAY = 86_400
HOUR = 3_600


@dataclass(frozen=True)
class TaskParams:
    commit_window: int = 600
    reveal_window: int = 600
    challenge_window: int = HOUR
    max_inline_input: int = 4_096
    min_redundancy: int = 2
    creator_bps: int = 2_000
    winner_bps: int = 5_000
    verifier_bps: int = 2_000
    initial_block_reward: int = 10 * EAI
    halving_interval: int = 100_000
    redundancy_window: int = 100
    fraud_rate_raise_bps: int = 100


@dataclass(frozen=True)
class AgentParams:
    unbonding_period: int = 2 * DAY
    penalty_duration: int = HOUR
    miss_slash_bps: int = 100


@dataclass(frozen=True)
class VerifierParams:
    min_stake: int = 1_000 * EAI
    unbonding_period: int = 2 * DAY
    inactivity_penalty_bps: int = 50
    max_missed_epochs: int = 3


@dataclass(frozen=True)
class DisputeParams:
    challenge_bond: int = 100 * EAI
    committee_size: int = 5
    vote_commit_window: int = HOUR
    vote_reveal_window: int = HOUR
    fraud_slash_bps: int = 5_000
    challenger_reward_bps: int = 6_000
    voter_reward_bps: int = 2_000
    false_dispute_bps: int = 5_000
    non_voter_penalty_bps: int = 100


@dataclass(frozen=True)
class ProtocolParams:
    """Everything a deployment needs besides addresses."""

    tasks: TaskParams = field(default_factory=TaskParams)
    agents: AgentParams = field(default_factory=AgentParams)
    verifiers: VerifierParams = field(default_factory=VerifierParams)
    disputes: DisputeParams = field(default_factory=DisputeParams)
    token_cap: int = 1_000_000_000 * EAI
    stake_floor: int = 100 * EAI
    epoch_length: int = DAY

    @classmethod
    def dev(cls) -> ProtocolParams:
        """Short windows for local networks and tests; the economics stay the defaults."""
        return cls(
            tasks=TaskParams(commit_window=120, reveal_window=120, challenge_window=300),
            disputes=DisputeParams(vote_commit_window=300, vote_reveal_window=300),
            epoch_length=600,
        )

    def with_changes(self, **changes: Any) -> ProtocolParams:
        return replace(self, **changes)


def as_struct(params: TaskParams | AgentParams | VerifierParams | DisputeParams) -> tuple[int, ...]:
    """The ABI tuple of a contract's `Params` struct."""
    return astuple(params)
