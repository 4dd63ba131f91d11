"""How often the "does not look like a digit" check fires: on MNIST digits, the examples, and noise.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.not_a_digit [--model PATH] [--digits 2000]

Every image goes through a file, as with ``predict``: MNIST test digits rendered dark-on-light on a
200x200 page (the round-trip test's helper), the committed ``examples/``, and noise images of eight
kinds. For each group it prints how many images were refused as blank, how many were classified,
how often the ink-shape check fired, and for comparison how often top-class confidence was below
0.9 (the alternative signal, which separates noise from digits far worse). All 10,000 MNIST test
digits are also checked as arrays (no file). Writes ``benchmarks/results/not_a_digit.json``.
"""

import argparse
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from mnist_helpers.artifacts import save_json
from mnist_helpers.config import PROJECT_ROOT, example_images, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.handwriting.classify import FailedImage, classify_images, default_model_path, load_classifier
from mnist_helpers.handwriting.digit_check import not_a_digit_reason
from mnist_helpers.handwriting.mnist_style import prepare_digit
from mnist_helpers.synthetic.noise import NOISE_KINDS, noise_image
from mnist_helpers.synthetic.pages import write_round_trip_images

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "not_a_digit.json"
LOW_CONFIDENCE = 0.9
NOISE_PER_KIND = 50


def measure(model, paths) -> dict:
    """Classify ``paths`` as ``predict`` does; count refusals, flags and low-confidence answers."""
    results = classify_images(model, paths)
    classified = [result for result in results if not isinstance(result, FailedImage)]
    flagged = [result for result in classified if not result.looks_like_digit]
    low = [result for result in classified if result.confidence < LOW_CONFIDENCE]
    return {
        "images": len(results),
        "refused": len(results) - len(classified),
        "classified": len(classified),
        "flagged": len(flagged),
        "flag_rate": len(flagged) / len(classified) if classified else None,
        "told_something_rate": (len(results) - len(classified) + len(flagged)) / len(results),
        f"confidence_below_{LOW_CONFIDENCE}_rate": len(low) / len(classified) if classified else None,
        "reasons": dict(Counter(result.warning.split(" (")[0] for result in flagged)),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=default_model_path(), help="default: predict's")
    parser.add_argument("--digits", type=int, default=2000, help="MNIST test digits written to files")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    model = load_classifier(args.model)
    _, (x_test, _) = load_mnist()
    rng = np.random.default_rng(args.seed)
    groups = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        chosen = rng.choice(len(x_test), args.digits, replace=False)
        (folder / "mnist").mkdir()
        digit_files = write_round_trip_images(x_test[chosen], folder / "mnist", args.seed)
        groups["mnist_test_files"] = measure(model, digit_files)
        groups["examples"] = measure(model, example_images())
        for kind in NOISE_KINDS:
            paths = [folder / f"{kind}_{index:03d}.png" for index in range(NOISE_PER_KIND)]
            for path in paths:
                noise_image(kind, rng).save(path)
            groups[kind] = measure(model, paths)
    fired = sum(not_a_digit_reason(prepare_digit(image)) is not None for image in x_test)
    groups["mnist_test_all_arrays"] = {"images": len(x_test), "flagged": fired, "flag_rate": fired / len(x_test)}
    noise = [groups[kind] for kind in NOISE_KINDS]
    groups["all_noise"] = {
        "images": sum(group["images"] for group in noise),
        "refused": sum(group["refused"] for group in noise),
        "flagged": sum(group["flagged"] for group in noise),
        "flag_rate": sum(group["flagged"] for group in noise) / max(1, sum(group["classified"] for group in noise)),
        "told_something_rate": sum(group["refused"] + group["flagged"] for group in noise)
        / sum(group["images"] for group in noise),
    }
    low_key = f"confidence_below_{LOW_CONFIDENCE}_rate"
    print(f"{'group':22} {'images':>6} {'refused':>7} {'flagged':>7} {'flag rate':>9} {'told':>6} {'conf<0.9':>8}")
    for name, group in groups.items():
        rate = "" if group.get("flag_rate") is None else f"{group['flag_rate']:.2%}"
        told = "" if "told_something_rate" not in group else f"{group['told_something_rate']:.0%}"
        low = "" if group.get(low_key) is None else f"{group[low_key]:.0%}"
        print(f"{name:22} {group['images']:>6} {group.get('refused', ''):>7} {group['flagged']:>7} {rate:>9} "
              f"{told:>6} {low:>8}")  # fmt: skip
    save_json({"model": str(shown_path(args.model)), "seed": args.seed, "groups": groups}, RESULTS_PATH)
    print(f"\nwrote {shown_path(RESULTS_PATH)}")


if __name__ == "__main__":
    main()
