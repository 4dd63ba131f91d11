"""The notebook's parameters as papermill sets them: a name the parameters cell does not define is refused.

papermill runs a cell of its own right after the cell tagged ``parameters``, assigning each ``-p NAME VALUE``
as a variable, and accepts any name: a misspelt one would be a variable nobody reads, and the run would
"succeed" with the default. The kernel keeps the source of every cell it ran (IPython's ``In``), so the
checking cell compares the names papermill assigned with those the parameters cell assigns.
"""

import ast
import difflib

from .recipe import ParameterError

INJECTED_HEADER = "# Parameters"  # the first line of the cell papermill injects
PAPERMILL_OWN = {"PAPERMILL_INPUT_PATH", "PAPERMILL_OUTPUT_PATH"}  # what papermill may inject for itself


def assigned_names(source: str) -> list:
    """The names a cell's top-level statements assign (``name = ...``), in order."""
    try:
        statements = ast.parse(source).body
    except SyntaxError:
        return []
    return [
        target.id
        for statement in statements
        if isinstance(statement, ast.Assign | ast.AnnAssign)
        for target in (statement.targets if isinstance(statement, ast.Assign) else [statement.target])
        if isinstance(target, ast.Name)
    ]


def refuse_unknown_parameters(cell_sources=None) -> None:
    """Raise ``ParameterError`` for a name papermill injected that the parameters cell before it does not assign.

    ``cell_sources`` are the sources of the cells run so far, in order (default: this IPython kernel's ``In``);
    without an injected cell (a run without papermill, or outside IPython) there is nothing to check.
    """
    sources = list(_kernel_cell_sources() if cell_sources is None else cell_sources)
    injected = [index for index, source in enumerate(sources) if source.lstrip().startswith(INJECTED_HEADER)]
    if not injected or injected[-1] == 0:
        return
    known = assigned_names(sources[injected[-1] - 1])
    for name in assigned_names(sources[injected[-1]]):
        if name not in known and name not in PAPERMILL_OWN:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]}?" if close else f"the parameters are {', '.join(known)}"
            raise ParameterError(f"{name}: not a parameter of this notebook ({hint})")


def _kernel_cell_sources() -> list:
    """The sources of the cells this IPython kernel has run, in order (none outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    return list(shell.user_ns.get("In", [])) if shell is not None else []
