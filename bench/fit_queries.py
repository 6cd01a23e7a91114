"""Natural mood queries with relevance rules written on the truth library's manifest.

A rule is a Python expression over one track's truth (``seeds/truth_library.py``):
``style``, ``tempo``, ``key``, ``mode``, ``level`` (energy 0-4, set by the composition),
``drums``, ``electronic``, ``acoustic``, ``instruments`` (General MIDI names, one string)
and ``pos`` (the track's place in the playlist, 0 at the start, 1 at the end: arcs).
Nothing here is computed by our analysis.

The split was fixed when the list was written, before any tuning: queries at even
positions are the tuning half (tests and the developers may look at them), odd positions
the report half (only ``bench/mood_fit.py`` reads them). ``minutes``/``count`` record what
the words ask for, to check the delivered length.
"""

from __future__ import annotations

# (query, relevance rule)
QUERIES: list[tuple[str, str]] = [
    ("calm music to fall asleep to", "level <= 1 and not drums"),
    ("rainy sunday morning, calm but hopeful, 40 minutes", "level <= 1"),
    ("peaceful meditation", "level <= 1 and not drums"),
    ("gentle background music for reading", "level <= 1"),
    ("soft piano for a quiet evening", "level <= 1 and 'Piano' in instruments"),
    ("sleepy slow ambient night", "level <= 1 and tempo <= 100"),
    ("relaxing chill evening at home", "level <= 2"),
    ("unwind after a long day", "level <= 2"),
    ("high energy workout at the gym", "level >= 3"),
    ("intense running motivation, fast", "level >= 3 and tempo >= 120"),
    ("party music to dance all night", "level >= 3 and drums"),
    ("dance floor bangers", "level >= 3 and drums"),
    ("angry aggressive music", "style in ('metal', 'rock') or level >= 4"),
    ("headbanging heavy metal", "style == 'metal'"),
    ("loud rock for driving fast", "style in ('rock', 'metal') and level >= 3"),
    ("fast drum and bass", "style == 'dnb'"),
    ("pump me up", "level >= 3"),
    ("focus music for coding, no vocals", "1 <= level <= 2"),
    ("study music", "level <= 2"),
    ("dinner party with friends", "1 <= level <= 2"),
    ("sunday brunch jazz", "style == 'jazz'"),
    ("late night drive", "2 <= level <= 3 and electronic"),
    ("morning coffee", "1 <= level <= 2"),
    ("cooking dinner", "1 <= level <= 3"),
    ("yoga and stretching", "level <= 1 and not drums"),
    ("background music for a busy office", "1 <= level <= 2"),
    ("road trip singalong", "2 <= level <= 3 and drums"),
    ("cleaning the house, upbeat", "level >= 2 and drums and tempo >= 100"),
    ("romantic candlelight dinner", "level <= 1"),
    ("club night, four to the floor", "style in ('house', 'techno')"),
    ("start chill, build up to a party",
     "(pos > 0.34 or level <= 2) and (pos < 0.66 or level >= 3)"),
    ("wind down for bed", "pos < 0.5 or level <= 1"),
    ("warm up, peak, cool down",
     "(pos < 0.3 or pos > 0.7 or level >= 3) and (0.2 < pos < 0.8 or level <= 2)"),
    ("slowly getting more intense", "(pos > 0.34 or level <= 2) and (pos < 0.66 or level >= 2)"),
    ("chill songs, 30 minutes", "level <= 2"),
    ("an hour of energetic music", "level >= 3"),
    ("20 minutes of calm piano", "level <= 1 and 'Piano' in instruments"),
    ("10 upbeat songs", "level >= 2 and drums"),
    ("something in A minor around 90 bpm", "key == 'A' and mode == 'minor' or 80 <= tempo <= 100"),
    ("songs at exactly 120 bpm", "115 <= tempo <= 125"),
    ("fast songs over 160 bpm", "tempo >= 155"),
    ("slow songs under 80 bpm", "tempo <= 85"),
    ("music in D major", "key == 'D' and mode == 'major'"),
    ("only minor keys, moody", "mode == 'minor'"),
    ("upbeat songs in a major key", "mode == 'major' and level >= 2"),
    ("fast metal", "style == 'metal' and tempo >= 150"),
    ("slow sad songs in minor keys", "mode == 'minor' and tempo <= 100"),
    ("energetic rock but no metal", "level >= 3 and style != 'metal'"),
    ("electronic music, nothing too loud", "electronic and level <= 2"),
    ("acoustic, no drums", "acoustic and not drums"),
    ("chill but no piano", "level <= 2 and 'Piano' not in instruments"),
    ("instrumental hip hop beats", "style in ('hiphop', 'lofi')"),
    ("happy feel-good songs", "level >= 2 and mode == 'major'"),
    ("sad songs to cry to", "mode == 'minor' and level <= 2"),
    ("melancholic rainy afternoon", "level <= 2 and mode == 'minor'"),
    ("dark and brooding", "mode == 'minor'"),
    ("dreamy atmospheric soundscape",
     "style in ('ambient', 'strings') or (level <= 1 and not drums)"),
    ("nostalgic lo-fi beats to relax", "style == 'lofi' or (level <= 2 and drums and tempo <= 95)"),
    ("sunny summer day at the beach", "level >= 2 and mode == 'major'"),
    ("epic cinematic strings", "'String' in instruments or 'Violin' in instruments"),
    ("cozy autumn evening by the fire", "level <= 1 and acoustic"),
    ("euphoric festival anthems", "level >= 3 and electronic"),
    ("smooth jazz for a lazy afternoon", "style == 'jazz' and level <= 2"),
    ("tense and intense", "level >= 3"),
    ("classical music for concentration", "style in ('piano', 'strings')"),
    ("groovy house music", "style == 'house'"),
]  # fmt: skip
TUNING = QUERIES[0::2]
# The first report half. Its figures were read on 2026-11 and the pipeline changed after
# that, so it no longer counts as unseen: it is reported as "seen" and may be tuned on.
SEEN_REPORT = QUERIES[1::2]

