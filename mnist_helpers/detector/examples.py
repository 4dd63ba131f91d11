"""What the not-a-digit detector learns from: real digits and non-digits, each as ``predict`` prepares them.

Non-digits are the generated kinds of :mod:`..synthetic.not_digits` (letters written like a digit and
circles, a "0", left out); an image that ``predict`` splits into several parts gives each part.
Real digits are the MNIST *training* digits (each prepared as an image), some of them again on paper
pages and re-inked with every pen, digits drawn with the out-of-MNIST renderers under another seed than
the committed set's, and digits drawn on the pad.
Nothing comes from the MNIST test digits or from the benchmark's images (their own seeds).
"""

import signal
from multiprocessing import get_context

import numpy as np

from ..data import load_mnist
from ..own_digits.drawing import CANVAS_SIDE, PEN_FRACTION, drawn_digits, prepare_drawing
from ..own_digits.image_files import ImageInputError
from ..own_digits.mnist_style import prepare_digit, prepare_number
from ..synthetic import out_of_mnist_set
from ..synthetic.not_digits import KINDS, is_digit_shaped
from ..synthetic.pad_drawings import pad_strokes
from ..synthetic.pages import on_paper
from ..synthetic.pens import PENS, pen_page

REAL_SOURCES = ("mnist digit", "mnist page", "pen", "out-of-mnist", "pad")
OUT_OF_MNIST_SEED = 7  # not out_of_mnist_set.SEED: the committed set stays unseen


def _non_digit_parts(kind: str, index: int, seed: int) -> list:
    """The prepared parts of non-digit image ``index`` of ``kind`` (none for a left-out label or a refused image)."""
    image, label = KINDS[kind](np.random.default_rng([seed, list(KINDS).index(kind), index]))
    if is_digit_shaped(label):
        return []
    return _prepared_parts(image)


def _real_digit_parts(source: str, index: int, seed: int, mnist_digits) -> list:
    """The prepared parts of real-digit image ``index`` drawn from ``source`` (one of :data:`REAL_SOURCES`)."""
    rng = np.random.default_rng([seed, 100 + REAL_SOURCES.index(source), index])
    digit = mnist_digits[index % len(mnist_digits)]
    if source == "mnist digit":
        return _prepared_parts(digit, prepare=lambda image: [prepare_digit(image)])
    if source == "mnist page":
        return _prepared_parts(on_paper(digit, scale=int(rng.integers(3, 6))))
    if source == "pen":
        return _prepared_parts(pen_page(digit, list(PENS.values())[index % len(PENS)], rng))
    if source == "out-of-mnist":
        subset = out_of_mnist_set.SUBSETS[index % len(out_of_mnist_set.SUBSETS)]
        return _prepared_parts(out_of_mnist_set.render(subset, index, seed=OUT_OF_MNIST_SEED + seed)[0])
    side = CANVAS_SIDE
    strokes = pad_strokes(index % 10, rng, rng.uniform(0.25, 0.8), side, PEN_FRACTION * side)
    return [prepare_drawing(group) for group in drawn_digits(strokes, (side, side), PEN_FRACTION)]


def _prepared_parts(image, prepare=None) -> list:
    """Each digit ``predict`` would read in ``image`` (``prepare``: one digit's way instead); none if it is refused."""
    try:
        return prepare(image) if prepare else [part.digit for part in prepare_number(image)]
    except ImageInputError:
        return []


def _parts(job) -> list:
    kind, index, seed = job
    if kind in KINDS:
        return _non_digit_parts(kind, index, seed)
    return _real_digit_parts(kind, index, seed, _MNIST_TRAIN)


_MNIST_TRAIN = None


def _start_worker():
    """A worker leaves Ctrl-C to the command and dies quietly when the pool ends it: forked, it would otherwise
    keep the command's handlers and print a traceback of its own (``Stopped`` in ``Pool.terminate``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _MNIST_TRAIN
    (_MNIST_TRAIN, _), _ = load_mnist()


def training_examples(per_kind: int, per_source: int, seed: int, processes=2) -> tuple:
    """``(digits, is_not_digit)``: prepared (N, 28, 28) parts and 0/1 labels, in a fixed order for ``seed``.

    ``per_kind`` images of each non-digit kind, ``per_source`` of each real-digit source, and every MNIST
    training digit.
    """
    (train_digits, _), _ = load_mnist()
    counts = {source: per_source for source in REAL_SOURCES} | {"mnist digit": len(train_digits)}
    jobs = [(kind, index, seed) for kind in KINDS for index in range(per_kind)]
    jobs += [(source, index, seed) for source in REAL_SOURCES for index in range(counts[source])]
    with get_context("fork").Pool(processes, initializer=_start_worker) as pool:
        parts = pool.map(_parts, jobs, chunksize=64)
        pool.close()
        pool.join()
    digits = [part for job_parts in parts for part in job_parts]
    labels = [int(job[0] in KINDS) for job, job_parts in zip(jobs, parts) for _ in job_parts]
    return np.array(digits, dtype=np.float32).reshape(-1, 28, 28), np.array(labels, dtype=np.int64)
