"""The not-a-digit detector on families it never learnt from: leave one family out, train, score on it.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.detector_families [--families F ...] [--per-kind 3000] [--per-source 4000] [--images 600]

The detector's examples (:mod:`mnist_helpers.detector.examples`) are made once, as ``train-detector`` makes them
(seed 0, its default sizes). For each family (a generated non-digit kind, or a source of real digits the detector
learns from), a detector is trained on every other family (``train-detector --leave-out FAMILY`` trains the same)
and scored on fresh images of the family it never saw (another seed; the sources that re-draw MNIST digits re-draw
MNIST *test* digits), beside the shipped detector, which learnt from every family, on the same images. Scored as
``predict`` flags: the ink-shape rules, then the detector above ``DETECTOR_THRESHOLD``; for a non-digit kind, the
share of images caught (one flagged part is enough; an image ``predict`` refuses counts as caught, letters written
like a digit are not scored); for a real source, the share of its digits flagged (false flags). Every left-out
detector is also scored on the real digits of :mod:`benchmarks.held_out` (MNIST test, UCI, varying pressure), whose
flags must stay within 1%. A family that yields no parts (blank paper: ``predict`` refuses it before any detector)
is skipped. Writes ``benchmarks/results/detector_families.json``.
"""

import argparse
import sys
import time

import numpy as np

from benchmarks.held_out import sources
from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import library_versions
from mnist_helpers.config import PROJECT_ROOT, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.detector import examples
from mnist_helpers.own_digits.not_a_digit import DETECTOR_THRESHOLD, not_a_digit_reason, shipped_detector
from mnist_helpers.synthetic.not_digits import KINDS, is_digit_shaped

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "detector_families.json"
TRAINING_SEED, SCORING_SEED = 0, 1
_MNIST_TEST = None  # each scoring worker loads it (start_scoring_worker)


def _scored_parts(job):
    """The prepared parts of one scoring image, or None for a letter written like a digit (not scored)."""
    family, index = job
    if family in KINDS:
        image, label = examples.non_digit_image(family, index, SCORING_SEED)
        return None if is_digit_shaped(label) else examples.prepared_parts(image)
    return examples.real_digit_parts(family, index, SCORING_SEED, _MNIST_TEST)


def start_scoring_worker():
    """:func:`examples.start_worker`, and the MNIST test digits that the real sources re-draw here."""
    examples.start_worker()
    global _MNIST_TEST
    _, (_MNIST_TEST, _) = load_mnist()


def scoring_images(families, count: int, processes=2) -> dict:
    """Per family: the parts of each of ``count`` fresh images (letters written like a digit dropped)."""
    jobs = [(family, index) for family in families for index in range(count)]
    with examples.worker_pool(processes, initializer=start_scoring_worker) as pool:
        found = pool.map(_scored_parts, jobs, chunksize=16)
        pool.close()
        pool.join()
    images = {family: [] for family in families}
    for (family, _), parts in zip(jobs, found):
        if parts is not None:
            images[family].append(parts)
    return images


class PartFlags:
    """Every part of a family's images, with the ink-shape rules' verdict computed once for all detectors."""

    def __init__(self, images):
        self.owners = np.repeat(np.arange(len(images)), [len(parts) for parts in images])
        self.parts = np.array([part for parts in images for part in parts], np.float32).reshape(-1, 28, 28)
        self.refused = np.array([not parts for parts in images])
        self.by_rules = np.array([not_a_digit_reason(part) is not None for part in self.parts], bool)

    def flagged_share(self, not_digit_probability, refused_counts: bool) -> float:
        """The share of images with a flagged part (and, if ``refused_counts``, of images refused)."""
        flagged_parts = self.by_rules | (not_digit_probability(self.parts) > DETECTOR_THRESHOLD)
        flagged = np.zeros(len(self.refused), bool)
        np.logical_or.at(flagged, self.owners, flagged_parts)
        return float(np.mean(flagged | (self.refused & refused_counts)))


