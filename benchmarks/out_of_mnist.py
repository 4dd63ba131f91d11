"""Out-of-MNIST check: accuracy of trained models on generated digits that are not MNIST images.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.out_of_mnist                                  # the two default models
    python -m benchmarks.out_of_mnist --models a.keras b.keras --save-samples docs

The set (stroke-drawn, printed and photographed-style digits; see ``out_of_mnist_set.py``) is
generated in memory from a fixed seed, never used for training or for choosing any setting.
Prints a markdown table; writes JSON to benchmarks/results/out_of_mnist.json.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import mnist_helpers  # noqa: F401  (before Keras: quiet TensorFlow start-up)
from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import library_versions
from mnist_helpers.config import MODEL_FOLDERS, PROJECT_ROOT, shipped_model, shown_path
from mnist_helpers.synthetic.out_of_mnist_set import NUM_CLASSES, PER_CLASS, SEED, SUBSETS, generate_set, score
from mnist_helpers.synthetic.renderings import installed_fonts

DEFAULT_MODELS = [str(shown_path(shipped_model(role))) for role in MODEL_FOLDERS]
RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "out_of_mnist.json"


def predict(model_path, digits: np.ndarray) -> np.ndarray:
    """The predicted digit for each of ``digits`` (N x 28 x 28), in one batch."""
    import keras

    model = keras.saving.load_model(model_path, compile=False, safe_mode=True)
    inputs = digits.reshape(len(digits), 784).astype(np.float32)
    probabilities = model.predict(inputs, batch_size=len(inputs), verbose=0)
    return np.argmax(probabilities, axis=1)


def markdown(results: dict) -> str:
    """One row per model: accuracy (correct / count) per subset and overall, and its top confusions."""
    names = [n for n in (*SUBSETS, "overall") if any(n in r for r in results.values())]
    lines = ["| model | " + " | ".join(names) + " | most frequent confusions (true → predicted) |",
             "|---|" + "---:|" * len(names) + "---|"]  # fmt: skip
    for model, scores in results.items():
        cells = [f"{s['accuracy']:.1%} ({s['correct']}/{s['count']})" if (s := scores.get(n)) else "" for n in names]
        confusions = ", ".join(f"{t} → {p} ({c}×)" for t, p, c in scores["overall"]["top_confusions"])
        lines.append(f"| `{model}` | " + " | ".join(cells) + f" | {confusions} |")
    return "\n".join(lines)


def save_samples(folder, seed: int, per_digit=2) -> Path:
    """A contact sheet: for each subset, ``per_digit`` images of every digit and their 28x28 versions (150 DPI)."""
    import matplotlib.pyplot as plt

    from mnist_helpers._support.errors import UserFacingError
    from mnist_helpers.own_digits.mnist_style import prepare_digit
    from mnist_helpers.plots import save_figure
    from mnist_helpers.synthetic.out_of_mnist_set import render

    rows = len(SUBSETS) * per_digit * 2
    fig, axes = plt.subplots(rows, NUM_CLASSES, figsize=(NUM_CLASSES * 1.1, rows * 1.2))
    fig.subplots_adjust(hspace=0.35)
    for s, subset in enumerate(SUBSETS):
        for r in range(per_digit):
            for digit in range(NUM_CLASSES):
                image = render(subset, digit + NUM_CLASSES * r, seed)[0]
                row = (s * per_digit + r) * 2
                axes[row, digit].imshow(image)
                try:
                    axes[row + 1, digit].imshow(prepare_digit(image), cmap="gray", vmin=0, vmax=1)
                except UserFacingError:
                    axes[row + 1, digit].set_title("unreadable", fontsize=7)
        axes[s * per_digit * 2, 0].set_title(f"{subset} (above: image; below: 28x28 input)", loc="left", fontsize=9)
    for ax in axes.ravel():
        ax.axis("off")
    return save_figure(fig, Path(folder) / "out_of_mnist_samples.png")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS, help="saved .keras models to evaluate")
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed (fixed: the same set every run)")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="JSON path")
    parser.add_argument("--save-samples", type=Path, metavar="DIR", help="write DIR/out_of_mnist_samples.png")
    args = parser.parse_args(argv)
    command = " ".join(["python -m benchmarks.out_of_mnist", *(argv if argv is not None else sys.argv[1:])])
    fonts, missing = installed_fonts()
    for family in missing:
        print(f"note: font family {family} is not installed; the printed digits use the others")
    per_class = PER_CLASS if fonts else {**PER_CLASS, "printed": 0}
    if not fonts:
        print("note: none of the font families is installed; skipping the printed digits")
    start = time.perf_counter()
    digit_set = generate_set(args.seed, per_class)
    generate_seconds = time.perf_counter() - start
    print(f"generated {digit_set!r} in {generate_seconds:.0f} s")
    results, skipped = {}, []
    for path in args.models:
        if not Path(path).is_file():
            print(f"note: skipping {path}: no such model file")
            skipped.append(path)
            continue
        predicted = np.where(digit_set.readable, predict(path, digit_set.digits), -1)
        results[path] = score(digit_set.labels, predicted, digit_set.subsets)
    table = markdown(results) if results else "(no model evaluated)"
    print(f"\n{command}\n\n{table}")
    sizes = {name: int((digit_set.subsets == name).sum()) for name in SUBSETS}
    record = {
        "command": command,
        "seed": args.seed,
        "set_sizes": {**sizes, "total": len(digit_set.labels)},
        "unreadable": int((~digit_set.readable).sum()),
        "per_class": per_class,
        "fonts_used": digit_set.fonts,
        "font_families_missing": list(missing),
        "generate_seconds": round(generate_seconds, 1),
        "markdown": table,
        "models": results,
        "models_skipped": skipped,
        "library_versions": library_versions(),
    }
    save_json(record, args.output)
    print(f"\nwrote {shown_path(args.output)}")
    if args.save_samples:
        print(f"wrote {shown_path(save_samples(args.save_samples, args.seed))}")


if __name__ == "__main__":
    main()
