"""Norwegian text analysis for search: words, stems, compound parts, excerpts, spelling edits.

Engine-neutral and library-free: the stemmer and stop words are passed in (the Whoosh engine
passes Snowball's Norwegian ones), so the same analysis serves indexing, queries and
highlighting and can be reused by another engine.

Choices:
- Letters are kept intact: æ, ø and å are distinct letters in Norwegian ("for"/"før",
  "dør"/"dor"), so they are never folded. Only foreign accents are: é→e ("idé" = "ide"),
  ä→æ and ö→ø (Swedish/German spellings of Norwegian names). "aa" is not turned into "å"
  (names like "Aasen" are written and found with "aa").
- Compounds are split at index time only, against a lexicon of known word parts
  (`lexicon.txt`): "vindkraftverket" is also indexed as "vindkraft", "kraftverk", "vind",
  "kraft" and "verk", so a query for any part finds it. A query word is just stemmed. The
  split is memoised per distinct word, so its cost is paid once per vocabulary entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from markupsafe import Markup, escape

WORD = re.compile(r"[^\W_]+")
FOLD = str.maketrans("éèêëáàâóòôúùüíìäöçñ", "eeeeaaaooouuuiiæøcn")
ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"
MIN_COMPOUND = 7  # shortest word tried as a compound ("årsmøte")
LINKING = ("s", "e")  # Norwegian linking letters: "års|møte", "barne|hage"
CACHE_LIMIT = 500_000  # distinct words remembered before the memo is cleared

Stemmer = Callable[[str], str]


def load_lexicon() -> frozenset[str]:
    """The shipped list of word parts compounds are split into (one word a line)."""
    text = resources.files("innsiden.search").joinpath("lexicon.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def normalise(text: str) -> str:
    return text.lower().translate(FOLD)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    word: str


class Analyzer:
    """Turns text into index terms: stems of words, plus stems of their compound parts."""

    def __init__(self, stem: Stemmer, stopwords: Iterable[str], lexicon: Iterable[str]) -> None:
        self._stem_fn = stem
        self.stopwords = frozenset(stopwords)
        self.lexicon = frozenset(lexicon)
        self.lexicon_stems = frozenset(stem(w) for w in self.lexicon)
        self._stems: dict[str, str] = {}
        self._terms: dict[str, tuple[str, ...]] = {}
        self._splits: dict[str, tuple[str, ...] | None] = {}
        self._part_words: dict[str, tuple[str, ...]] = {}

    # -- words and stems ------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """The searchable words of `text`, normalised, stop words and single letters dropped."""
        stop = self.stopwords
        return [w for w in WORD.findall(normalise(text)) if len(w) > 1 and w not in stop]

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            if len(self._stems) > CACHE_LIMIT:
                self._stems.clear()
            stem = self._stems[word] = self._stem_fn(word)
        return stem

    def terms_of_word(self, word: str) -> tuple[str, ...]:
        """The word's stem first, then the stems of its compound parts (memoised)."""
        terms = self._terms.get(word)
        if terms is None:
            if len(self._terms) > CACHE_LIMIT:
                self._terms.clear()
            stem = self.stem(word)
            parts = self.compound_parts(word) if len(word) >= MIN_COMPOUND else ()
            terms = (stem, *(p for p in parts if p != stem))
            self._terms[word] = terms
        return terms

    def index_terms(self, text: str) -> list[str]:
        """Every term `text` is indexed under (one entry per occurrence, for term counts)."""
        out: list[str] = []
        for word in self.words(text):
            out.extend(self.terms_of_word(word))
        return out

    def query_stems(self, text: str) -> list[str]:
        """The distinct stems of a query, in order; every one must match."""
        seen: dict[str, None] = {}
        for word in self.words(text):
            seen.setdefault(self.stem(word), None)
        return list(seen)

    def index_words(self, text: str) -> list[str]:
        """The words of `text` followed by the parts of its compounds, unstemmed: for an
        engine that stems by itself (PostgreSQL's `norwegian` configuration)."""
        words = self.words(text)
        parts = [p for w in words if len(w) >= MIN_COMPOUND for p in self.part_words(w)]
        return words + parts

    # -- compounds --------------------------------------------------------------------------

    def part_words(self, word: str) -> tuple[str, ...]:
        """The known parts of a compound as written ("vindkraftverket" → vind, kraftverket,
        vindkraft, kraft, verket …), memoised."""
        found = self._part_words.get(word)
        if found is None:
            if len(self._part_words) > CACHE_LIMIT:
                self._part_words.clear()
            parts: dict[str, None] = {}
            self._collect_words(word, parts)
            found = self._part_words[word] = tuple(parts)
        return found

    def _collect_words(self, word: str, parts: dict[str, None]) -> None:
        for head, tail in self._split(word) or ():
            for piece in (head, tail):
                parts.setdefault(piece, None)
                if len(piece) >= MIN_COMPOUND:
                    self._collect_words(piece, parts)

    def compound_parts(self, word: str) -> tuple[str, ...]:
        """Stems of the known parts of a compound word ("vindkraftverk" → vind, kraftverk, …)."""
        parts: dict[str, None] = {}
        self._collect_parts(word, parts)
        return tuple(parts)

    def _collect_parts(self, word: str, parts: dict[str, None]) -> None:
        for head, tail in self._split(word) or ():
            for piece in (head, tail):
                parts.setdefault(self.stem(piece), None)
                if len(piece) >= MIN_COMPOUND:
                    self._collect_parts(piece, parts)

    def _split(self, word: str) -> tuple[tuple[str, str], ...] | None:
        """Every (head, tail) cut of `word` where both sides are known words or compounds."""
        if word in self._splits:
            return self._splits[word]
        cuts: list[tuple[str, str]] = []
        for i in range(2, len(word) - 2):
            head, tail = word[:i], word[i:]
            head_word = self._known_head(head)
            if head_word and self._known_tail(tail):
                cuts.append((head_word, tail))
        result = tuple(cuts) or None
        if len(self._splits) > CACHE_LIMIT:
            self._splits.clear()
        self._splits[word] = result
        return result

    def _known_head(self, head: str) -> str | None:
        if head in self.lexicon or (len(head) >= MIN_COMPOUND and self._split(head)):
            return head
        if len(head) > 2 and head[-1] in LINKING:
            bare = head[:-1]
            if bare in self.lexicon or (len(bare) >= MIN_COMPOUND and self._split(bare)):
                return bare
        return None

    def _known_tail(self, tail: str) -> bool:
        if len(tail) < 3:
            return False
        if tail in self.lexicon or self.stem(tail) in self.lexicon_stems:
            return True
        return len(tail) >= MIN_COMPOUND and self._split(tail) is not None

    # -- highlighting -------------------------------------------------------------------------

    def tokens(self, text: str) -> Iterator[Token]:
        for match in WORD.finditer(text):
            yield Token(match.start(), match.end(), normalise(match.group()))

    def matches(self, word: str, stems: frozenset[str]) -> bool:
        if len(word) < 2 or word in self.stopwords:
            return False
        return any(term in stems for term in self.terms_of_word(word))

    def highlight(self, text: str, stems: frozenset[str], width: int = 220) -> Markup:
        """An HTML-safe excerpt of about `width` characters around the first matching word."""
        hits = [t for t in self.tokens(text) if self.matches(t.word, stems)]
        if not hits:
            opening = _cut(text, width)
            return _ellipsis(escape(opening), 0, len(opening), len(text))
        start = max(0, hits[0].start - width // 4)
        # Begin at a word boundary so the excerpt never opens mid-word.
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else 0
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > hits[0].end else end
        shown = [t for t in hits if t.start >= start and t.end <= end]
        return _ellipsis(mark(text, shown, start, end), start, end, len(text))

    def mark_all(self, text: str, stems: frozenset[str]) -> Markup:
        """The whole (short) text, HTML-safe, with matching words in <mark>."""
        hits = [t for t in self.tokens(text) if self.matches(t.word, stems)]
        return mark(text, hits, 0, len(text))


def mark(text: str, hits: list[Token], start: int, end: int) -> Markup:
    pieces: list[str] = []
    position = start
    for token in hits:
        pieces.append(escape(text[position : token.start]))
        pieces.append(Markup("<mark>%s</mark>") % text[token.start : token.end])
        position = token.end
    pieces.append(escape(text[position:end]))
    return Markup("").join(pieces)


def _cut(text: str, width: int) -> str:
    """The opening of `text`, at most `width` characters, ending at a word boundary."""
    if len(text) <= width:
        return text
    space = text.rfind(" ", 0, width)
    return text[: space if space > 0 else width]


def _ellipsis(body: Markup, start: int, end: int, length: int) -> Markup:
    prefix = Markup("… ") if start > 0 else Markup("")
    suffix = Markup(" …") if end < length else Markup("")
    return prefix + body + suffix


def edits1(word: str) -> set[str]:
    """Every word one deletion, transposition, replacement or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in ALPHABET]
    inserts = [a + c + b for a, b in splits for c in ALPHABET]
    return set(deletes + transposes + replaces + inserts) - {word}
