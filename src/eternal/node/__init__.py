"""The long-running nodes: an agent that computes prompts for pay, a verifier that checks them.

service.py    the lifecycle every node shares (setup / tick / cleanup), signals, backoff
state.py      SQLite: the log cursor and each node's jobs, written before acting on chain
follower.py   follows the protocol's logs from a persisted cursor
models.py     a model's package and metadata from the chain and the store, kept warm
metrics.py    Prometheus metrics
agent.py      AgentNode: assignments -> compute -> commit -> reveal -> claim
verifier.py   VerifierNode: heartbeat, light checks, challenges, committee votes, claims
"""
