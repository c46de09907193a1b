"""The row's people: their cells (names, emails, phones, date of birth, tax ID, notes), full names
and couples split into parts, spouses' shared emails, and a person named by the account-name cell."""

from __future__ import annotations

from crm.normalize import contact_name_key, normalize_email_key
from imports import cleaning
from imports.extraction.addresses import _extract_address_cell
from imports.extraction.context import ExtractionContext, _Column
from imports.extraction.data import AccountData, AddressData, PersonData
from imports.extraction.tax_ids import names_only_a_persons_number
from imports.extraction.values import _FORMULA, _extend_tags, _extract_custom, _formula_problem
from imports.mapping import ADDRESS_FIELDS as ADDRESS_ATTRIBUTES
from imports.problems import Problem


MAX_NOTES_LENGTH = 10_000


# Warnings about a date of birth kept whole (docs/import-rules.md, "Values kept whole").
TIME_DROPPED = "time_dropped"
PARTIAL_DATE = "partial_date"


def _extract_person_cell(person: PersonData, col: _Column, raw: str, ctx, warnings: list[Problem]) -> None:
    attribute = col.attribute
    problems: list[Problem] = []
    if attribute in ("first_name", "middle_name", "last_name", "prefix", "suffix"):
        value, problems = cleaning.clean_text(raw, max_length=100 if attribute.endswith("name") else 30)
        value = cleaning.strip_symbols(value)
        if attribute == "last_name":
            # "Patel CPA", "Garcia, DDS": the credential is a suffix, not part of the family name.
            value, credentials = cleaning.split_credentials(value)
            if credentials and not person.suffix:
                person.suffix = credentials[:30]
        setattr(person, attribute, value)
        if _FORMULA.match(value):
            problems = [*problems, _formula_problem(value)]
    elif attribute == "email":
        emails, problems = _fitting_emails(raw)
        if emails:
            if person.email:  # a second column mapped to the primary email: keep both
                person.additional_emails.extend(emails)
            else:
                person.email, person.email_column = emails[0], col.header
                person.additional_emails.extend(emails[1:])
    elif attribute == "additional_emails":
        emails, problems = _fitting_emails(raw)
        person.additional_emails.extend(emails)
    elif attribute == "phone":
        # A number written without its country code belongs to the person's country when the
        # row names it (columns of a country are read first), else to the firm's.
        region = cleaning.region_for_country(person.country) or ctx.default_country
        phones, problems = cleaning.clean_phones(raw, default_country=region)
        person.phones.extend(p for p in phones if p not in person.phones)
    elif attribute == "date_of_birth":
        problems = _extract_date_of_birth(person, raw, ctx.date_order_of(col))
    elif attribute == "tax_id":
        person.tax_id, problems = cleaning.clean_tax_id(raw)
        person.tax_id_shared_column = col.header if not names_only_a_persons_number(col.header) else ""
        # The SSN itself never goes into a warning: only its last four characters.
        for problem in problems:
            warnings.append(problem.at(col.header, "…" + raw.strip()[-4:]))
        return
    elif attribute in ADDRESS_ATTRIBUTES:
        problems = _extract_address_cell(person, attribute, raw)
    elif attribute.startswith("business_"):
        if person.business is None:
            person.business = AddressData()
        problems = _extract_address_cell(person.business, attribute.removeprefix("business_"), raw)
    elif attribute == "notes":
        value, problems = cleaning.clean_text(raw, max_length=MAX_NOTES_LENGTH, allow_newlines=True)
        person.notes = f"{person.notes}\n{value}" if person.notes and value else (person.notes or value)
    elif attribute == "tags":
        problems = _extend_tags(person.tags, raw)
    elif attribute == "custom":
        problems = _extract_custom(person.custom, col, raw, ctx)
    else:  # pragma: no cover
        raise ValueError(f"unknown contact target {attribute}")
    for problem in problems:
        warnings.append(problem.at(col.header, raw))


