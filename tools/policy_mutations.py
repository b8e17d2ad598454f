"""Clause mutations of the permission rules: would a test notice a broken rule?

    python -m tools.policy_mutations                                   # every forum/*/policy.py
    python -m tools.policy_mutations --module forum/circles/policy.py  # one module
    python -m tools.policy_mutations --module forum/circles/policy.py --tests tests/test_access_matrix.py -k ""
    python -m tools.policy_mutations --list                            # print the mutants, run nothing

For each boolean clause of each function in a policy module it makes one change a developer
could slip into, one at a time (a "mutant"):

  - drop each operand of `and` / `or`, of `and_(...)` / `or_(...)`, of `a | b` / `a & b` and of a
    `.where(a, b)` with several conditions;
  - invert each comparison (`==` to `!=`, `in` to `not in`, `is` to `is not`, `<=` to `>`...),
    `.is_(x)` / `.in_(x)` to `.is_not(x)` / `.not_in(x)`, and drop each `not`;
  - negate each bare operand of `and` / `or` (`circle.listed`, `facilitator_ok`) and each `if` test
    that is not already a comparison or a `not`;
  - drop each value of a literal tuple or list tested with `in`;
  - replace `return <expr>` with `return True` and with `return False` in functions
    annotated `-> bool`.

It runs the chosen tests against each mutant, on SQLite unless FORUM_TEST_DATABASE_URL is set,
and reports the mutants no test failed on: "survivors". A survivor is a missing test, or an
equivalent mutant (one that cannot change behaviour), which the README's table explains.

  - By default in one pytest process: the mutant's code replaces the module's functions in
    place (and every `from ... policy import name` copy of them in forum's modules), the
    selected tests run until one fails, and the original code comes back. About five times
    faster than a process per mutant, as pytest, the app and the migrated template load once.
  - `--subprocess`: writes the mutant over the file (restored in `finally`, even on Ctrl-C) and
    runs `pytest -x -q -p no:cacheprovider <tests>` once per mutant: slower, and nothing of
    the running process can hide a mutant (use it to confirm a survivor).

A development tool: slow (one pytest run per mutant), so never run in CI. Mutants run one
after another, to keep the machine's other users' CPU.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The tests that judge each module's mutants unless --tests says otherwise: the policy tests,
#: those named after the module (`-k circles`) unless -k says otherwise.
DEFAULT_TESTS = ["tests/hardening/test_policy_clauses.py"]

INVERSE = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot,
           ast.IsNot: ast.Is, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt}
INVERSE_METHOD = {"is_": "is_not", "is_not": "is_", "in_": "not_in", "not_in": "in_"}
BOOL_CALLS = {"and_", "or_"}


@dataclass
class Mutant:
    number: int
    function: str
    line: int
    before: str
    after: str

    def describe(self) -> str:
        return f"{self.function}:{self.line}  {self.before}  ->  {self.after}"


def _not(node: ast.expr) -> ast.expr:
    return ast.UnaryOp(op=ast.Not(), operand=node)


def _is_atom(node: ast.expr) -> bool:
    """A clause that is not itself a comparison, a `not` or a combination (those have their own)."""
    return isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript))


def _replacements(node: ast.AST, in_bool_function: bool, parent: ast.AST | None) -> list[ast.AST]:
    """Every mutation of this one node, as the node to put in its place."""
    found: list[ast.AST] = []
    if isinstance(node, ast.BoolOp):
        for index in range(len(node.values)):
            rest = node.values[:index] + node.values[index + 1:]
            found.append(rest[0] if len(rest) == 1 else ast.BoolOp(op=node.op, values=rest))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd)):
        found += [node.right, node.left]
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if (name in BOOL_CALLS or name == "where") and len(node.args) >= 2:
            for index in range(len(node.args)):
                rest = node.args[:index] + node.args[index + 1:]
                if name in BOOL_CALLS and len(rest) == 1:
                    found.append(rest[0])
                else:
                    mutated = copy.deepcopy(node)
                    mutated.args = rest
                    found.append(mutated)
        if isinstance(node.func, ast.Attribute) and node.func.attr in INVERSE_METHOD:
            mutated = copy.deepcopy(node)
            mutated.func.attr = INVERSE_METHOD[node.func.attr]
            found.append(mutated)
    elif isinstance(node, ast.Compare):
        if len(node.ops) == 1 and type(node.ops[0]) in INVERSE:
            mutated = copy.deepcopy(node)
            mutated.ops = [INVERSE[type(node.ops[0])]()]
            found.append(mutated)
        else:
            found.append(_not(node))
        if (len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn))
                and isinstance(node.comparators[0], (ast.Tuple, ast.List)) and len(node.comparators[0].elts) >= 2):
            values = node.comparators[0]
            for index in range(len(values.elts)):
                mutated = copy.deepcopy(node)
                del mutated.comparators[0].elts[index]
                found.append(mutated)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        found.append(node.operand)
    elif isinstance(node, ast.Return) and in_bool_function and node.value is not None \
            and not isinstance(node.value, ast.Constant):
        found += [ast.Return(value=ast.Constant(True)), ast.Return(value=ast.Constant(False))]
    # Bare clauses: an operand of and/or, or an if's test, that is not a comparison or a not.
    if _is_atom(node) and isinstance(parent, ast.BoolOp):
        found.append(_not(node))
    if _is_atom(node) and isinstance(parent, (ast.If, ast.IfExp)) and parent.test is node:
        found.append(_not(node))
    return found


class _Walker(ast.NodeTransformer):
    """Numbers every node inside the module's functions in one fixed order; either collects the
    mutations (target None) or puts mutation `target` = (node number, variant) in place."""

    def __init__(self, target: tuple[int, int] | None = None):
        self.target = target
        self.counter = 0
        self.function: ast.FunctionDef | None = None
        self.parents: list[ast.AST] = []
        self.sites: list[tuple[int, int, str, int, str, str]] = []
        self.applied: ast.AST | None = None

    def visit(self, node):
        if isinstance(node, ast.FunctionDef) and self.function is None:
            # Only the body: annotations (`Circle | None`) and defaults are no clauses.
            self.function = node
            try:
                node.body = [self._visit_inside(statement) for statement in node.body]
                return node
            finally:
                self.function = None
        if self.function is None:
            return self._descend(node)
        return self._visit_inside(node)

    def _descend(self, node):
        self.parents.append(node)
        try:
            return self.generic_visit(node)
        finally:
            self.parents.pop()

    def _visit_inside(self, node):
        number = self.counter
        self.counter += 1
        returns = self.function.returns
        in_bool = isinstance(returns, ast.Name) and returns.id == "bool" or \
            isinstance(returns, ast.Constant) and returns.value == "bool"
        parent = self.parents[-1] if self.parents else None
        options = _replacements(node, in_bool, parent)
        if self.target is None:
            for variant, replacement in enumerate(options):
                self.sites.append((number, variant, self.function.name, getattr(node, "lineno", 0),
                                   ast.unparse(node).splitlines()[0], ast.unparse(replacement).splitlines()[0]))
        elif self.target[0] == number:
            self.applied = options[self.target[1]]
            return self.applied
        return self._descend(node)


def mutants_of(source: str) -> list[Mutant]:
    walker = _Walker()
    walker.visit(ast.parse(source))
    return [Mutant(index, function, line, before, after)
            for index, (_, _, function, line, before, after) in enumerate(walker.sites)]


def mutated_source(source: str, number: int) -> str:
    walker = _Walker()
    walker.visit(ast.parse(source))
    node_number, variant = walker.sites[number][:2]
    tree = ast.parse(source)
    applier = _Walker(target=(node_number, variant))
    tree = applier.visit(tree)
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"


def run_tests(tests: list[str], module: Path, timeout: int) -> tuple[bool, float]:
    """True when the tests pass (the mutant survives).

    Python would reuse a cached .pyc whose source has the same size and modification second,
    so the module's cache is removed and none is written."""
    for cached in (module.parent / "__pycache__").glob(f"{module.stem}.*.pyc"):
        cached.unlink()
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                                cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - started
    return result.returncode == 0, time.monotonic() - started


