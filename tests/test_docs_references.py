"""Code comments refer to the repository's own docs (docs/*.md, the README), never to documents
outside it, and the docs sections they name exist."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("bench", "clientport", "crm", "imports", "portal", "scripts", "tests", "webhooks")
SOURCE_SUFFIXES = {".py", ".html", ".txt", ""}  # "" for scripts/with-postgres

# Documents a reader of this repository does not have. Spelled in pieces so this file does not
# name them itself.
OUTSIDE = re.compile("|".join([
    r"DESIGN\s*" + "§", r"DESIGN" + r"\.md", r"\.\./" + "shared", r"STACK" + "-NOTES", r"STYLE" + r"\.md",
]))
# The engine's own modules, whose comments another change rewrites: how many such references
# each may still hold. Lower a number (or drop the entry) when they go; never raise one.
NOT_YET_REWRITTEN: dict[str, int] = {}

# A file of docs/, optionally followed by a section's title in quotes (a comment may wrap it over lines).
DOC_REFERENCE = re.compile(r'docs/([\w.-]+\.md)(?:,\s+"([^"]+)")?')


def sources() -> list[Path]:
    files = [ROOT / "Makefile"]
    for folder in SOURCE_DIRS:
        files += [path for path in (ROOT / folder).rglob("*")
                  if path.is_file() and path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts]
    return files


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_sources_are_found():
    names = {relative(path) for path in sources()}
    assert {"imports/cleaning/codes.py", "imports/templates/imports/review.html", "Makefile",
            "scripts/with-postgres"} <= names


def test_no_comment_refers_to_a_document_outside_the_repository():
    found = {}
    for path in sources():
        count = len(OUTSIDE.findall(path.read_text(errors="replace")))
        if count > NOT_YET_REWRITTEN.get(relative(path), 0):
            found[relative(path)] = count
    assert not found, f"refer to docs/ or the README instead: {found}"


@pytest.mark.parametrize("reference", sorted({
    (relative(path), match.group(1), " ".join((match.group(2) or "").replace("#", " ").split()))
    for path in sources() for match in DOC_REFERENCE.finditer(path.read_text(errors="replace"))
}), ids=lambda reference: f"{reference[0]}->{reference[1]}:{reference[2]}")
def test_the_docs_a_comment_names_exist(reference):
    source, document, section = reference
    doc = ROOT / "docs" / document
    assert doc.is_file(), f"{source} names docs/{document}, which does not exist"
    if section:
        headings = [line.lstrip("#").strip() for line in doc.read_text().splitlines() if line.startswith("#")]
        assert any(heading.startswith(section) for heading in headings), (
            f'{source} names the section "{section}" of docs/{document}, which has no such heading')
