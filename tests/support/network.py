"""A deployed protocol with its cast of actors, and the small moves tests make with them.

`Network.create(chain)` deploys with `ProtocolParams.dev()` (or given params), gives every dev
account 1,000,000 EAI at genesis and approves the protocol's contracts for all of them, so a test
only says what it is about. Roles: `gov` owns the contracts, `creator` publishes models, `users`
pay for prompts, `agents` and `verifiers` are not staked until a test stakes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from eternal.chain import ChainBackend, TxResult
from eternal.chain.bindings.model_registry import ModelTerms, VerificationMode
from eternal.chain.bindings.task_manager import TaskView
from eternal.chain.params import EAI, ProtocolParams
from eternal.chain.protocol import Protocol
from eternal.chain.seals import new_salt, task_seal

GENESIS_PER_ACCOUNT = 1_000_000 * EAI
PROMPT = b"Compose a narrative involving a dragon and a knight"
ALL_APPROVED = 2**256 - 1


def digest_of(output: bytes) -> bytes:
    """A stand-in for the SHA-256 of an output: tests only need distinct 32-byte values."""
    return keccak(b"output:" + output)


HONEST = digest_of(b"the honest answer")
WRONG = digest_of(b"a wrong answer")


@dataclass
class Commitment:
    """What an agent keeps between commit and reveal."""

    index: int
    agent: LocalAccount
    digest: bytes
    salt: bytes


@dataclass
class Network:
    chain: ChainBackend
    protocol: Protocol
    params: ProtocolParams
    gov: LocalAccount
    creator: LocalAccount
    users: list[LocalAccount]
    agents: list[LocalAccount]
    verifiers: list[LocalAccount]
    _by_address: dict[str, LocalAccount] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        chain: ChainBackend,
        params: ProtocolParams | None = None,
        *,
        users: int = 3,
        agents: int = 8,
        verifiers: int = 8,
    ) -> Network:
        params = params or ProtocolParams.dev()
        accounts = list(chain.accounts)
        needed = 2 + users + agents + verifiers
        if len(accounts) < needed:
            raise ValueError(f"the chain has {len(accounts)} accounts, the network needs {needed}")
        genesis = {account.address: GENESIS_PER_ACCOUNT for account in accounts}
        protocol = Protocol.deploy(chain, accounts[0], params, genesis)
        net = cls(
            chain=chain,
            protocol=protocol,
            params=params,
            gov=accounts[0],
            creator=accounts[1],
            users=accounts[2 : 2 + users],
            agents=accounts[2 + users : 2 + users + agents],
            verifiers=accounts[2 + users + agents : needed],
        )
        net._by_address = {account.address: account for account in accounts}
        net._approve_all()
        return net

    def _approve_all(self) -> None:
        p = self.protocol
        spenders = {
            "users": [p.tasks.address],
            "agents": [p.agents.address],
            "verifiers": [p.verifiers.address, p.disputes.address],
        }
        for role, addresses in spenders.items():
            for account in getattr(self, role):
                for spender in addresses:
                    p.token.approve(account, spender, ALL_APPROVED)

    # ------------------------------------------------------------------ accounts

    def account(self, address: str) -> LocalAccount:
        return self._by_address[address]

    def agent_by_id(self, agent_id: int) -> LocalAccount:
        return self.account(self.protocol.agents.agent_of(agent_id))

    def verifier_by_id(self, verifier_id: int) -> LocalAccount:
        return self.account(self.protocol.verifiers.verifier_of(verifier_id))

    def holders(self) -> list[str]:
        """Every address that can hold EAI in these tests."""
        return list(self._by_address) + list(self.protocol.deployment.contract_addresses().values())

    def supply_is_conserved(self) -> bool:
        """Wallets plus every contract's balance add up to the total supply, to the wei."""
        token = self.protocol.token
        return sum(token.balance_of(a) for a in self.holders()) == token.total_supply()

    # ------------------------------------------------------------------ setup moves

    def register_model(
        self,
        *,
        fee: int = 10 * EAI,
        min_stake: int = 100 * EAI,
        redundancy: int = 3,
        mode: VerificationMode = VerificationMode.EXACT,
        creator: LocalAccount | None = None,
    ) -> int:
        terms = ModelTerms(fee=fee, min_agent_stake=min_stake, redundancy=redundancy, mode=mode)
        self.protocol.registry.register_model(
            creator or self.creator, keccak(b"package"), "ipfs://metadata", terms
        )
        return self.protocol.registry.model_count()

    def stake_agents(
        self, model_id: int, count: int, amount: int = 100 * EAI, *, start: int = 0
    ) -> list[LocalAccount]:
        staked = self.agents[start : start + count]
        for agent in staked:
            self.protocol.agents.stake(agent, model_id, amount)
        return staked

    def stake_verifiers(self, count: int, amount: int | None = None) -> list[LocalAccount]:
        amount = amount or self.params.verifiers.min_stake
        staked = self.verifiers[:count]
        for verifier in staked:
            self.protocol.verifiers.stake(verifier, amount)
        return staked

    # ------------------------------------------------------------------ task moves

    def submit(
        self, model_id: int, *, user: LocalAccount | None = None, prompt: bytes = PROMPT
    ) -> int:
        fee = self.protocol.registry.terms(model_id).fee
        self.protocol.tasks.submit_prompt(user or self.users[0], model_id, prompt, fee)
        return self.protocol.tasks.task_count()

    def task(self, task_id: int) -> TaskView:
        return self.protocol.tasks.task(task_id)

    def assigned(self, task_id: int) -> list[LocalAccount]:
        """The task's agents, by index."""
        return [self.agent_by_id(agent_id) for agent_id in self.task(task_id).agent_ids]

    def commit(self, task_id: int, index: int, digest: bytes = HONEST) -> Commitment:
        agent = self.assigned(task_id)[index]
        salt = new_salt()
        seal = task_seal(task_id, agent.address, digest, salt)
        self.protocol.tasks.commit(agent, task_id, index, seal)
        return Commitment(index=index, agent=agent, digest=digest, salt=salt)

    def reveal(self, task_id: int, c: Commitment, uri: str = "ipfs://output") -> TxResult:
        return self.protocol.tasks.reveal(c.agent, task_id, c.index, c.digest, c.salt, uri)

    def commit_all(self, task_id: int, digests: Sequence[bytes] | None = None) -> list[Commitment]:
        k = len(self.task(task_id).agent_ids)
        digests = list(digests) if digests is not None else [HONEST] * k
        return [self.commit(task_id, index, digest) for index, digest in enumerate(digests)]

    def reveal_all(self, task_id: int, commitments: Sequence[Commitment]) -> list[TxResult]:
        return [self.reveal(task_id, c) for c in commitments]

    def run_to_acceptance(self, task_id: int, digests: Sequence[bytes] | None = None) -> None:
        self.reveal_all(task_id, self.commit_all(task_id, digests))

    def advance(self, seconds: int) -> None:
        self.chain.increase_time(seconds)

    def pass_challenge_window(self) -> None:
        self.advance(self.params.tasks.challenge_window + 1)

    def pass_commit_window(self) -> None:
        self.advance(self.params.tasks.commit_window + 1)

    def pass_reveal_window(self) -> None:
        self.advance(self.params.tasks.reveal_window + 1)
