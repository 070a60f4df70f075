"""Client: submit, wait and run against the real contracts, with the agents played by the test."""

from __future__ import annotations

import json

import pytest

from eternal.chain.bindings.task_manager import TaskState, TaskSubmitted
from eternal.chain.wallet import LocalAccount
from eternal.runtime.errors import InvalidInput
from eternal.sdk import (
    Client,
    InsufficientFunds,
    ModelUnavailable,
    OutputRejected,
    Progress,
    Stage,
    Status,
    TaskTimeout,
)
from eternal.storage.cid import cid_of, digest_from_cid, sha256, uri_of
from eternal.storage.local import LocalStore
from tests.support.network import Network
from tests.support.prompting import DESCRIBE_FILE, ECHO, FEE, answer, publish

HELLO = "hello, dragon"


def submitted_event(network: Network, task_id: int) -> TaskSubmitted:
    events = network.protocol.tasks.logs(0, "latest", TaskSubmitted)
    return next(event for event in events if event.task_id == task_id)


def test_run_returns_the_accepted_output_with_its_digest_winner_and_costs(
    network: Network, client: Client, store: LocalStore, echo: int, user: LocalAccount
) -> None:
    network.protocol.token.approve(user, network.protocol.tasks.address, 0)
    submission = client.submit(echo, prompt=HELLO)
    answer(network, store, submission.task_id, [HELLO.encode()] * 3)

    result = client.wait(submission)

    assert result.status is Status.ACCEPTED
    assert result.output == HELLO
    assert result.output_digest == sha256(HELLO.encode())
    assert result.output_uri == uri_of(cid_of(HELLO.encode()))
    assert result.winner == network.assigned(submission.task_id)[0].address  # first committer
    assert str(result.finality).startswith("accepted, challengeable until ")
    assert result.finality.challenge_deadline == network.task(submission.task_id).deadline
    assert not result.finality.is_final
    # No allowance: the fee was paid with a permit, in the submitting transaction itself.
    assert result.tx_hashes == submission.tx_hashes and len(result.tx_hashes) == 1
    assert result.gas_used == submission.gas_used > 0
    assert result.fee == FEE


def test_no_approval_is_sent_when_the_allowance_covers_the_fee(client: Client, echo: int) -> None:
    submission = client.submit(echo, prompt=HELLO)  # the network approved every user already

    assert len(submission.tx_hashes) == 1


def test_progress_reports_every_step_in_chain_order(
    network: Network, client: Client, store: LocalStore, echo: int
) -> None:
    submission = client.submit(echo, prompt=HELLO)
    answer(network, store, submission.task_id, [HELLO.encode()] * 3)
    seen: list[Progress] = []

    client.wait(submission, on_progress=seen.append)

    stages = [p.stage for p in seen]
    assert stages == [
        Stage.SUBMITTED,
        Stage.ASSIGNED,
        Stage.COMMITTED,
        Stage.COMMITTED,
        Stage.COMMITTED,
        Stage.REVEALED,
        Stage.OUTPUT,  # the first committer revealed: its output is readable at once
        Stage.REVEALED,
        Stage.REVEALED,
        Stage.ACCEPTED,
    ]
    assert [p.committed for p in seen if p.stage is Stage.COMMITTED] == [1, 2, 3]
    assert all(p.k == 3 and p.task_id == submission.task_id for p in seen[1:])
    output = next(p.output for p in seen if p.stage is Stage.OUTPUT)
    assert output is not None and output.value == HELLO


def test_inputs_are_sent_inline_as_canonical_json(
    network: Network, client: Client, echo: int
) -> None:
    submission = client.submit(echo, {"times": 2}, prompt=HELLO)

    event = submitted_event(network, submission.task_id)
    assert event.input == b'{"prompt":"hello, dragon","times":2}'
    assert event.input_uri == "" and submission.input_uri is None


def test_a_large_input_goes_by_reference_with_its_digest(
    network: Network, client: Client, store: LocalStore, echo: int, user: LocalAccount
) -> None:
    network.protocol.token.approve(user, network.protocol.tasks.address, 0)
    prompt = "x" * (network.params.tasks.max_inline_input + 1)

    submission = client.submit(echo, prompt=prompt)

    assert len(submission.tx_hashes) == 2  # no permit variant by reference: approve, submit
    event = submitted_event(network, submission.task_id)
    assert event.input == b"" and event.input_uri == submission.input_uri
    assert submission.input_uri is not None
    stored = store.get(submission.input_uri)
    assert json.loads(stored) == {"prompt": prompt}
    assert event.input_digest == sha256(stored)


def test_file_inputs_are_stored_and_passed_as_ipfs_uris(
    network: Network, client: Client, store: LocalStore, tmp_path
) -> None:
    model = publish(network, store, DESCRIBE_FILE)
    path = tmp_path / "table.csv"
    path.write_bytes(b"a,b\n1,2\n")

    submission = client.submit(model, data=path)

    sent = json.loads(submitted_event(network, submission.task_id).input)
    assert sent == {"data": uri_of(cid_of(b"a,b\n1,2\n"))}
    assert store.get(sent["data"]) == b"a,b\n1,2\n"


def test_files_inside_a_json_output_are_fetched_and_verified(
    network: Network, client: Client, store: LocalStore
) -> None:
    model = publish(network, store, DESCRIBE_FILE)
    chart = b"\x89PNG not really"
    output = json.dumps({"chart": uri_of(store.put(chart)), "rows": 1}, sort_keys=True).encode()
    submission = client.submit(model, data=b"a,b\n1,2\n")
    answer(network, store, submission.task_id, [output] * 3)

    result = client.wait(submission)

    assert result.output == {"chart": uri_of(cid_of(chart)), "rows": 1}
    assert result.files == {uri_of(cid_of(chart)): chart}


