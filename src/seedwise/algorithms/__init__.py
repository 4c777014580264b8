"""The three problems, one package each, over the shared engine (graph, diffusion,
sampling, selection, backends): :mod:`.im` (classic IM), :mod:`.cim` (capacity
constrained IM) and :mod:`.him` (friend recommendation). No family imports another.
"""
