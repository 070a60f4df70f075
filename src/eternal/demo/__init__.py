"""`eternal demo`: the whole network on this machine, start to finish, measured and explained.

Modules, one job each:

    orchestration  the demo's phases, timed; stops everything it started, whatever happens
    session        the steps on a running network: nodes, prompts, finality, epochs, claims
    network        a local network: chain, contracts, blob store, models, node processes
    local_chain    anvil, or the embedded chain served over JSON-RPC
    nodes          a node's home (keystore, config.toml) and process; its metrics
    processes      child processes: start, stop with descendants, find again by pid
    cast           who is who: one dev account per actor
    prompts        the example models and the whitepaper's prompts
    ledger         holdings per actor, and the supply-conservation check
    penalties      punishments and disputes, from the contracts' events
    gas            gas per prompt and step, every actor's transactions, from the receipts
    facts          what a run measured; report and json_report print and write it

Outputs are saved as files by `eternal.sdk.saving`, named task-<id>-<model>.
"""
