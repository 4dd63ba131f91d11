"""Reading each digit at small shifts and averaging: chosen on validation digits, then checked once on held-out ones.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.shift_averaging --members A.keras B.keras C.keras [--reach 1] [--digits 2000]

Each reader is one network or the committee of ``--members``, as is (reach 0) or with every digit also read moved by
up to ``--reach`` pixels along each axis, the probabilities averaged (``committee_of(..., shift_reach=...)``).

Validation sources, never the held-out ones: MNIST's validation digits as arrays (the last tenth of the training set,
which the robust recipe holds out of every weight update and uses only to stop early) and the five families of
:mod:`benchmarks.faint_ink_validation` made from them (pages, photos, faint strokes on each, a coarse scan), read with
the shipped ink steps. The rule, fixed before any run: shifts are chosen for the committee when its mean over the
validation sources rises and no source loses more than ``MAX_LOSS``. Then every reader is scored on the held-out
sources of :mod:`benchmarks.held_out` (MNIST test as arrays and through the preprocessing, UCI, the pens), with the
digits each gains and loses by the shifts and a two-sided sign test. Writes benchmarks/results/shift_averaging.json.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

from benchmarks.faint_ink_validation import MAX_LOSS, changes, families, prepared
from benchmarks.held_out import prepared_sources, unprepared_sources
from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import library_versions
from mnist_helpers.committee import committee_of
from mnist_helpers.config import PROJECT_ROOT, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.model_files import classify_digits, load_classifier
from mnist_helpers.recipe import AUGMENTED_RECIPE
from mnist_helpers.train import split_validation

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "shift_averaging.json"
COMMITTEE = "committee"


def validation_sources(count: int) -> dict:
    """``{source: (prepared digits, labels, readable)}``: MNIST's validation arrays and the validation families."""
    (x_train, y_train), _ = load_mnist()
    _, (x_validation, y_validation) = split_validation(x_train, y_train, AUGMENTED_RECIPE.validation_split)
    found = {"MNIST validation (arrays)": (x_validation / np.float32(255), y_validation, None)}
    labels, images = families(count)
    for family, pages in images.items():
        digits, readable = prepared(pages)
        found[family] = (digits, labels, readable)
    return found


def held_out_sources() -> dict:
    """The held-out sources, prepared as ``predict`` prepares them, and MNIST test as arrays."""
    found = unprepared_sources()
    x_test, y_test = np.stack(found["MNIST test"][0]), found["MNIST test"][1]
    ready = {"MNIST test (arrays)": (x_test / np.float32(255), y_test), **prepared_sources(found)}
    return {source: (digits, labels, None) for source, (digits, labels) in ready.items()}


def right_answers(reader, sources: dict) -> dict:
    """``{source: whether each digit was read right}``."""
    right = {}
    for source, (digits, labels, readable) in sources.items():
        answers = classify_digits(reader, digits).argmax(axis=1)
        right[source] = (answers == labels) & (True if readable is None else readable)
    return right


def readers(members: dict, reach: int) -> dict:
    """Each member alone and their committee, read at shifts of up to ``reach`` pixels (0: as is)."""
    found = {name: committee_of([model], shift_reach=reach) for name, model in members.items()}
    found[COMMITTEE] = committee_of(list(members.values()), shift_reach=reach)
    return found


def shifts_chosen(plain: dict, shifted: dict) -> bool:
    """The rule: the committee's mean over the validation sources rises, and no source loses more than MAX_LOSS."""
    rises = np.mean(list(shifted.values())) > np.mean(list(plain.values()))
    return bool(rises and all(shifted[source] >= plain[source] - MAX_LOSS for source in plain))


def scored(members: dict, reach: int, sources: dict) -> tuple:
    """``({reader: {source: accuracy}}, {reader: {source: right}})`` for reach 0 (``name``) and ``reach``
    (``name, shifted``)."""
    accuracy, right = {}, {}
    for shifts, suffix in [(0, ""), (reach, ", shifted")]:
        for name, reader in readers(members, shifts).items():
            right[name + suffix] = right_answers(reader, sources)
            accuracy[name + suffix] = {source: float(np.mean(each)) for source, each in right[name + suffix].items()}
            print(name + suffix, {source: f"{value:.2%}" for source, value in accuracy[name + suffix].items()})
    return accuracy, right


def markdown(accuracy: dict, names: list) -> str:
    sources = list(next(iter(accuracy.values())))
    lines = ["| reader | " + " | ".join(sources) + " |", "|---|" + "---:|" * len(sources)]
    lines += [f"| {reader} | " + " | ".join(f"{accuracy[reader][s]:.2%}" for s in sources) + " |" for reader in names]
    return "\n".join(lines)


def with_member_mean(accuracy: dict, members: list) -> dict:
    """``accuracy`` with the members' mean, as is and shifted."""
    table = dict(accuracy)
    for suffix in ["", ", shifted"]:
        rows = [accuracy[name + suffix] for name in members]
        table[f"mean of the {len(members)} members{suffix}"] = {
            s: float(np.mean([r[s] for r in rows])) for s in rows[0]
        }
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", nargs="+", type=Path, required=True, help="the committee's members (.keras)")
    parser.add_argument("--reach", type=int, default=1, help="the largest shift, in pixels (default: %(default)s)")
    parser.add_argument("--digits", type=int, default=2000, help="MNIST validation digits per family")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="JSON path (default: %(default)s)")
    args = parser.parse_args(argv)
    command = " ".join(["python -m benchmarks.shift_averaging", *(argv if argv is not None else sys.argv[1:])])
    members = {str(shown_path(path)): load_classifier(path) for path in args.members}
    validation, _ = scored(members, args.reach, validation_sources(args.digits))
    chosen = shifts_chosen(validation[COMMITTEE], validation[f"{COMMITTEE}, shifted"])
    print(f"shifts chosen on validation: {chosen}; the held-out check:")
    held_out, right = scored(members, args.reach, held_out_sources())
    moved = {name: {source: changes(right[name][source], right[f"{name}, shifted"][source]) for source in right[name]}
             for name in [*members, COMMITTEE]}  # fmt: skip
    validation, held_out = with_member_mean(validation, list(members)), with_member_mean(held_out, list(members))
    order = [name + suffix for name in [*members, f"mean of the {len(members)} members", COMMITTEE]
             for suffix in ["", ", shifted"]]  # fmt: skip
    tables = {"validation": markdown(validation, order), "held_out": markdown(held_out, order)}
    print(f"\nvalidation\n{tables['validation']}\n\nheld out\n{tables['held_out']}\n\nchanges: {moved[COMMITTEE]}")
    record = {"command": command, "members": list(members), "reach": args.reach, "digits": args.digits,
              "max_loss": MAX_LOSS, "validation": validation, "shifts_chosen": chosen, "held_out": held_out,
              "held_out_changes": moved, "markdown": tables, "library_versions": library_versions()}  # fmt: skip
    save_json(record, args.output)
    print(f"wrote {shown_path(args.output)}")


if __name__ == "__main__":
    main()