def keras_probability(model):
    """A trained Keras detector as a function from prepared parts to "not a digit" probabilities."""

    def probability(parts):
        flat = parts.reshape(len(parts), -1)
        return model.predict(flat, verbose=0, batch_size=1024)[:, 1] if len(parts) else np.zeros(0)

    return probability


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", nargs="+", default=list(examples.LEAVABLE), choices=examples.LEAVABLE)
    parser.add_argument("--per-kind", type=int, default=3000)
    parser.add_argument("--per-source", type=int, default=4000)
    parser.add_argument("--images", type=int, default=600, help="fresh images scored per family")
    args = parser.parse_args(argv)
    command = " ".join(["python -m benchmarks.detector_families", *(argv if argv is not None else sys.argv[1:])])
    from mnist_helpers.detector.training import train_detector

    started = time.perf_counter()
    digits, labels, families = examples.labelled_examples(args.per_kind, args.per_source, TRAINING_SEED)
    print(f"examples: {len(labels)} parts in {time.perf_counter() - started:.0f} s", flush=True)
    left_out = [family for family in args.families if np.any(families == family)]
    skipped = sorted(set(args.families) - set(left_out))
    scored = {family: PartFlags(images) for family, images in scoring_images(left_out, args.images).items()}
    real = {name: PartFlags([[digit] for digit in prepared]) for name, (prepared, _) in sources().items()}
    shipped = shipped_detector().not_digit_probability
    rows = {}
    for family in left_out:
        kept = families != family
        model, record = train_detector(TRAINING_SEED, args.per_kind, args.per_source, verbose=0,
                                       leave_out=[family], examples=(digits[kept], labels[kept]))  # fmt: skip
        unseen = keras_probability(model)
        is_kind = family in KINDS
        rows[family] = {
            "kind": "non-digit" if is_kind else "real digits",
            "images": len(scored[family].refused),
            "measure": "caught" if is_kind else "flagged",
            "shipped detector (learnt it)": scored[family].flagged_share(shipped, is_kind),
            "detector that never saw it": scored[family].flagged_share(unseen, is_kind),
            "its flags on real digits": {name: flags.flagged_share(unseen, False) for name, flags in real.items()},
            "epochs_run": record["epochs_run"],
            "training_seconds": record["seconds"]["training"],
        }
        print(family, rows[family], flush=True)
    table = markdown(rows, {name: flags.flagged_share(shipped, False) for name, flags in real.items()})
    print(f"{command}\n\n{table}")
    record = {"command": command, "training_seed": TRAINING_SEED, "scoring_seed": SCORING_SEED,
              "detector_threshold": DETECTOR_THRESHOLD, "per_kind": args.per_kind, "per_source": args.per_source,
              "skipped (no parts)": skipped, "families": rows, "markdown": table,
              "library_versions": library_versions()}  # fmt: skip
    save_json(record, RESULTS_PATH)
    print(f"\nwrote {shown_path(RESULTS_PATH)}")


def markdown(rows, shipped_real) -> str:
    real_names = list(shipped_real)
    lines = [
        "| family left out | measure | images | shipped detector (learnt it) | detector that never saw it | "
        + " | ".join(f"its flags on {name}" for name in real_names)
        + " |",
        "|---|---|---:|---:|---:|" + "---:|" * len(real_names),
    ]
    for family, row in rows.items():
        real = " | ".join(f"{row['its flags on real digits'][name]:.2%}" for name in real_names)
        learnt, unseen = row["shipped detector (learnt it)"], row["detector that never saw it"]
        named = f"{family} ({row['kind']}) | {row['measure']} | {row['images']}"
        lines.append(f"| {named} | {learnt:.1%} | **{unseen:.1%}** | {real} |")
    shipped = " | ".join(f"{shipped_real[name]:.2%}" for name in real_names)
    lines.append(f"| none (the shipped detector) | | | | | {shipped} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