class _MutantLoop:
    """A pytest plugin: after collection, run the selected tests once per mutant, in this
    process, recording which mutants no test failed on."""

    def __init__(self, module: Path, source: str, mutants: list[Mutant], report):
        self.name = ".".join(module.relative_to(ROOT).with_suffix("").parts)
        self.source = source
        self.mutants = mutants
        self.report = report
        self.survivors: list[Mutant] = []
        self.baseline_failed = False

    def _load(self, source: str) -> None:
        import importlib

        module = importlib.import_module(self.name)
        old = {id(value): name for name, value in vars(module).items() if callable(value)
               and getattr(value, "__module__", None) == self.name}
        exec(compile(source, str(module.__file__), "exec"), module.__dict__)
        # Other modules' `from forum.x.policy import name` copies follow the new code too.
        for other in list(sys.modules.values()):
            if other is None or other is module or not getattr(other, "__name__", "").startswith("forum"):
                continue
            for attribute, value in list(vars(other).items()):
                if id(value) in old and old[id(value)] == getattr(value, "__name__", None):
                    setattr(other, attribute, getattr(module, old[id(value)]))

    def _passes(self, session) -> bool:
        from _pytest.runner import runtestprotocol

        items = session.items
        for index, item in enumerate(items):
            # The next item (or the first again) keeps session fixtures such as the migrated template.
            following = items[index + 1] if index + 1 < len(items) else items[0]
            reports = runtestprotocol(item, log=False, nextitem=following)
            if any(report.failed for report in reports):
                return False
        return True

    def pytest_runtestloop(self, session):
        if not session.items:
            raise SystemExit("no tests selected")
        started = time.monotonic()
        if not self._passes(session):
            self.baseline_failed = True
            return True
        self.report(f"  the unchanged module passes in {time.monotonic() - started:.0f} s")
        try:
            for mutant in self.mutants:
                started = time.monotonic()
                self._load(mutated_source(self.source, mutant.number))
                try:
                    survived = self._passes(session)
                finally:
                    self._load(self.source)
                self.report(f"  #{mutant.number:<3} {'SURVIVED' if survived else 'killed  '} "
                            f"{time.monotonic() - started:5.1f} s  {mutant.describe()}")
                if survived:
                    self.survivors.append(mutant)
        finally:
            self._load(self.source)
        return True