# The second report set, written on 2026-12-02 and run once on the library variant 1. Its
# failures were read on that run, so it counts as seen since and may be tuned on.
SEEN_REPORT_2: list[tuple[str, str]] = [
    ("quiet music for a snowy night", "level <= 1"),
    ("lazy sunday afternoon on the sofa", "level <= 2"),
    ("calm focus for writing, 45 minutes", "level <= 1"),
    ("soothing music for a newborn", "level <= 1 and not drums"),
    ("something mellow while it rains", "level <= 2"),
    ("deep relaxation, no beats", "level <= 1 and not drums"),
    ("tranquil evening by the fire", "level <= 1"),
    ("soft acoustic songs for a campfire", "level <= 2 and acoustic"),
    ("gentle strings for a rainy afternoon",
     "level <= 1 and ('String' in instruments or 'Cello' in instruments)"),
    ("upbeat music for a spin class", "level >= 3 and drums"),
    ("energetic songs for a morning run", "level >= 3"),
    ("hard and fast, make me sweat", "level >= 3 and tempo >= 130"),
    ("rave till sunrise", "level >= 3 and electronic and drums"),
    ("heavy guitars", "style in ('rock', 'metal')"),
    ("moshpit", "style == 'metal' or (style == 'rock' and level >= 4)"),
    ("jungle and drum & bass", "style == 'dnb'"),
    ("techno for a warehouse party", "style == 'techno'"),
    ("old school hip hop beats", "style == 'hiphop'"),
    ("lofi beats to relax to", "level <= 2 and drums"),
    ("jazz bar at midnight", "style == 'jazz'"),
    ("happy music for a sunny day", "level >= 2 and mode == 'major'"),
    ("sad and slow", "mode == 'minor' and tempo <= 100 and level <= 2"),
    ("melancholic piano", "'Piano' in instruments and mode == 'minor' and level <= 2"),
    ("dark and brooding", "mode == 'minor'"),
    ("an hour of dinner jazz", "style == 'jazz' and level <= 2"),
    ("house party background, 90 minutes", "2 <= level <= 3 and drums"),
    ("electronic music to code to", "electronic and 1 <= level <= 2"),
    ("acoustic afternoon", "acoustic and level <= 2"),
    ("something around 170 bpm", "160 <= tempo <= 180"),
    ("slow songs under 80 bpm", "tempo < 80"),
    ("songs in D major", "key == 'D' and mode == 'major'"),
    ("build from calm to energetic over 40 minutes",
     "(pos > 0.34 or level <= 2) and (pos < 0.66 or level >= 3)"),
    ("start energetic then wind down",
     "(pos > 0.34 or level >= 3) and (pos < 0.66 or level <= 2)"),
    ("getting ready to go out", "level >= 2 and drums"),
    ("sunday cleaning with energy", "level >= 2 and drums"),
    ("nothing too loud for the office", "level <= 2"),
    ("chill electronic", "electronic and level <= 2"),
    ("15 minutes of meditation", "level <= 1 and not drums"),
    ("no drums, just calm", "not drums and level <= 1"),
    ("epic and intense", "level >= 3"),
    ("a quiet romantic evening, no jazz", "level <= 1 and style != 'jazz'"),
    ("party but not techno", "level >= 3 and drums and style != 'techno'"),
    ("twelve relaxing songs", "level <= 2"),
    ("summer road trip", "2 <= level <= 3 and drums"),
]  # fmt: skip
# The third report set, written on 2026-12-03 (morning) and run once on library variant 2.
# Its failures were read on that run, so it counts as seen since and may be tuned on.
SEEN_REPORT_3: list[tuple[str, str]] = [
    ("background music for a quiet dinner", "level <= 2"),
    ("calm and slow, 30 minutes", "level <= 1 and tempo <= 100"),
    ("music for falling asleep on a train", "level <= 1"),
    ("peaceful piano", "'Piano' in instruments and level <= 1"),
    ("a slow dance for two", "level <= 2 and tempo <= 100"),
    ("chilled sunday morning coffee", "level <= 2"),
    ("ambient soundscapes for deep work", "style == 'ambient' or (level <= 1 and not drums)"),
    ("soft guitar music", "'Guitar' in instruments and level <= 2"),
    ("string quartet for a rainy day",
     "'Violin' in instruments or 'Cello' in instruments or 'String' in instruments"),
    ("workout playlist, one hour", "level >= 3"),
    ("fast and loud", "level >= 3 and tempo >= 130"),
    ("music to lift heavy weights", "level >= 3 and drums"),
    ("after-party at 4am, dark and electronic", "electronic and level >= 2"),
    ("headbangers only", "style == 'metal' or (style == 'rock' and level >= 4)"),
    ("drum'n'bass for running", "style == 'dnb'"),
    ("deep house for a sunset", "style == 'house'"),
    ("boom bap", "style == 'hiphop'"),
    ("chillhop for studying", "style in ('lofi', 'hiphop') and level <= 2"),
    ("smooth jazz", "style == 'jazz' and level <= 2"),
    ("bebop, fast and busy", "style == 'jazz' and tempo >= 130"),
    ("cheerful morning tunes", "level >= 2 and mode == 'major'"),
    ("moody minor-key music for a grey day", "mode == 'minor' and level <= 2"),
    ("heartbreak songs", "mode == 'minor' and level <= 2"),
    ("triumphant and uplifting", "mode == 'major' and level >= 2"),
    ("classical music for a dinner party", "style in ('piano', 'strings')"),
    ("90 minutes of rock", "style == 'rock'"),
    ("pop hits for a car ride", "style == 'pop'"),
    ("something around 125 bpm", "118 <= tempo <= 132"),
    ("really slow, below 70 bpm", "tempo < 72"),
    ("songs in E minor", "key == 'E' and mode == 'minor'"),
    ("start slow and get faster",
     "(pos > 0.34 or tempo <= 110) and (pos < 0.66 or tempo >= 120)"),
    ("energetic start, calm ending, 30 minutes",
     "(pos > 0.34 or level >= 3) and (pos < 0.66 or level <= 2)"),
    ("pre-game hype", "level >= 3 and drums"),
    ("vacuuming music", "level >= 2 and drums"),
    ("something for a long drive at night", "2 <= level <= 3"),
    ("gentle wake-up music", "level <= 1"),
    ("no electronic stuff, something relaxed", "not electronic and level <= 2"),
    ("electronic beats without vocals, upbeat", "electronic and drums and level >= 2"),
    ("10 minutes of quiet", "level <= 1"),
    ("powerful and dramatic", "level >= 3"),
    ("relaxing but not ambient", "level <= 2 and style != 'ambient'"),
    ("dance music but no house", "level >= 3 and drums and style != 'house'"),
    ("twenty songs for a barbecue", "2 <= level <= 3 and drums"),
    ("spa day", "level <= 1 and not drums"),
    ("christmas dinner with family", "1 <= level <= 2"),
    ("sad piano in a minor key", "'Piano' in instruments and mode == 'minor' and level <= 2"),
    ("intense techno, 135 bpm", "style == 'techno'"),
    ("jazzy lo-fi for a rainy cafe", "style in ('lofi', 'jazz') and level <= 2"),
    ("acoustic guitar by the campfire", "'Guitar' in instruments and acoustic and level <= 2"),
    ("loud music for a house party", "level >= 3 and drums"),
]  # fmt: skip
# The fresh report set, written on 2026-12-03 (afternoon session) before any of that
# session's tuning, and run only on the fresh report library (``truth_library.pieces(
# variant=3)``: other pieces, never analysed while tuning). Only ``bench/mood_fit.py`` reads
# it; no test does.
REPORT: list[tuple[str, str]] = [
    ("music for a slow sunday", "level <= 2"),
    ("calm instrumental music for reading, 25 minutes", "level <= 1"),
    ("lullabies", "level <= 1 and not drums"),
    ("quiet piano to fall asleep", "'Piano' in instruments and level <= 1"),
    ("mellow acoustic evening", "acoustic and level <= 2"),
    ("relaxing strings",
     "level <= 1 and ('String' in instruments or 'Violin' in instruments"
     " or 'Cello' in instruments)"),
    ("calm music with no drums", "level <= 1 and not drums"),
    ("background music for a board game night", "1 <= level <= 2"),
    ("late night jazz", "style == 'jazz'"),
    ("chill lo-fi beats", "style == 'lofi' or (style == 'hiphop' and level <= 2)"),
    ("high-energy cardio", "level >= 3"),
    ("sprint intervals, very fast", "level >= 3 and tempo >= 140"),
    ("dance party, 2 hours", "level >= 3 and drums"),
    ("aggressive metal for the gym", "style == 'metal'"),
    ("classic rock road trip", "style == 'rock'"),
    ("drum and bass, 45 minutes", "style == 'dnb'"),
    ("techno, dark and hypnotic", "style == 'techno'"),
    ("hip hop for a chill afternoon", "style in ('hiphop', 'lofi')"),
    ("house music for a pool party", "style == 'house'"),
    ("pop songs to sing along", "style == 'pop'"),
    ("happy upbeat songs", "level >= 2 and mode == 'major'"),
    ("gloomy minor-key music", "mode == 'minor'"),
    ("bittersweet and slow", "mode == 'minor' and tempo <= 100"),
    ("feel-good morning in major keys", "mode == 'major'"),
    ("heroic and epic", "level >= 3"),
    ("music in G major", "key == 'G' and mode == 'major'"),
    ("something around 100 bpm", "93 <= tempo <= 107"),
    ("fast, above 150 bpm", "tempo >= 145"),
    ("slow, under 90 bpm", "tempo <= 92"),
    ("sad songs in C minor", "key == 'C' and mode == 'minor'"),
    ("calm start, then dance", "(pos > 0.34 or level <= 2) and (pos < 0.66 or level >= 3)"),
    ("high energy first, then relax",
     "(pos > 0.34 or level >= 3) and (pos < 0.66 or level <= 2)"),
    ("a gradual build-up, 45 minutes",
     "(pos > 0.34 or level <= 2) and (pos < 0.66 or level >= 2)"),
    ("dinner then dancing", "(pos > 0.34 or level <= 2) and (pos < 0.66 or level >= 3)"),
    ("doing the dishes", "1 <= level <= 3"),
    ("focus music, no lyrics, nothing loud", "level <= 2"),
    ("acoustic only, no electronic", "acoustic"),
    ("electronic but calm", "electronic and level <= 2"),
    ("energetic but no drum and bass", "level >= 3 and style != 'dnb'"),
    ("chill, but no jazz", "level <= 2 and style != 'jazz'"),
    ("loud guitars and drums", "style in ('rock', 'metal')"),
    ("piano and strings, gentle",
     "level <= 1 and ('Piano' in instruments or 'String' in instruments"
     " or 'Violin' in instruments or 'Cello' in instruments)"),
    ("music for a massage", "level <= 1 and not drums"),
    ("friday night pregame", "level >= 3 and drums"),
    ("15 songs to wake up the office", "level >= 2 and drums"),
    ("thunderstorm outside, cozy inside", "level <= 1"),
    ("jazzy and relaxed", "style == 'jazz' and level <= 2"),
    ("something to headbang to", "style == 'metal' or (style == 'rock' and level >= 4)"),
    ("soft electronic ambient", "style == 'ambient' or (electronic and level <= 1)"),
    ("quiet guitar songs", "'Guitar' in instruments and level <= 1"),
]  # fmt: skip
# Words that only restate a hard filter the parser emits: a key, a mode, a tempo or a genre
# named in the query. Such a query's rule is checked apart (see ``is_filter_query``).
FILTER_FIELDS = {"key", "mode", "tempo", "style"}


def relevant(rule: str, truth: dict, pos: float = 0.5) -> bool:
    """Does a track with manifest entry ``truth`` at playlist position ``pos`` satisfy ``rule``?"""
    names = {
        "style": truth["style"], "tempo": truth["tempo"], "key": truth["key"],
        "mode": truth["mode"], "level": truth["level"], "drums": truth["drums"],
        "electronic": truth["electronic"], "acoustic": truth["acoustic"],
        "instruments": " | ".join(truth["instruments"]), "pos": pos,
    }  # fmt: skip
    return bool(eval(rule, {"__builtins__": {}}, names))


def rule_fields(rule: str) -> set[str]:
    """Manifest fields a rule reads."""
    import re

    words = set(re.findall(r"[a-z_]+", rule))
    return words & {"style", "tempo", "key", "mode", "level", "drums", "electronic",
                    "acoustic", "instruments", "pos"}  # fmt: skip
