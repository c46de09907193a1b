"""The layers' import contracts (pyproject.toml, `[tool.importlinter]`): kept by the tree, and
broken by a forbidden import (so the contracts are not vacuous)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300)


def copy_of_the_tree(tmp_path: Path) -> Path:
    for package in ("imports", "crm", "clientport"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_engine_importing_a_view_breaks_a_contract(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    with open(tree / "imports" / "cleaning" / "text.py", "a") as module:
        module.write("\nfrom imports.views import common  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "The import engine imports no lifecycle or web code BROKEN" in result.stdout


def test_notifications_importing_template_tags_breaks_a_contract(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    with open(tree / "imports" / "notifications.py", "a") as module:
        module.write("\nfrom imports.templatetags import import_tags  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "The import's lifecycle imports no web code BROKEN" in result.stdout


def test_the_crm_importing_the_imports_web_layer_breaks_a_contract(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    with open(tree / "crm" / "services.py", "a") as module:
        module.write("\nfrom imports import forms  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "The CRM does not import the import's web layer BROKEN" in result.stdout
