"""``python -m mnist_helpers committee MODEL.keras MODEL.keras [...] --output PATH.keras``: several trained classifiers
as one model that answers with the mean of their probabilities (:func:`mnist_helpers.committee.committee_of`).

Each member is checked as ``predict`` checks a model (784 pixels in, 10 probabilities out, its answers on a probe
batch), and all must take the same input shape. The committee is checked the same way and written whole or not at
all, never over a member nor into a shipped model's folder; its MNIST test accuracy and each member's are printed.
``export --model PATH.keras`` then writes its ONNX file, for ``predict --model``.

Exit status: 0 when written; 2 for bad arguments, a member that is not a .keras classifier, or an output that cannot
be written: one line on standard error, and nothing written.
"""

import sys

from .._support.errors import UserFacingError
from ..config import shown_path

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
    parser.set_defaults(run=run)


def run(args) -> int:
    """Check the arguments, build, check and save the committee; return the exit status."""
    try:
        build_committee(args.members, args.output)
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _checked_paths(members, output):
    """The members' and the output's paths: .keras files, at least ``MIN_MEMBERS`` members, none named twice, the
    output none of them and outside the shipped models' folders."""
    from .._support.settings import output_folder, user_path
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
    check_not_shipped(output.parent, how="committee never replaces it (choose another folder)")
    return paths, output


def build_committee(members, output) -> None:
    """Load and check ``members``, write their committee to ``output`` (atomically), and print test accuracies."""
    from .._support.artifacts import atomic_path
    from ..committee import committee_of
    from ..data import flatten_and_scale, load_mnist
    from ..model_files import classify_digits, load_classifier

    paths, output = _checked_paths(members, output)
    models = [load_classifier(path) for path in paths]
    shapes = [tuple(model.input_shape[1:]) for model in models]
    for path, shape in zip(paths, shapes):
        if shape != shapes[0]:
            raise UserFacingError(f"{path}: takes inputs of shape {shape}, but {paths[0]} takes {shapes[0]}")
    _, (x_test, y_test) = load_mnist()
    digits = flatten_and_scale(x_test)
    committee = committee_of(models)
    accuracies = [(classify_digits(model, digits).argmax(axis=1) == y_test).mean() for model in [*models, committee]]
    with atomic_path(output) as temporary:
        committee.save(temporary)
        load_classifier(temporary)  # read back and checked before it takes its place
    for path, accuracy in zip([*paths, output], accuracies):
        print(f"{shown_path(path)}: MNIST test accuracy {accuracy:.2%}", flush=True)
    print(f"wrote {shown_path(output)}; `python -m mnist_helpers export --model {shown_path(output)}` "
          "writes its ONNX file for predict")  # fmt: skip
