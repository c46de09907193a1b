"""The one registry of problem codes: every warning and skip reason the import can report.

Each code is stable (tests, the stored issues, the skipped-rows file and the CLI's
`skipped_reasons` use it), and has here its short title (the review, the results page and the
email group by it), whether it skips the row, and one line that explains it (docs/import-rules.md
lists them). The sentence about one cell is the `Problem`'s own message, made where the problem
is found. A code that is emitted must be registered here, and a registered code must be emitted
somewhere: tests/imports/test_problem_codes.py checks both, and that the docs list them all.
"""

from __future__ import annotations

from dataclasses import dataclass

SKIP = "skip"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class ProblemCode:
    code: str
    title: str
    severity: str  # SKIP: the row is not imported; WARNING: the row is, without that value
    explanation: str


_CODES = [
    # Skip reasons (docs/import-rules.md, "Problem codes")
    ProblemCode("missing_account_name", "No account name", SKIP,
                "The row has no account name, and no person name or valid email to name an account after "
                "(accounts only: no account name)."),
    ProblemCode("missing_contact_identity", "No name and no email", SKIP,
                "Contacts only: the row has neither a name nor a valid email for the contact."),
    ProblemCode("unreadable_row", "Row could not be read", SKIP,
                "The row could not be read (for example a quote that is never closed)."),
    ProblemCode("conflicting_account_type", "Conflicting account type", SKIP,
                "The type column contradicts the type an earlier row gave the same account; the message "
                "names that row."),
    ProblemCode("account_not_found", "Account does not exist", SKIP,
                "Accounts only, with update only chosen: no account has this name."),
    ProblemCode("ambiguous_account", "Several accounts have this name", SKIP,
                "Several accounts have the row's account name and none holds the row's person; the message "
                "names their client IDs."),
    # Warnings about the row as a whole
    ProblemCode("same_name", "Another client has this name", WARNING,
                "A new client shares a name with another (a different email, phone, date of birth, tax ID or "
                "ZIP tells them apart): a separate account was made."),
    ProblemCode("duplicate_decision_gone", "Duplicate decision not applied", WARNING,
                "The row was marked the same client as an account deleted since (or as a row that made no "
                "account): it was imported as if undecided."),
    ProblemCode("account_named_after_email", "Account named after an email", WARNING,
                "The row has no account or person name: the account is named after the email."),
    ProblemCode("shared_email", "Email shared by two people", WARNING,
                "Two people (spouses, on one row or two) with different first names share an email: it stays "
                "with the contact who had it first, the other is imported without it."),
    ProblemCode("formula_text", "Name looks like a formula", WARNING,
                "A name is a spreadsheet formula (=HYPERLINK(...)): it was kept as plain text, which exports "
                "guard."),
    ProblemCode("extra_cells", "More cells than columns", WARNING,
                "The row has more cells than the header; the extra values were not imported."),
    ProblemCode("unknown_team_member", "Unknown team member", WARNING,
                "A name or email in an assignee or role column matches no active team member (or two of them) "
                "and the settings step chose no one for it: nobody was assigned for it."),
    ProblemCode("unknown_status", "Unknown client status", WARNING,
                "A status value was neither active nor inactive: the account's status was left as it is."),
    # Warnings about one value (imports/cleaning)
    ProblemCode("text_truncated", "Text too long", WARNING,
                "The text was longer than the field allows; only the beginning was kept."),
    ProblemCode("invalid_email", "Invalid email", WARNING,
                "An email address is not valid; it was left out and the rest of the row was kept."),
    ProblemCode("invalid_phone", "Phone not understood", WARNING,
                "A phone number could not be understood; it was kept exactly as typed."),
    ProblemCode("invalid_date", "Date not understood", WARNING,
                "A date could not be read in the firm's date order; it was left out."),
    ProblemCode("time_dropped", "Time left out of a date of birth", WARNING,
                "A date of birth had a time of day other than midnight; the date was kept without it."),
    ProblemCode("partial_date", "Year only: kept in the notes", WARNING,
                "A date of birth was a year only; the year was kept in the contact's notes."),
    ProblemCode("unknown_account_type", "Unknown account type", WARNING,
                "The account type was not recognised; the account was imported as Other."),
    ProblemCode("invalid_yes_no", "Not a yes/no value", WARNING,
                "A yes/no value was neither yes nor no; it was left empty."),
    ProblemCode("invalid_number", "Not a number", WARNING, "A number could not be read; it was left out."),
    ProblemCode("invalid_url", "Invalid web address", WARNING, "A web address is not valid; it was left out."),
    ProblemCode("invalid_option", "Not a dropdown option", WARNING,
                "A value is not one of the dropdown's options; it was left out."),
    ProblemCode("invalid_custom_value", "Value does not fit the field", WARNING,
                "A value does not fit the custom field's type; it was left out."),
    ProblemCode("invalid_tax_id", "Tax ID looks wrong", WARNING,
                "An SSN/TIN or EIN does not look right (letters or wrong length); it was kept for you to check."),
]

PROBLEM_CODES: dict[str, ProblemCode] = {entry.code: entry for entry in _CODES}


def code_title(code: str) -> str:
    """The short title of a code; an unknown one (from an older version) reads as its words."""
    entry = PROBLEM_CODES.get(code)
    return entry.title if entry is not None else code.replace("_", " ").capitalize()


def codes_table() -> str:
    """The registry as the Markdown table docs/import-rules.md holds (a test keeps them equal)."""
    lines = ["| code | title | skipped row / warning | meaning |", "|---|---|---|---|"]
    lines += [f"| `{e.code}` | {e.title} | {e.severity} | {e.explanation} |" for e in _CODES]
    return "\n".join(lines)
