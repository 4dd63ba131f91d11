"""``python -m mnist_helpers committee MODEL.keras MODEL.keras [...] --output PATH.keras``: several trained classifiers
as one model that answers with the mean of their probabilities (:func:`mnist_helpers.committee.committee_of`).

Each member is checked as ``predict`` checks a model (784 pixels in, 10 probabilities out, its answers on a probe
batch), and all must take the same input shape. The committee is checked the same way and written whole or not at
all, never over a member; its MNIST test accuracy and each member's are printed. ``export --model PATH.keras`` then
writes its ONNX file, for ``predict --model``.

With ``--replace-shipped`` the output may be a shipped model (``models/robust/robust.keras``): the committee then
replaces that model's whole run, as ``train`` does (.keras, verified .onnx, metrics.json, history.csv). Each member
must then be a saved run (``train --output FOLDER``): its metrics.json, which must record the accuracy the member
scores, and its history.csv go into the committee's metrics.json (``members``) and history.csv (a ``member`` column).

With ``--shift-reach R`` every member also reads each digit moved by up to R pixels along each axis, and the committee
answers with the mean over members and shifts (``benchmarks/shift_averaging.py`` measures what that does).

Exit status: 0 when written; 2 for bad arguments, a member that is not a .keras classifier, or an output that cannot
be written: one line on standard error, and nothing written.
"""

import sys

from .._support.errors import UserFacingError
from ..config import MAX_SHIFT_REACH, REPLACE_SHIPPED_FLAG, shown_path

EXIT_OK, EXIT_USAGE = 0, 2
MIN_MEMBERS = 2


