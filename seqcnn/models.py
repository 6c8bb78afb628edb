"""The models of the chapters, built by one function each.

Every builder returns an uncompiled ``keras.Sequential`` with a fixed input
shape, so ``model.summary()`` shows output shapes and parameter counts.
"""

from __future__ import annotations

__all__ = ["imdb_convnet", "bag_of_words", "jena_convnet", "conv_gru", "gru", "tcn"]


def imdb_convnet(vocab_size: int = 10_000, sequence_length: int = 500, embedding_dim: int = 128):
    """The text convnet of *Deep Learning with Python* §6.4 (and of the 2020 notes).

    Embedding(vocab_size, embedding_dim) -> Conv1D(32, 7, relu) ->
    MaxPooling1D(5) -> Conv1D(32, 7, relu) -> GlobalMaxPooling1D -> Dense(1).
    The last layer has no activation: it outputs a *logit*, so compile it with
    ``BinaryCrossentropy(from_logits=True)``.

    Parameters
    ----------
    vocab_size : int, default 10000
        Number of word ids (padding and "[UNK]" included).
    sequence_length : int, default 500
        Words per review.
    embedding_dim : int, default 128
        Size of the word vectors.

    Returns
    -------
    keras.Sequential
        The model, with layers named ``embedding``, ``conv_1``, ``pool``,
        ``conv_2``, ``global_max`` and ``logit``.

    Examples
    --------
    >>> imdb_convnet().count_params()
    1315937
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(sequence_length,), dtype="int32", name="word_ids"),
            layers.Embedding(vocab_size, embedding_dim, name="embedding"),
            layers.Conv1D(32, 7, activation="relu", name="conv_1"),
            layers.MaxPooling1D(5, name="pool"),
            layers.Conv1D(32, 7, activation="relu", name="conv_2"),
            layers.GlobalMaxPooling1D(name="global_max"),
            layers.Dense(1, name="logit"),
        ],
        name="imdb_convnet",
    )


def bag_of_words(vocab_size: int = 10_000, hidden: int = 16, dropout: float = 0.5):
    """A bag-of-words baseline: multi-hot vector -> Dense(hidden, relu) -> Dropout -> Dense(1).

    It sees which words occur in a review, not their order. Like
    :func:`imdb_convnet`, it outputs a logit.

    Parameters
    ----------
    vocab_size : int, default 10000
        Length of the multi-hot input vector.
    hidden : int, default 16
        Units of the hidden layer.
    dropout : float, default 0.5
        Dropout rate after the hidden layer.

    Returns
    -------
    keras.Sequential
        The model.

    Examples
    --------
    >>> bag_of_words().count_params()
    160033
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(vocab_size,), name="multi_hot"),
            layers.Dense(hidden, activation="relu", name="hidden"),
            layers.Dropout(dropout, name="dropout"),
            layers.Dense(1, name="logit"),
        ],
        name="bag_of_words",
    )


