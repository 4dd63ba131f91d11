"""Any pen, any size: MNIST digits re-inked with finer and thicker pens, and digits drawn small or large on the pad.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.stroke_width                                   # the shipped models
    python -m benchmarks.stroke_width --models a.keras b.keras --figure docs/stroke_width.png

- **Pens**: the same MNIST test digits (seeded choice) enlarged 4x, grey-eroded or grey-dilated by a
  disk (``mnist_helpers.synthetic.pens``), written as PNG pages and read back as ``predict`` reads files.
- **Drawing sizes**: digits drawn from the stroke templates as pad strokes, at ink heights from a
  quarter to four fifths of the pad (``mnist_helpers.synthetic.pad_drawings``), read by the pad's own
  path (``drawing.stroke_paths`` -> ``drawing.prepare_drawing``) and, for comparison, as the canvas shows them
  (the pad's pen, 7% of its side) through the same MNIST-style preprocessing.
- For every set: how often the "does not look like a digit" check fires on these real digits.

Prints markdown tables; writes benchmarks/results/stroke_width.json and, with --figure, a figure.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

import mnist_helpers  # noqa: F401  (before Keras: quiet TensorFlow start-up)
from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import library_versions
from mnist_helpers.config import MODEL_FOLDERS, PROJECT_ROOT, shipped_model, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.model_files import classify_digits, load_classifier
from mnist_helpers.own_digits import drawing
from mnist_helpers.own_digits.classify import FailedImage, classify_images
from mnist_helpers.own_digits.mnist_style import prepare_digit, stroke_width
from mnist_helpers.own_digits.not_a_digit import not_a_digit_reasons
from mnist_helpers.own_digits.pen import canvas_image
from mnist_helpers.synthetic.pad_drawings import pad_strokes
from mnist_helpers.synthetic.pens import PENS, write_pen_pages

DEFAULT_MODELS = [str(shown_path(shipped_model(role))) for role in MODEL_FOLDERS]
RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "stroke_width.json"
HEIGHTS = (0.25, 0.3, 0.35, 0.45, 0.6, 0.8)
SEED = 15


def pen_sets(digits, labels, folder: Path, seed: int) -> dict:
    """For each pen, the PNG pages of ``digits`` written with it (same digits and places for every pen)."""
    return {
        name: write_pen_pages(digits, radius, folder / name, np.random.default_rng(seed))
        for name, radius in PENS.items()
    }


def drawing_sets(per_height: int, seed: int) -> dict:
    """For each ink height, ``per_height`` pad drawings (digits in turn) as lists of canvas paths."""
    side, pen = drawing.CANVAS_SIDE, drawing.CANVAS_SIDE * drawing.PEN_FRACTION
    sets = {}
    for height in HEIGHTS:
        rng = np.random.default_rng([seed, round(height * 100)])
        sets[height] = [pad_strokes(index % 10, rng, height, side, pen) for index in range(per_height)]
    return sets


def prepared_drawings(drawings, path: str) -> np.ndarray:
    """The 28x28 inputs of ``drawings``: by the pad's reading path, or as its canvas shows them."""
    if path == "pad":
        return np.stack(
            [drawing.prepare_drawing(drawing.stroke_paths([p.ravel().tolist() for p in d])) for d in drawings]
        )
    pen = drawing.CANVAS_SIDE * drawing.PEN_FRACTION
    return np.stack([prepare_digit(canvas_image(d, drawing.CANVAS_SIDE, pen)) for d in drawings])


def tally(predicted, labels, flags) -> dict:
    correct = int(np.sum(np.asarray(predicted) == labels))
    return {"accuracy": correct / len(labels), "correct": correct, "count": len(labels), "flagged": int(sum(flags)),
            "flag_rate": float(np.mean(flags))}  # fmt: skip


def score_files(model, paths, labels) -> dict:
    results = classify_images(model, paths)
    predicted = [-1 if isinstance(r, FailedImage) else r.digit for r in results]
    flags = [isinstance(r, FailedImage) or not r.looks_like_digit for r in results]
    return tally(predicted, labels, flags)


def score_prepared(model, digits, labels) -> dict:
    predicted = classify_digits(model, digits).argmax(axis=1)
    return tally(predicted, labels, [reason is not None for reason in not_a_digit_reasons(digits)])


def pen_widths(paths) -> float:
    """Median stroke width (px, in the 20 px box) of the prepared digits of a pen's pages."""
    return float(np.median([stroke_width(prepare_digit(path)) for path in paths[:300]]))


