"""Words the mood rules know, and the helpers that find them in a query.

Tables map genre words to musicnn tags, list stopwords and fillers, and give
energy levels for arc ends; ``norm`` and ``find_phrases`` match phrases against
them (and against library names, via ``library_index``).
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_JOINERS = re.compile(r"[\s/&.'+-]*")


def _table(spec: str) -> dict[str, list[str]]:
    """``"a, b: x, y; c"`` -> ``{"a": ["x", "y"], "b": ["x", "y"], "c": ["c"]}``."""
    table = {}
    for entry in re.split(r"[;\n]", spec):
        names, _, values = entry.partition(":")
        for name in filter(None, (n.strip() for n in names.split(","))):
            table[name] = [v.strip() for v in values.split(",")] if values else [name]
    return table


def _words(spec: str) -> set[str]:
    return set(spec.split())


# Genre words naming musicnn tags: a negated one is excluded, a plain one preferred.
GENRE_TAGS = _table("""
    metal: metal, heavy metal; heavy metal: heavy metal, metal; hard rock; classic rock
    rock: rock, hard rock, classic rock, alternative rock, indie rock, Progressive rock
    prog, prog rock, progressive rock: Progressive rock; alternative: alternative, alternative rock
    alt rock, alternative rock: alternative rock; indie: indie, indie rock, indie pop; indie rock
    indie pop; pop: pop, indie pop; punk; jazz; blues; soul; funk; folk; country; electro
    electronic: electronic, electro, electronica; electronica; techno: electronic, electro
    edm: electronic, electro, House, dance; house music: House; hip hop, hiphop, rap: Hip-Hop
    rnb, r b: rnb; ambient; acoustic; guitar; oldies; 60s; 70s; 80s; 90s; 00s; 2000s: 00s
    easy listening; experimental; male vocals, male vocalists, male singers: male vocalists
    female vocals, female vocalists, female singers: female vocalists, female vocalist
    jazzy: jazz; bluesy: blues; folky: folk, acoustic; punky: punk; soulful: soul; funky: funk
    rocky: rock; poppy: pop; electronic sounding: electronic
""")
# Words whose opposite the tag models hear better: "acoustic" ranks electronic-sounding
# tracks lower (on the truth library the "acoustic" tag tells acoustic from electronic no
# better than chance, AUC 0.46, the electronic tags at 0.85-0.87).
OPPOSED_TAGS = _table("""
    acoustic, unplugged: electronic, electronica, electro
""")
# Instrument words naming tags of the MagnaTagATune musicnn model (stored as "mtt:<tag>"):
# the first tag is the one a track must show, the rest are preferred.
INSTRUMENT_TAGS = _table("""
    piano, pianos, solo piano, piano solo: mtt:piano
    strings, string, string quartet, string ensemble: mtt:strings, mtt:violin, mtt:cello
    violin, violins, fiddle: mtt:violin, mtt:strings; cello, cellos: mtt:cello, mtt:strings
    guitar, guitars, acoustic guitar, acoustic guitars: mtt:guitar
    synth, synths, synthesizer, synthesizers: mtt:synth
    flute, flutes: mtt:flute; harp: mtt:harp; sitar: mtt:sitar; harpsichord: mtt:harpsichord
    choir, choirs, choral: mtt:choir, mtt:choral
    drums, drum, drumming, percussion: mtt:drums, mtt:beat
""")
# "no beats", "without percussion": words that only ever mean drums when negated.
DRUM_WORDS = _words("drums drum drumming percussion beat beats")
# Tags that are moods too: negating one excludes moods and gives the tag a negative weight.
MOOD_TAGS = _table("""
    sad; happy; party; sexy; beautiful; catchy; mellow: Mellow
    chill, chillout: chill, chillout
""")
STOPWORDS = _words("""
    a an the and or but nor so of to in on at for from by with without into onto about as i i'm
    im me my we our us you your it it's its this that these those is are was be been am do does
    want need like love please some something anything any more most very really just only also
    too bit little kind sort type lot lots get got make let give play put songs song music
    tracks track tunes tune stuff playlist mix list vibe vibes things thing feel feeling mood
    moods while when then than after before during over up down out off time today tonight day
    now can could would should will sounds sound style no not what which who how why where
    there here if yes
