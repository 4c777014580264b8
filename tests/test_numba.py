"""numba options once; a kernel's cache is stale when any numba file of the package changes."""
import os
import re

import seedwise
from seedwise import _numba
from seedwise.sampling import _kernels as sampling_kernels

PACKAGE = os.path.dirname(seedwise.__file__)


def test_numba_options_are_defined_in_one_module():
    offenders = []
    for root, _, files in os.walk(PACKAGE):
        for f in files:
            path = os.path.join(root, f)
            if f.endswith(".py") and path != _numba.__file__:
                with open(path) as fh:
                    text = fh.read()
                if re.search(r"numba\.(njit|jit)\(", text):
                    offenders.append(os.path.relpath(path, PACKAGE))
    assert offenders == []


def test_a_kernel_cache_stamp_covers_its_helpers_files():
    dispatcher = next(v for v in vars(sampling_kernels).values() if hasattr(v, "py_func"))
    dispatcher.enable_caching()
    locator = dispatcher._cache._impl.locator
    stamped = {entry[0] for entry in locator.get_source_stamp()}
    # the random streams and the selection helpers live in other files than the kernels that inline them
    assert {"_random.py", os.path.join("selection", "_kernels.py"), os.path.join("sampling", "_kernels.py")} <= stamped


def test_every_file_that_defines_kernels_is_in_the_cache_stamp():
    # _numba finds the numba files by name (kernels, _random, _schemes) to keep start-up cheap;
    # a kernel file named otherwise would escape the stamp and could run stale from its cache
    defining = set()
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for f in files:
            path = os.path.join(root, f)
            if f.endswith(".py"):
                with open(path) as fh:
                    if re.search(r"^@(kernel|inline)\b", fh.read(), re.MULTILINE):
                        defining.add(os.path.relpath(path, PACKAGE))
    stamped = {os.path.relpath(p, PACKAGE) for p in _numba._FILES}
    assert defining and defining <= stamped, sorted(defining - stamped)
