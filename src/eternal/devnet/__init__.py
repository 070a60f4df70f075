"""A local network that keeps running in the background: `eternal devnet up | status | down`.

Modules: `control` (up, status, down), `state` (devnet.json: what runs, with pids and ports).
The network itself is the demo's (`eternal.demo.network`), started detached.
"""