def _extract_date_of_birth(person: PersonData, raw: str, date_order: str) -> list[Problem]:
    """A date of birth holds a day: a time other than midnight is left out with a warning,
    and a year on its own is kept in the contact's notes (with a warning), never dropped."""
    person.date_of_birth, time, problems = cleaning.clean_date_time(raw, date_order=date_order)
    if person.date_of_birth is not None and time:
        problems = [*problems, Problem(
            TIME_DROPPED, f"The date of birth {raw.strip()!r} has a time of day ({time}); a date of birth holds "
                          f"the day only, so {person.date_of_birth.isoformat()} was kept without it.")]
    year = cleaning.year_only(raw) if person.date_of_birth is None else ""
    if year:
        line = f"Year of birth: {year}"
        if line not in person.notes.splitlines():
            person.notes = f"{person.notes}\n{line}" if person.notes else line
        problems = [Problem(PARTIAL_DATE, f"The date of birth {year} is a year only; a date of birth needs the "
                                          f"day and month, so the year was kept in the contact's notes.")]
    return problems


def _fitting_emails(raw: str) -> tuple[list[str], list[Problem]]:
    """Valid emails whose identity key fits its column (case-folding can lengthen one)."""
    emails, problems = cleaning.clean_emails(raw)
    fitting = [email for email in emails if len(normalize_email_key(email)) <= 254]
    if len(fitting) < len(emails):
        problems = [*problems, Problem("invalid_email", "An email address is too long to be stored; it was left out.")]
    return fitting, problems


def _apply_full_name(people: dict[str, PersonData], record: str, raw: str) -> None:
    """A *Full name* column fills the name parts that separate columns left empty. A couple
    ("John & Jane Smith") in the first person's full name brings Contact 2 along when the
    file names no Contact 2 itself."""
    person = people[record]
    names = cleaning.split_couple(raw) if record == "contact" else [cleaning.split_full_name(raw)]
    if not names:
        return
    _fill_name(person, names[0])
    if len(names) > 1 and "contact2" not in people:
        second = people["contact2"] = PersonData(slot=2)
        _fill_name(second, names[1])


def _fill_name(person: PersonData, name) -> None:
    if person.first_name or person.last_name:
        return
    # Parts of a split full name obey the same limits as the name columns.
    person.prefix = person.prefix or name.prefix[:30]
    person.first_name, person.middle_name, person.last_name = name.first[:100], name.middle[:100], name.last[:100]
    person.suffix = person.suffix or name.suffix[:30]


def _separate_shared_emails(people: list[PersonData], warnings: list[Problem]) -> None:
    """Spouses often share one address. People of one row with different names and the same
    email are different people: the address stays with the first, the later one keeps their
    name (and any other address of theirs), so neither is merged into the other."""
    holders: dict[str, PersonData] = {}
    for person in people:
        key = normalize_email_key(person.email)
        if not key:
            continue
        holder = holders.setdefault(key, person)
        if holder is person or not (person.has_name and holder.has_name):
            continue
        if contact_name_key(person.first_name, person.last_name) == contact_name_key(holder.first_name,
                                                                                     holder.last_name):
            continue  # the same person twice: one contact (docs/import-rules.md, "Updates and re-imports")
        warnings.append(Problem(
            "shared_email",
            f"{person.display_name} has the same email as {holder.display_name}; it was kept on "
            f"{holder.display_name} only and {person.display_name} was imported without it.",
            column=person.email_column, value=person.email,
        ))
        person.email, person.email_column = "", ""
        if person.additional_emails:
            person.email = person.additional_emails.pop(0)


def _person_from_account_name(account: AccountData, people: dict[str, PersonData], ctx: ExtractionContext) -> None:
    """A row whose only name is an account-name cell that reads as a person ("Rivera, Ana",
    or any plain name when the row's type says individual) names its contact after it, rather
    than leaving a contact with an email and no name. A couple brings its second person."""
    if any(person.has_name for person in people.values()):
        return
    name = account.name
    individual = (account.type_from_file and account.type == "individual") or (
        ctx.mapping.account_type.mode == "fixed" and ctx.mapping.account_type.value == "individual"
    )
    if cleaning.looks_like_organisation(name) or not (individual or cleaning.comma_person_name(name)):
        return
    names = cleaning.split_couple(name)
    if not names or not (names[0].first and names[0].last):
        return
    person = people.get("contact") or people.setdefault("contact", PersonData(slot=1))
    _fill_name(person, names[0])
    if len(names) > 1 and "contact2" not in people and names[1].first:
        _fill_name(people.setdefault("contact2", PersonData(slot=2)), names[1])
