"""A seeded sample of the readers' fuzz harness (benchmarks/fuzz.py runs 10,000 cases): mutated
real files and edge cases through `newsdesk read`, in-process. Zero internal errors (exit 70 or
an exception out of the CLI), no case past its time limit, at most one line on standard error.

The same seed gives the same cases on every run; `python benchmarks/fuzz.py --case N` replays
case N of a failure.
"""

from __future__ import annotations

import importlib.util
import sys

from .conftest import ROOT

CASES = 300


def _harness():
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_fuzz_sample_has_no_internal_error():
    result = _harness().run(cases=CASES, seed=1)
    assert result.cases == CASES
    assert result.internal_errors == [] and result.timeouts == [] and result.noisy == []
    assert set(result.exit_codes) <= {0, 2, 3}  # read, refused in one line, or read with records listed
    assert result.exit_codes.get(0, 0) > CASES / 2  # most mutated inputs still read
