"""Dispute moves on top of `tests.support.network`: open, vote, resolve, and read the money.

A dispute opens either by itself (an EXACT task whose revealed digests differ, `task_with_outputs`)
or by a challenge (`challenge`). Committees vote with `vote_all(net, dispute_id, votes_by_member)`,
where `votes_by_member` maps a member's address to its vote (a member left out does not vote), or
with `commit_votes` and `reveal_votes` when a test needs the two phases apart. `by_position` builds
the mapping from a list of votes in committee order (None: that member stays silent).

Expected amounts are computed here from the parameters, independently of the contracts' own
arithmetic (`expected_split`, `winner_reward`), so that tests compare the chain with the rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from eth_account.signers.local import LocalAccount

from eternal.chain import TxResult
from eternal.chain.bindings import events_of
from eternal.chain.bindings.dispute_manager import DisputeOpened, DisputeState
from eternal.chain.bindings.model_registry import VerificationMode
from eternal.chain.seals import new_salt, vote_seal
from tests.support.network import Commitment, Network

BPS = 10_000


@dataclass(frozen=True)
class Ballot:
    """What a committee member keeps between commit and reveal."""

    member: LocalAccount
    vote: bytes
    salt: bytes


@dataclass(frozen=True)
class Setup:
    """A model with staked agents, and the staked verifiers."""

    model_id: int
    agents: list[LocalAccount]
    verifiers: list[LocalAccount]


# ---------------------------------------------------------------------- setup


def staked_model(
    net: Network,
    *,
    mode: VerificationMode = VerificationMode.EXACT,
    agents: int = 3,
    verifiers: int = 8,
    redundancy: int = 3,
    first_agent: int = 0,
) -> Setup:
    """Registers a model, stakes `agents` agents on it (from `net.agents[first_agent]` on) and the
    first `verifiers` verifiers."""
    model_id = net.register_model(mode=mode, redundancy=redundancy)
    staked_agents = net.stake_agents(model_id, agents, start=first_agent)
    staked_verifiers = net.stake_verifiers(verifiers) if verifiers else []
    return Setup(model_id=model_id, agents=staked_agents, verifiers=staked_verifiers)


# ---------------------------------------------------------------------- opening


def opened(result: TxResult) -> DisputeOpened:
    """The one DisputeOpened event of a transaction."""
    (event,) = events_of(result, DisputeOpened)
    return event


def task_with_outputs(
    net: Network, model_id: int, digests: Sequence[bytes]
) -> tuple[int, list[Commitment], TxResult]:
    """Submits a task, commits `digests` by agent index (index 0 commits first) and reveals them in
    the same order. Returns the task, its commitments and the last reveal (which opens the
    automatic dispute when the digests differ and enough verifiers are pooled)."""
    task_id = net.submit(model_id)
    commitments = net.commit_all(task_id, digests)
    results = net.reveal_all(task_id, commitments)
    return task_id, commitments, results[-1]


def accepted_task(net: Network, model_id: int, digests: Sequence[bytes] | None = None) -> int:
    """Submits a task and runs it to acceptance (every agent commits and reveals, by index)."""
    task_id = net.submit(model_id)
    net.run_to_acceptance(task_id, digests)
    return task_id


def challenge(
    net: Network, challenger: LocalAccount, task_id: int, accused_index: int
) -> tuple[int, TxResult]:
    """`challenger` disputes agent index `accused_index`'s output; returns the dispute id."""
    result = net.protocol.disputes.challenge(challenger, task_id, accused_index)
    return opened(result).dispute_id, result


class WinnerChallenge(NamedTuple):
    fee: int
    task_id: int
    winner_index: int
    winner: LocalAccount
    challenger: LocalAccount
    dispute_id: int


def challenge_winner(net: Network, model_id: int) -> WinnerChallenge:
    """Runs a task of `model_id` to acceptance, then verifier 0 challenges its winner's output."""
    fee = net.protocol.registry.terms(model_id).fee
    task_id = accepted_task(net, model_id)
    winner_index = net.task(task_id).winner_index
    winner = net.assigned(task_id)[winner_index]
    challenger = net.verifiers[0]
    dispute_id, _ = challenge(net, challenger, task_id, winner_index)
    return WinnerChallenge(fee, task_id, winner_index, winner, challenger, dispute_id)


# ---------------------------------------------------------------------- voting


def committee(net: Network, dispute_id: int) -> list[LocalAccount]:
    """The members of the dispute's committee, in committee order."""
    ids = net.protocol.disputes.dispute(dispute_id).committee
    return [net.verifier_by_id(verifier_id) for verifier_id in ids]


def by_position(net: Network, dispute_id: int, votes: Sequence[bytes | None]) -> dict[str, bytes]:
    """`votes_by_member` from votes in committee order; None leaves that member silent."""
    members = committee(net, dispute_id)
    if len(votes) != len(members):
        raise ValueError(f"{len(votes)} votes for a committee of {len(members)}")
    return {m.address: v for m, v in zip(members, votes, strict=True) if v is not None}


def everyone(net: Network, dispute_id: int, vote: bytes) -> dict[str, bytes]:
    """Every member votes `vote`."""
    return {m.address: vote for m in committee(net, dispute_id)}


