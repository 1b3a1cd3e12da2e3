import json
from pathlib import Path

import pytest

from addresses import classify, is_public

CASES = json.loads((Path(__file__).parent / "address_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("address,kind", sorted(CASES.items()))
def test_address_is_sorted_as_reelgates_guard_sorts_it(address, kind):
    assert classify(address) == kind
    assert is_public(address) == (kind == "public")
