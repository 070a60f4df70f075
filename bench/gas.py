"""Gas of every step of a prompt's life, and how submit grows with the agent pool.

    .venv/bin/python -m bench.gas [--out bench/gas.json] [--tasks 10]

Runs on a local anvil started for the purpose (EVM `cancun`, the contracts' target), with the
default parameter set but short time windows (gas does not depend on them). Every figure is the
`gasUsed` of real transactions:

- `submit`, `commit`, `reveal`: means over `--tasks` prompts on an EXACT model with k = 3, after
  one warm-up prompt (whose first-ever storage writes would otherwise be averaged in). The last
  reveal of each prompt also accepts it.
- `finalize`: the payout of one task as agents collect it, in a batched `claim` (the marginal
  cost of one more task in the batch); `finalize_single` is a lone `finalize(taskId)` call;
  `claim_overhead` what a claim costs besides its tasks.
- `happy_path_total`: submit + 3 commits + 3 reveals + finalize.
- `dispute_total`: challenge + 5 vote commits + 5 vote reveals + resolve, for a guilty verdict
  with a committee of 5 on a TOLERANT model.
- `submit_pool_N`: mean submit gas with N active agents in the model's pool.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from eternal.chain import AnvilChain, AnvilProcess, ChainBackend, TxResult, contract_at, submit
from eternal.chain.bindings.model_registry import ModelTerms, VerificationMode
from eternal.chain.params import EAI, ProtocolParams
from eternal.chain.protocol import Protocol
from eternal.chain.seals import VOTE_REJECT, new_salt, task_seal, vote_seal

DEFAULT_OUT = Path(__file__).with_name("gas.json")
FEE = 10 * EAI
AGENT_STAKE = 100 * EAI
PROMPT = b"Compose a narrative involving a dragon and a knight"
OUTPUT_URI = "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
HONEST = keccak(b"honest output")
POOL_SIZES = (10, 100, 1000)
PIPELINE_GAS = 300_000  # above what a transfer, approve or first stake needs


@dataclass
class Bench:
    backend: ChainBackend
    protocol: Protocol
    params: ProtocolParams
    gov: LocalAccount
    user: LocalAccount
    funded: list[LocalAccount]

    @classmethod
    def deploy(cls, backend: ChainBackend) -> Bench:
        params = ProtocolParams.dev()
        accounts = list(backend.accounts)
        genesis = {a.address: 10_000_000 * EAI for a in accounts}
        protocol = Protocol.deploy(backend, accounts[0], params, genesis)
        bench = cls(backend, protocol, params, accounts[0], accounts[1], accounts[2:])
        protocol.token.approve(bench.user, protocol.tasks.address, 2**256 - 1)
        return bench

    def model(self, mode: VerificationMode = VerificationMode.EXACT) -> int:
        terms = ModelTerms(fee=FEE, min_agent_stake=AGENT_STAKE, redundancy=3, mode=mode)
        self.protocol.registry.register_model(self.gov, keccak(b"package"), "ipfs://meta", terms)
        return self.protocol.registry.model_count()

    def stake_agents(self, model_id: int, agents: Sequence[LocalAccount]) -> None:
        p = self.protocol
        for agent in agents:
            p.token.approve(agent, p.agents.address, 2**256 - 1)
            p.agents.stake(agent, model_id, AGENT_STAKE)

    def submit(self, model_id: int) -> tuple[int, TxResult]:
        result = self.protocol.tasks.submit_prompt(self.user, model_id, PROMPT, FEE)
        return self.protocol.tasks.task_count(), result

    def agents_of(self, task_id: int) -> list[LocalAccount]:
        by_address = {a.address: a for a in self.funded}
        ids = self.protocol.tasks.task(task_id).agent_ids
        return [by_address[self.protocol.agents.agent_of(i)] for i in ids]


@dataclass
class Lifecycle:
    """Gas of each call of the happy path, per call."""

    submit: list[int]
    commit: list[int]
    reveal: list[int]
    winners: dict[str, list[int]]


def run_happy_path(bench: Bench, model_id: int, tasks: int, first: LocalAccount) -> Lifecycle:
    """`tasks` honest prompts; `first` commits first whenever assigned, so it wins those."""
    life = Lifecycle([], [], [], {})
    t = bench.protocol.tasks
    for _ in range(tasks):
        task_id, result = bench.submit(model_id)
        life.submit.append(result.gas_used)
        agents = bench.agents_of(task_id)
        order = sorted(range(len(agents)), key=lambda i: agents[i].address != first.address)
        salts = {i: new_salt() for i in order}
        for i in order:
            seal = task_seal(task_id, agents[i].address, HONEST, salts[i])
            life.commit.append(t.commit(agents[i], task_id, i, seal).gas_used)
        for i in order:
            reveal = t.reveal(agents[i], task_id, i, HONEST, salts[i], OUTPUT_URI)
            life.reveal.append(reveal.gas_used)
        life.winners.setdefault(agents[order[0]].address, []).append(task_id)
    return life


def measure_lifecycle(bench: Bench, tasks: int) -> dict[str, int]:
    """The happy path's figures (see the module docstring)."""
    model_id = bench.model()
    agents = bench.funded[:3]
    bench.stake_agents(model_id, agents)
    warm_up = run_happy_path(bench, model_id, 1, agents[0])
    life = run_happy_path(bench, model_id, tasks, agents[0])
    bench.backend.increase_time(bench.params.tasks.challenge_window + 1)

    t = bench.protocol.tasks
    t.claim(agents[0], warm_up.winners[agents[0].address])
    won = life.winners[agents[0].address]
    if len(won) < 5:
        raise RuntimeError("the benchmark needs at least 5 prompts won by one agent")
    singles = [t.finalize(bench.user, task_id).gas_used for task_id in won[:2]]
    claim_one = t.claim(agents[0], won[2:3]).gas_used
    claim_many = t.claim(agents[0], won[3:]).gas_used
    per_task = round((claim_many - claim_one) / (len(won) - 3))

    figures = {
        "submit": _mean(life.submit),
        "commit": _mean(life.commit),
        "reveal": _mean(life.reveal),
        "finalize": per_task,
        "finalize_single": _mean(singles),
        "claim_overhead": claim_one - per_task,
    }
    figures["happy_path_total"] = (
        figures["submit"] + 3 * figures["commit"] + 3 * figures["reveal"] + figures["finalize"]
    )
    return figures


