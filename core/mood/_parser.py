"""Free-text mood queries -> ``MoodSpec``: a rule pass first, then sentence embeddings.

The rules (``core.mood._rules``) take out numbers, keys, lengths, exclusions and
arcs; what is left is embedded and compared with every mood's description
sentences (best sentence wins, keyword hits add a little), and a softmax turns
the scores into mood weights. Targets, tag weights and the arc are the weighted mix of
the chosen moods (``core.mood._mood_mix``).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict

import numpy as np

from core.mood._intensity import IntensityAxis, sounded_energy, stated_energy
from core.mood._intents import IntentModel, agreeing, intent_note
from core.mood._lexicon import (
    MOOD_TAGS,
    STOPWORDS,
    TEMPO_WORDS,
    VOCABULARY,
    find_phrases,
    library_index,
    norm,
    stem,
)
from core.mood._mood_mix import (
    arc_points,
    blend_endpoints,
    clean_mood,
    finish_weights,
    mixed_tags,
    mixed_targets,
)
from core.mood._rules import apply_rules
from core.mood._sentence_embedders import Embedder
from core.mood._spec import MoodQueryError, MoodSpec

RULES_VERSION = "rules-1"
KEYWORD_BOOST = 0.05  # cosine points per keyword hit (two at most per mood)
UNKNOWN_WORD_COS = 0.45  # a lone word scoring below this against every mood is not understood
# A short phrase ("gloomy") names a mood when its best score is high, or fairly high and
# clear of the runner-up: lone words sit close to their opposites ("loud" ~ peaceful).
RESOLVE_COS, RESOLVE_SURE_COS, RESOLVE_MARGIN = 0.5, 0.6, 0.03
_TEMPO_WORDS = re.compile(rf"(?<!\w)(?:{'|'.join(sorted(TEMPO_WORDS))})(?!\w)", re.I)
RELATED_TAG = 0.6  # "not sad" also excludes moods leaning this much on the tag "sad"
_LETTER = re.compile(r"[^\W\d_]")


class MoodParser:
    """Parses queries against a mood catalogue (the seed entries, as plain dicts).

    Args:
        moods: entries with ``key``, ``label``, ``sentences``, ``keywords``, ``targets``
            and ``tags`` (or ``tag_weights``); ``emoji`` is optional.
        embedder: sentence embedder; every mood sentence is embedded once, here.
        temperature: softmax temperature over cosine scores (lower = more decisive).
        max_length: longest accepted query, in characters.
    """

    def __init__(
        self, moods: list[dict], embedder: Embedder, temperature: float = 0.05,
        max_length: int = 300,
    ):  # fmt: skip
        if not moods:
            raise ValueError("MoodParser needs at least one mood")
        self.moods = {m["key"]: clean_mood(m) for m in moods}
        self.keys = list(self.moods)
        self.embedder, self.temperature, self.max_length = embedder, temperature, max_length
        self.keyword_boost = KEYWORD_BOOST
        texts, starts = [], []
        for mood in self.moods.values():
            starts.append(len(texts))
            texts.extend([*mood["sentences"], mood["label"]])
        self._matrix = np.asarray(embedder.encode(texts), dtype=np.float32)
        self.intensity = IntensityAxis(embedder)
        self.intents = IntentModel(embedder)
        self._starts = np.array(starts)
        self._keywords: dict[str, str] = {}
        for key, mood in reversed(self.moods.items()):  # earlier moods win shared keywords
            for phrase in [key.replace("_", " "), mood["label"], *mood["keywords"]]:
                if norm(phrase):
                    self._keywords[norm(phrase)] = key
        # Stemmed keywords catch "relaxing" for "relaxed" and "dance" for "dancing"; a
        # keyword whose stem is a filler word ("moody" -> "mood") is left out.
        self._stems = {stem(k): v for k, v in self._keywords.items() if stem(k) not in STOPWORDS}
        self._emoji = {m["emoji"]: k for k, m in self.moods.items() if m.get("emoji")}
        self._vocab = STOPWORDS | VOCABULARY
        for mood in self.moods.values():
            words = [*mood["sentences"], *mood["keywords"], mood["label"], *mood["tags"]]
            self._vocab.update(norm(" ".join(words)).split())
        self._vocab_stems = {stem(w) for w in self._vocab}
        # Normalising a 15k-name library costs ~25 ms; the same user's queries reuse it.
        self._indexes: OrderedDict[tuple, dict] = OrderedDict()
        self._indexes_lock = threading.Lock()
        catalogue = json.dumps([list(self.moods.values()), self.intents.examples],
                               sort_keys=True, ensure_ascii=False, default=repr)  # fmt: skip
        digest = hashlib.sha256(catalogue.encode()).hexdigest()[:8]
        self.model_version = f"{embedder.version}+{RULES_VERSION}+moods-{digest}"

    def scores(self, texts: list[str]) -> np.ndarray:
        """Best cosine of each text against each mood's sentences: ``(len(texts), n_moods)``."""
        sims = np.asarray(self.embedder.encode(texts), dtype=np.float32) @ self._matrix.T
        return np.maximum.reduceat(sims, self._starts, axis=1)

    def resolve(self, phrase: str, strict: bool = False) -> str | None:
        """The mood a short phrase names ("a party", "calm"), or None.

        ``strict`` accepts only a whole keyword ("calm"); otherwise a keyword inside the
        phrase ("my childhood") or a clear enough embedding match counts too.
        """
        phrase = norm(phrase)
        if not phrase:
            return None
        exact = self._keywords.get(phrase) or self._stems.get(stem(phrase))
        if exact or strict:
            return exact
        hits = find_phrases(stem(phrase), self._stems)
        if hits:
            return max(hits, key=lambda h: h[2] - h[1])[0]
        row = self.scores([phrase])[0]
        second, best = np.sort(row)[-2:]
        sure = best >= RESOLVE_SURE_COS or (best >= RESOLVE_COS and best - second >= RESOLVE_MARGIN)
        return self.keys[int(row.argmax())] if sure else None

    def parse(self, text: str, library: dict[str, set[str]] | None = None) -> MoodSpec:
        """Turn ``text`` into a ``MoodSpec``; ``library`` holds lower-case artist/genre/album names.

        Raises:
            MoodQueryError: empty, too long, or nothing but digits and punctuation.
        """
        if not isinstance(text, str) or not text.strip():
            raise MoodQueryError("Describe a mood, an activity or a setting, e.g. 'rainy sunday'.")
        if len(text) > self.max_length:
            raise MoodQueryError(
                f"That is {len(text)} characters; please keep it under {self.max_length}."
            )
        index = self._library_index(library)
        rules = apply_rules(text, self.resolve, index=index)
        emoji = [self._emoji[ch] for ch in text if ch in self._emoji]
        if not _LETTER.search(text) and not rules.notes and not emoji:
            raise MoodQueryError(
                "I need a few words to go on: describe a mood, an activity or a setting."
            )
        spec = MoodSpec(text=text, constraints=rules.constraints, length=rules.length,
                        warnings=rules.warnings, model_version=self.model_version)  # fmt: skip
        excluded, negative_tags = self._negations(rules, spec)
        weights = self._mood_weights(rules, spec, excluded, emoji, index["words"])
        ends = (rules.arc.start, rules.arc.end) if rules.arc else ()
        ends = [e[1] for e in ends if e and e[0] == "mood" and e[1] not in excluded]
        intent, said, slow = None, " ".join(rules.residual.split()), "tempo_max" in spec.constraints
        if rules.energy is None and weights and not rules.arc:  # how intense does it sound?
            intent = self.intents.read(said, slow=slow)
            weights = agreeing(weights, self.moods, intent)  # "a massage" is not a workout
        weights = blend_endpoints(weights, ends)
        spec.moods = finish_weights(weights)
        spec.targets = mixed_targets(self.moods, spec.moods, spec.constraints)
        if rules.tempo_prefer and "tempo" in spec.targets:
            lo, hi = spec.targets["tempo"]
            lo = max(lo, rules.tempo_prefer)
            spec.targets["tempo"] = [lo, max(hi, lo + 30)]
        if rules.energy is not None:  # "soft", "nothing too loud": the words bound the moods
            spec.targets["energy"] = stated_energy(spec.targets.get("energy"), rules.energy)
        elif weights and not rules.arc:
            energy = sounded_energy(
                spec.targets.get("energy"), intent and intent.energy,
                None if intent else self.intensity.bound(said, slow=slow),
            )  # fmt: skip
            if energy:
                spec.targets["energy"] = energy
        if intent:
            rules.notes.append((len(text), intent_note(intent)))
            if intent.beat is False and "beat" not in spec.constraints:
                spec.constraints["beat"] = False  # "a massage": no beat (relaxed when too few)
        spec.tag_weights = mixed_tags(self.moods, spec.moods, rules.named_tags, negative_tags,
                                      rules.opposed_tags)  # fmt: skip
        if rules.arc:
            spec.arc = arc_points(self.moods, rules.arc, spec.targets.get("energy"))
            spec.arc_label = rules.arc.label
            if "energy" in spec.targets:  # leave room for the whole arc
                lo, hi = spec.targets["energy"]
                spec.targets["energy"] = [min(lo, *spec.arc), max(hi, *spec.arc)]
        spec.matched = list(dict.fromkeys(n for _p, n in sorted(rules.notes, key=lambda n: n[0])))
        spec.words = self._words(rules.residual, spec.moods, ends)
        return spec

    def _words(self, residual: str, moods: dict[str, float], ends: list[str]) -> dict[str, dict]:
        """Which words of the query named which of the chosen moods (for reasons)."""
        words = norm(residual).split()
        stemmed = stem(" ".join(words))
        out = {}
        for key, start, end in find_phrases(stemmed, self._stems):
            first = len(stemmed[:start].split())
            phrase = " ".join(words[first : first + len(stemmed[start:end].split())])
            if key in moods and phrase:
                out[phrase] = key
        for key in ends:  # arc endpoints ("start chill, build up to a party")
            if key in moods and key not in out.values():
                out[self.moods[key]["label"].lower()] = key
        if not out and moods:  # understood as a whole: the strongest mood speaks for it
            top = max(moods, key=moods.get)
            out[self.moods[top]["label"].lower()] = top
        return {word: self._aspect(key) for word, key in out.items()}

    def _aspect(self, key: str) -> dict:
        mood = self.moods[key]
        tags = [t for t, w in sorted(mood["tags"].items(), key=lambda kv: -kv[1]) if w >= 0.5]
        return {"mood": key, "targets": mood["targets"], "tags": tags[:3]}

    def _negations(self, rules, spec: MoodSpec) -> tuple[set[str], set[str]]:
        excluded, negative_tags = set(), set(rules.negated_tags)
        for phrase, note, pos in rules.negated_moods:
            tags = MOOD_TAGS.get(phrase, [])
            key = self.resolve(phrase)
            if not key and not tags:
                spec.warnings.append(f"I did not understand '{note}'; going by the rest")
                continue
            keys = {key} if key else set()
            keys |= {k for k, m in self.moods.items() if any(
                m["tags"].get(tag, 0) >= RELATED_TAG for tag in tags)}  # fmt: skip
            excluded |= keys
            negative_tags.update(tags)
            rules.notes.append((pos, note))
        if excluded:
            spec.constraints["exclude_moods"] = sorted(excluded)
        return excluded, negative_tags

    def _library_index(self, library: dict[str, set[str]] | None) -> dict:
        if not library:
            return library_index(None)
        key = tuple(frozenset(library.get(kind) or ()) for kind in ("artist", "album", "genre"))
        with self._indexes_lock:
            index = self._indexes.get(key)
        if index is None:
            index = library_index(library)
            with self._indexes_lock:
                self._indexes[key] = index
                while len(self._indexes) > 8:
                    self._indexes.popitem(last=False)
        return index

    def _unknown_words(self, words: list[str], library_words: set[str]) -> list[str]:
        """Words that neither the catalogue, the rules, the library nor the model know."""
        candidates = [w for w in dict.fromkeys(words) if w not in self._vocab
                      and w not in library_words and stem(w) not in self._vocab_stems]  # fmt: skip
        is_word = getattr(self.embedder, "is_word", None)  # MiniLM has one; fakes need not
        candidates = [w for w in candidates if not (is_word and is_word(w))]
        if not candidates:
            return []
        best = self.scores(candidates).max(axis=1)
        return [w for w, s in zip(candidates, best, strict=True) if s < UNKNOWN_WORD_COS]

    def _mood_weights(self, rules, spec, excluded, emoji, library_words) -> dict[str, float]:
        residual = _TEMPO_WORDS.sub(" ", rules.residual)
        words = [w for w in norm(residual).split() if w not in STOPWORDS and not w.isdigit()]
        unknown = self._unknown_words(words, library_words | rules.known_words)
        for word in unknown:
            residual = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", residual, flags=re.I)
        known = [w for w in words if w not in unknown]
        if unknown:
            said = ", ".join(f"'{w}'" for w in unknown)
            rest = "going by the rest" if known or rules.notes or emoji else (
                "try describing a mood, an activity or a setting")  # fmt: skip
            spec.warnings.append(f"I did not understand {said}; {rest}")
        elif not known and not rules.notes and not emoji and not spec.warnings:
            spec.warnings.append(
                "I found no mood, activity or setting in that; try e.g. 'rainy sunday morning'"
            )
        boost = np.zeros(len(self.keys))
        for key in emoji:
            boost[self.keys.index(key)] += 2 * self.keyword_boost
        if not known:
            return {k: 1.0 for k in dict.fromkeys(emoji) if k not in excluded}
        hits: dict[str, int] = {}
        for key, _s, _e in find_phrases(stem(residual), self._stems):
            hits[key] = hits.get(key, 0) + 1
        for key, count in hits.items():
            boost[self.keys.index(key)] += self.keyword_boost * min(count, 2)
        score = self.scores([" ".join(residual.split())])[0]
        # A mood's own keyword, word for word, is the user's name for it: that mood ranks at
        # least level with the best embedding match ("moshpit" is angry where MiniLM hears
        # "groovy"). Stemmed matches only add the boost ("on a train" is not "training").
        top = float(score.max())
        for key in {key for key, _s, _e in find_phrases(norm(residual), self._keywords)}:
            score[self.keys.index(key)] = max(score[self.keys.index(key)], top)
        score = score + boost
        for key in excluded:
            score[self.keys.index(key)] = -np.inf
        if not np.isfinite(score.max()):
            return {}  # every mood was excluded
        z = np.exp((score - score.max()) / self.temperature)
        return dict(zip(self.keys, (z / z.sum()).tolist(), strict=True))
