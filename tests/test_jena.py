"""jena: finding the CSV, splits, normalization, windows equal to the 2020 notes' generator."""


import numpy as np
import pytest

from seqcnn import data, jena
from seqcnn.benchmark import notes_generator
from test_jena_csv import keras_csv

def test_locate_csv_prefers_the_env_variable(tmp_path, monkeypatch):
    csv = keras_csv(tmp_path / "mine.csv")
    monkeypatch.setenv(jena.JENA_CSV_ENV, str(csv))
    assert jena.locate_csv() == csv
    monkeypatch.setenv(jena.JENA_CSV_ENV, str(tmp_path / "nope.csv"))
    with pytest.raises(data.DataError, match="SEQCNN_JENA_CSV is set to .*nope.csv, which is not a file"):
        jena.locate_csv()
    monkeypatch.delenv(jena.JENA_CSV_ENV)
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEQCNN_CACHE_DIR", str(tmp_path / "cache"))
    keras_csv(tmp_path / "jena_climate_2009_2016.csv")
    assert jena.locate_csv(full=True) == tmp_path / "jena_climate_2009_2016.csv"


def _stand_in(tmp_path, monkeypatch, rows=12, book_rows=8):
    """A small stand-in for the Keras file in $SEQCNN_DATA_DIR, and the book's excerpt: its first `book_rows` rows."""
    (tmp_path / "data").mkdir()
    source = keras_csv(tmp_path / "data" / "jena_climate_2009_2016.csv", rows=rows)
    text = source.read_bytes()
    size = len(b"".join(text.splitlines(keepends=True)[: 1 + book_rows]))
    import hashlib

    excerpt = data.Excerpt("toy_2009", "jena/jena_climate_2009_2010.csv", data.JENA, size,
                           hashlib.sha256(text[:size]).hexdigest())
    monkeypatch.setattr(data, "JENA_BOOK", excerpt)
    for name in (jena.JENA_CSV_ENV, jena.JENA_FULL_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SEQCNN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SEQCNN_OFFLINE", "1")
    return source, excerpt


def test_the_book_rows_are_the_default_and_the_whole_file_one_argument_away(tmp_path, monkeypatch):
    source, excerpt = _stand_in(tmp_path, monkeypatch)
    cut = tmp_path / "cache" / "jena" / "jena_climate_2009_2010.csv"
    prepared = jena.prepare()  # SEQCNN_JENA_CSV unset, the whole Keras file in the data folder
    assert prepared.weather.path == cut and len(prepared.values) == 8
    assert cut.read_bytes() == source.read_bytes()[: excerpt.size]
    assert list(data.data_sets_read()) == ["jena/jena_climate_2009_2010.csv"]  # what the execution record names
    np.testing.assert_array_equal(prepared.weather.values, jena.read_csv(source).values[:8])
    assert jena.prepare().weather.path == cut  # found in the cache the next time
    assert len(jena.prepare(full=True).values) == 12
    monkeypatch.setenv(jena.JENA_FULL_ENV, "1")
    assert len(jena.prepare().values) == 12 and jena.locate_csv() == source
    monkeypatch.setenv(jena.JENA_FULL_ENV, "0")
    assert jena.locate_csv() == cut


def test_the_book_rows_in_the_data_folder_are_checked(tmp_path, monkeypatch):
    source, excerpt = _stand_in(tmp_path, monkeypatch)
    mine = tmp_path / "data" / "jena" / "jena_climate_2009_2010.csv"
    mine.parent.mkdir()
    mine.write_bytes(source.read_bytes()[: excerpt.size])
    assert jena.locate_csv() == mine  # as offline CI finds ../shared/data/jena/jena_climate_2009_2010.csv
    mine.write_bytes(source.read_bytes()[: excerpt.size - 1] + b"9")
    with pytest.raises(data.ChecksumError, match=r"jena_climate_2009_2010.csv is not toy_2009: sha256 .*Delete it"):
        jena.locate_csv()


def test_a_keras_file_that_does_not_start_with_the_book_rows_is_refused_and_leaves_nothing(tmp_path, monkeypatch):
    source, excerpt = _stand_in(tmp_path, monkeypatch)
    source.write_bytes(source.read_bytes().replace(b"01.01.2009 00:10", b"01.01.2009 00:11", 1))
    with pytest.raises(data.ChecksumError, match=r"The first [\d,]+ bytes of .*jena_climate_2009_2016.csv are not "
                                                 r"toy_2009: sha256 .*Delete .* so that it is downloaded again"):
        jena.prepare()
    assert list((tmp_path / "cache" / "jena").iterdir()) == []  # no partial file
    source.write_bytes(source.read_bytes()[:50])
    with pytest.raises(data.ChecksumError, match="50 bytes, not"):
        jena.prepare()


def test_split_bounds():
    assert jena.split_bounds(19_132) == [(0, 9566), (9566, 14349), (14349, 19132)]
    assert jena.split_bounds(10, (0.7, 0.3)) == [(0, 7), (7, 10)]
    with pytest.raises(ValueError, match="add up to 1"):
        jena.split_bounds(10, (0.5, 0.6))


def test_normalizer_uses_training_rows_only():
    values = np.array([[0.0, 5.0], [2.0, 5.0], [1000.0, -3.0]])
    norm = jena.Normalizer.fit(values[:2])
    assert norm.mean.tolist() == [1.0, 5.0] and norm.std.tolist() == [1.0, 1.0]  # constant column: std 1
    assert norm(values).tolist() == [[-1.0, 0.0], [1.0, 0.0], [999.0, -8.0]]
    assert float(norm.inverse(999.0, feature=0)) == 1000.0
    assert float(norm.scale(0.5, feature=0)) == 0.5


@pytest.fixture(scope="module")
def series():
    return np.random.default_rng(0).normal(size=(3000, 14)).astype("float32")


@pytest.mark.parametrize("shuffle", [False, True])
def test_windows_equal_the_notes_generator(series, shuffle):
    gen = notes_generator(series, lookback=240, delay=36, min_index=100, max_index=2000, shuffle=shuffle,
                          batch_size=64, step=6, rng=np.random.default_rng(1))
    for _ in range(40):  # more batches than one pass in sequential mode: the wrap-around is covered
        rows, samples, targets = next(gen)
        x, y = jena.windows(series, rows, lookback=240, step=6, delay=36)
        batches = jena.WindowBatches(series, rows, lookback=240, step=6, delay=36, batch_size=len(rows))
        np.testing.assert_array_equal(batches[0][0], x)
        assert x.shape == samples.shape == (len(rows), 40, 14)
        np.testing.assert_array_equal(x, samples.astype("float32"))
        np.testing.assert_array_equal(y, targets.astype("float32"))


def test_window_rows_cover_what_fits():
    rows = jena.window_rows(100, 2000, lookback=240, delay=36)
    assert rows[0] == 340 and rows[-1] == 1963  # the last target, row 1999, is still inside [100, 2000)
    assert len(rows) == 2000 - 100 - 240 - 36


def test_relative_windows(series):
    rows = np.array([500, 900])
    x, y = jena.windows(series, rows, lookback=60, step=3, delay=12)
    xr, yr = jena.windows(series, rows, lookback=60, step=3, delay=12, relative=True)
    np.testing.assert_allclose(xr, x - x[:, -1:, :])
    assert np.all(xr[:, -1, :] == 0)
    np.testing.assert_allclose(yr, y - series[rows - 3, jena.TEMPERATURE])


def test_baseline_mae_by_hand():
    values = np.zeros((10, 14))
    values[:, jena.TEMPERATURE] = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55]
    # rows 4 and 5, step 2, delay 3: "now" is rows 2 and 3 (2 and 3), targets rows 7 and 8 (21 and 34)
    assert jena.baseline_mae(values, np.array([4, 5]), step=2, delay=3) == ((21 - 2) + (34 - 3)) / 2