def measure_dispute(bench: Bench, committee_size: int = 5) -> dict[str, int]:
    """A guilty verdict on a TOLERANT model: the challenger and a full committee of 5."""
    p = bench.protocol
    model_id = bench.model(VerificationMode.TOLERANT)
    agents, verifiers = bench.funded[3:6], bench.funded[6 : 7 + committee_size]
    bench.stake_agents(model_id, agents)
    for v in verifiers:
        p.token.approve(v, p.verifiers.address, 2**256 - 1)
        p.token.approve(v, p.disputes.address, 2**256 - 1)
        p.verifiers.stake(v, bench.params.verifiers.min_stake)
    task_id = run_happy_path(bench, model_id, 1, agents[0]).winners[agents[0].address][0]

    challenger = verifiers[0]
    challenge = p.disputes.challenge(challenger, task_id, p.tasks.task(task_id).winner_index)
    dispute_id = p.disputes.dispute_count()
    by_id = {p.verifiers.id_of(v.address): v for v in verifiers}
    members = [by_id[i] for i in p.disputes.dispute(dispute_id).committee]
    salts = {m.address: new_salt() for m in members}
    commits = [
        p.disputes.commit_vote(
            m, dispute_id, vote_seal(dispute_id, m.address, VOTE_REJECT, salts[m.address])
        ).gas_used
        for m in members
    ]
    reveals = [
        p.disputes.reveal_vote(m, dispute_id, VOTE_REJECT, salts[m.address]).gas_used
        for m in members
    ]
    resolve = p.disputes.resolve(bench.user, dispute_id).gas_used
    return {
        "dispute_challenge": challenge.gas_used,
        "dispute_commit_vote": _mean(commits),
        "dispute_reveal_vote": _mean(reveals),
        "dispute_resolve": resolve,
        "dispute_total": challenge.gas_used + sum(commits) + sum(reveals) + resolve,
    }


