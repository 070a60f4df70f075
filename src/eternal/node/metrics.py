"""Prometheus metrics of a node, in a registry of its own (several nodes can share a process).

Amounts are in EAI (floats: Prometheus has no integers); counts are exact.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

from eternal.node.errors import NodeError

_EAI = 10**18
_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class NodeMetrics:
    def __init__(self, role: str) -> None:
        self.role = role
        self.registry = CollectorRegistry()
        self.tasks = Counter(
            "eternal_tasks", "Tasks by outcome", ["outcome"], registry=self.registry
        )
        self.compute_seconds = Histogram(
            "eternal_compute_seconds",
            "Model compute time per task",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.end_to_end_seconds = Histogram(
            "eternal_task_seconds",
            "From seeing a task to its last on-chain step",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.rewards = Counter("eternal_rewards_eai", "Rewards claimed", registry=self.registry)
        self.penalties = Counter(
            "eternal_penalties", "Penalties and slashes suffered", ["kind"], registry=self.registry
        )
        self.errors = Counter("eternal_errors", "Errors by kind", ["kind"], registry=self.registry)
        self.transactions = Counter(
            "eternal_transactions",
            "Transactions sent by function",
            ["function"],
            registry=self.registry,
        )

    def reward(self, wei: int) -> None:
        self.rewards.inc(wei / _EAI)

    def serve(self, port: int, host: str = "127.0.0.1") -> int:
        """Expose /metrics on host:port (localhost by default: put a proxy in front to share);
        port 0 lets the OS choose one. Returns the port served."""
        try:
            server, _ = start_http_server(port, addr=host, registry=self.registry)
        except OSError as exc:
            reason = exc.strerror or exc
            raise NodeError(f"cannot serve metrics on {host}:{port}: {reason}") from exc
        return int(server.server_port)
