"""The four problems, one package each, over the shared engine (graph, diffusion,
sampling, selection, backends): :mod:`.im` (classic IM), :mod:`.cim` (capacity
constrained IM), :mod:`.him` (friend recommendation) and :mod:`.ideal` (examples to
label, on a k-nearest-neighbour graph). No family imports another.
"""
