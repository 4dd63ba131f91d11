"""The package reads like the lesson: its import graph has no circle, the lesson's modules import nothing beside
or above them (own_digits, export, detector, synthetic, cli), _support imports nothing of the rest, and no module
outgrows a page or two."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mnist_helpers

PACKAGE = Path(mnist_helpers.__file__).parent
LESSON = {"config", "data", "recipe", "model", "train", "augment", "feed", "evaluate", "plots", "report"}
MAX_LINES = 260


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set) -> set:
    """The package's modules that ``path`` imports (at the top or inside functions)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module in modules and module not in (name, "mnist_helpers")}


@pytest.fixture(scope="module")
def graph():
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: imported_modules(path, set(paths)) for name, path in paths.items()}


def test_the_import_graph_has_no_circle(graph):
    done, on_path = set(), []

    def visit(module):
        if module in on_path:
            pytest.fail("import circle: " + " -> ".join([*on_path[on_path.index(module) :], module]))
        if module in done:
            return
        on_path.append(module)
        for imported in graph[module]:
            visit(imported)
        on_path.pop()
        done.add(module)

    for module in graph:
        visit(module)


def test_the_lesson_imports_only_the_lesson_and_support(graph):
    lesson = {f"mnist_helpers.{name}" for name in LESSON}
    for module in lesson:
        above = {imported for imported in graph[module] if imported not in lesson}
        assert {m for m in above if not m.startswith("mnist_helpers._support")} == set(), module


def test_support_stands_below_everything(graph):
    for module, imported in graph.items():
        if module.startswith("mnist_helpers._support"):
            assert all(m.startswith("mnist_helpers._support") for m in imported), module


def test_evaluate_and_report_load_no_extension():
    script = "import sys, mnist_helpers.evaluate, mnist_helpers.report; print(sorted(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    extensions = ("own_digits", "export", "detector", "synthetic", "cli", "model_files", "run_files", "recipe_files",
                  "tuning", "studies")  # fmt: skip
    for extension in extensions:
        assert f"'mnist_helpers.{extension}" not in loaded, extension


def test_no_module_is_over_a_page_or_two():
    sizes = {path.name: len(path.read_text().splitlines()) for path in PACKAGE.rglob("*.py")}
    assert max(sizes.values()) <= MAX_LINES, max(sizes, key=sizes.get)


def test_each_subpackage_says_what_it_offers():
    for init in PACKAGE.glob("*/__init__.py"):
        namespace = {}
        exec(compile(ast.Module([n for n in ast.parse(init.read_text()).body if isinstance(n, ast.Assign)], []),
                     str(init), "exec"), namespace)  # fmt: skip
        offered = set(namespace.get("__all__", ()))
        present = {path.stem for path in init.parent.glob("*.py") if path.stem != "__init__"}
        assert offered == present, init.parent.name
