"""The IMDB movie reviews: read the raw ``aclImdb`` text, split, vectorize.

The Large Movie Review Dataset (Maas et al., 2011) ships as one text file per
review, in ``aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt``. This module
reads those files (strict UTF-8, in a fixed order), holds out a seeded
validation part of the training reviews, and turns text into the integer
sequences and multi-hot vectors the chapter's models read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seqcnn import data

__all__ = [
    "CLASS_NAMES",
    "Reviews",
    "read_reviews",
    "load_imdb",
    "validation_split",
    "standardize",
    "make_vectorizer",
    "token_ids",
    "pad_or_truncate",
    "multi_hot",
]

#: Class folders, in label order: ``neg`` is 0, ``pos`` is 1.
CLASS_NAMES = ("neg", "pos")


@dataclass(frozen=True)
class Reviews:
    """Review texts with their labels (0 = negative, 1 = positive) and file names."""

    texts: list[str]
    labels: np.ndarray
    files: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, index: np.ndarray) -> Reviews:
        """The reviews at the positions ``index``, in that order."""
        return Reviews([self.texts[i] for i in index], self.labels[index], [self.files[i] for i in index])


def read_reviews(folder: str | Path) -> Reviews:
    """Read one split of ``aclImdb``: every ``*.txt`` in ``folder/neg`` and ``folder/pos``.

    Files are read in a fixed order (negative then positive, by file name) and
    decoded as strict UTF-8.

    Parameters
    ----------
    folder : str or pathlib.Path
        A split folder such as ``aclImdb/train``.

    Returns
    -------
    Reviews
        The texts, labels (0 for ``neg``, 1 for ``pos``) and file names
        relative to ``folder``.

    Raises
    ------
    seqcnn.data.DataError
        If a class folder is missing or holds no ``.txt`` file, or a file is
        not valid UTF-8; the message names the folder or file.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for name, text in [("neg/0_1.txt", "Dull."), ("pos/0_9.txt", "Great<br />fun!")]:
    ...     (root / name).parent.mkdir(exist_ok=True)
    ...     _ = (root / name).write_text(text, encoding="utf-8")
    >>> reviews = read_reviews(root)
    >>> reviews.texts, reviews.labels.tolist(), reviews.files
    (['Dull.', 'Great<br />fun!'], [0, 1], ['neg/0_1.txt', 'pos/0_9.txt'])
    """
    folder = Path(folder)
    texts, labels, files = [], [], []
    for label, name in enumerate(CLASS_NAMES):
        class_dir = folder / name
        if not class_dir.is_dir():
            raise data.DataError(
                f"{class_dir} is missing: an aclImdb split needs the folders {' and '.join(CLASS_NAMES)}. "
                "Re-extract aclImdb_v1.tar.gz or point SEQCNN_DATA_DIR at a complete copy."
            )
        paths = sorted(class_dir.glob("*.txt"))
        if not paths:
            raise data.DataError(
                f"{class_dir} holds no .txt review: the copy of aclImdb is incomplete. "
                "Re-extract aclImdb_v1.tar.gz or point SEQCNN_DATA_DIR at a complete copy."
            )
        for path in paths:
            raw = path.read_bytes()
            try:
                texts.append(raw.decode("utf-8"))
            except UnicodeDecodeError as err:
                raise data.DataError(
                    f"{path} is not valid UTF-8 (byte {err.start}: {raw[err.start:err.start + 1]!r}): the "
                    "reviews of aclImdb are UTF-8 text. Replace the file with the original one."
                ) from None
            labels.append(label)
            files.append(f"{name}/{path.name}")
    return Reviews(texts, np.array(labels, dtype="int32"), files)


def load_imdb(root: str | Path | None = None) -> dict[str, Reviews]:
    """The 25,000 training and 25,000 test reviews of ``aclImdb``.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        The ``aclImdb`` folder. By default it is found with
        :func:`seqcnn.data.locate` (``$SEQCNN_DATA_DIR``, the cache, or a
        download from Stanford).

    Returns
    -------
    dict
        ``{"train": Reviews, "test": Reviews}``.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for split in ("train", "test"):
    ...     for name in CLASS_NAMES:
    ...         (root / split / name).mkdir(parents=True)
    ...         _ = (root / split / name / "0_5.txt").write_text(f"{split} {name}")
    >>> {split: len(reviews) for split, reviews in load_imdb(root).items()}
    {'train': 2, 'test': 2}
    """
    root = Path(root) if root is not None else data.locate(data.IMDB)
    return {split: read_reviews(root / split) for split in ("train", "test")}


def validation_split(n: int, fraction: float = 0.2, seed: int = 1337) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random split of ``range(n)`` into training and validation positions.

    Parameters
    ----------
    n : int
        Number of examples.
    fraction : float, default 0.2
        Share held out for validation (rounded to the nearest count).
    seed : int, default 1337
        Seed of the permutation.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Training and validation positions, each sorted, disjoint, covering
        ``range(n)``.

    Examples
    --------
    >>> train, val = validation_split(10, 0.2, seed=0)
    >>> len(train), len(val), sorted(train.tolist() + val.tolist()) == list(range(10))
    (8, 2, True)
    """
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction}")
    order = np.random.default_rng(seed).permutation(n)
    n_val = round(n * fraction)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


_PUNCTUATION = "[" + re.escape("!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~") + "]"


