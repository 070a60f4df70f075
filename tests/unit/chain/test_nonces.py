import threading

from eternal.chain.nonces import NonceTracker

ADDRESS = "0x" + "11" * 20


def test_reserve_counts_up_from_the_node_and_asks_it_once() -> None:
    asked: list[str] = []
    tracker = NonceTracker(lambda address: asked.append(address) or 4)
    assert [tracker.reserve(ADDRESS) for _ in range(3)] == [4, 5, 6]
    assert asked == [ADDRESS]


def test_resync_and_forget_go_back_to_the_node() -> None:
    on_chain = {ADDRESS: 2}
    tracker = NonceTracker(lambda address: on_chain[address])
    tracker.reserve(ADDRESS)
    on_chain[ADDRESS] = 10
    assert tracker.resync(ADDRESS) == 10
    assert tracker.reserve(ADDRESS) == 10
    on_chain[ADDRESS] = 20
    tracker.forget(ADDRESS)
    assert tracker.reserve(ADDRESS) == 20
    on_chain[ADDRESS] = 30
    tracker.forget_all()
    assert tracker.reserve(ADDRESS) == 30


def test_threads_never_share_a_nonce() -> None:
    tracker = NonceTracker(lambda address: 0)
    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(200):
            nonce = tracker.reserve(ADDRESS)
            with lock:
                seen.append(nonce)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(800))