def measure_pool_growth(
    bench: Bench, sizes: Sequence[int] = POOL_SIZES, log: Callable[[str], None] = print
) -> dict[str, int]:
    """Submit gas with pools of each size (agents are generated, funded and staked)."""
    model_id = bench.model()
    figures: dict[str, int] = {}
    staked = 0
    for size in sizes:
        started = time.monotonic()
        _grow_pool(bench, model_id, staked, size)
        staked = size
        gas = [bench.submit(model_id)[1].gas_used for _ in range(5)]
        figures[f"submit_pool_{size}"] = _mean(gas)
        log(
            f"  pool of {size}: submit {figures[f'submit_pool_{size}']} gas "
            f"({time.monotonic() - started:.0f} s to stake)"
        )
    return figures


def _grow_pool(bench: Bench, model_id: int, have: int, want: int) -> None:
    """Stakes agents `have`..`want` of a deterministic list of generated accounts."""
    p, backend = bench.protocol, bench.backend
    new = [Account.from_key(keccak(b"eternal-bench-agent-%d" % i)) for i in range(have, want)]
    token = contract_at(backend, "EAIToken", p.token.address)
    staking = contract_at(backend, "AgentStaking", p.agents.address)
    for agent in new:
        # anvil's cheat code: ETH for gas without a transaction per agent.
        backend.request("anvil_setBalance", [agent.address, hex(10**21)])  # type: ignore[attr-defined]
    _pipelined(
        backend, [(bench.gov, token.functions.transfer(a.address, AGENT_STAKE)) for a in new]
    )
    _pipelined(backend, [(a, token.functions.approve(p.agents.address, AGENT_STAKE)) for a in new])
    _pipelined(backend, [(a, staking.functions.stake(model_id, AGENT_STAKE)) for a in new])
    if p.agents.pool_size(model_id) != want:
        raise RuntimeError(f"pool has {p.agents.pool_size(model_id)} agents, expected {want}")


def _pipelined(backend: ChainBackend, calls: Sequence[tuple[LocalAccount, object]]) -> None:
    """Sends many transactions before waiting for their receipts.

    With a fixed gas limit: estimating each one while earlier ones are being mined races with
    anvil's --prune-history, which may drop the estimate's block state mid-request.
    """
    chunk = 200
    for start in range(0, len(calls), chunk):
        batch = calls[start : start + chunk]
        pending = [submit(backend, acct, fn, gas=PIPELINE_GAS) for acct, fn in batch]  # type: ignore[arg-type]
        for tx in pending:
            tx.wait()


def _mean(values: Sequence[int]) -> int:
    return round(statistics.fmean(values))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--tasks", type=int, default=10, help="prompts in the happy-path run")
    args = parser.parse_args(argv)

    started = time.monotonic()
    process = AnvilProcess(accounts=20, extra_args=("--hardfork", "cancun"))
    with AnvilChain(process) as backend:
        bench = Bench.deploy(backend)
        print("happy path ...")
        figures = measure_lifecycle(bench, args.tasks)
        print("dispute ...")
        figures |= measure_dispute(bench)
        print("pool growth ...")
        figures |= measure_pool_growth(bench)

    pool_small, pool_large = figures["submit_pool_10"], figures["submit_pool_1000"]
    figures["submit_pool_growth_pct_x100"] = round((pool_large - pool_small) * 10_000 / pool_small)
    args.out.write_text(json.dumps(dict(sorted(figures.items())), indent=2) + "\n")
    width = max(map(len, figures))
    for key, value in sorted(figures.items()):
        print(f"  {key:<{width}}  {value:>9,}")
    print(f"wrote {args.out} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
