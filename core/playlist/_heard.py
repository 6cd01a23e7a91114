"""When a tag says its instrument or genre is heard."""

from __future__ import annotations

from core.catalog import Catalog

# An instrument tag (MagnaTagATune musicnn, "mtt:") at or above this score: the instrument is
# heard. Its tags are sparse sigmoids: on the tuning renders a string ensemble scores ~0.6
# for strings and a piano ~0.3 for piano, other styles mostly under 0.15.
INSTRUMENT_HEARD = 0.2


# A genre or mood tag (Million Song Dataset musicnn) at or above this score: "no jazz" rules
# the track out. Its tags are sigmoids too: on the tuning renders the styles a tag names
# score 0.1-0.4 on it, the others mostly under 0.02. A percentile cut ("the library's most
# electronic 15 %") left most of the electronic half of a library in.
GENRE_HEARD = 0.05
# Whatever the scores, "no metal" drops at least the library's most metal-sounding 15 %.
EXCLUDE_AT_MOST_PCT = 0.85


def heard_pct(catalog: Catalog, tag: str) -> float:
    """The library percentile from which a tag says its instrument or genre is heard."""
    if tag.startswith("mtt:"):
        return float(catalog.space.pct(f"tag:{tag}", [INSTRUMENT_HEARD])[0])
    return min(EXCLUDE_AT_MOST_PCT, float(catalog.space.pct(f"tag:{tag}", [GENRE_HEARD])[0]))