""")
LEAD_FILLERS = _words("""
    too so very really overly particularly super any anything a an the of some more kind sort
    type that songs song music tracks stuff by from
""")
TRAIL_FILLERS = _words("songs song music tracks track stuff tunes vibes please pls allowed")
OBJECT_STOPS = _words("""
    and but then with for to in on at just only while when because since i we it is are this
    that today tonight no not without
""")
NEG_IDIOMS = _words("matter doubt idea way longer problem clue sure just only one")
VOCAL_WORDS = _words("vocals vocal lyrics singing singer singers voice voices words")
FAST = {"fast", "faster", "quick", "uptempo", "up tempo", "fast paced", "speedy"}
SLOW = {"slow", "slower", "slow paced", "slow tempo"}
# Intensified: "very fast" asks for 140 BPM and up, "very slow" for 80 and below.
VERY_FAST = {"very fast", "really fast", "super fast", "so fast", "breakneck", "blazing"}
VERY_SLOW = {"very slow", "really slow", "super slow", "so slow"}
FAST |= VERY_FAST
SLOW |= VERY_SLOW
# The rules read these fully; left in the text a sentence model would hear the antonym too
# ("slow songs" sits nearest the energetic moods' "fast songs to get moving").
TEMPO_WORDS = {w for phrase in FAST | SLOW for w in phrase.split()} - {"up", "so", "very"}
# Energy levels (0-1) for arc ends described by intensity rather than by a mood.
LEVELS = {
    "slow": 0.2, "quiet": 0.15, "soft": 0.2, "low": 0.15, "gentle": 0.2, "low energy": 0.15,
    "fast": 0.85, "loud": 0.9, "strong": 0.85, "high": 0.85, "hard": 0.9, "intense": 0.9,
    "big": 0.85, "high energy": 0.9, "a bang": 0.95, "bang": 0.95,
}  # fmt: skip
# Words the rules know even when they leave them in the text (not "unknown" words).
VOCABULARY = {
    w for phrase in [*GENRE_TAGS, *INSTRUMENT_TAGS, *FAST, *SLOW, *LEVELS] for w in phrase.split()
}
VOCABULARY |= VOCAL_WORDS | _words("""
    instrumental instrumentals wordless lyricless sung sing along singalong start end begin upbeat
    finish build wind calm cool down middle peak minor major key bpm tempo minutes hour hours
    album record artist band genre
""")


def norm(text: str) -> str:
    """Lower-case words joined by single spaces: ``"Hip-Hop!"`` -> ``"hip hop"``."""
    return " ".join(TOKEN.findall(text.lower()))


def stem(text: str) -> str:
    """Crude suffix stripping, enough to match keyword variants ("studying" ~ "study")."""
    out = []
    for word in norm(text).split():
        for suffix in ("ing", "ed", "es", "s", "e", "y"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        out.append(word[:-1] if word.endswith("y") and len(word) > 4 else word)
    return " ".join(out)


def find_phrases(text: str, names: dict[str, object], max_words: int = 6):
    """Longest non-overlapping word n-grams of ``text`` found in ``names`` (keys from ``norm``).

    Yields ``(value, start, end)`` in text order.
    """
    tokens = [(m.group().lower(), m.start(), m.end()) for m in TOKEN.finditer(text)]
    found, taken = [], set()
    for n in range(min(max_words, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            span = range(i, i + n)
            if taken.intersection(span):
                continue
            gaps = (text[tokens[j][2] : tokens[j + 1][1]] for j in range(i, i + n - 1))
            if not all(_JOINERS.fullmatch(g) for g in gaps):
                continue
            key = " ".join(t[0] for t in tokens[i : i + n])
            if key in names:
                taken.update(span)
                found.append((names[key], tokens[i][1], tokens[i + n - 1][2]))
    return sorted(found, key=lambda f: f[1])


def library_index(library: dict[str, set[str]] | None) -> dict:
    """Library names by their ``norm`` form, per kind, plus every word in them."""
    index: dict = {"words": set()}
    for kind in ("artist", "album", "genre"):
        names = (library or {}).get(kind) or ()
        index[kind] = {k: name for name in names if (k := norm(name))}
        index["words"].update(w for k in index[kind] for w in k.split())
    return index