def check_in_process(module: Path, tests: list[str], mutants: list[Mutant]) -> list[Mutant]:
    import pytest

    loop = _MutantLoop(module, module.read_text(), mutants, lambda line: print(line, flush=True))
    pytest.main(["-q", "-p", "no:cacheprovider", "--no-header", "-o", "console_output_style=classic", *tests],
                plugins=[loop])
    if loop.baseline_failed:
        sys.exit("  the tests fail on the unchanged module: fix them first")
    return loop.survivors


def check_module(module: Path, tests: list[str], keyword: str | None, timeout: int,
                 only: list[int] | None, subprocess_each: bool = False) -> list[Mutant]:
    keyword = module.parent.name if keyword is None else keyword
    tests = [*tests, "-k", keyword] if keyword else tests
    original = module.read_text()
    mutants = mutants_of(original)
    chosen = [mutant for mutant in mutants if only is None or mutant.number in only]
    print(f"{module.relative_to(ROOT)}: {len(mutants)} mutants; tests: {' '.join(tests)}", flush=True)
    if not subprocess_each:
        survivors = check_in_process(module, tests, chosen)
        _summary(module, chosen, survivors)
        return survivors
    passed, seconds = run_tests(tests, module, timeout)
    if not passed:
        sys.exit(f"  the tests fail on the unchanged module: fix them first ({seconds:.0f} s)")
    survivors = []
    try:
        for mutant in chosen:
            module.write_text(mutated_source(original, mutant.number))
            survived, seconds = run_tests(tests, module, timeout)
            print(f"  #{mutant.number:<3} {'SURVIVED' if survived else 'killed  '} {seconds:5.0f} s  "
                  f"{mutant.describe()}", flush=True)
            if survived:
                survivors.append(mutant)
    finally:
        module.write_text(original)
        for cached in (module.parent / "__pycache__").glob(f"{module.stem}.*.pyc"):
            cached.unlink()
    _summary(module, chosen, survivors)
    return survivors


def _summary(module: Path, chosen: list[Mutant], survivors: list[Mutant]) -> None:
    print(f"{module.relative_to(ROOT)}: {len(chosen)} run, {len(chosen) - len(survivors)} killed, "
          f"{len(survivors)} survived", flush=True)
    for mutant in survivors:
        print(f"  survivor #{mutant.number}: {mutant.describe()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="a policy module (default: every forum/*/policy.py)")
    parser.add_argument("--tests", nargs="+", default=DEFAULT_TESTS, help="the tests that judge the mutants")
    parser.add_argument("-k", dest="keyword", help="pytest's -k (default: the module's name; \"\" for every test)")
    parser.add_argument("--only", type=int, nargs="+", help="run only these mutant numbers")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per test run (a timeout counts as killed)")
    parser.add_argument("--subprocess", action="store_true",
                        help="write each mutant over the file and run pytest in a new process (slower)")
    parser.add_argument("--list", action="store_true", help="print the mutants and run nothing")
    arguments = parser.parse_args(argv)
    modules = [ROOT / name for name in arguments.module] if arguments.module else sorted(ROOT.glob("forum/*/policy.py"))
    if arguments.list:
        for module in modules:
            mutants = mutants_of(module.read_text())
            print(f"{module.relative_to(ROOT)}: {len(mutants)} mutants")
            for mutant in mutants:
                print(f"  #{mutant.number:<3} {mutant.describe()}")
        return 0
    survivors = 0
    for module in modules:
        survivors += len(check_module(module, arguments.tests, arguments.keyword, arguments.timeout,
                                  arguments.only, arguments.subprocess))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