@pytest.mark.parametrize(
    ("inputs", "problem"),
    [
        ({"prompt": HELLO, "colour": "red"}, "input 'colour': the model takes no such input"),
        ({"times": 2}, "input 'prompt': required, but not given"),
        ({"prompt": HELLO, "times": 9}, "input 'times': 9 is above the maximum 5"),
        ({"prompt": HELLO, "times": "2"}, "input 'times': expected an integer"),
    ],
)
def test_invalid_inputs_are_refused_before_any_transaction(
    network: Network, client: Client, echo: int, user: LocalAccount, inputs, problem
) -> None:
    nonce = network.chain.w3.eth.get_transaction_count(user.address)

    with pytest.raises(InvalidInput, match=problem):
        client.submit(echo, inputs)

    assert network.chain.w3.eth.get_transaction_count(user.address) == nonce
    assert network.protocol.tasks.task_count() == 0


def test_a_model_without_agents_is_refused_before_paying(
    network: Network, client: Client, store: LocalStore
) -> None:
    model = publish(network, store, ECHO, agents=0)

    with pytest.raises(ModelUnavailable, match=f"model {model} has no agents in its pool"):
        client.submit(model, prompt=HELLO)


def test_an_unknown_model_is_refused(client: Client, echo: int) -> None:
    with pytest.raises(ModelUnavailable, match=r"there is no model 7 \(models are 1\.\.1\)"):
        client.submit(7, prompt=HELLO)


def test_a_fee_above_the_balance_is_refused(network: Network, store: LocalStore, echo: int) -> None:
    broke = network.agents[-1]  # holds genesis EAI: give it all away
    token = network.protocol.token
    token.transfer(broke, network.gov.address, token.balance_of(broke.address))
    client = Client(protocol=network.protocol, account=broke, store=store, poll_interval=0.0)

    with pytest.raises(InsufficientFunds, match=f"model {echo}'s fee is {FEE} wei"):
        client.submit(echo, prompt=HELLO)


def test_a_tampered_stored_output_is_refused(
    network: Network, client: Client, store: LocalStore, echo: int
) -> None:
    submission = client.submit(echo, prompt=HELLO)
    answer(network, store, submission.task_id, [HELLO.encode()] * 3)
    (store.root / cid_of(HELLO.encode())).write_bytes(b"hello, knight")

    with pytest.raises(OutputRejected, match="tampered"):
        client.wait(submission)


def test_an_output_uri_that_does_not_hold_the_revealed_digest_is_refused(
    network: Network, client: Client, store: LocalStore, echo: int
) -> None:
    submission = client.submit(echo, prompt=HELLO)
    task_id = submission.task_id
    commitments = answer(network, store, task_id, [HELLO.encode()] * 3, reveal=False)
    decoy = uri_of(store.put(b"something else"))
    for commitment in commitments:  # every agent points at bytes that are not its digest's
        network.reveal(task_id, commitment, decoy)

    with pytest.raises(OutputRejected, match="not the revealed digest"):
        client.wait(submission)


def test_a_task_nobody_answers_is_reassigned_then_refunded(
    network: Network, store: LocalStore, client: Client, user: LocalAccount
) -> None:
    model = publish(network, store, ECHO, agents=5)  # 3 drawn first, then the other 2
    balance = network.protocol.token.balance_of(user.address)
    submission = client.submit(model, prompt=HELLO)
    seen: list[Progress] = []

    def agents_stay_silent(progress: Progress) -> None:
        seen.append(progress)
        if progress.stage is Stage.ASSIGNED:
            network.pass_commit_window()

    result = client.wait(submission, on_progress=agents_stay_silent)

    assert result.status is Status.REFUNDED and str(result.finality) == "refunded"
    assert result.output is None and result.winner is None
    assert result.refunded == FEE
    assert network.protocol.token.balance_of(user.address) == balance
    assert [p.attempt for p in seen if p.stage is Stage.ASSIGNED] == [0, 1]
    assert sum(p.stage is Stage.MISSED for p in seen) == 5
    assert len(result.tx_hashes) == 3  # the submission, and the two finalize calls it sent


def test_wait_final_finalizes_once_the_challenge_window_is_over(
    network: Network, client: Client, store: LocalStore, echo: int
) -> None:
    submission = client.submit(echo, prompt=HELLO)
    answer(network, store, submission.task_id, [HELLO.encode()] * 3)
    accepted = client.wait(submission)
    network.pass_challenge_window()

    final = client.wait_final(accepted)

    assert final.status is Status.FINALIZED and final.finality.is_final
    assert str(final.finality) == "finalized"
    assert final.output == HELLO and final.winner == accepted.winner
    assert network.task(submission.task_id).state is TaskState.FINALIZED


def test_wait_gives_up_after_its_timeout(client: Client, echo: int) -> None:
    submission = client.submit(echo, prompt=HELLO)

    with pytest.raises(
        TaskTimeout, match=f"task {submission.task_id} is still committing"
    ) as caught:
        client.wait(submission, timeout=0.0, settle=False)

    assert caught.value.state == "committing"


def test_a_task_can_be_followed_by_its_id_alone(
    network: Network, client: Client, store: LocalStore, echo: int
) -> None:
    submission = client.submit(echo, prompt=HELLO)
    answer(network, store, submission.task_id, [HELLO.encode()] * 3)
    stranger = Client(protocol=network.protocol, account=network.users[1], store=store)

    result = stranger.wait(submission.task_id)

    assert result.output == HELLO and result.fee == FEE
    assert result.output_digest == digest_from_cid(cid_of(HELLO.encode()))