def commit_votes(
    net: Network, dispute_id: int, votes_by_member: Mapping[str, bytes]
) -> list[Ballot]:
    """Each listed member commits its sealed vote."""
    ballots = []
    for address, vote in votes_by_member.items():
        member = net.account(address)
        salt = new_salt()
        net.protocol.disputes.commit_vote(
            member, dispute_id, vote_seal(dispute_id, address, vote, salt)
        )
        ballots.append(Ballot(member=member, vote=vote, salt=salt))
    return ballots


def reveal_votes(net: Network, dispute_id: int, ballots: Sequence[Ballot]) -> list[TxResult]:
    return [
        net.protocol.disputes.reveal_vote(b.member, dispute_id, b.vote, b.salt) for b in ballots
    ]


def pass_vote_commit_window(net: Network) -> None:
    net.advance(net.params.disputes.vote_commit_window + 1)


def pass_vote_reveal_window(net: Network) -> None:
    net.advance(net.params.disputes.vote_reveal_window + 1)


def vote_all(net: Network, dispute_id: int, votes_by_member: Mapping[str, bytes]) -> list[Ballot]:
    """The listed members commit, then reveal. When some members stay silent, the reveal phase
    opens only at the commit deadline, so the clock is moved past it first."""
    ballots = commit_votes(net, dispute_id, votes_by_member)
    if len(votes_by_member) < net.protocol.disputes.dispute(dispute_id).committee_size:
        pass_vote_commit_window(net)
    reveal_votes(net, dispute_id, ballots)
    return ballots


def resolve(net: Network, dispute_id: int, sender: LocalAccount | None = None) -> TxResult:
    return net.protocol.disputes.resolve(sender or net.users[0], dispute_id)


def vote_and_resolve(
    net: Network, dispute_id: int, votes_by_member: Mapping[str, bytes]
) -> TxResult:
    vote_all(net, dispute_id, votes_by_member)
    return resolve(net, dispute_id)


# ---------------------------------------------------------------------- money


def balance(net: Network, address: str) -> int:
    return net.protocol.token.balance_of(address)


def treasury_balance(net: Network) -> int:
    return balance(net, net.protocol.deployment.treasury)


def disputes_owe(net: Network) -> int:
    """What the dispute manager owes its creditors. Only verifiers (challengers and committee
    members) are ever owed, so a credit to anyone else shows as a balance above this sum."""
    return sum(net.protocol.disputes.claimable(v.address) for v in net.verifiers)


def open_bonds(net: Network) -> int:
    """The bonds of the disputes not resolved yet, which the dispute manager holds for now."""
    disputes = net.protocol.disputes
    views = (disputes.dispute(i) for i in range(1, disputes.dispute_count() + 1))
    return sum(v.bond for v in views if v.state != DisputeState.RESOLVED)


def disputes_balance(net: Network) -> int:
    return balance(net, net.protocol.disputes.address)


def agent_stake(net: Network, agent: LocalAccount) -> int:
    return net.protocol.agents.agent_info(agent.address).stake


def verifier_stake(net: Network, verifier: LocalAccount) -> int:
    return net.protocol.verifiers.verifier_info(verifier.address).stake


def fraud_slash(net: Network, stake: int) -> int:
    return stake * net.params.disputes.fraud_slash_bps // BPS


def winner_reward(net: Network, task_id: int, fee: int) -> int:
    """The winner share of `fee` plus the block reward of task `task_id` (far from the cap)."""
    p = net.params.tasks
    halvings = (task_id - 1) // p.halving_interval
    return fee * p.winner_bps // BPS + (p.initial_block_reward >> halvings)


@dataclass(frozen=True)
class Split:
    challenger: int
    per_voter: int
    treasury: int


def expected_split(
    net: Network, *, slashed: int, bond: int, innocent: bool, has_challenger: bool, voters: int
) -> Split:
    """The shares the rules give: challengerRewardBps of the slash to the challenger with the bond
    back (less falseDisputeBps of it when innocent); voterRewardBps of the slash and of the
    forfeited bond to the majority voters, equally; the rest to the treasury."""
    p = net.params.disputes
    forfeited = bond * p.false_dispute_bps // BPS if innocent else 0
    challenger = (
        slashed * p.challenger_reward_bps // BPS + bond - forfeited if has_challenger else 0
    )
    voter_pot = slashed * p.voter_reward_bps // BPS + forfeited * p.voter_reward_bps // BPS
    per_voter = voter_pot // voters if voters else 0
    return Split(challenger, per_voter, slashed + bond - challenger - per_voter * voters)


# ---------------------------------------------------------------------- tasks and ids


def commit_in_order(
    net: Network, task_id: int, digests: Sequence[bytes], order: Sequence[int]
) -> list[Commitment]:
    """Agent index i commits `digests[i]`, the indexes taking turns as `order` says. Returns the
    commitments by index."""
    by_index = {index: net.commit(task_id, index, digests[index]) for index in order}
    return [by_index[index] for index in range(len(digests))]


def agent_id(net: Network, agent: LocalAccount) -> int:
    return net.protocol.agents.id_of(agent.address)


def verifier_id(net: Network, verifier: LocalAccount) -> int:
    return net.protocol.verifiers.id_of(verifier.address)
