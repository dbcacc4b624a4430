"""The layout as the design draws it: app/ is a ladder of modules without import cycles,
views leave the queries to the services, and no module grows past one job.

The graph is read from the source with `ast`, so it counts what the code names: an import
inside a function is an edge like any other, unless a `# lazy: <why>` comment above it (or
on it) says why it must wait until the function runs. Importing a module from outside its
package runs the package's `__init__` first, so that is an edge to the package as well; a
module importing a sibling in its own package is not (the package is already running).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
LAZY = re.compile(r"#\s*lazy:\s*\S.{8,}")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(APP.rglob("*.py"))}


class Import:
    """One import statement: where it is and whether it waits for its function to run."""

    def __init__(self, node: ast.Import | ast.ImportFrom, in_function: bool, marked_lazy: bool):
        self.node = node
        self.in_function = in_function
        self.marked_lazy = marked_lazy


def imports_of(path: Path) -> list[Import]:
    """Every import in a module, with whether it sits in a function and is marked lazy."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: list[Import] = []

    def visit(body: list[ast.stmt], in_function: bool, region_start: int) -> None:
        group_start = region_start
        for index, node in enumerate(body):
            if isinstance(node, ast.Import | ast.ImportFrom):
                previous = body[index - 1] if index else None
                if not isinstance(previous, ast.Import | ast.ImportFrom):
                    group_start = previous.end_lineno + 1 if previous is not None else region_start
                text = "\n".join(lines[group_start - 1 : node.end_lineno])
                found.append(Import(node, in_function, bool(LAZY.search(text))))
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if not children:
                    continue
                if field == "handlers":
                    for handler in children:
                        visit(handler.body, in_function, handler.lineno)
                    continue
                nested = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                visit(children, nested, node.lineno)

    visit(ast.parse(source, str(path)).body, False, 1)
    return found


def targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The app modules an import statement names (the deepest one that is a module)."""

    def deepest(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module if is_package else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        for alias in node.names:
            names.append(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {target for name in names if (target := deepest(name)) and target != module}


def packages_entered(importer: str, target: str, known: set[str]) -> set[str]:
    """The packages whose __init__ runs when `importer` first imports `target` from outside
    them: importing app.services.mail.compose from app.services.registrations runs
    app/services/mail/__init__.py too, with everything it imports."""
    entered = set()
    package = target.rpartition(".")[0]
    while package.count("."):
        if package in known and importer != package and not importer.startswith(package + "."):
            entered.add(package)
        package = package.rpartition(".")[0]
    return entered


def import_graph(count_lazy: bool = False) -> dict[str, set[str]]:
    modules = app_modules()
    known = set(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for found in imports_of(path):
            if found.marked_lazy and not count_lazy:
                continue
            for target in targets(name, path.name == "__init__.py", found.node, known):
                graph[name] |= {target} | packages_entered(name, target, known)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_app_has_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "modules that import each other, directly or around a loop:\n" + "\n".join(
        " <-> ".join(component) for component in found
    )


def test_every_import_inside_a_function_says_why_it_is_lazy():
    unexplained = [
        f"{path.relative_to(ROOT)}:{found.node.lineno}"
        for path in app_modules().values()
        for found in imports_of(path)
        if found.in_function and not found.marked_lazy
    ]
    assert not unexplained, "imports inside functions without a `# lazy: <why>` comment:\n" + "\n".join(unexplained)


def test_the_cycle_finder_finds_a_loop_and_respects_lazy_marks(tmp_path):
    """The two tests above could pass by finding nothing; this shows they can fail."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    known = {"app.services", "app.services.mail", "app.services.mail.compose", "app.services.registrations"}
    entered = {"app.services", "app.services.mail"}
    assert packages_entered("app.web.views", "app.services.mail.compose", known) == entered
    assert packages_entered("app.services.registrations", "app.services.mail.compose", known) == {"app.services.mail"}
    assert packages_entered("app.services.mail.worker", "app.services.mail.compose", known) == set()
    source = tmp_path / "m.py"
    source.write_text(
        "import os\n"
        "def f():\n"
        "    # lazy: the worker needs the app only when it runs\n"
        "    from app import models\n"
        "    import app.extensions\n"
        "    x = 1\n"
        "    from app import cli\n",
        encoding="utf-8",
    )
    marks = [(found.in_function, found.marked_lazy) for found in imports_of(source)]
    assert marks == [(False, False), (True, True), (True, True), (True, False)]


@pytest.mark.parametrize("name", ["app.services", "app.models", "app.extensions"])
def test_the_graph_sees_the_layers(name):
    assert name in import_graph()


# Views parse input, call a service and render: the queries live in the services.
QUERY_NAMES = frozenset({"select", "update", "delete", "insert", "text", "func"})
SESSION_CALLS = frozenset({"execute", "scalar", "scalars"})


def view_modules() -> dict[str, Path]:
    return {name: path for name, path in app_modules().items() if name.rpartition(".")[2] == "views"}


def queries_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            found += [f"{node.lineno}: imports {alias.name}" for alias in node.names if alias.name in QUERY_NAMES]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in SESSION_CALLS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "session"
        ):
            found.append(f"{node.lineno}: session.{node.attr}")
    return found


def test_views_leave_queries_to_the_services():
    found = {
        str(path.relative_to(ROOT)): problems for path in view_modules().values() if (problems := queries_in(path))
    }
    assert not found, f"views that query the database themselves: {found}"


def test_the_query_finder_sees_a_query_in_a_view(tmp_path):
    source = tmp_path / "views.py"
    source.write_text(
        "from sqlalchemy import func, select\n"
        "from app.extensions import db\n"
        "def page():\n"
        "    return db.session.scalars(select(1))\n",
        encoding="utf-8",
    )
    assert queries_in(source) == ["1: imports func", "1: imports select", "4: session.scalars"]
    assert len(view_modules()) >= 10


# A module that grows past this does more than one job: split it by job, as services/ is.
LONGEST_MODULE = 450


def test_no_module_of_the_app_grows_past_one_job():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in app_modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    }
    assert not long, f"modules over {LONGEST_MODULE} lines: {long}"
