"""Choose the segmentation's cost weights on numbers made of MNIST *training* digits only.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.segmentation_weights [--per-kind 200] [--singles 1000] [--trials 300]

Every kind of generated number (``gaps``, ``touching``, ``cursive``, ``broken``; 2-5 digits) is made of MNIST
training digits alone, and single training digits are written as files, so that ``benchmarks/numbers.py``, which
scores MNIST *test* digits and the stroke-drawn and printed families, judges weights chosen without them. Each
image's candidates are prepared and read once. An Optuna study (TPE, seeded) then searches the weights of
:data:`~mnist_helpers.own_digits.segmentation.FEATURES` and the per-digit cost on half of the images (every other
one), maximising the share of numbers read entirely right (the mean over the kinds) less a penalty for every single
digit read as more than one and one for every non-digit (letters, scribbles, shapes of
:mod:`mnist_helpers.synthetic.not_digits`, not digit-shaped, this seed) that the cut at the gaps flags "not a digit"
and the search's path does not; the other half reports the chosen weights' figures. Prints the weights for
``segmentation.py`` (copied by hand) and writes benchmarks/results/segmentation_weights.json. ``--sweep NAME``
instead sets one weight to 11 values from 0 to twice its shipped value (at least to 1) in turn, the others as shipped,
picks the best on the same half, records both halves for every value, and writes
benchmarks/results/segmentation_NAME.json (how ``flagged_surprise`` was chosen: ``--sweep flagged_surprise``).
"""

import argparse
import functools
import sys
import tempfile
from pathlib import Path

import numpy as np
import optuna

import mnist_helpers  # noqa: F401  (before Keras: quiet TensorFlow start-up)
from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import library_versions
from mnist_helpers.config import DEFAULT_MODEL_ROLE, PROJECT_ROOT, shipped_model, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.model_files import load_classifier
from mnist_helpers.own_digits.classify import FailedImage, prepared_or_failed
from mnist_helpers.own_digits.not_a_digit import combined_reason
from mnist_helpers.own_digits.number_search import answer_searches, search_number
from mnist_helpers.own_digits.over_segment import CUT_MIN_WIDTH
from mnist_helpers.own_digits.segmentation import DIGIT_COST, FEATURES, WEIGHTS
from mnist_helpers.synthetic.not_digits import KINDS as NOT_DIGIT_MAKERS
from mnist_helpers.synthetic.not_digits import is_digit_shaped
from mnist_helpers.synthetic.number_pages import KINDS, make_number
from mnist_helpers.synthetic.pages import write_round_trip_images

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "segmentation_weights.json"
SEED = 7
SPLIT_PENALTY = 10.0  # objective lost per unit of the singles' split rate: one split in 1,000 costs 1%
# Non-digits (not digit-shaped) whose "not a digit" flag the search must keep: a search that weighs the detector finds
# the path whose parts look most like digits, and the parts of a letter, a tick or a wavy line cut apart read as 1s.
NON_DIGIT_KINDS = ("printed letters", "drawn letters", "scribbles", "shapes")
FLAG_LOSS_PENALTY = 1.0  # objective lost per unit of the non-digits' flag rate lost against the cut at the gaps
WEIGHT_RANGE = (0.0, 8.0)
DIGIT_COST_RANGE = (-2.0, 2.0)


def searched(model, sources, search=True) -> list:
    """Each source's answered search (``None`` where the image could not be read; ``search`` False: the cut at the
    gaps alone)."""
    searches = [prepared_or_failed(functools.partial(search_number, search=search), source) for source in sources]
    answer_searches(model, searches)
    return [None if isinstance(item, FailedImage) else item for item in searches]


def number_read(search, **parameters) -> str:
    """The digits along the cheapest path of ``search`` (what ``chosen_reading`` reads, faster)."""
    try:
        _, rows, _ = search.chosen(**parameters)
    except Exception:  # every path holds a candidate that could not be prepared
        return ""
    return "".join(str(int(np.argmax(search.probabilities[row]))) for row in rows)


def with_flags(search):
    """``(search, each read candidate flagged "not a digit" as predict flags it)``; ``(None, None)`` if unreadable."""
    if search is None:
        return None, None
    return search, [combined_reason(digit, p) is not None for digit, p in zip(search.proposal.digits, search.not_digit)]


def unflagged(search, flags, **parameters) -> bool:
    """Whether the cheapest path of ``search`` reads digits none of them flagged (an unreadable image is refused)."""
    if search is None:
        return False
    try:
        _, rows, _ = search.chosen(**parameters)
    except Exception:
        return False
    return not any(flags[row] for row in rows)


def score(sets: dict, half: int, **parameters) -> dict:
    """Share read entirely right per kind, the singles' split rate, and per kind of non-digit the flag rate lost
    against the cut at the gaps, on one half of each set."""
    scores = {}
    for kind, items in sets.items():
        if kind in NON_DIGIT_KINDS:
            lost = [unflagged(*searched, **parameters) - unflagged(*gaps) for searched, gaps in items[half::2]]
            scores[f"{kind} flag lost"] = float(np.mean(lost))
            continue
        numbers = [("" if search is None else number_read(search, **parameters), text)
                   for search, text in items[half::2]]  # fmt: skip
        if kind == "singles":
            scores["singles_split"] = float(np.mean([len(number) > 1 for number, _ in numbers]))
        else:
            scores[kind] = float(np.mean([number == text for number, text in numbers]))
    return scores


