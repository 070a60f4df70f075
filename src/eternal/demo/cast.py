"""Who is who on a local network: one dev account per actor, each with a role and a label.

    governance   owns the contracts (dev account 0)
    creator      publishes the example models and earns their creator share
    user         pays for the prompts
    agents       `agents_per_model` per model; one of them may be dishonest
    verifiers    check outputs and sit on dispute committees

Accounts come from the dev mnemonic in that order, so a cast is the same on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from eternal.chain.accounts import dev_accounts
from eternal.chain.wallet import LocalAccount

HONEST = "honest"
WRONG_OUTPUT = "wrong-output"  # the agent behaviour the demo's cheat runs with


class Role(StrEnum):
    GOVERNANCE = "governance"
    CREATOR = "creator"
    USER = "user"
    AGENT = "agent"
    VERIFIER = "verifier"


@dataclass(frozen=True)
class Actor:
    role: Role
    account: LocalAccount
    label: str
    model: str | None = None  # the model an agent serves
    behaviour: str = HONEST

    @property
    def address(self) -> str:
        return str(self.account.address)

    @property
    def honest(self) -> bool:
        return self.behaviour == HONEST

    @property
    def is_node(self) -> bool:
        return self.role in (Role.AGENT, Role.VERIFIER)


@dataclass(frozen=True)
class Cast:
    actors: tuple[Actor, ...]

    @staticmethod
    def accounts_needed(models: int, agents_per_model: int, verifiers: int) -> int:
        return 3 + models * agents_per_model + verifiers

    @classmethod
    def plan(
        cls,
        accounts: Sequence[LocalAccount],
        models: Sequence[str],
        *,
        agents_per_model: int,
        verifiers: int,
        cheat_model: str | None = None,
    ) -> Cast:
        """Roles for `accounts`; the last agent of `cheat_model` reveals wrong outputs."""
        needed = cls.accounts_needed(len(models), agents_per_model, verifiers)
        if len(accounts) < needed:
            raise ValueError(f"{needed} accounts needed, {len(accounts)} given")
        if cheat_model is not None and cheat_model not in models:
            raise ValueError(f"the cheat's model {cheat_model!r} is not among {list(models)}")
        given = iter(accounts)
        actors = [
            Actor(Role.GOVERNANCE, next(given), "governance"),
            Actor(Role.CREATOR, next(given), "creator"),
            Actor(Role.USER, next(given), "user"),
        ]
        for model in models:
            for number in range(1, agents_per_model + 1):
                cheat = model == cheat_model and number == agents_per_model
                actors.append(
                    Actor(
                        Role.AGENT,
                        next(given),
                        f"{model} agent {number}",
                        model=model,
                        behaviour=WRONG_OUTPUT if cheat else HONEST,
                    )
                )
        for number in range(1, verifiers + 1):
            actors.append(Actor(Role.VERIFIER, next(given), f"verifier {number}"))
        return cls(tuple(actors))

    @classmethod
    def of_dev_accounts(
        cls,
        models: Sequence[str],
        *,
        agents_per_model: int,
        verifiers: int,
        cheat_model: str | None = None,
    ) -> Cast:
        """`plan` on the local chain's first dev accounts, as many as the roles need."""
        needed = cls.accounts_needed(len(models), agents_per_model, verifiers)
        return cls.plan(
            dev_accounts(needed),
            models,
            agents_per_model=agents_per_model,
            verifiers=verifiers,
            cheat_model=cheat_model,
        )

    def one(self, role: Role) -> Actor:
        return next(actor for actor in self.actors if actor.role is role)

    def of_role(self, role: Role) -> list[Actor]:
        return [actor for actor in self.actors if actor.role is role]

    def agents_of(self, model: str) -> list[Actor]:
        return [actor for actor in self.of_role(Role.AGENT) if actor.model == model]

    def nodes(self) -> list[Actor]:
        return [actor for actor in self.actors if actor.is_node]

    def by_address(self, address: str) -> Actor | None:
        lowered = address.lower()
        return next((a for a in self.actors if a.address.lower() == lowered), None)

    @property
    def gov(self) -> Actor:
        return self.one(Role.GOVERNANCE)

    @property
    def creator(self) -> Actor:
        return self.one(Role.CREATOR)

    @property
    def user(self) -> Actor:
        return self.one(Role.USER)
