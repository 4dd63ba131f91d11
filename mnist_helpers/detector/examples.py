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
FAMILIES = (*KINDS, *REAL_SOURCES)
LEAVABLE = tuple(family for family in FAMILIES if family != "mnist digit")  # MNIST's own digits are the base
OUT_OF_MNIST_SEED = 7  # not out_of_mnist_set.SEED: the committed set stays unseen


def non_digit_image(kind: str, index: int, seed: int) -> tuple:
    """``(image, label)``: non-digit image ``index`` of ``kind`` for ``seed``."""
    return KINDS[kind](np.random.default_rng([seed, list(KINDS).index(kind), index]))


def _non_digit_parts(kind: str, index: int, seed: int) -> list:
    """The prepared parts of non-digit image ``index`` of ``kind`` (none for a left-out label or a refused image)."""
    image, label = non_digit_image(kind, index, seed)
    return [] if is_digit_shaped(label) else prepared_parts(image)


def real_digit_parts(source: str, index: int, seed: int, mnist_digits) -> list:
    """The prepared parts of real-digit image ``index`` drawn from ``source`` (one of :data:`REAL_SOURCES`), made
    from ``mnist_digits`` where the source re-draws MNIST digits."""
    rng = np.random.default_rng([seed, 100 + REAL_SOURCES.index(source), index])
    digit = mnist_digits[index % len(mnist_digits)]
    if source == "mnist digit":
        return prepared_parts(digit, prepare=lambda image: [prepare_digit(image)])
    if source == "mnist page":
        return prepared_parts(on_paper(digit, scale=int(rng.integers(3, 6))))
    if source == "pen":
        return prepared_parts(pen_page(digit, list(PENS.values())[index % len(PENS)], rng))
    if source == "out-of-mnist":
        subset = out_of_mnist_set.SUBSETS[index % len(out_of_mnist_set.SUBSETS)]
        return prepared_parts(out_of_mnist_set.render(subset, index, seed=OUT_OF_MNIST_SEED + seed)[0])
    side = CANVAS_SIDE
    strokes = pad_strokes(index % 10, rng, rng.uniform(0.25, 0.8), side, PEN_FRACTION * side)
    return [prepare_drawing(group) for group in drawn_digits(strokes, (side, side), PEN_FRACTION)]


def prepared_parts(image, prepare=None) -> list:
    """Each digit ``predict`` would read in ``image`` (``prepare``: one digit's way instead); none if it is refused."""
    try:
        return prepare(image) if prepare else [part.digit for part in prepare_number(image)]
    except ImageInputError:
        return []


def _parts(job) -> list:
    kind, index, seed = job
    if kind in KINDS:
        return _non_digit_parts(kind, index, seed)
    return real_digit_parts(kind, index, seed, _MNIST_TRAIN)


_MNIST_TRAIN = None


def start_worker():
    """A worker leaves Ctrl-C to the command and dies quietly when the pool ends it (forked from the command, as
    workers once were, it kept the command's handlers and printed a ``Stopped`` traceback in ``Pool.terminate``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _MNIST_TRAIN
    (_MNIST_TRAIN, _), _ = load_mnist()


def worker_pool(processes: int, initializer=None):
    """A pool of ``processes`` workers, each started by ``initializer`` (default :func:`start_worker`, which it must
    call). The workers start from a fresh server process, never forked from the caller: forked from a process that
    had loaded TensorFlow, a worker inherited its state, and its garbage collector freeing a TensorFlow function
    crashed the worker (a segmentation fault that left ``Pool.map`` waiting; seen in CI)."""
    return get_context("forkserver").Pool(processes, initializer=initializer or start_worker)


def labelled_examples(per_kind: int, per_source: int, seed: int, families=None, processes=2) -> tuple:
    """``(digits, is_not_digit, family)``: prepared (N, 28, 28) parts, 0/1 labels and each part's family (a key of
    :data:`KINDS` or one of :data:`REAL_SOURCES`), in a fixed order for ``seed``; only ``families`` (default all).

    ``per_kind`` images of each non-digit kind, ``per_source`` of each real-digit source, and every MNIST
    training digit. An image's parts do not depend on which other families are made.
    """
    (train_digits, _), _ = load_mnist()
    families = FAMILIES if families is None else families
    counts = {family: per_kind if family in KINDS else per_source for family in families}
    counts |= {"mnist digit": len(train_digits)} if "mnist digit" in counts else {}
    jobs = [(family, index, seed) for family in FAMILIES if family in counts for index in range(counts[family])]
    with worker_pool(processes) as pool:
        parts = pool.map(_parts, jobs, chunksize=64)
        pool.close()
        pool.join()
    digits = [part for job_parts in parts for part in job_parts]
    of_family = [job[0] for job, job_parts in zip(jobs, parts) for _ in job_parts]
    labels = [int(family in KINDS) for family in of_family]
    return (
        np.array(digits, dtype=np.float32).reshape(-1, 28, 28),
        np.array(labels, dtype=np.int64),
        np.array(of_family),
    )


def training_examples(per_kind: int, per_source: int, seed: int, leave_out=(), processes=2) -> tuple:
    """``(digits, is_not_digit)`` of :func:`labelled_examples`, every family but those in ``leave_out``."""
    unknown = set(leave_out) - set(LEAVABLE)
    if unknown:
        raise ValueError(f"no such family to leave out: {', '.join(sorted(unknown))}")
    kept = [family for family in FAMILIES if family not in leave_out]
    digits, labels, _ = labelled_examples(per_kind, per_source, seed, kept, processes)
    return digits, labels
