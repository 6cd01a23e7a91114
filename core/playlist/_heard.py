"""When an instrument tag says the instrument is heard."""

from __future__ import annotations

from core.catalog import Catalog

# An instrument tag (MagnaTagATune musicnn, "mtt:") at or above this score: the instrument is
# heard. Its tags are sparse sigmoids: on the tuning renders a string ensemble scores ~0.6
# for strings and a piano ~0.3 for piano, other styles mostly under 0.15.
INSTRUMENT_HEARD = 0.2


def heard_pct(catalog: Catalog, tag: str) -> float:
    """The library percentile from which an instrument tag says the instrument is heard."""
    return float(catalog.space.pct(f"tag:{tag}", [INSTRUMENT_HEARD])[0])