def add_parser(subparsers) -> None:
    """Register the ``committee`` subcommand."""
    parser = subparsers.add_parser(
        "committee",
        help="average several trained models' probabilities, as one model (.keras)",
        description="Build one model that answers with the mean of several trained classifiers' probabilities.",
    )
    parser.add_argument("members", nargs="+", metavar="MODEL.keras", help="the trained models (at least two)")
    parser.add_argument("--output", required=True, metavar="PATH.keras", help="where to write the committee")
    parser.add_argument(
        "--shift-reach",
        type=int,
        default=0,
        choices=range(MAX_SHIFT_REACH + 1),
        metavar="R",
        help=f"also read each digit moved by up to R pixels (0 to {MAX_SHIFT_REACH}) and average (default: 0)",
    )
    parser.add_argument(
        REPLACE_SHIPPED_FLAG,
        action="store_true",
        help="allow --output to be the shipped robust model (models/robust/robust.keras): replace its run",
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    """Check the arguments, build, check and save the committee; return the exit status."""
    try:
        build_committee(args.members, args.output, args.replace_shipped, args.shift_reach)
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _checked_paths(members, output, replace_shipped=False):
    """The members' and the output's paths: .keras files, at least ``MIN_MEMBERS`` members, none named twice, the
    output none of them, and outside the shipped models' folders unless ``replace_shipped`` (then it is the model
    shipped there, by its own name)."""
    from .._support.settings import output_folder, user_path
    from ..config import DEFAULT_MODEL_ROLE, shipped_model, shipped_role
    from ..run_files import check_not_shipped

    paths, output = [user_path("committee", member) for member in members], output_folder("--output", output)
    for path in [*paths, output]:
        if path.suffix != ".keras":
            raise UserFacingError(f"{path}: a committee is built from and saved as Keras models (.keras files)")
    if len(paths) < MIN_MEMBERS:
        raise UserFacingError(f"committee: name at least {MIN_MEMBERS} models (got {len(paths)})")
    seen = {}
    for path in paths:
        if path.resolve() in seen:
            raise UserFacingError(f"{path}: named twice (as {seen[path.resolve()]} too); a committee's members differ")
        seen[path.resolve()] = path
    if output.resolve() in seen:
        raise UserFacingError(f"{output}: is one of the members; write the committee to another file")
    check_not_shipped(output.parent, replace_shipped)
    role = shipped_role(output.parent)
    if role is not None and output.resolve() != shipped_model(DEFAULT_MODEL_ROLE).resolve():
        robust = shown_path(shipped_model(DEFAULT_MODEL_ROLE))
        raise UserFacingError(f"{output}: the only shipped model a committee replaces is the robust one, as {robust}")
    return paths, output, role


def build_committee(members, output, replace_shipped=False, shift_reach=0) -> None:
    """Load and check ``members``, write their committee (read at shifts of up to ``shift_reach`` pixels) to ``output``
    (atomically; a shipped model's whole run when ``replace_shipped``), and print test accuracies."""
    from ..committee import committee_of
    from ..data import flatten_and_scale, load_mnist
    from ..evaluate import evaluate
    from ..model_files import classify_digits, load_classifier

    paths, output, role = _checked_paths(members, output, replace_shipped)
    models = [load_classifier(path) for path in paths]
    shapes = [tuple(model.input_shape[1:]) for model in models]
    for path, shape in zip(paths, shapes):
        if shape != shapes[0]:
            raise UserFacingError(f"{path}: takes inputs of shape {shape}, but {paths[0]} takes {shapes[0]}")
    _, (x_test, y_test) = load_mnist()
    digits = flatten_and_scale(x_test)
    accuracies = [(classify_digits(model, digits).argmax(axis=1) == y_test).mean() for model in models]
    runs = [_member_run(path, accuracy) for path, accuracy in zip(paths, accuracies)] if role else None
    committee = committee_of(models, shift_reach=shift_reach)
    evaluation = evaluate(committee, digits, y_test)
    written = (
        _save_run(committee, evaluation, paths, runs, output, shift_reach) if role else _save_model(committee, output)
    )
    for path, accuracy in zip([*paths, output], [*accuracies, evaluation.accuracy]):
        print(f"{shown_path(path)}: MNIST test accuracy {accuracy:.2%}", flush=True)
    print(f"wrote {', '.join(str(shown_path(path)) for path in written)}")
    if not role:
        print(f"`python -m mnist_helpers export --model {shown_path(output)}` writes its ONNX file for predict")


def _member_run(path, accuracy) -> tuple:
    """The metrics.json record and history of the full run that saved ``path`` (in its folder), checked to be this
    model's: the recorded test accuracy is the one it scores."""
    from .._support.artifacts import read_history_csv
    from ..committee import MEMBER_FIELDS
    from ..report import HISTORY_FILE, METRICS_FILE, read_metrics_record

    metrics, history_file = path.parent / METRICS_FILE, path.parent / HISTORY_FILE
    missing = [file.name for file in [metrics, history_file] if not file.is_file()]
    if missing:
        raise UserFacingError(
            f"{path}: a shipped committee keeps each member's run, but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not beside it (train the member with "
            "`python -m mnist_helpers train --output FOLDER`)"
        )
    try:
        record, history = read_metrics_record(path.parent), read_history_csv(history_file)
        recorded = float(record["test_accuracy"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UserFacingError(f"{path}: its run's records cannot be read ({error!r})") from None
    lacking = [field for field in MEMBER_FIELDS if field not in record]
    if lacking:
        raise UserFacingError(f"{metrics}: lacks {', '.join(lacking)}; a committee's member is one trained run")
    if record["mode"] != "full":
        raise UserFacingError(f"{metrics}: a {record['mode']} run; a shipped committee is made of full runs")
    if not history or "member" in history:
        raise UserFacingError(f"{history_file}: {'no epochs' if not history else 'a committee'}; a member is one run")
    if abs(recorded - accuracy) > 1e-6:
        raise UserFacingError(
            f"{path}: scores {accuracy:.2%} on MNIST test, but the metrics.json beside it records {recorded:.2%} "
            "(another model's run?)"
        )
    return record, history


def _save_model(committee, output) -> list:
    """Write the committee alone, as ``output``."""
    from .._support.artifacts import atomic_path
    from ..model_files import load_classifier

    with atomic_path(output) as temporary:
        committee.save(temporary)
        load_classifier(temporary)  # read back and checked before it takes its place
    return [output]


def _save_run(committee, evaluation, paths, runs, output, shift_reach) -> list:
    """Replace the shipped run in ``output``'s folder with the committee's: model, ONNX, metrics and history."""
    from ..committee import committee_history, committee_record
    from ..run_files import save_run_artifacts

    try:
        history = committee_history([run[1] for run in runs])
    except ValueError as error:
        raise UserFacingError(f"{output}: the members' runs do not fit together ({error})") from None
    record = committee_record(
        evaluation, {str(shown_path(path)): run[0] for path, run in zip(paths, runs)}, shift_reach
    )
    return save_run_artifacts(committee, record, history, output.parent, output.stem)
