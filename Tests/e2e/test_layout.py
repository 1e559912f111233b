"""Every page kind at 390x844 and 1280x800: no horizontal scroll. Full-page screenshots of each are
kept in test-output/screenshots/<page>-<mobile|desktop>.png."""
import pytest

from support import VIEWPORTS
from tour import PAGE_KINDS


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_horizontal_scroll(tour, kind, viewport):
    visit = tour.visit(kind)
    layout = visit.layout[viewport]
    width, height = VIEWPORTS[viewport]
    assert layout["scroll"] <= layout["width"], (
        f"the {kind} page ({visit.url}) scrolls sideways at {width}x{height}: content is {layout['scroll']} px wide "
        f"in a {layout['width']} px viewport; too wide: {', '.join(layout['wide']) or '(unknown element)'}")
