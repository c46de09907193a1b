"""Addresses: one address cell into a person's, an account's or a business address (whole-address
cells split into their parts), and where a person's business address goes on the row."""

from __future__ import annotations

from imports import cleaning
from imports.cleaning.addresses import Address, split_address
from imports.extraction.data import AccountData, PersonData
from imports.problems import Problem


ADDRESS_PARTS = ("street", "city", "state", "postal_code", "country")


def _has_address(holder) -> bool:
    """Does it name a place? A state or a country alone does not (Outlook fills in the home
    country of contacts that have no home address)."""
    return bool(holder.street or holder.city or holder.postal_code)


def _copy_address(source, target) -> None:
    """`source`'s address onto `target`, keeping the target's state or country where the
    source has none."""
    for part in ADDRESS_PARTS:
        setattr(target, part, getattr(source, part) or getattr(target, part))


def _extract_address_cell(holder, attribute: str, raw: str) -> list[Problem]:
    """One address cell into a contact's, an account's or a business address (`holder`)."""
    problems: list[Problem] = []
    if attribute in ("street", "street2"):
        # "123 Main St, Boston, MA 02118" in one cell (QuickBooks Online), or the "Boston, MA
        # 02118" line of QuickBooks' free-form "Bill to" lines: the city's parts go to their fields.
        address = split_address(raw)
        if address is not None:
            raw = address.street
            _fill_empty_address_parts(holder, address, ("city", "state", "postal_code", "country"))
        value, problems = cleaning.clean_text(raw, max_length=255)
        joined = f"{holder.street}, {value}" if holder.street and value else (holder.street or value)
        if len(joined) > 255:
            problems = [*problems, Problem("text_truncated", "The street lines together are longer than 255 characters; "
                                           "the end was cut.")]
        holder.street = joined[:255]
    elif attribute == "city":
        address = split_address(raw)
        if address is not None and not address.street:  # "Boston, MA 02118", a QuickBooks "Bill to" line
            raw = address.city
            _fill_empty_address_parts(holder, address, ("state", "postal_code", "country"))
        holder.city, problems = cleaning.clean_text(raw, max_length=100)
    elif attribute in ("state", "country"):
        value, problems = cleaning.clean_text(raw, max_length=100)
        setattr(holder, attribute, value)
    elif attribute == "postal_code":
        holder.postal_code = cleaning.clean_postal_code(raw)[:20]
    return problems


def _place_business_address(people: list[PersonData], account: AccountData | None) -> None:
    """Row by row: a business address fills its person's address when the row gives no home
    address, and it is the address of a company account that the file gave none (Outlook's
    "Business Street" next to "Company": the company's office). Otherwise it is not kept:
    a person has one address here, and an individual's account has none of its own."""
    for person in people:
        business = person.business
        if business is None or not _has_address(business):
            continue
        if not _has_address(person):
            _copy_address(business, person)
        if account is not None and person.slot == 1 and account.type == "company" and not _has_address(account):
            _copy_address(business, account)


def _fill_empty_address_parts(holder, address: Address, parts: tuple[str, ...]) -> None:
    """A column of its own ("City", "ZIP") wins over the same part read from an address cell."""
    for name in parts:
        if not getattr(holder, name):
            setattr(holder, name, getattr(address, name))
