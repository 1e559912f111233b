"""axe-core on every page kind: no violation of impact serious or critical. (Keyboard-only use with a
visible focus ring is checked by every journey in test_journeys.py, which uses no mouse.)"""
import pytest

from tour import PAGE_KINDS


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_serious_or_critical_axe_violation(tour, kind):
    visit = tour.visit(kind)
    assert not visit.axe, f"axe-core found on the {kind} page ({visit.url}):\n  " + "\n  ".join(visit.axe)
