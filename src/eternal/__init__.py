"""Eternal: decentralized AI inference secured by Proof-of-Compute.

Creators publish models as AI-721 NFTs, users pay a contract to run prompts, staked agents
drawn at random compute the results, verifiers check and dispute them, and cheaters are slashed.
This package holds the off-chain side: the chain bindings, the nodes and the command line.
"""

__version__ = "0.1.0"
