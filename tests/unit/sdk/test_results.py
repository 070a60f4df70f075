"""Result and Finality: how final a result says it is."""

from __future__ import annotations

from eternal.sdk.results import Finality, Status


def test_an_accepted_result_says_until_when_it_can_be_challenged() -> None:
    finality = Finality(Status.ACCEPTED, challenge_deadline=1_900_000_000)

    assert str(finality) == "accepted, challengeable until 2030-03-17 17:46:40 UTC"
    assert not finality.is_final


def test_finalized_and_refunded_results_are_final() -> None:
    assert str(Finality(Status.FINALIZED)) == "finalized"
    assert Finality(Status.FINALIZED).is_final
    assert Finality(Status.REFUNDED).is_final
