"""Build ``webapp/static/vendor/lucide-sprite.svg`` from the npm package ``lucide-static``.

Only the icons the app uses go into the sprite, each as a ``<symbol id="NAME">`` that
templates (``icon()`` in ``_icons.html``) and scripts (``moodroomIcons.icon``) reference
with ``<use href=".../lucide-sprite.svg#NAME">``.

Example:
    cd /tmp && npm pack lucide-static@1.62.0 && tar xzf lucide-static-1.62.0.tgz
    python tools/build_icon_sprite.py /tmp/package
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ICONS = [
    "play", "pause", "skip-back", "skip-forward", "thumbs-up", "thumbs-down", "shuffle",
    "list-music", "list-plus", "list-start", "list-x", "arrow-up", "arrow-down", "x",
    "plus", "headphones", "sparkles", "copy", "trash-2", "chevron-down",
]  # fmt: skip
OUT = Path(__file__).resolve().parent.parent / "webapp" / "static" / "vendor" / "lucide-sprite.svg"


def symbol(name: str, svg: str) -> str:
    """The inner shapes of one icon file, wrapped as a symbol."""
    body = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S)[1]
    shapes = " ".join(line.strip() for line in body.strip().splitlines())
    return f'<symbol id="{name}" viewBox="0 0 24 24">{shapes}</symbol>'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked lucide-static package folder")
    args = parser.parse_args()
    meta = json.loads((args.package / "package.json").read_text())
    symbols = [symbol(n, (args.package / "icons" / f"{n}.svg").read_text()) for n in ICONS]
    OUT.write_text(
        f"<!-- lucide-static {meta['version']} ({meta['license']}), built by "
        "tools/build_icon_sprite.py -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">\n'
        + "\n".join(symbols)
        + "\n</svg>\n"
    )
    print(f"{len(symbols)} icons -> {OUT}")


if __name__ == "__main__":
    main()
