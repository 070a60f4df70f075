from tests.support.network import HONEST, Network


def test_happy_path_pays_everyone(network: Network) -> None:
    model = network.register_model()
    network.stake_agents(model, 3)
    task = network.submit(model)
    network.run_to_acceptance(task)
    assert network.task(task).state == 3
    network.pass_challenge_window()
    network.protocol.tasks.finalize(network.users[0], task)
    assert network.task(task).state == 5
    assert network.supply_is_conserved()
    assert HONEST