def jena_convnet(features: int = 14):
    """The pure 1D convnet for temperature forecasting of §6.4 (and of the 2020 notes).

    Conv1D(32, 5, relu) -> MaxPooling1D(3) -> Conv1D(32, 5, relu) ->
    MaxPooling1D(3) -> Conv1D(32, 5, relu) -> GlobalMaxPooling1D -> Dense(1).
    The time axis is left open (``None``), so any window length works.

    Parameters
    ----------
    features : int, default 14
        Measurements per time step.

    Returns
    -------
    keras.Sequential
        The model.

    Examples
    --------
    >>> jena_convnet().count_params()
    12609
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(None, features), name="weather"),
            layers.Conv1D(32, 5, activation="relu", name="conv_1"),
            layers.MaxPooling1D(3, name="pool_1"),
            layers.Conv1D(32, 5, activation="relu", name="conv_2"),
            layers.MaxPooling1D(3, name="pool_2"),
            layers.Conv1D(32, 5, activation="relu", name="conv_3"),
            layers.GlobalMaxPooling1D(name="global_max"),
            layers.Dense(1, name="forecast"),
        ],
        name="jena_convnet",
    )


def conv_gru(features: int = 14):
    """Conv1D in front of a GRU, for long sequences (§6.4 and the 2020 notes).

    Conv1D(32, 5, relu) -> MaxPooling1D(3) -> Conv1D(32, 5, relu) ->
    GRU(32, dropout=0.1, recurrent_dropout=0.5) -> Dense(1).

    Examples
    --------
    >>> conv_gru().count_params()
    13793
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(None, features), name="weather"),
            layers.Conv1D(32, 5, activation="relu", name="conv_1"),
            layers.MaxPooling1D(3, name="pool"),
            layers.Conv1D(32, 5, activation="relu", name="conv_2"),
            layers.GRU(32, dropout=0.1, recurrent_dropout=0.5, name="gru"),
            layers.Dense(1, name="forecast"),
        ],
        name="conv_gru",
    )


def gru(features: int = 14):
    """The regularized GRU of *Deep Learning with Python* §6.3: GRU(32, dropout 0.2, recurrent dropout 0.2) -> Dense(1).

    Examples
    --------
    >>> gru().count_params()
    4641
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(None, features), name="weather"),
            layers.GRU(32, dropout=0.2, recurrent_dropout=0.2, name="gru"),
            layers.Dense(1, name="forecast"),
        ],
        name="gru",
    )


def tcn(features: int = 14, filters: int = 16, kernel_size: int = 3, dilations: tuple[int, ...] = (1, 3, 9, 27, 81),
        residual: bool = True):
    """A temporal convolutional network (Bai, Kolter and Koltun, 2018): dilated causal Conv1D in residual blocks.

    Each block is one ``Conv1D(filters, kernel_size, padding="causal", dilation_rate=d,
    activation="relu")``; with ``residual``, the block's input is added to its output (through a
    1x1 ``Conv1D`` where the number of channels changes) and a ReLU follows. The last time step of
    the last block goes to ``Dense(1)``. No output step reads a later input step, and with
    dilations that grow by the kernel size the last step sees ``kernel_size ** len(dilations)``
    input steps: 3 ** 5 = 243 by default, the whole 240-step window of the forecasting chapters
    (:mod:`seqcnn.causal`). The paper's blocks hold two convolutions each (with weight
    normalization and dropout); one keeps the model near the GRU's size and within the chapter's
    time.

    Parameters
    ----------
    features : int, default 14
        Measurements per time step.
    filters : int, default 16
        Channels of every block.
    kernel_size : int, default 3
        Taps of each convolution.
    dilations : tuple of int, default (1, 3, 9, 27, 81)
        One block per dilation, from the input up.
    residual : bool, default True
        Add each block's input to its output.

    Returns
    -------
    keras.Model
        The model (the time axis is left open: any window length works).

    Examples
    --------
    >>> model = tcn()
    >>> model.count_params(), model.output_shape
    (4081, (None, 1))
    >>> tcn(residual=False).count_params()  # no 1x1 Conv1D on the first block's skip path
    3841
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=(None, features), name="weather")
    x = inputs
    for block, dilation in enumerate(dilations, 1):
        y = layers.Conv1D(filters, kernel_size, padding="causal", dilation_rate=dilation, activation="relu",
                          name=f"block_{block}_conv")(x)
        if residual:
            skip = x if x.shape[-1] == filters else layers.Conv1D(filters, 1, name=f"block_{block}_match")(x)
            y = layers.Activation("relu", name=f"block_{block}_relu")(layers.Add(name=f"block_{block}_add")([skip, y]))
        x = y
    last = x[:, -1, :]  # the forecast reads the last step, which sees the whole field
    return keras.Model(inputs, layers.Dense(1, name="forecast")(last), name="tcn")