def markdown(results, pen_width) -> str:
    pens = list(PENS)
    lines = ["Pens (MNIST test digits re-inked, through files):", "",
             "| model | " + " | ".join(f"{p} ({pen_width[p]:.1f} px)" for p in pens) + " | flagged (all pens) |",
             "|---|" + "---:|" * (len(pens) + 1)]  # fmt: skip
    for model, result in results.items():
        cells = [f"{result['pens'][p]['accuracy']:.2%}" for p in pens]
        flagged = sum(result["pens"][p]["flagged"] for p in pens) / sum(result["pens"][p]["count"] for p in pens)
        lines.append(f"| `{model}` | " + " | ".join(cells) + f" | {flagged:.2%} |")
    lines += ["", "Drawing sizes (ink height / pad side), read by the pad (as the canvas shows it):", "",
              "| model | " + " | ".join(f"{h:.0%}" for h in HEIGHTS) + " | flagged (pad) |",
              "|---|" + "---:|" * (len(HEIGHTS) + 1)]  # fmt: skip
    for model, result in results.items():
        sweep = result["sizes"]
        cells = [f"{sweep[str(h)]['pad']['accuracy']:.1%} ({sweep[str(h)]['canvas']['accuracy']:.1%})" for h in HEIGHTS]
        flagged = np.mean([sweep[str(h)]["pad"]["flag_rate"] for h in HEIGHTS])
        lines.append(f"| `{model}` | " + " | ".join(cells) + f" | {flagged:.2%} |")
    return "\n".join(lines)


MODEL_NAMES = {"notebook": "notebook model", "robust_before": "robust model, before", "robust": "robust model"}


def save_figure(results, pen_width, path) -> Path:
    """Accuracy by pen (left) and by drawing size on the pad (right), one colour per model in both panels."""
    import matplotlib.pyplot as plt

    from mnist_helpers.plots import save_figure as save

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4), sharey=True)
    for index, (model, result) in enumerate(results.items()):
        style = {"color": f"C{index}", "marker": "o", "label": MODEL_NAMES.get(Path(model).stem, Path(model).stem)}
        left.plot(range(len(PENS)), [100 * result["pens"][p]["accuracy"] for p in PENS], **style)
        right.plot([100 * h for h in HEIGHTS], [100 * result["sizes"][str(h)]["pad"]["accuracy"] for h in HEIGHTS],
                   **style)  # fmt: skip
    left.set_xticks(range(len(PENS)), [f"{p}\n{pen_width[p]:.1f} px" for p in PENS])
    left.set(xlabel="pen (stroke width in the 20 px box)", ylabel="accuracy (%)",
             title="MNIST test digits re-inked with other pens")  # fmt: skip
    right.set(xlabel="digit height (% of the pad)", title="Digits drawn on the pad, read as the pad reads them")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), frameon=False, bbox_to_anchor=(0.5, 1.04))
    fig.tight_layout()
    return save(fig, path)


def redraw(results_path: Path, figure: Path) -> Path:
    """The figure again from a committed results file, without scoring anything."""
    record = json.loads(results_path.read_text())
    return save_figure(record["models"], record["pen_stroke_width"], figure)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS)
    parser.add_argument("--digits", type=int, default=2000, help="MNIST test digits per pen")
    parser.add_argument("--per-height", type=int, default=300, help="pad drawings per ink height")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    parser.add_argument("--figure", type=Path, help="write the figure here (PNG)")
    parser.add_argument("--redraw", action="store_true", help="only draw --figure again from --output's results")
    args = parser.parse_args(argv)
    if args.redraw:
        print(f"wrote {redraw(args.output, args.figure)}")
        return
    command = " ".join(["python -m benchmarks.stroke_width", *(argv if argv is not None else sys.argv[1:])])
    _, (x_test, y_test) = load_mnist()
    chosen = np.random.default_rng(args.seed).choice(len(x_test), args.digits, replace=False)
    labels = y_test[chosen]
    drawings = drawing_sets(args.per_height, args.seed)
    drawn_labels = np.arange(args.per_height) % 10
    prepared = {h: {path: prepared_drawings(d, path) for path in ("pad", "canvas")} for h, d in drawings.items()}
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        pages = pen_sets(x_test[chosen], labels, Path(folder), args.seed)
        pen_width = {name: pen_widths(paths) for name, paths in pages.items()}
        for model_path in args.models:
            model = load_classifier(model_path)
            results[model_path] = {
                "pens": {name: score_files(model, paths, labels) for name, paths in pages.items()},
                "sizes": {
                    str(h): {path: score_prepared(model, digits, drawn_labels) for path, digits in ways.items()}
                    for h, ways in prepared.items()
                },  # fmt: skip
            }
            print(f"scored {model_path}", flush=True)
    table = markdown(results, pen_width)
    print(f"\n{command}\n\n{table}")
    record = {"command": command, "seed": args.seed, "digits_per_pen": args.digits,
              "drawings_per_height": args.per_height, "pens": PENS, "pen_stroke_width": pen_width, "heights": HEIGHTS,
              "markdown": table, "models": results, "library_versions": library_versions()}  # fmt: skip
    save_json(record, args.output)
    print(f"\nwrote {args.output}")
    if args.figure:
        print(f"wrote {save_figure(results, pen_width, args.figure)}")


if __name__ == "__main__":
    main()
