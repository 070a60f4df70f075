"""AgentStaking.stakeWithPermit: approve and stake in one transaction with an EIP-2612 permit."""

from __future__ import annotations

from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import (
    assert_agent_staking_solvent,
    now,
    pool_members,
    reverts,
    spare,
)
from tests.unit.contracts.token.permits import sign_permit


def test_stake_with_permit_needs_no_prior_approval(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agent = spare(network)
    assert p.token.allowance(agent.address, p.agents.address) == 0
    permit = sign_permit(p.token, agent, p.agents.address, 100 * EAI, now(network) + 3600)

    p.agents.stake_with_permit(
        agent, model, 100 * EAI, permit.deadline, permit.v, permit.r, permit.s
    )

    info = p.agents.agent_info(agent.address)
    assert (info.stake, info.status) == (100 * EAI, AgentStatus.ACTIVE)
    assert pool_members(network, model) == [info.id]
    assert p.token.nonces(agent.address) == 1
    assert p.token.allowance(agent.address, p.agents.address) == 0
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()


def test_front_run_permit_still_lets_the_stake_through(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agent = spare(network)
    permit = sign_permit(p.token, agent, p.agents.address, 100 * EAI, now(network) + 3600)
    # Someone copies the permit from the mempool and submits it first: the nonce is spent, so
    # the permit inside stakeWithPermit fails, but the allowance it set is there.
    p.token.permit(
        network.users[0],
        agent.address,
        p.agents.address,
        100 * EAI,
        permit.deadline,
        permit.v,
        permit.r,
        permit.s,
    )
    assert p.token.allowance(agent.address, p.agents.address) == 100 * EAI

    p.agents.stake_with_permit(
        agent, model, 100 * EAI, permit.deadline, permit.v, permit.r, permit.s
    )

    assert p.agents.agent_info(agent.address).stake == 100 * EAI
    assert p.token.allowance(agent.address, p.agents.address) == 0
    assert p.token.nonces(agent.address) == 1
    assert_agent_staking_solvent(network)


def test_invalid_permit_without_allowance_fails_on_the_transfer(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agent = spare(network)
    # Signed for a smaller amount than staked: the permit is invalid and ignored.
    permit = sign_permit(p.token, agent, p.agents.address, 50 * EAI, now(network) + 3600)
    with reverts(
        "ERC20InsufficientAllowance", spender=p.agents.address, allowance=0, needed=100 * EAI
    ):
        p.agents.stake_with_permit(
            agent, model, 100 * EAI, permit.deadline, permit.v, permit.r, permit.s
        )
    assert p.agents.agent_info(agent.address).status == AgentStatus.NONE
    assert p.token.nonces(agent.address) == 0
