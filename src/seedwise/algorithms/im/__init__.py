"""Classic influence maximization: pick k seeds of largest expected spread.

- :mod:`.opim_c`: OPIM-C (RR sets, per-run certificate);
- :mod:`.imm`: IMM (RR sets, martingale bound);
- :mod:`.celf`: greedy on Monte-Carlo estimates with lazy evaluation;
- :mod:`.baselines`: degree, PageRank, degree discount, random.
"""
