"""One registry of problem codes (imports/cleaning/codes.py): every code the import can report
is in it with its title, every code in it is reported somewhere, and the docs list them all."""

import ast
import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from imports.cleaning.codes import PROBLEM_CODES, SKIP, WARNING, code_title, codes_table
from imports.report import skipped_rows_zip
from imports.templatetags.import_tags import register
from tests.imports.conftest import import_rows

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [path for package in ("imports", "crm", "clientport") for path in (ROOT / package).rglob("*.py")
           if "migrations" not in path.parts]


def _emitted_codes() -> dict[str, list[str]]:
    """code -> where a `Problem(...)` with it is made, found in the source (literal or constant)."""
    constants: dict[str, str] = {}
    calls: list[tuple[Path, ast.Call]] = []
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                constants[node.targets[0].id] = node.value.value
        calls += [(path, node) for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Problem"]
    found: dict[str, list[str]] = {}
    for path, call in calls:
        argument = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "code"), None)
        if isinstance(argument, ast.Constant):
            code = argument.value
        elif isinstance(argument, ast.Name) and argument.id in constants:
            code = constants[argument.id]
        else:
            pytest.fail(f"{path.relative_to(ROOT)}:{call.lineno} makes a Problem whose code cannot be read; "
                        "write the code as a literal or a module constant")
        found.setdefault(code, []).append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def test_every_code_the_code_base_emits_is_registered():
    emitted = _emitted_codes()
    unregistered = {code: where for code, where in emitted.items() if code not in PROBLEM_CODES}
    assert not unregistered, f"add these codes to imports/cleaning/codes.py: {unregistered}"


def test_every_registered_code_is_emitted_somewhere():
    assert set(PROBLEM_CODES) - set(_emitted_codes()) == set()


def test_every_code_has_a_title_a_severity_and_an_explanation():
    for code, entry in PROBLEM_CODES.items():
        assert entry.code == code and entry.title.strip() and entry.explanation.strip()
        assert entry.severity in (SKIP, WARNING)


def test_the_import_rules_doc_lists_the_registry():
    doc = (ROOT / "docs" / "import-rules.md").read_text()
    assert codes_table() in doc, "docs/import-rules.md: paste imports.cleaning.codes.codes_table() under 'Problem codes'"


def test_the_readme_names_every_code():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Skip reasons and warnings"):].split("\n### ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    listed = {code for cell in first_cells for code in re.findall(r"`([a-z_]+)`", cell)}
    assert listed == set(PROBLEM_CODES)


def test_the_pages_show_the_registry_title():
    assert register.filters["code_title"]("ambiguous_account") == "Several accounts have this name"
    assert code_title("some_old_code") == "Some old code"  # an issue stored by an older version


@pytest.mark.django_db
def test_the_skipped_rows_file_gives_the_title_and_the_message(firm, owner):
    rows = [["Account", "Email"], ["", ""], ["Acme", "ap@acme.example"], ["", "not an email"]]
    job, counts = import_rows(firm, owner, rows, {"Account": "account.name", "Email": "contact.email"})
    assert counts["rows_skipped"] == 1
    out = io.BytesIO()
    skipped_rows_zip(job, out)
    with zipfile.ZipFile(out) as archive:
        [name] = archive.namelist()
        written = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert written[1][-1].startswith("No account name: The row has no account name")
