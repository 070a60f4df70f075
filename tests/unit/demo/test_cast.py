"""Who is who: the cast's roles come from the dev accounts in a fixed order."""

from __future__ import annotations

import pytest

from eternal.chain.accounts import dev_accounts
from eternal.demo.cast import HONEST, WRONG_OUTPUT, Cast, Role


def test_roles_follow_the_dev_accounts_in_order() -> None:
    accounts = dev_accounts(Cast.accounts_needed(2, 3, 4))
    cast = Cast.plan(accounts, ["a", "b"], agents_per_model=3, verifiers=4)
    assert [actor.account for actor in cast.actors] == list(accounts)
    assert cast.gov.account == accounts[0]
    assert [a.label for a in cast.agents_of("b")] == ["b agent 1", "b agent 2", "b agent 3"]
    assert len(cast.of_role(Role.VERIFIER)) == 4
    assert all(actor.behaviour == HONEST for actor in cast.actors)


def test_the_cheat_is_the_last_agent_of_its_model_only() -> None:
    cast = Cast.plan(dev_accounts(12), ["a", "b"], agents_per_model=3, verifiers=3, cheat_model="a")
    cheats = [actor for actor in cast.actors if not actor.honest]
    assert [(c.label, c.behaviour) for c in cheats] == [("a agent 3", WRONG_OUTPUT)]
    assert cast.by_address(cheats[0].address.lower()) == cheats[0]


def test_too_few_accounts_or_an_unknown_cheat_model_are_refused() -> None:
    with pytest.raises(ValueError, match="accounts needed"):
        Cast.plan(dev_accounts(5), ["a"], agents_per_model=3, verifiers=3)
    with pytest.raises(ValueError, match="not among"):
        Cast.plan(dev_accounts(9), ["a"], agents_per_model=3, verifiers=3, cheat_model="z")
