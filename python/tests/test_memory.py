"""Memory stays flat: no leak per call across 100,000 calls of every kind."""

import numpy as np

import equilibria as eq


def resident_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def test_rss_is_flat_over_100000_calls():
    rng = np.random.default_rng(0)
    games = rng.standard_normal((64, 2, 2, 2))
    duals = np.abs(rng.standard_normal((1, 4)))

    def burst(count):
        for i in range(count):
            g = games[i % 64]
            kind = i % 4
            if kind == 0:
                eq.max_welfare(g, face=False)
            elif kind == 1:
                eq.mwmre(g, "ce")
            elif kind == 2:
                eq.verify(g[None], duals=duals, concept="ce")
            else:
                try:
                    eq.mwmre(g, rho=-1)          # an error path: the message is freed too
                except eq.OptionError:
                    pass

    burst(10_000)                                 # allocator pools and caches settle
    before = resident_kib()
    burst(100_000)
    after = resident_kib()
    # A leak of even 100 bytes per call would add 10 MB.
    assert after - before < 8 * 1024, f"RSS grew from {before} KiB to {after} KiB over 100,000 calls"
