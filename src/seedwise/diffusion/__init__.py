"""Forward diffusion: Monte-Carlo simulation of IC and LT (SPEC sections 1-2)."""
from .monte_carlo import monte_carlo_spread, simulate_counts

__all__ = ["monte_carlo_spread", "simulate_counts"]
