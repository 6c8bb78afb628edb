"""imdb: reading aclImdb-shaped folders, splitting, vectorizing."""

from pathlib import Path

import numpy as np
import pytest

from seqcnn import data, imdb


def write_split(root: Path, reviews: dict[str, list[str]]) -> Path:
    for name, texts in reviews.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i, text in enumerate(texts):
            (folder / f"{i}_{2 if name == 'neg' else 9}.txt").write_text(text, encoding="utf-8")
    return root


def test_read_reviews_order_labels_and_utf8(tmp_path):
    split = write_split(tmp_path / "train", {"pos": ["Loved it", "Génial, très drôle"], "neg": ["Awful", "Boring"]})
    reviews = imdb.read_reviews(split)
    assert reviews.texts == ["Awful", "Boring", "Loved it", "Génial, très drôle"]
    assert reviews.labels.tolist() == [0, 0, 1, 1]
    assert reviews.files == ["neg/0_2.txt", "neg/1_2.txt", "pos/0_9.txt", "pos/1_9.txt"]
    assert len(reviews) == 4
    sub = reviews.subset(np.array([3, 0]))
    assert sub.texts == ["Génial, très drôle", "Awful"] and sub.labels.tolist() == [1, 0]
    assert sub.files == ["pos/1_9.txt", "neg/0_2.txt"]


def test_empty_class_folder_is_a_clear_error(tmp_path):
    split = write_split(tmp_path / "train", {"pos": ["Good"], "neg": []})
    with pytest.raises(data.DataError, match=r"train/neg holds no \.txt review"):
        imdb.read_reviews(split)


def test_missing_class_folder_is_a_clear_error(tmp_path):
    split = write_split(tmp_path / "test", {"neg": ["Bad"]})
    with pytest.raises(data.DataError, match=r"test/pos is missing"):
        imdb.read_reviews(split)


def test_non_utf8_file_is_a_clear_error(tmp_path):
    split = write_split(tmp_path / "train", {"pos": ["Good"], "neg": ["Bad"]})
    (split / "neg" / "7_1.txt").write_bytes("Mauvais caf\u00e9".encode("latin-1"))
    with pytest.raises(data.DataError) as err:
        imdb.read_reviews(split)
    message = str(err.value)
    assert str(split / "neg" / "7_1.txt") in message
    assert "not valid UTF-8" in message and "byte 11" in message


def test_load_imdb_uses_data_dir(tmp_path, monkeypatch):
    root = tmp_path / "data" / "aclImdb"
    for split in ("train", "test"):
        for name in imdb.CLASS_NAMES:
            write_split(root / split, {name: [f"{split} {name} one", f"{split} {name} two"]})
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SEQCNN_CACHE_DIR", str(tmp_path / "cache"))
    splits = imdb.load_imdb()
    assert {k: len(v) for k, v in splits.items()} == {"train": 4, "test": 4}
    assert splits["test"].texts[0] == "test neg one"


def test_validation_split_is_seeded_disjoint_and_complete():
    train, val = imdb.validation_split(25_000, 0.2, seed=1337)
    assert (len(train), len(val)) == (20_000, 5_000)
    assert not set(train) & set(val)
    assert np.array_equal(np.sort(np.concatenate([train, val])), np.arange(25_000))
    again = imdb.validation_split(25_000, 0.2, seed=1337)
    assert np.array_equal(again[1], val)
    assert not np.array_equal(imdb.validation_split(25_000, 0.2, seed=1)[1], val)
    with pytest.raises(ValueError, match="fraction"):
        imdb.validation_split(10, 1.5)


def test_vectorization_vocabulary_ids_and_padding():
    texts = ["A good film.<br /><br />A GOOD one!", "a bad film", "the film"]
    vectorizer = imdb.make_vectorizer(texts, max_tokens=6)
    vocabulary = [str(w) for w in vectorizer.get_vocabulary()]
    # padding, unknown, then by frequency: a (3), film (3), good (2), ...; no "br" from <br />.
    assert vocabulary[:2] == ["", "[UNK]"] and set(vocabulary[2:4]) == {"a", "film"}
    assert vocabulary[4] == "good" and "br" not in vocabulary and len(vocabulary) == 6
    ids = imdb.token_ids(vectorizer, ["Good film", "unseen words here"], batch_size=1)
    assert ids[0].tolist() == [4, vocabulary.index("film")]
    assert ids[1].tolist() == [1, 1, 1]
    matrix = imdb.pad_or_truncate(ids, length=4)
    assert matrix.dtype == np.int32 and matrix.tolist() == [[0, 0, 4, vocabulary.index("film")], [0, 1, 1, 1]]


def test_pad_or_truncate_keeps_the_requested_end():
    seqs = [np.arange(1, 8), np.array([], dtype="int32")]
    assert imdb.pad_or_truncate(seqs, 3).tolist() == [[5, 6, 7], [0, 0, 0]]
    assert imdb.pad_or_truncate(seqs, 3, keep="start").tolist() == [[1, 2, 3], [0, 0, 0]]
    with pytest.raises(ValueError, match="keep"):
        imdb.pad_or_truncate(seqs, 3, keep="middle")


def test_multi_hot_ignores_padding_and_repeats():
    matrix = imdb.multi_hot([np.array([0, 2, 2, 5]), np.array([1])], vocab_size=6)
    assert matrix.dtype == np.float32
    assert matrix.tolist() == [[0, 0, 1, 0, 0, 1], [0, 1, 0, 0, 0, 0]]
