"""`amends bench`: the performance targets of DESIGN §6, each measured beside a reference in the same run.

`intake` drives the complaint API through a real application server and pgbench beside it; `queue` times the
queue and case reads over a million cases. Measuring only: nothing here changes how the application works,
and the figures are reported, never asserted. The management command (`bench/management/commands/bench.py`)
only parses arguments and calls `run_intake` / `run_queue`.
"""
