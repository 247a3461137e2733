"""The ``languages`` data set: real sentences in six languages from Debian's packages.

Sources (Debian 12 "bookworm", every ``.deb`` pinned by SHA-256; licences from each package's
``debian/copyright``):

========  =============================  ====================================================
language  fortunes (quotations)          manual pages (the same Linux manuals, translated)
========  =============================  ====================================================
es        fortunes-es 1.36               manpages-es 4.18.1-1 (manpages-l10n, GPL-3+)
pt        fortunes-br 20220821 (pt-BR)   manpages-pt-br 4.18.1-1 (GPL-3+)
it        fortunes-it 1.99-4.1           manpages-it 4.18.1-1 (GPL-3+)
fr        (Debian has no French ones)    manpages-fr 4.18.1-1 (GPL-3+)
de        fortunes-de 0.35-1             manpages-de 4.18.1-1 (GPL-3+)
en        fortunes 1.99.1-7.3            manpages 6.03-2 (man-pages project, mixed free
                                         licences listed in its copyright file)
========  =============================  ====================================================

Topic balance: every language gets the same numbers, :data:`PER_MAN` sentences of manual pages
and :data:`PER_FORTUNE` of fortunes, so no subject belongs to one language; French, without
fortunes, takes all :data:`PER_LANGUAGE` from its manual pages (the one imbalance, measured per
source in docs/experiments.md). Translated manual pages keep some paragraphs in English; a
sentence of a translated page with two or more English function words (:data:`ENGLISH_WORDS`) is
dropped. Sentences are deduplicated whatever their case, and one found in two languages is
dropped from both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from cnnlab.data import cache
from cnnlab.data.debian import DebPackage, Note, fetch_deb, read_deb
from cnnlab.data.textcorpus import fortune_sentences, man_sentences
from cnnlab.errors import DataError
from cnnlab.i18n import _

LANGUAGES = ("es", "pt", "it", "fr", "de", "en")
PER_LANGUAGE = 3000  # sentences per language (Portuguese has about 3,300 in all)
PER_MAN = 1000  # of which from manual pages (French: all of them)
PER_FORTUNE = PER_LANGUAGE - PER_MAN
SEED = 0  # the fixed draw of sentences (the data set is the same for everyone)
#: function words that none of the other five languages uses
ENGLISH_WORDS = frozenset(
    {"the", "and", "of", "with", "which", "this", "that", "are", "be", "by", "is", "when", "will",
     "from", "for", "to", "it", "can", "not", "if", "you", "your"}
)  # fmt: skip
POOL = "pool/main/"
GPL3 = "GPL-3+ (manpages-l10n translations)"


def _pkg(name: str, version: str, folder: str, sha256: str, licence: str) -> DebPackage:
    file_version = version.split(":", 1)[-1]
    pool = f"{POOL}{folder[0]}/{folder}/{name}_{file_version}_all.deb"
    return DebPackage(name, version, pool, sha256, licence)


FORTUNES = {
    "es": _pkg("fortunes-es", "1.36", "fortunes-es",
               "54636edc1a4384093b68d1666c7e702ce42d1fcc8b5ab402d9646c328dcca899",
               "GPL-2+ (the quotations presumed public domain)"),
    "pt": _pkg("fortunes-br", "20220821", "fortunes-br",
               "0a181b5fdf4f9d83dd519c4a50af2e68d88c85d27ab32f665c72e5fc67331a4c", "GPL-2+"),
    "it": _pkg("fortunes-it", "1.99-4.1", "fortunes-it",
               "675df6ecb00c3b67d06b39ab223ff17f1ef1d0ec82a7e40f989356a2eb61a97e",
               "not copyrighted by the collectors (quotations of other people's works)"),
    "de": _pkg("fortunes-de", "0.35-1", "fortunes-de",
               "03fe7a7912935bd3d4e02e38d79ef32a289097f8718d4488c409595abce067a0", "GPL-2+"),
    "en": _pkg("fortunes", "1:1.99.1-7.3", "fortune-mod",
               "41d0551dc0ff52f875a2ecef7c39da2f672ab468c37e170119f7e0245a9d63c5",
               "BSD fortune-mod; the quotations as collected by BSD fortune"),
}  # fmt: skip
MANPAGES = {
    "es": _pkg("manpages-es", "4.18.1-1", "manpages-l10n",
               "d21e9f85e487f149ae45b5c525b2b1a70ae7fd38d4b05b47c8753042c66f4c2b", GPL3),
    "pt": _pkg("manpages-pt-br", "4.18.1-1", "manpages-l10n",
               "da971a7bc0107f7b74b4ae592d1d7cc6424fa7e77cc1808f5c110a07edaf3890", GPL3),
    "it": _pkg("manpages-it", "4.18.1-1", "manpages-l10n",
               "4b18e87cc1b6a930d40949ddc86fb8e84b50da1a862cd17e2a504eeb8e3b4e48", GPL3),
    "fr": _pkg("manpages-fr", "4.18.1-1", "manpages-l10n",
               "ec29759cc0e4a44dc7719c1e32869d0060667049e584f09556f0d982b969ea33", GPL3),
    "de": _pkg("manpages-de", "4.18.1-1", "manpages-l10n",
               "37d2e7ee51f22952aecec3af93647ff59194a3c74bb7a694560f49c7f7ab3978", GPL3),
    "en": _pkg("manpages", "6.03-2", "manpages",
               "efa1ba4cd19ad7baeae959c9209a7eb74be2ebb858bcabb412597bfc9f588c91",
               "man-pages project: Verbatim, GPL-2+, BSD and other free licences per page"),
}  # fmt: skip
#: where each package keeps its text, and files left out (pictures drawn in letters, other
#: languages)
FORTUNE_DIRS = {"es": "usr/share/games/fortunes/es/", "pt": "usr/share/games/fortunes/brasil",
                "it": "usr/share/games/fortunes/it/", "de": "usr/share/games/fortunes/de/",
                "en": "usr/share/games/fortunes/"}  # fmt: skip
MAN_DIRS = {
    "es": "usr/share/man/es/",
    "pt": "usr/share/man/pt_BR/",
    "it": "usr/share/man/it/",
    "fr": "usr/share/man/fr/",
    "de": "usr/share/man/de/",
    "en": "usr/share/man/man",
}
SKIP_FILES = re.compile(r"(\.dat|\.u8|/art|/ascii-art|/asciiart|/banner|/translate-me|"
                        r"/translations)$")  # fmt: skip

#: SHA-256 of the extracted corpus ("language<TAB>source<TAB>sentence" lines): the same sentences
#: for everyone, whatever the route the packages came by
CORPUS_SHA256 = "aa1470cc45ab9b6eaa527341fbece82d5342ae81f5a418293dd020b49d5e8fd0"
SCHEMA: cache.Schema = {"texts": ((-1,), "U"), "labels": ((-1,), "iu"), "sources": ((-1,), "U")}


def cache_file() -> Path:
    return cache.cache_dir() / "languages.npz"


def _from_package(pkg: DebPackage, prefix: str, read: Callable[[bytes], list[str]],
                  deb: Path) -> list[str]:  # fmt: skip
    files = read_deb(deb, (prefix,))
    found: dict[str, str] = {}
    for name in sorted(files):
        if not SKIP_FILES.search(name):
            for sentence in read(files[name]):
                found.setdefault(sentence.casefold(), sentence)  # first spelling of each
    return list(found.values())  # deduplicated whatever the case, first-seen order


def _translated(sentence: str) -> bool:
    words = re.findall(r"[a-z]+", sentence.lower())
    return sum(w in ENGLISH_WORDS for w in words) < 2


def _draw(pool: list[str], k: int, rng: np.random.Generator) -> list[str]:
    picked = rng.permutation(len(pool))[: min(k, len(pool))]
    return [pool[i] for i in sorted(picked)]


def corpus_digest(texts, labels, sources) -> str:
    rows = zip(texts, labels, sources, strict=True)
    lines = (f"{LANGUAGES[int(y)]}\t{s}\t{t}" for t, y, s in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _pools(debs: dict[str, Path]) -> dict[tuple[str, str], list[str]]:
    """(language, "man" or "fortune") → every prose sentence, before the draw."""
    pools = {}
    for lang in LANGUAGES:
        pkg = MANPAGES[lang]
        man = _from_package(pkg, MAN_DIRS[lang], man_sentences, debs[pkg.name])
        pools[lang, "man"] = man if lang == "en" else [s for s in man if _translated(s)]
        if lang in FORTUNES:
            pkg = FORTUNES[lang]
            pools[lang, "fortune"] = _from_package(pkg, FORTUNE_DIRS[lang], fortune_sentences,
                                                   debs[pkg.name])  # fmt: skip
    seen: dict[str, set[str]] = {}
    for (lang, _source), found in pools.items():
        for s in found:
            seen.setdefault(s.casefold(), set()).add(lang)
    shared = {key for key, langs in seen.items() if len(langs) > 1}
    pools = {key: [s for s in found if s.casefold() not in shared] for key, found in pools.items()}
    for lang in LANGUAGES:  # a sentence in both sources of one language: kept in the manuals
        manual = {s.casefold() for s in pools[lang, "man"]}
        if (lang, "fortune") in pools:
            pools[lang, "fortune"] = [
                s for s in pools[lang, "fortune"] if s.casefold() not in manual
            ]
    return pools


def build_corpus(debs: dict[str, Path]) -> dict[str, np.ndarray]:
    """The data set's sentences from the package files: ``texts``, ``labels``, ``sources``."""
    pools, rng = _pools(debs), np.random.default_rng(SEED)
    texts, labels, sources = [], [], []
    for label, lang in enumerate(LANGUAGES):
        man_quota = PER_MAN if (lang, "fortune") in pools else PER_LANGUAGE
        picks = [("man", man_quota), ("fortune", PER_LANGUAGE - man_quota)]
        for kind, quota in picks:
            if quota:
                pkg = (MANPAGES if kind == "man" else FORTUNES)[lang]
                drawn = _draw(pools[lang, kind], quota, rng)
                texts += drawn
                labels += [label] * len(drawn)
                sources += [pkg.name] * len(drawn)
    return {"texts": np.array(texts, dtype=str), "labels": np.array(labels, dtype=np.int64),
            "sources": np.array(sources, dtype=str)}  # fmt: skip