def test_window_batches_shuffle_is_seeded_and_redrawn(series):
    rows = jena.window_rows(0, 1500, lookback=120, delay=12)
    def make(seed):
        return jena.WindowBatches(series, rows, 120, 6, 12, batch_size=32, shuffle=True, steps=5, seed=seed)
    a, b, c = make(3), make(3), make(4)
    assert len(a) == 5
    np.testing.assert_array_equal(a[2][1], b[2][1])
    assert not np.array_equal(a[2][1], c[2][1])
    first = a[0][1].copy()
    a.on_epoch_end()
    assert not np.array_equal(a[0][1], first)
    a.restart()
    np.testing.assert_array_equal(a[0][1], first)
    assert set(np.unique(a._order)) <= set(rows)
    with pytest.raises(ValueError, match="steps"):
        jena.WindowBatches(series, rows, 120, 6, 12, shuffle=True)


def test_window_batches_in_order_cover_every_row_once(series):
    rows = jena.window_rows(0, 700, lookback=120, delay=12)
    batches = jena.WindowBatches(series, rows, 120, 6, 12, batch_size=100)
    targets = np.concatenate([batches[i][1] for i in range(len(batches))])
    np.testing.assert_array_equal(targets, series[rows + 12, jena.TEMPERATURE])
    x, y = jena.WindowBatches(series, rows, 120, 6, 12, batch_size=100, relative=True)[0]
    assert np.all(x[:, -1, :] == 0)


