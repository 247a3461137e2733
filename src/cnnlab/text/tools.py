"""The established offline language identifiers, run on the same texts as cnnlab's models.

- ``langid`` (langid.py, Lui & Baldwin 2012): restricted to the data set's languages with
  ``set_languages``.
- ``langdetect`` (port of Google's language-detection): cannot be restricted; its most likely
  language among ours is taken (no candidate of ours, or an error on a text without letters,
  counts as wrong). Seeded (``DetectorFactory.seed = 0``) so reruns agree.
- ``lingua`` (lingua-language-detector): built ``from_languages`` with ours only.

All three are optional (the ``dev`` extra); a missing one raises a clear error.
"""

from __future__ import annotations

from collections.abc import Callable

from cnnlab.errors import InvalidArgumentError, UnknownNameError
from cnnlab.i18n import _

TOOLS = ("langid", "langdetect", "lingua")
MISSING = "?"  # the answer when a tool gives none
Identify = Callable[[str], str]


def _missing(tool: str, package: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        _(
            "{tool} is not installed; expected the package {package} (pip install {package}, "
            "or pip install 'cnnlab[dev]'). Received: ImportError",
            tool=tool,
            package=package,
        )
    )


def _langid(languages: tuple[str, ...]) -> Identify:
    try:
        from langid.langid import LanguageIdentifier, model  # optional, comparison only
    except ImportError:
        raise _missing("langid", "langid") from None
    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    identifier.set_languages(list(languages))
    return lambda text: identifier.classify(text)[0]


def _langdetect(languages: tuple[str, ...]) -> Identify:
    try:
        from langdetect import DetectorFactory, detect_langs  # optional, comparison only
        from langdetect.lang_detect_exception import LangDetectException  # same package
    except ImportError:
        raise _missing("langdetect", "langdetect") from None
    DetectorFactory.seed = 0

    def identify(text: str) -> str:
        try:
            found = detect_langs(text)
        except LangDetectException:
            return MISSING
        ours = [g for g in found if g.lang.split("-")[0] in languages]
        return ours[0].lang.split("-")[0] if ours else MISSING

    return identify


def _lingua(languages: tuple[str, ...]) -> Identify:
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder  # optional
    except ImportError:
        raise _missing("lingua", "lingua-language-detector") from None
    chosen = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
              for code in languages]  # fmt: skip
    detector = LanguageDetectorBuilder.from_languages(*chosen).build()

    def identify(text: str) -> str:
        found = detector.detect_language_of(text)
        return MISSING if found is None else found.iso_code_639_1.name.lower()

    return identify


def identifier(tool: str, languages: tuple[str, ...]) -> Identify:
    """A function text → ISO 639-1 code (or ``"?"``) for ``tool``, limited to ``languages``."""
    makers = {"langid": _langid, "langdetect": _langdetect, "lingua": _lingua}
    if tool not in makers:
        raise UnknownNameError(_("unknown language identifier {tool!r}; expected one of: "
                                 "{known}. Received: {tool!r}", tool=tool,
                                 known=", ".join(TOOLS)))  # fmt: skip
    return makers[tool](languages)