def packages() -> list[DebPackage]:
    return [*FORTUNES.values(), *MANPAGES.values()]


def fetch_languages(data_dir: Path | None = None, note: Note = lambda _m: None) -> Path:
    """Fetch the eleven packages (checked by SHA-256), extract, check and cache the sentences."""
    folder = cache.cache_dir() / "languages-debs"
    debs = {p.name: fetch_deb(p, folder, data_dir, note) for p in packages()}
    note(_("extracting sentences from the fortune files and manual pages"))
    arrays = build_corpus(debs)
    digest = corpus_digest(arrays["texts"], arrays["labels"], arrays["sources"])
    if digest != CORPUS_SHA256:
        raise DataError(
            _(
                "the extracted sentences differ from the published data set; expected "
                "SHA-256 {expected}. Received: {digest} ({n} sentences)",
                expected=CORPUS_SHA256,
                digest=digest,
                n=len(arrays["texts"]),
            )
        )
    cache.save_arrays(cache_file(), arrays)
    note(
        _("cached {n:,} sentences in {cache_file}", n=len(arrays["texts"]), cache_file=cache_file())
    )
    return cache_file()


def load_languages(data_dir: Path | None = None, download: bool = False) -> dict[str, np.ndarray]:
    """The cached sentences; fetched first when missing and ``download`` (or a file was corrupt)."""
    existed = cache_file().is_file()
    arrays = cache.load_arrays(cache_file(), SCHEMA)
    if arrays is None and (existed or download or data_dir is not None):
        fetch_languages(data_dir)
        arrays = cache.load_arrays(cache_file(), SCHEMA)
    if arrays is None:
        raise DataError(
            _(
                "languages is not downloaded yet; expected it in the cache {cache_file}. "
                "Run: cnnlab data fetch languages",
                cache_file=cache_file(),
            )
        )
    return arrays
