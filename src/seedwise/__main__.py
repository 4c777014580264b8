"""``python -m seedwise``: the same as the ``seedwise`` command."""
import sys

from .cli import main

sys.exit(main())
