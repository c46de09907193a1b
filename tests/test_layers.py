"""The layers' import contracts (pyproject.toml, `[tool.importlinter]`): kept by the tree, and
broken by a forbidden import (so the contracts are not vacuous)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300)


def copy_of_the_tree(tmp_path: Path) -> Path:
    for package in ("imports", "crm", "clientport", "portal", "webhooks", "api"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, forbidden, contract", [
    ("imports/cleaning/text.py", "from imports.views import common", "The import engine imports no lifecycle or web code"),
    ("imports/notifications.py", "from imports.templatetags import import_tags", "The import's lifecycle imports no web code"),
    ("crm/services.py", "from imports import forms", "The CRM does not import the import's web layer"),
    ("crm/selectors.py", "from portal import models", "The CRM does not import the portal"),
    ("portal/services.py", "from portal import forms", "The portal's actions and mails import no web code"),
])
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, forbidden, contract):
    tree = copy_of_the_tree(tmp_path)
    with open(tree / module, "a") as source:
        source.write(f"\n{forbidden}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout
