"""seqcnn: the small library behind the course book "Sequence processing with 1D convnets".

It holds what the chapters import to teach, nothing that builds the book (that is ``booktools``,
which is not installed with it).

Modules
-------
ops
    Reference numpy 1D convolution and pooling, output lengths, receptive fields.
runtime
    Quiet, seeded, deterministic TensorFlow/Keras for the chapters.
plots
    The figures the chapters draw.
languages
    The run's verdicts and figures in each edition's language (glued choices, figures drawn twice).
data
    Finding, downloading and verifying the data sets (and which ones this process read).
imdb
    Reading, splitting and vectorizing the IMDB movie reviews.
jena_csv
    Reading the Jena weather CSV and cleaning its quirks (repeated rows, gaps, -9999), with a report.
jena
    Finding, splitting, normalizing and windowing the Jena weather record.
benchmark
    The 2020 notes' loader and generator against seqcnn's (``python -m seqcnn.benchmark``).
models
    The models of the chapters.
causal
    Stacks of dilated causal convolutions: which input steps reach an output, the receptive field.
flops
    A model's multiply-adds counted from its layer shapes, the machine's matrix-product rate, the bound.
backends
    The chapters' models timed under each Keras 3 backend (TensorFlow, JAX, PyTorch), each in a child process.
training
    One log line per epoch, timings (training steps, validation), restoring the best epoch.
bands
    The trained numbers a chapter asserts or quotes, and the bands the variation study recorded for them.
filters
    What the filters learned: top windows, word contributions.
exercises
    The self-checks of the chapters' exercises (a package: one module per chapter).
"""

__version__ = "0.1.0"