def objective(scores: dict) -> float:
    lost = np.mean([scores[f"{kind} flag lost"] for kind in NON_DIGIT_KINDS])
    return float(
        np.mean([scores[kind] for kind in KINDS]) - SPLIT_PENALTY * scores["singles_split"] - FLAG_LOSS_PENALTY * lost
    )


def search_weights(sets: dict, trials: int, seed: int) -> optuna.Study:
    """An Optuna study of the weights and the per-digit cost on the first half of every set."""

    def trial_objective(trial):
        weights = {name: 1.0 if name == "surprise" else trial.suggest_float(name, *WEIGHT_RANGE) for name in FEATURES}
        return objective(score(sets, 0, weights=weights, digit_cost=trial.suggest_float("digit", *DIGIT_COST_RANGE)))

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.enqueue_trial({name: value for name, value in WEIGHTS.items() if name != "surprise"} | {"digit": DIGIT_COST})
    study.optimize(trial_objective, n_trials=trials)
    return study


SWEEP_STEPS = 11  # values from 0 to twice the shipped weight (at least to 1), evenly spaced


def sweep_weight(sets: dict, name: str) -> dict:
    """The shipped weights with ``name`` set to each of ``SWEEP_STEPS`` values in turn: ``{value: {"objective": on
    the first half, half: scores}}`` for both halves of every set (the other weights as shipped)."""
    swept = {}
    for value in np.round(np.linspace(0.0, max(1.0, 2 * WEIGHTS[name]), SWEEP_STEPS), 3):
        weights = WEIGHTS | {name: float(value)}
        halves = {half: score(sets, index, weights=weights, digit_cost=DIGIT_COST)
                  for index, half in enumerate(("search_half", "report_half"))}  # fmt: skip
        swept[float(value)] = {"objective": objective(halves["search_half"])} | halves
    return swept


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=shipped_model(DEFAULT_MODEL_ROLE))
    parser.add_argument("--per-kind", type=int, default=200)
    parser.add_argument("--singles", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, help="default: results/segmentation_weights.json, or with --sweep NAME "
                        "results/segmentation_NAME.json")  # fmt: skip
    parser.add_argument("--sweep", choices=[name for name in FEATURES if name != "surprise"],
                        help="instead of the study: this one weight from 0 to twice its shipped value, the others as "
                        "shipped")  # fmt: skip
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = RESULTS_PATH.with_name(f"segmentation_{args.sweep}.json") if args.sweep else RESULTS_PATH
    command = " ".join(["python -m benchmarks.segmentation_weights", *(argv if argv is not None else sys.argv[1:])])
    model = load_classifier(args.model)
    train, _ = load_mnist()
    rng = np.random.default_rng(args.seed)
    sets = {}
    for kind in KINDS:
        numbers = [make_number(rng, train, kind, sources=("mnist",)) for _ in range(args.per_kind)]
        searches = searched(model, [number.page for number in numbers])
        sets[kind] = [(search, number.text) for search, number in zip(searches, numbers)]
        print(f"searched {kind}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        chosen = rng.choice(len(train[0]), args.singles, replace=False)
        paths = write_round_trip_images(train[0][chosen], Path(folder), args.seed)
        sets["singles"] = [(search, str(train[1][index])) for search, index in zip(searched(model, paths), chosen)]
    for kind in NON_DIGIT_KINDS:
        images = [image for image, label in (NOT_DIGIT_MAKERS[kind](rng) for _ in range(args.per_kind))
                  if not is_digit_shaped(label)]  # fmt: skip
        pairs = zip(searched(model, images), searched(model, images, search=False))
        sets[kind] = [(with_flags(search), with_flags(gaps)) for search, gaps in pairs]
        print(f"searched {kind}", flush=True)
    swept = {}
    if args.sweep:
        swept = {args.sweep: sweep_weight(sets, args.sweep)}
        values = swept[args.sweep]
        weights, digit_cost = WEIGHTS | {args.sweep: max(values, key=lambda v: values[v]["objective"])}, DIGIT_COST
        print("\n".join(f"{args.sweep} {value}: objective {found['objective']:.4f}; report half "
                        + ", ".join(f"{k} {v:.1%}" for k, v in found["report_half"].items())
                        for value, found in values.items()))  # fmt: skip
    else:
        study = search_weights(sets, args.trials, args.seed)
        best = {name: round(value, 3) for name, value in study.best_params.items()}
        weights, digit_cost = {"surprise": 1.0} | {k: v for k, v in best.items() if k != "digit"}, best["digit"]
    results = {"shipped": {"weights": WEIGHTS, "digit_cost": DIGIT_COST},
               "best": {"weights": weights, "digit_cost": digit_cost}}  # fmt: skip
    for name, chosen in results.items():
        chosen |= {half: score(sets, index, weights=chosen["weights"], digit_cost=chosen["digit_cost"])
                   for index, half in enumerate(("search_half", "report_half"))}  # fmt: skip
        print(f"{name}: " + ", ".join(f"{k} {v:.1%}" for k, v in chosen["report_half"].items()))
    print(f"\nWEIGHTS = {weights}\nDIGIT_COST = {digit_cost}")
    save_json({"command": command, "model": str(shown_path(args.model)), "seed": args.seed,
               "trials": None if args.sweep else args.trials, "swept": swept, "cut_min_width": CUT_MIN_WIDTH,
               **results, "library_versions": library_versions()}, args.output)  # fmt: skip
    print(f"\nwrote {shown_path(args.output)}")


if __name__ == "__main__":
    main()