def standardize(text):
    """Lower-case, turn the reviews' ``<br />`` tags into spaces, strip punctuation.

    Keras' default standardization would keep ``br`` as a word (from
    ``<br />``), one of the most frequent tokens of the data set. Apostrophes
    stay, so "don't" remains one word.

    Parameters
    ----------
    text : tf.Tensor
        A string tensor.

    Returns
    -------
    tf.Tensor
        The standardized strings.

    Examples
    --------
    >>> import tensorflow as tf
    >>> standardize(tf.constant(["Great<br /><br />FUN, isn't it?"])).numpy().tolist()
    [b"great  fun isn't it"]
    """
    import tensorflow as tf

    text = tf.strings.lower(text)
    text = tf.strings.regex_replace(text, r"<br\s*/?>", " ")
    text = tf.strings.regex_replace(text, _PUNCTUATION, "")
    return tf.strings.strip(text)


def make_vectorizer(texts: Sequence[str], max_tokens: int = 10_000):
    """A ``TextVectorization`` layer adapted on ``texts`` (the training reviews only).

    The vocabulary is the ``max_tokens`` most frequent words: index 0 is
    padding, 1 is "[UNK]" (any other word), then words by decreasing
    frequency.

    Parameters
    ----------
    texts : sequence of str
        The texts to learn the vocabulary from.
    max_tokens : int, default 10000
        Vocabulary size, padding and "[UNK]" included.

    Returns
    -------
    keras.layers.TextVectorization
        Outputs ragged integer sequences, one id per word, no truncation.

    Examples
    --------
    >>> vectorizer = make_vectorizer(["a good film", "a bad film", "a film"], max_tokens=5)
    >>> [str(word) for word in vectorizer.get_vocabulary()]
    ['', '[UNK]', 'film', 'a', 'good']
    """
    import keras
    import tensorflow as tf

    vectorizer = keras.layers.TextVectorization(max_tokens=max_tokens, standardize=standardize, ragged=True)
    vectorizer.adapt(tf.data.Dataset.from_tensor_slices(list(texts)).batch(1024))
    return vectorizer


def token_ids(vectorizer, texts: Sequence[str], batch_size: int = 2048) -> list[np.ndarray]:
    """Word ids of each text, full length.

    Parameters
    ----------
    vectorizer : keras.layers.TextVectorization
        From :func:`make_vectorizer`.
    texts : sequence of str
        The texts.
    batch_size : int, default 2048
        Texts vectorized at once.

    Returns
    -------
    list of numpy.ndarray
        One int32 array of ids per text.

    Examples
    --------
    >>> vectorizer = make_vectorizer(["a good film", "a bad film", "a film"], max_tokens=5)
    >>> [ids.tolist() for ids in token_ids(vectorizer, ["A good, good film!", "so bad"])]
    [[3, 4, 4, 2], [1, 1]]
    """
    out: list[np.ndarray] = []
    for start in range(0, len(texts), batch_size):
        ragged = vectorizer(list(texts[start : start + batch_size]))
        out.extend(np.asarray(row, dtype="int32") for row in ragged.numpy())
    return out


def pad_or_truncate(ids: Sequence[np.ndarray], length: int = 500, keep: str = "end") -> np.ndarray:
    """Stack id sequences into a ``(len(ids), length)`` matrix.

    Shorter sequences are padded with 0 at the start; longer ones lose words at
    the start (``keep="end"``, what ``keras.utils.pad_sequences`` does by
    default) or at the end (``keep="start"``).

    Parameters
    ----------
    ids : sequence of numpy.ndarray
        Word ids, e.g. from :func:`token_ids`.
    length : int, default 500
        Columns of the matrix.
    keep : {"end", "start"}, default "end"
        Which part of a long sequence is kept.

    Returns
    -------
    numpy.ndarray
        An int32 matrix.

    Examples
    --------
    >>> pad_or_truncate([np.array([1, 2, 3, 4]), np.array([5])], length=3).tolist()
    [[2, 3, 4], [0, 0, 5]]
    >>> pad_or_truncate([np.array([1, 2, 3, 4])], length=3, keep="start").tolist()
    [[1, 2, 3]]
    """
    if keep not in ("end", "start"):
        raise ValueError(f"keep must be 'end' or 'start', got {keep!r}")
    out = np.zeros((len(ids), length), dtype="int32")
    for row, seq in zip(out, ids):
        seq = seq[-length:] if keep == "end" else seq[:length]
        if len(seq):
            row[length - len(seq) :] = seq
    return out


def multi_hot(ids: Sequence[np.ndarray], vocab_size: int = 10_000) -> np.ndarray:
    """Bag-of-words matrix: 1.0 where a word occurs in a text, padding (id 0) left out.

    Parameters
    ----------
    ids : sequence of numpy.ndarray
        Word ids per text.
    vocab_size : int, default 10000
        Number of columns.

    Returns
    -------
    numpy.ndarray
        A float32 matrix of shape ``(len(ids), vocab_size)``.

    Examples
    --------
    >>> multi_hot([np.array([3, 1, 3]), np.array([0, 2])], vocab_size=4).tolist()
    [[0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]]
    """
    out = np.zeros((len(ids), vocab_size), dtype="float32")
    for row, seq in zip(out, ids):
        row[seq] = 1.0
    out[:, 0] = 0.0
    return out
