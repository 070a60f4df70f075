"""`eternal account`: new, list, balance, fund."""

from __future__ import annotations

from eternal.chain.accounts import dev_accounts
from eternal.chain.keystore import Keystore
from eternal.chain.params import EAI
from eternal.chain.wallet import eth_balance
from tests.support.remote_node import remote_node
from tests.unit.cli.conftest import PASSWORD, Cli, failed, lines, ok, user_address

NEWCOMER = "0x000000000000000000000000000000000000bEEF"


def test_a_new_account_is_encrypted_in_the_keystore_and_listed(cli: Cli) -> None:
    address = lines(ok(cli("account", "new", chain=False)))[0]

    keystore = Keystore(cli.home / "keystore")
    assert address in keystore.addresses()
    assert keystore.load(address, PASSWORD).address == address
    assert address in lines(ok(cli("account", "list", chain=False)))


def test_list_marks_the_configured_account(cli: Cli) -> None:
    listed = ok(cli("account", "list", env={"ETERNAL_ACCOUNT": user_address(cli).lower()}))

    assert lines(listed) == [f"{user_address(cli)} *"]


def test_without_a_password_and_no_terminal_to_ask_on_new_fails_clearly(cli: Cli) -> None:
    error = failed(cli("account", "new", env={"ETERNAL_PASSWORD": None}, chain=False))

    assert error == (
        "error: no keystore password: set ETERNAL_PASSWORD or ETERNAL_PASSWORD_FILE "
        "(no terminal to ask on)"
    )


def test_balance_shows_the_only_key_s_ether_eai_and_rewards(cli: Cli) -> None:
    shown = ok(cli("account", "balance"))

    assert f"address    {user_address(cli)}" in shown
    assert "EAI        1,000,000 EAI" in shown  # the network's genesis per account
    assert "claimable  0 EAI" in shown


def test_balance_of_something_that_is_not_an_address_is_one_red_line(cli: Cli) -> None:
    assert failed(cli("account", "balance", "0x12")) == (
        "error: '0x12' is not an Ethereum address (0x and 40 hex digits)"
    )


def test_with_several_keys_the_account_must_be_chosen(cli: Cli) -> None:
    Keystore(cli.home / "keystore", scrypt_n=2**4).add(cli.network.users[1].key, PASSWORD)

    assert "2 keys in" in failed(cli("account", "balance"))
    assert user_address(cli) in ok(cli("account", "balance", "--account", user_address(cli)))


def test_fund_sends_dev_ether_and_eai(cli: Cli) -> None:
    shown = ok(cli("account", "fund", NEWCOMER, "--eth", "2.5", "--eai", "300"))

    devs = dev_accounts(10)
    assert f"sent 2.5 ETH to {NEWCOMER} from dev account {devs[0].address}" in shown
    assert eth_balance(cli.network.chain, NEWCOMER) == 25 * 10**17
    assert cli.network.protocol.token.balance_of(NEWCOMER) == 300 * EAI


def test_fund_refuses_a_chain_that_is_not_local(cli: Cli) -> None:
    with remote_node(chain_id=1) as url:
        error = failed(cli("account", "fund", NEWCOMER, env={"ETERNAL_RPC_URL": url}, chain=False))

    assert error == (
        f"error: {url} is not a local chain (chain id 1): `account fund` only hands out dev "
        "funds on anvil, hardhat or the in-process chain"
    )


def test_amounts_that_are_not_numbers_are_refused(cli: Cli) -> None:
    assert failed(cli("account", "fund", NEWCOMER, "--eai", "lots")) == (
        "error: 'lots' is not an amount of EAI (a decimal number)"
    )
