"""The package's layout holds: small functions, one entry per command, layers that import one way."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "wai"
MAX_FUNCTION_LINES = 100
COMMANDS = ("score", "validate", "init", "report", "reconstruct")


def _code_lines(lines: list[str], start: int, end: int) -> int:
    """Lines of code from ``start`` to ``end`` (1-based, inclusive): not blank, not only a comment."""
    return sum(1 for line in lines[start - 1:end] if line.strip() and not line.strip().startswith("#"))


def function_lengths(path: Path) -> list[tuple[str, int, int]]:
    """(name, line, lines of code after the docstring) of every function in a file."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]
        if body:
            found.append((node.name, node.lineno, _code_lines(lines, body[0].lineno, node.end_lineno or 0)))
    return found


def test_the_length_counter_counts_code_only(tmp_path):
    source = tmp_path / "m.py"
    source.write_text('def f():\n    """Doc.\n\n    More doc.\n    """\n    x = 1\n\n    # a comment\n'
                      '    return x\n\n\ndef g():\n    """Only a docstring."""\n')
    assert function_lengths(source) == [("f", 1, 2)]


def test_no_function_is_longer_than_100_lines_of_code():
    long = [f"{path.relative_to(SRC.parent)}:{line} {name} ({n} lines)"
            for path in sorted(SRC.rglob("*.py")) for name, line, n in function_lengths(path)
            if n > MAX_FUNCTION_LINES]
    assert not long, "split these functions:\n" + "\n".join(long)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_one_module_with_main(command):
    module = importlib.import_module(f"wai.cli.{command}")
    assert callable(module.main)
    shim = (SRC / command / "__main__.py").read_text(encoding="utf-8")
    assert f"from wai.cli.{command} import main" in shim  # python -m wai.<command> runs the same main


@pytest.mark.parametrize("command", COMMANDS)
def test_the_forms_of_a_command_print_the_same_help(command):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args, "--help"], capture_output=True, text=True, timeout=120)

    new, old = run("-m", "wai", command), run("-m", f"wai.{command}")
    assert new.returncode == old.returncode == 0
    assert new.stdout == old.stdout and "usage:" in new.stdout


def test_dispatcher_lists_commands_and_refuses_unknown_ones(capsys):
    from wai.cli import main

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(f"  {c} " in out for c in COMMANDS)
    assert main(["scroe"]) == 2
    assert "did you mean 'score'?" in capsys.readouterr().err
    assert main([]) == 2


def test_arithmetic_and_counting_import_neither_matplotlib_nor_the_report():
    code = ("import sys, wai, wai.counts, wai.scoring, wai.audit, wai.feasible; "
            "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'wai.report', 'wai.cli'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"
