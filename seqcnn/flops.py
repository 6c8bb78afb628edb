"""How much arithmetic a training step needs, and how fast this machine can do it.

A model's training cost has a floor: the multiply-adds of its layers. This
module counts them from the layer shapes (:func:`layer_macs`,
:func:`training_flops`), measures how many floating-point operations per second
a large matrix product reaches on this machine (:func:`matmul_gflops`), and
divides one by the other (:func:`bound_seconds`): no implementation can train
an epoch faster than that, so the ratio of a measured epoch to the bound says
how far from the arithmetic an implementation runs.

Conventions
-----------
- One multiply-add (MAC) is 2 floating-point operations (FLOPs).
- A training step costs 3 forward passes: the forward pass, and a backward
  pass that computes both the gradient with respect to the inputs and the
  gradient with respect to the weights, each about as costly as the forward
  pass. (The usual estimate; elementwise work, pooling and the optimizer's
  update are left out: they are small next to the products.)
- An embedding is a table look-up: no multiply-adds.
"""
from __future__ import annotations

import time

import numpy as np

__all__ = ["layer_macs", "forward_macs", "training_flops", "epoch_flops", "matmul_gflops", "bound_seconds"]

#: Forward + backward (input gradient + weight gradient) = 3 forward passes.
TRAINING_PASSES = 3


def layer_macs(layer, input_shape: tuple) -> int:
    """Multiply-adds of one layer's forward pass for one sample.

    Parameters
    ----------
    layer : keras.layers.Layer
        A built layer: ``Conv1D`` (stride 1, any dilation and padding), ``Dense``,
        ``GRU``, or a layer without products (embedding, pooling, dropout, add...).
    input_shape : tuple
        The layer's input shape for one sample, without the batch axis, e.g.
        ``(240, 14)``.

    Returns
    -------
    int
        Multiply-adds per sample.

    Examples
    --------
    >>> import keras
    >>> conv = keras.layers.Conv1D(32, 5)
    >>> conv.build((None, 240, 14))
    >>> layer_macs(conv, (240, 14))  # 236 outputs x 32 filters x 5 x 14 inputs
    528640
    >>> gru = keras.layers.GRU(32)
    >>> gru.build((None, 74, 32))
    >>> layer_macs(gru, (74, 32))  # 74 steps x 3 gates x 32 units x (32 inputs + 32 state)
    454656
    >>> causal = keras.layers.Conv1D(16, 3, padding="causal", dilation_rate=9)
    >>> causal.build((None, 240, 16))
    >>> layer_macs(causal, (240, 16))  # every step has an output: 240 x 16 filters x 3 taps x 16 inputs
    184320
    """
    kind = type(layer).__name__
    if kind == "Conv1D":
        if tuple(layer.strides) != (1,):
            raise ValueError(f"{layer.name}: only stride 1 is counted")
        steps, channels = input_shape
        span = (layer.kernel_size[0] - 1) * layer.dilation_rate[0]  # a dilated kernel's taps are spread out
        out_steps = steps if layer.padding in ("same", "causal") else steps - span
        return out_steps * layer.filters * layer.kernel_size[0] * channels
    if kind == "Dense":
        positions = int(np.prod(input_shape[:-1])) if len(input_shape) > 1 else 1
        return positions * input_shape[-1] * layer.units
    if kind == "GRU":
        steps, features = input_shape
        units = layer.units
        return steps * 3 * units * (features + units)
    if not layer.weights or kind in ("Embedding", "Normalization"):
        return 0
    raise ValueError(f"{layer.name}: no multiply-add count for a {kind} layer")


def forward_macs(model, input_shape: tuple) -> dict[str, int]:
    """Multiply-adds of each layer of a model for one sample.

    Parameters
    ----------
    model : keras.Model
        A ``keras.Sequential``, or a functional model with one input (such as
        :func:`seqcnn.models.tcn`, whose blocks add two paths).
    input_shape : tuple
        One sample's shape, without the batch axis; a time axis left open in
        the model (``None``) gets its length from here.

    Returns
    -------
    dict
        Layer name to multiply-adds, in layer order.

    Examples
    --------
    >>> from seqcnn import models
    >>> macs = forward_macs(models.jena_convnet(), (240, 14))
    >>> macs["conv_1"], macs["conv_2"], macs["forecast"]
    (528640, 378880, 32)
    >>> macs = forward_macs(models.tcn(), (240, 14))
    >>> macs["block_1_conv"], macs["block_1_match"], macs["block_2_conv"], macs["block_1_add"]
    (161280, 53760, 184320, 0)
    """
    import keras

    if not isinstance(model, keras.Sequential):
        return _functional_macs(model, input_shape)
    shape = (1, *input_shape)
    counts = {}
    for layer in model.layers:
        counts[layer.name] = layer_macs(layer, shape[1:])
        shape = tuple(layer.compute_output_shape(shape))
    return counts


def _functional_macs(model, input_shape: tuple) -> dict[str, int]:
    """:func:`forward_macs` of a functional model: each layer's input shape is traced for ``input_shape``."""
    import keras

    if len(model.inputs) != 1:
        raise ValueError(f"{model.name}: only models with one input are counted")
    fixed = keras.models.clone_model(model, input_tensors=keras.Input(shape=input_shape))
    counts = {}
    for layer in fixed.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        inputs = layer.input if not isinstance(layer.input, (list, tuple)) else layer.input[0]
        counts[layer.name] = layer_macs(layer, tuple(inputs.shape[1:]))
    return counts


def training_flops(model, input_shape: tuple) -> int:
    """Floating-point operations of one training step for one sample (see the module's conventions).

    Examples
    --------
    >>> from seqcnn import models
    >>> training_flops(models.conv_gru(), (240, 14)) == 2 * 3 * sum(forward_macs(models.conv_gru(), (240, 14)).values())
    True
    """
    return 2 * TRAINING_PASSES * sum(forward_macs(model, input_shape).values())


def epoch_flops(model, input_shape: tuple, train_samples: int, validation_samples: int = 0) -> int:
    """Floating-point operations of one epoch: training steps, then a validation pass (forward only).

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])  # 6 multiply-adds a sample
    >>> epoch_flops(model, (3,), train_samples=10, validation_samples=5)  # 10 x 3 x 12 + 5 x 12
    420
    """
    forward = 2 * sum(forward_macs(model, input_shape).values())
    return TRAINING_PASSES * forward * train_samples + forward * validation_samples


def matmul_gflops(n: int = 1024, repeats: int = 5, dtype: str = "float32") -> float:
    """The best rate of an ``n x n`` by ``n x n`` matrix product on this machine, in GFLOP/s.

    A large product of square matrices is the most efficient work a CPU
    does, so its rate is a practical upper limit for the products of a model.
    It runs on the current Keras backend, with its threads, best of
    ``repeats`` after one warm-up.

    Examples
    --------
    >>> matmul_gflops(n=64, repeats=2) > 0
    True
    """
    import keras

    a = keras.ops.convert_to_tensor(np.random.default_rng(0).random((n, n), dtype=dtype))
    keras.ops.convert_to_numpy(keras.ops.matmul(a, a))  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        keras.ops.convert_to_numpy(keras.ops.matmul(a, a))
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def bound_seconds(flops_per_sample: float, samples: int, gflops: float) -> float:
    """The fewest seconds ``samples`` training samples can take at ``gflops``.

    Examples
    --------
    >>> bound_seconds(1e6, samples=64_000, gflops=100.0)  # 64 GFLOP at 100 GFLOP/s
    0.64
    """
    return flops_per_sample * samples / (gflops * 1e9)
