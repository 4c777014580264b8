"""The defaults of ``seedwise serve``'s limits, in one light module: the command's
``--help`` reads them without loading fastapi or numpy."""

#: largest request body, bytes (413 above)
MAX_BODY = 1 << 20
#: queries computed at once
MAX_CONCURRENCY = 4
#: seconds a query waits for a slot before 503
QUEUE_TIMEOUT = 30.0
#: Monte-Carlo runs one request may ask for (spread, CELF)
MAX_SIMULATIONS = 100_000
#: RR sets of one spread estimate
MAX_RR_SETS = 2_000_000
#: greedy algorithms refuse requests they estimate to take longer, seconds
MAX_SECONDS = 60.0
