"""Eternal: decentralized AI inference secured by Proof-of-Compute.

Creators publish models as AI-721 NFTs, users pay a contract to run prompts, staked agents
drawn at random compute the results, verifiers check and dispute them, and cheaters are slashed.
This package holds the off-chain side: the chain bindings, the nodes and the command line.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eternal.sdk.client import Client

__version__ = "0.1.0"

__all__ = ["Client", "__version__"]


def __getattr__(name: str) -> Any:
    # `eternal.Client` is imported on first use: importing any eternal module (eternal.errors,
    # eternal.config) must not pull in web3 and the whole SDK, nor create an import cycle.
    if name == "Client":
        from eternal.sdk.client import Client

        return Client
    raise AttributeError(f"module 'eternal' has no attribute {name!r}")
