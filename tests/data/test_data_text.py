"""Text data: encoding, pieces, textfolder:, Debian packages read in Python, sentence extraction."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

import numpy as np
import pytest

from cnnlab import data
from cnnlab.data import debian, languages, textsets
from cnnlab.data.cache import save_arrays
from cnnlab.data.preview import sample_grid
from cnnlab.data.textcorpus import fortune_sentences, man_sentences, plain, sentences
from cnnlab.errors import DataError, InvalidArgumentError

SAMPLE = Path(__file__).resolve().parents[1] / "text" / "sample"


def make_deb(files: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    """A minimal .deb: an ar archive of debian-binary, control.tar.xz and data.tar.xz."""
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w:xz") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo("./" + name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        for name in links:
            info = tarfile.TarInfo("./" + name)
            info.type, info.linkname = tarfile.SYMTYPE, "elsewhere"
            tar.addfile(info)
    members = [("debian-binary", b"2.0\n"), ("control.tar.xz", b""),
               ("data.tar.xz", tar_bytes.getvalue())]  # fmt: skip
    out = b"!<arch>\n"
    for name, blob in members:
        header = f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(blob):<10}`\n"
        out += header.encode("ascii") + blob + (b"\n" if len(blob) % 2 else b"")
    return out


def test_encode_gives_one_code_point_per_character_and_pads_with_zero():
    x = textsets.encode(["ñu ção", "ж" * 3 + "😀"], length=8)  # (2, 1, 8)
    assert x.shape == (2, 1, 8) and x.dtype == np.float32
    assert x[0, 0, :6].tolist() == [ord(c) for c in "ñu ção"] and x[0, 0, 6:].tolist() == [0, 0]
    assert x[1, 0, :4].tolist() == [textsets.OTHER] * 4  # Cyrillic and emoji share "other"
    assert textsets.decode(x[0]) == "ñu ção"
    assert textsets.encode(["a" * 20], length=5)[0, 0].tolist() == [97.0] * 5  # cut, not wrapped


@pytest.mark.parametrize("max_chars", [1, 5, 10, 20, 60])
def test_pieces_are_whole_words_within_the_limit(max_chars):
    text = "La convolución desliza un kernel sobre la frase entera"
    for seed in range(20):
        piece = textsets.cut_piece(text, max_chars, np.random.default_rng(seed))
        assert 0 < len(piece) <= max_chars
        words = piece.split()
        if len(words) > 1:  # several words: a run of the sentence's own words
            assert " ".join(words) in text
        else:
            assert any(w.startswith(piece) for w in text.split())


def test_length_buckets_cut_the_test_set_into_the_three_lengths():
    texts = [
        "Hola.",
        "Una frase de longitud media, ni corta ni larga.",
        "Una frase bastante más larga que sesenta caracteres, para el último grupo de todos.",
    ]
    labels = np.array([0, 1, 2])
    buckets = textsets.length_buckets(texts, labels)
    assert list(buckets) == ["≤20", "20-60", ">60"]
    for name, (cut, y) in buckets.items():
        low, high = textsets.BUCKETS[name]
        assert all(low < len(t) <= high for t in cut) and len(cut) == len(y)
    assert buckets[">60"][0] == [texts[2]] and buckets[">60"][1].tolist() == [2]
    assert len(buckets["≤20"][0]) == 3 and buckets["20-60"][1].tolist() == [1, 2]


def test_textfolder_splits_by_class_and_never_trains_on_a_test_sentence():
    ds = data.load(f"textfolder:{SAMPLE}", val_fraction=0.1, seed=3)
    assert ds.kind == "text" and ds.classes == ["de", "en", "es", "fr", "it", "pt"]
    assert ds.input_shape == (1, textsets.LENGTH) and ds.mean == (0.0,) and ds.std == (1.0,)
    assert np.bincount(ds.test.y).tolist() == [10] * 6  # stratified: 20% of 50 per class
    test = {textsets.decode(r) for r in ds.test.x}
    train = [textsets.decode(r) for r in ds.train.x]
    n = 240 - len(ds.val.y)
    assert len(train) == 4 * n  # each training sentence and three pieces
    assert max(len(t) for t in train[2 * n : 3 * n]) <= 20  # the second piece: at most 20
    assert max(len(t) for t in train[3 * n :]) <= 30
    assert not test & set(train)
    assert not any(t in s for t in test for s in train if len(t) > 20)


def test_textfolder_reads_class_folders_and_refuses_bad_input(tmp_path):
    (tmp_path / "yes").mkdir()
    (tmp_path / "yes" / "a.txt").write_text("sí\nclaro que sí\n", encoding="utf-8")
    (tmp_path / "no.txt").write_text("no\n\nnunca\n", encoding="utf-8")
    texts, y, classes = textsets.load_textfolder(tmp_path)
    assert classes == ["no", "yes"] and texts == ["no", "nunca", "sí", "claro que sí"]
    assert y.tolist() == [0, 0, 1, 1]
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe caf\xe9")
    with pytest.raises(DataError, match="is not UTF-8 text"):
        textsets.load_textfolder(tmp_path)
    with pytest.raises(DataError, match="expected at least two"):
        textsets.load_textfolder(tmp_path / "yes")
    with pytest.raises(InvalidArgumentError, match="textfolder: needs a path"):
        data.load("textfolder:")


def test_read_deb_reads_regular_files_under_the_prefixes_only(tmp_path):
    deb = tmp_path / "p.deb"
    deb.write_bytes(make_deb({"usr/share/x/a": b"A", "usr/share/y/b": b"B",
                              "usr/share/x/../../etc/passwd": b"no"},
                             links=("usr/share/x/link",)))  # fmt: skip
    assert debian.read_deb(deb, ("usr/share/x/",)) == {"usr/share/x/a": b"A"}
    deb.write_bytes(b"PK\x03\x04 not an ar archive")
    with pytest.raises(DataError, match="not a Debian package"):
        debian.read_deb(deb, ("usr/",))


def test_fetch_deb_takes_a_matching_file_and_refuses_a_wrong_one(tmp_path, monkeypatch):
    blob = make_deb({"usr/share/doc/x": b"x"})
    pkg = debian.DebPackage("x", "1:1.0", "pool/main/x/x/x_1.0_all.deb",
                            hashlib.sha256(blob).hexdigest(), "GPL")  # fmt: skip
    assert pkg.names == ("x_1.0_all.deb", "x_1%3a1.0_all.deb")
    (tmp_path / pkg.names[1]).write_bytes(blob)  # the name apt-get download writes
    assert debian.fetch_deb(pkg, tmp_path / "cache", data_dir=tmp_path).name == pkg.names[1]

    def offline(*_args, **_kwargs):
        raise DataError("no network in tests")

    monkeypatch.setattr(debian, "download_first", offline)
    monkeypatch.setattr(debian, "_apt_download", lambda pkg, folder: offline())
    (tmp_path / pkg.names[1]).write_bytes(blob + b"tampered")
    with pytest.raises(DataError, match="could not be fetched"):
        debian.fetch_deb(pkg, tmp_path / "cache", data_dir=tmp_path)


def test_sentences_keep_prose_and_drop_code_names_and_fragments():
    found = sentences("Use ls -l /etc para ver. ¿Dónde está la biblioteca? Sí. "
                      "El proceso hijo hereda la máscara de señales del padre.")  # fmt: skip
    assert found == ["¿Dónde está la biblioteca?",
                     "El proceso hijo hereda la máscara de señales del padre."]  # fmt: skip


def test_fortunes_drop_authors_and_roff_keeps_words_of_font_macros():
    raw = "Más vale tarde que nunca, dice el refrán.\n\t-- Anónimo\n%\nA B\n%\n".encode()
    assert fortune_sentences(raw) == ["Más vale tarde que nunca, dice el refrán."]
    page = (
        ".TH LS 1\n.SH NOMBRE\nls \\- lista\n.SH DESCRIPCIÓN\nLa orden\n.B ls\nmuestra "
        "los ficheros del directorio actual.\n.nf\nEsto es código, no prosa.\n.fi\n"
    )
    assert man_sentences(gzip.compress(page.encode())) == [
        "La orden ls muestra los ficheros del directorio actual."]  # fmt: skip
    assert plain(r"\fBls\fR lists \(aqfiles\(aq") == "ls lists 'files'"


def test_build_corpus_balances_sources_and_drops_untranslated_and_shared(tmp_path, monkeypatch):
    monkeypatch.setattr(languages, "PER_LANGUAGE", 4)
    monkeypatch.setattr(languages, "PER_MAN", 2)
    man = ".TH X 1\n.SH D\n{}\n.PP\nThe value of the {} option is ignored by the program.\n"
    debs = {}
    for lang in languages.LANGUAGES:
        line = "\n.PP\n".join(f"Frase {w} {lang} escrita en el manual del programa."
                               for w in ("uno", "dos", "tres", "cuatro"))  # fmt: skip
        page = gzip.compress(man.format(line, lang).encode())
        pkg = languages.MANPAGES[lang]
        debs[pkg.name] = tmp_path / pkg.filename
        debs[pkg.name].write_bytes(make_deb({languages.MAN_DIRS[lang] + "1/x.1.gz": page}))
        if lang in languages.FORTUNES:
            quotes = "".join(f"Cita {w} del idioma {lang} aquí.\n%\n"
                             for w in ("uno", "dos", "tres", "cuatro"))  # fmt: skip
            quotes += "Una cita compartida por todos.\n%\n"
            pkg = languages.FORTUNES[lang]
            debs[pkg.name] = tmp_path / pkg.filename
            name = languages.FORTUNE_DIRS[lang].rstrip("/") + ("" if lang == "pt" else "/q")
            debs[pkg.name].write_bytes(make_deb({name: quotes.encode()}))
    corpus = languages.build_corpus(debs)
    texts, labels = list(corpus["texts"]), corpus["labels"]
    assert np.bincount(labels).tolist() == [4] * 6  # every language the same number
    assert "Una cita compartida por todos." not in texts  # in five languages: dropped
    english_in = {languages.LANGUAGES[y] for t, y in zip(texts, labels, strict=True)
                  if "ignored" in t}  # fmt: skip
    assert english_in <= {"en"}  # the untranslated paragraph is dropped from the other five
    pools = languages._pools(debs)
    assert "The value of the en option is ignored by the program." in pools["en", "man"]
    assert not any("ignored" in t for t in pools["es", "man"])
    fr = labels == languages.LANGUAGES.index("fr")
    assert set(corpus["sources"][fr]) == {"manpages-fr"}
    es = labels == 0
    assert sorted(set(corpus["sources"][es])) == ["fortunes-es", "manpages-es"]


def test_data_show_writes_texts_for_a_text_set():
    ds = data.load(f"textfolder:{SAMPLE}")
    fig = sample_grid(ds, per_class=2, title="sample")
    written = [t.get_text() for t in fig.axes[0].texts]
    assert written[0] == "de" and len(written) == 6 * 3
    assert all(t.strip() in {textsets.decode(r) for r in ds.train.x} for t in written[1:3])


def test_languages_reads_the_cache_and_says_how_to_fetch_it(private_cache):
    with pytest.raises(DataError, match="cnnlab data fetch languages"):
        data.load("languages")
    assert data.is_cached("languages") is False
    texts, labels = [], []
    for label, lang in enumerate(languages.LANGUAGES):
        found = (SAMPLE / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        texts += found
        labels += [label] * len(found)
    private_cache.mkdir()
    arrays = {"texts": np.array(texts), "labels": np.array(labels),
              "sources": np.array(["sample"] * len(texts))}  # fmt: skip
    save_arrays(languages.cache_file(), arrays)
    assert data.is_cached("languages") is True
    ds = data.load("languages", val_fraction=0.0)
    assert ds.kind == "text" and ds.classes == list(languages.LANGUAGES)
    assert np.bincount(ds.test.y).tolist() == [10] * 6 and len(ds.train.y) == 4 * 240
    seen = {textsets.decode(r) for r in textsets.encode(texts)}  # ’ and other rare ones as �
    assert {textsets.decode(r) for r in ds.test.x} <= seen
