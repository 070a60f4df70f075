"""Stakes, verifier epochs and fees as the model sees them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.verifier_registry import VerifierStatus
from tests.support.reference.records import AgentRecord, Key, ReferenceState, Revert, VerifierRecord

if TYPE_CHECKING:
    pass


class StakingRules(ReferenceState):
    def collect_fees(self, ts: int) -> list[Key]:
        amount = self.ledger.verifier_fees
        if amount == 0:
            return []
        return [("VerifierFeesReleased", amount), ("EpochFeesAdded", self.epoch(ts), amount)]

    def heartbeat_error(self, v: VerifierRecord) -> Revert | None:
        if v.id == 0:
            return Revert("VerifierRegistryUnknownVerifier", {"account": v.address})
        if v.status != VerifierStatus.ACTIVE:
            return Revert(
                "VerifierRegistryWrongStatus", {"verifier": v.address, "status": int(v.status)}
            )
        return None

    def heartbeat(self, ts: int, v: VerifierRecord) -> list[Key]:
        epoch = self.epoch(ts)
        keys: list[Key] = []
        if v.last_seen != epoch or v.address not in self.ledger.epochs[epoch].snapshots:
            keys.append(
                ("VerifierHeartbeat", v.address, v.id, epoch, self.ledger.verifier_stake[v.address])
            )
            v.last_seen = epoch
        return keys + self.collect_fees(ts)

    def epoch_claim_plan(self, ts: int, v: VerifierRecord, epoch: int) -> Revert | int:
        current = self.epoch(ts)
        if epoch >= current:
            return Revert("VerifierRegistryEpochNotOver", {"epoch": epoch, "current": current})
        book = self.ledger.epochs[epoch]
        snapshot = book.snapshots.get(v.address, 0)
        if snapshot == 0:
            return Revert("VerifierRegistryNothingToClaim", {"verifier": v.address, "epoch": epoch})
        return book.held * snapshot // (book.active_stake - book.claimed_stake)

    def sweep_epoch_plan(self, ts: int, epoch: int) -> Revert | int:
        current = self.epoch(ts)
        if epoch >= current:
            return Revert("VerifierRegistryEpochNotOver", {"epoch": epoch, "current": current})
        book = self.ledger.epochs[epoch]
        if book.active_stake != 0:
            return Revert("VerifierRegistryEpochHadVerifiers", {"epoch": epoch})
        if book.held == 0:
            return Revert(
                "VerifierRegistryNothingToClaim",
                {"verifier": self.contracts["Treasury"], "epoch": epoch},
            )
        return book.held

    # ------------------------------------------------------------------ agent staking

    def agent_unstake(self, ts: int, a: AgentRecord) -> Revert | list[Key]:
        if a.id == 0:
            return Revert("AgentStakingUnknownAgent", {"account": a.address})
        if a.status not in (AgentStatus.ACTIVE, AgentStatus.PENALIZED, AgentStatus.DEACTIVATED):
            return Revert("AgentStakingWrongStatus", {"agent": a.address, "status": int(a.status)})
        keys: list[Key] = []
        if a.status == AgentStatus.ACTIVE:
            keys.append(("AgentLeftPool", a.address, a.id, a.model_id))
        a.status, a.until = AgentStatus.UNBONDING, ts + self.p.agents.unbonding_period
        return [*keys, ("AgentUnbonding", a.address, a.id, a.until)]

    def agent_withdraw_error(self, ts: int, a: AgentRecord) -> Revert | None:
        if a.id == 0:
            return Revert("AgentStakingUnknownAgent", {"account": a.address})
        if a.status != AgentStatus.UNBONDING:
            return Revert("AgentStakingWrongStatus", {"agent": a.address, "status": int(a.status)})
        if ts < a.until:
            return Revert("AgentStakingStillUnbonding", {"agent": a.address, "until": a.until})
        if a.locks:
            return Revert("AgentStakingLockedByDispute", {"agent": a.address, "locks": a.locks})
        return None

    def agent_withdraw(self, a: AgentRecord) -> list[Key]:
        a.status, a.until = AgentStatus.NONE, 0
        return [("AgentWithdrawn", a.address, a.id, self.ledger.agent_stake[a.address])]

    def agent_rejoin(self, ts: int, a: AgentRecord) -> Revert | list[Key]:
        if a.id == 0:
            return Revert("AgentStakingUnknownAgent", {"account": a.address})
        if a.status != AgentStatus.PENALIZED:
            return Revert("AgentStakingWrongStatus", {"agent": a.address, "status": int(a.status)})
        if ts < a.until:
            return Revert("AgentStakingStillPenalized", {"agent": a.address, "until": a.until})
        stake, required = self.ledger.agent_stake[a.address], self.models[a.model_id].min_stake
        if stake < required:
            return Revert("AgentStakingStakeTooLow", {"stake": stake, "required": required})
        a.status, a.until = AgentStatus.ACTIVE, 0
        return [("AgentJoinedPool", a.address, a.id, a.model_id)]

    def agent_stake(self, a: AgentRecord, amount: int) -> Revert | list[Key]:
        """A first stake (status None) or a top-up, always for the agent's own model."""
        if amount == 0:
            return Revert("AgentStakingZeroAmount", {})
        total = self.ledger.agent_stake[a.address] + amount
        if a.status == AgentStatus.NONE:
            required = self.models[a.model_id].min_stake
            if amount < required:
                return Revert("AgentStakingStakeTooLow", {"stake": amount, "required": required})
            a.status, a.until = AgentStatus.ACTIVE, 0
            return [
                ("AgentStaked", a.address, a.id, a.model_id, amount, total),
                ("AgentJoinedPool", a.address, a.id, a.model_id),
            ]
        if a.status in (AgentStatus.ACTIVE, AgentStatus.PENALIZED):
            return [("AgentStaked", a.address, a.id, a.model_id, amount, total)]
        return Revert("AgentStakingWrongStatus", {"agent": a.address, "status": int(a.status)})

    # ------------------------------------------------------------------ verifier staking

    def verifier_unstake(self, ts: int, v: VerifierRecord) -> Revert | list[Key]:
        if v.id == 0:
            return Revert("VerifierRegistryUnknownVerifier", {"account": v.address})
        if v.status not in (VerifierStatus.ACTIVE, VerifierStatus.INACTIVE):
            return Revert(
                "VerifierRegistryWrongStatus", {"verifier": v.address, "status": int(v.status)}
            )
        keys: list[Key] = []
        if v.status == VerifierStatus.ACTIVE:
            keys.append(("VerifierLeftPool", v.address, v.id))
        v.status, v.until = VerifierStatus.UNBONDING, ts + self.p.verifiers.unbonding_period
        return [*keys, ("VerifierUnbonding", v.address, v.id, v.until)]

    def verifier_withdraw_error(self, ts: int, v: VerifierRecord) -> Revert | None:
        if v.id == 0:
            return Revert("VerifierRegistryUnknownVerifier", {"account": v.address})
        if v.status != VerifierStatus.UNBONDING:
            return Revert(
                "VerifierRegistryWrongStatus", {"verifier": v.address, "status": int(v.status)}
            )
        if ts < v.until:
            return Revert(
                "VerifierRegistryStillUnbonding", {"verifier": v.address, "until": v.until}
            )
        if v.locks:
            return Revert(
                "VerifierRegistryLockedByDispute", {"verifier": v.address, "locks": v.locks}
            )
        return None

    def verifier_withdraw(self, v: VerifierRecord) -> list[Key]:
        v.status, v.until = VerifierStatus.NONE, 0
        return [("VerifierWithdrawn", v.address, v.id, self.ledger.verifier_stake[v.address])]

    def verifier_stake(self, ts: int, v: VerifierRecord, amount: int) -> Revert | list[Key]:
        if v.status != VerifierStatus.NONE:
            return Revert(
                "VerifierRegistryWrongStatus", {"verifier": v.address, "status": int(v.status)}
            )
        if amount < self.p.verifiers.min_stake:
            return Revert(
                "VerifierRegistryStakeTooLow",
                {"stake": amount, "required": self.p.verifiers.min_stake},
            )
        v.status, v.until, v.last_seen = VerifierStatus.ACTIVE, 0, self.epoch(ts)
        total = self.ledger.verifier_stake[v.address] + amount
        return [
            ("VerifierStaked", v.address, v.id, amount, total),
            ("VerifierJoinedPool", v.address, v.id),
        ]
