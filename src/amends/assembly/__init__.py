"""The top of the house: what composes several apps, and nothing any app imports.

The demo insurer (`demo`), the simulator (`simulation`), the world builder that tests, the demo, the
simulator and the benchmarks share (`world`, `testing`), the commands that span apps (`amends demo`,
`import`, `simulate`, `worker`) and the one module that lists every cross-app hook (`wiring`). Only the URL
configuration, the command line and tests import it (the layers contract in pyproject.toml says so).
"""