def test_locate_csv_without_any_file_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv(jena.JENA_CSV_ENV, raising=False)
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEQCNN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SEQCNN_OFFLINE", "1")
    with pytest.raises(data.DataNotFoundError) as err:
        jena.locate_csv()
    message = str(err.value)
    assert "jena_climate_2009_2016.csv" in message and "SEQCNN_DATA_DIR" in message
    assert "SEQCNN_JENA_CSV" in message and data.JENA.url in message


def test_prepare_splits_and_normalizes_with_training_rows(tmp_path):
    path = keras_csv(tmp_path / "k.csv", rows=8)
    prepared = jena.prepare(path)
    assert prepared.bounds == [(0, 4), (4, 6), (6, 8)]
    assert prepared.values.flags.c_contiguous and prepared.values.dtype == np.float32
    train = prepared.weather.values[:4]
    np.testing.assert_allclose(prepared.normalizer.mean, train.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(prepared.values[:4].mean(axis=0), 0, atol=1e-5)
    assert prepared.rows(0, lookback=2, delay=1).tolist() == [2]
    assert prepared.rows(2, lookback=1, delay=0).tolist() == [7]


def test_doctests_leave_the_environment_alone(monkeypatch):
    """nbval's kernels inherit this process' environment: examples must not change it."""
    import doctest

    monkeypatch.setenv(jena.JENA_CSV_ENV, "/some/file.csv")
    doctest.run_docstring_examples(jena.locate_csv, vars(jena), optionflags=doctest.ELLIPSIS)
    import os

    assert os.environ[jena.JENA_CSV_ENV] == "/some/file.csv"


@pytest.mark.parametrize("n_rows", [60, 61, 65])  # every remainder of the step matters for the padding
def test_window_cutter_cuts_every_window_that_fits(n_rows):
    values = np.random.default_rng(n_rows).normal(size=(n_rows, 3)).astype("float32")
    cut = jena.WindowCutter(values, lookback=12, step=6)
    starts = np.array([s for s in range(n_rows) if s + 12 - 6 < n_rows])  # the last row read is s + 6
    x = cut(starts)
    assert x.shape == (len(starts), 2, 3)
    for s, window in zip(starts, x):
        np.testing.assert_array_equal(window, values[s : s + 12 : 6])
    for bad in (-1, starts[-1] + 1):
        with pytest.raises(IndexError, match=f"starting at \\[{bad}\\] do not fit in {n_rows} rows"):
            cut(np.array([0, bad]))
    with pytest.raises(ValueError, match="multiple of step"):
        jena.WindowCutter(values, lookback=10, step=6)


def test_windows_are_independent_copies(series):
    x, _ = jena.windows(series, np.array([300, 300]), lookback=60, step=3, delay=12)
    x[0] += 1  # writing one sample changes neither the other nor the series
    np.testing.assert_array_equal(x[1], series[240:300:3])


def test_batches_of_each_part_stay_in_their_part(series):
    prepared = jena.Prepared(None, jena.split_bounds(len(series)), None, series)
    splits = prepared.batches(lookback=120, step=6, delay=12, batch_size=32, steps=4, seed=1)
    assert len(splits.train) == 4 and splits.train.shuffle and not splits.validation.shuffle
    for part, batches in enumerate(splits):
        start, end = prepared.bounds[part]
        assert batches.rows.min() - 120 >= start and batches.rows.max() + 12 < end
    change = prepared.batches(lookback=120, step=6, delay=12, relative=True)
    assert np.all(change.test[0][0][:, -1, :] == 0)
    short = prepared.batches(lookback=60, step=3, delay=12, align_to=120)
    for aligned, reference in zip(short, splits):
        np.testing.assert_array_equal(aligned.rows, reference.rows)  # the same targets, shorter windows
    assert short.test[0][0].shape[1] == 20
    with pytest.raises(ValueError, match="at least lookback"):
        prepared.batches(lookback=120, step=6, align_to=60)


def test_fit_forecaster_is_reproducible(series):
    from seqcnn import models

    prepared = jena.Prepared(None, jena.split_bounds(len(series)), None, series)
    splits = prepared.batches(lookback=600, step=6, delay=12, batch_size=16, steps=3)  # 100 steps
    runs = [jena.fit_forecaster(models.jena_convnet, splits, epochs=2, verbose_log=False)[1] for _ in range(2)]
    assert runs[0].history == runs[1].history
    assert runs[0].history["loss"][1] != runs[0].history["loss"][0]
    # Batches cut ahead by two threads (the default) or in the training loop itself: the same numbers.
    assert splits.train.workers == 2
    for part in splits:
        part.workers = 1
    alone = jena.fit_forecaster(models.jena_convnet, splits, epochs=2, verbose_log=False)[1]
    assert alone.history == runs[0].history


def test_too_few_rows_name_the_file_the_rows_found_and_needed(tmp_path):
    path = keras_csv(tmp_path / "short.csv", rows=40)
    prepared = jena.prepare(path)
    needed = jena.rows_needed(12 + 6)
    with pytest.raises(data.DataError) as err:
        prepared.batches(lookback=12, step=6, delay=6)
    assert f"{path} has too few rows for this split and window: 40 rows found, {needed} needed" in str(err.value)
    with pytest.raises(data.DataError, match="The series has too few rows"):
        jena.Prepared(None, prepared.bounds, None, prepared.values).batches(lookback=6, step=6, delay=0, align_to=18)
    long_enough = np.zeros((needed, 14), dtype="float32")
    jena.Prepared(None, jena.split_bounds(needed), None, long_enough).batches(lookback=12, step=6, delay=6)
    assert min(end - start for start, end in jena.split_bounds(needed - 1)) <= 18  # one row fewer is too few
    with pytest.raises(data.DataError, match="tiny.csv has too few rows to split: 3 rows found, 4 needed"):
        jena.prepare(keras_csv(tmp_path / "tiny.csv", rows=3))


@pytest.mark.parametrize("span", [0, 17, 1584])
def test_rows_needed_is_the_fewest(span):
    for fractions in [(0.5, 0.25, 0.25), (0.7, 0.3)]:
        n = jena.rows_needed(span, fractions)
        assert all(end - start > span for start, end in jena.split_bounds(n, fractions))
        assert any(end - start <= span for start, end in jena.split_bounds(n - 1, fractions))


def test_seed_offset_changes_the_training_draws(monkeypatch):
    """SEQCNN_SEED_OFFSET (the variation study's other seeds) moves the batches' row draws too."""
    values = np.zeros((100, len(jena.FEATURES)), dtype="float32")
    prepared = jena.Prepared(None, jena.split_bounds(100), None, values)
    monkeypatch.delenv("SEQCNN_SEED_OFFSET", raising=False)
    plain = prepared.batches(lookback=12, step=3, delay=2, batch_size=4, steps=5).train._order
    again = prepared.batches(lookback=12, step=3, delay=2, batch_size=4, steps=5, seed=0).train._order
    monkeypatch.setenv("SEQCNN_SEED_OFFSET", "1000")
    shifted = prepared.batches(lookback=12, step=3, delay=2, batch_size=4, steps=5).train._order
    monkeypatch.delenv("SEQCNN_SEED_OFFSET")
    explicit = prepared.batches(lookback=12, step=3, delay=2, batch_size=4, steps=5, seed=1000).train._order
    np.testing.assert_array_equal(plain, again)
    np.testing.assert_array_equal(shifted, explicit)
    assert not np.array_equal(plain, shifted)


def test_training_stops_after_patience_epochs_and_keeps_the_best_epoch(capsys):
    """Validation gets worse after every epoch (its targets are the opposite of training's): epoch 1 is kept."""
    import keras

    from seqcnn import training

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mae")
    x = np.ones((32, 1), "float32")
    stop = training.best_checkpoint(patience=2, epochs=10)
    run = training.fit(model, x, x[:, 0], validation_data=(x, -x[:, 0]), epochs=10, batch_size=8, callbacks=[stop])
    assert len(run.epoch_seconds) == 3 and run.best_epoch("val_loss") == 1
    assert model.evaluate(x, -x[:, 0], verbose=0) == pytest.approx(run.history["val_loss"][0])  # epoch 1's weights
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"stopped after epoch 3 of 10 (val_loss not better for 2 epochs); kept the weights of epoch 1 "
        f"(val_loss {run.history['val_loss'][0]:.4f})")
    fixed = training.best_checkpoint(patience=None, epochs=4)
    model.fit(x, x[:, 0], validation_data=(x, -x[:, 0]), epochs=4, batch_size=8, callbacks=[fixed], verbose=0)
    assert fixed.stopped_epoch == 0 and fixed.best_epoch == 0  # a fixed budget: all 4 epochs, the best kept
    with pytest.raises(ValueError, match="patience must be at least 1"):
        training.best_checkpoint(patience=0, epochs=4)


def test_fit_forecaster_returns_the_weights_of_its_best_validation_epoch():
    import keras

    values = np.random.default_rng(0).normal(size=(400, len(jena.FEATURES))).astype("float32")
    splits = jena.Prepared(None, jena.split_bounds(400), None, values).batches(12, 3, delay=2, steps=4, batch_size=8)

    def small(features):
        return keras.Sequential([keras.Input((None, features)), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(8, "relu"),
                                 keras.layers.Dense(1)])

    model, run = jena.fit_forecaster(small, splits, epochs=6, patience=1, verbose_log=False)
    assert 2 <= len(run.epoch_seconds) <= 6
    assert model.evaluate(splits.validation, verbose=0) == pytest.approx(min(run.history["val_loss"]), rel=1e-5)
