"""``python -m mnist_helpers committee MODEL.keras MODEL.keras [...] --output PATH.keras``: several trained classifiers
as one model that answers with the mean of their probabilities (:func:`mnist_helpers.committee.committee_of`).

Each member is checked as ``predict`` checks a model (784 pixels in, 10 probabilities out, its answers on a probe
batch), and all must take the same input shape. The committee is written whole or not at all, and is checked the same
way; its MNIST test accuracy and each member's are printed. ``export --model PATH.keras`` then writes its ONNX file,
for ``predict --model``.

Exit status: 0 when written; 2 for bad arguments, a member that is not a .keras classifier, or an output that cannot
be written (a shipped model's folder without ``--replace-shipped``): one line on standard error, and nothing written.
"""

import sys

from .. import config
from .._support.errors import UserFacingError

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
        config.REPLACE_SHIPPED_FLAG, action="store_true", help="allow --output in a shipped model's folder"
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    """Check the arguments, build, check and save the committee; return the exit status."""
    try:
        build_committee(args.members, args.output, args.replace_shipped)
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _checked_paths(members, output):
    """The members' and the output's paths, once each names a .keras file (members: at least ``MIN_MEMBERS``)."""
    from .._support.settings import user_path

    paths = [user_path("committee", member) for member in members]
    output = user_path("--output", output)
    for path in [*paths, output]:
        if path.suffix != ".keras":
            raise UserFacingError(f"{path}: a committee is built from and saved as Keras models (.keras files)")
    if len(set(paths)) < MIN_MEMBERS:
        raise UserFacingError(f"committee: name at least {MIN_MEMBERS} different models (got {len(set(paths))})")
    return list(dict.fromkeys(paths)), output


def build_committee(members, output, replace_shipped=False) -> None:
    """Load and check ``members``, write their committee to ``output`` (atomically), and print test accuracies."""
    from .._support.artifacts import atomic_path
    from ..committee import committee_of
    from ..data import flatten_and_scale, load_mnist
    from ..model_files import classify_digits, load_classifier
    from ..run_files import check_not_shipped

    paths, output = _checked_paths(members, output)
    check_not_shipped(output.parent, replace_shipped)
    models = [load_classifier(path) for path in paths]
    shapes = {tuple(model.input_shape[1:]) for model in models}
    if len(shapes) > 1:
        raise UserFacingError(f"committee: the members take different inputs ({', '.join(map(str, sorted(shapes)))})")
    committee = committee_of(models, name=output.stem)
    with atomic_path(output) as temporary:
        committee.save(temporary)
        load_classifier(temporary)  # read back and checked before it takes its place
    _, (x_test, y_test) = load_mnist()
    digits = flatten_and_scale(x_test)
    for path, model in [*zip(paths, models), (output, committee)]:
        accuracy = (classify_digits(model, digits).argmax(axis=1) == y_test).mean()
        print(f"{config.shown_path(path)}: MNIST test accuracy {accuracy:.2%}", flush=True)
    print(f"wrote {config.shown_path(output)}; `python -m mnist_helpers export --model {config.shown_path(output)}` "
          "writes its ONNX file for predict")  # fmt: skip
