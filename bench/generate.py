"""A deterministic, realistic client list: names, emails, phones, addresses, tags, two custom
fields, ~5% of accounts with several contacts and ~2% bad rows."""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
         "Nguyen", "Aisha", "José", "Zoë", "Björn", "Chloé", "Priya", "Wei", "Fatima", "Liam"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sánchez", "O'Brien", "Müller", "Nakamura", "Okafor"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Washington Blvd", "Lake Rd", "Hill St"]
CITIES = [("Chicago", "IL", "606", "312"), ("Boston", "MA", "021", "617"), ("Austin", "TX", "787", "512"),
          ("Denver", "CO", "802", "303"), ("Newark", "NJ", "071", "973"), ("Seattle", "WA", "981", "206"),
          ("Miami", "FL", "331", "305"), ("Portland", "OR", "972", "503")]
EXCHANGES = [n for n in range(234, 990) if n % 100 != 11 and n != 555]
COMPANY_SUFFIX = ["LLC", "Inc.", "Corp", "& Co", "Partners LLP", "Holdings"]
TAGS = ["VIP", "1040", "1120S", "Bookkeeping", "Payroll", "Quarterly", "New client", "Extension"]
HEADER = ["Client Name", "Client Type", "First Name", "Last Name", "Email", "Phone", "Street", "City", "State",
          "ZIP", "Tags", "Fiscal Year End", "Referral Source"]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("'", "")


def rows(count: int, seed: int = 2026):
    rng = random.Random(seed)
    written = 0
    serial = 0
    while written < count:
        serial += 1
        last = rng.choice(LAST)
        company = rng.random() < 0.25
        people = 1 if rng.random() >= 0.05 else rng.randint(2, 4)  # ~5% accounts with several contacts
        if company:
            name = f"{last} {rng.choice(COMPANY_SUFFIX)} {serial}"
        elif people > 1:
            name = f"{last} Family {serial}"
        else:  # most individuals: a client name; some left empty (named after the person)
            name = None if rng.random() < 0.9 else ""
        for person in range(people):
            if written >= count:
                return
            first = rng.choice(FIRST)
            if name is None:  # "Last, First (client number)", as tax software lists individuals
                name = f"{last}, {first} ({serial})"
            person_last = last if not company else rng.choice(LAST)
            email = _ascii(f"{first}.{person_last}.{serial}.{person}@example.com".lower())
            city, state, zip3, area = rng.choice(CITIES)
            row = [
                name, "Company" if company else "Individual", first, person_last, email,
                f"({area}) {rng.choice(EXCHANGES)}-{rng.randint(0, 9999):04d}",
                f"{rng.randint(1, 9999)} {rng.choice(STREETS)}", city, state, f"{zip3}{rng.randint(0, 99):02d}",
                ", ".join(rng.sample(TAGS, rng.randint(0, 2))),
                f"{rng.randint(1, 12):02d}/28/2025" if company else "",
                rng.choice(["Google", "Referral", "Website", "", ""]),
            ]
            bad = rng.random()
            if bad < 0.01:  # no account name, no person, no valid email: skipped
                row[0], row[2], row[3], row[4] = "", "", "", "not-an-email"
            elif bad < 0.02:  # a bad email and phone: imported with warnings
                row[4], row[5] = "john.at.example.com", "call me"
            written += 1
            yield row


def write(path: Path, count: int, seed: int = 2026) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows(count, seed))
    return path
