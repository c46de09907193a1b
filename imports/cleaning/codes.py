"""The stable codes of every problem a cleaner can report, with a line for docs and the UI."""

PROBLEM_CODES: dict[str, str] = {
    "text_truncated": "The text was longer than the field allows; only the beginning was kept.",
    "invalid_email": "An email address is not valid; it was left out and the rest of the row was kept.",
    "invalid_phone": "A phone number could not be understood; it was kept exactly as typed.",
    "invalid_date": "A date could not be read in the firm's date order; it was left out.",
    "unknown_account_type": "The account type was not recognised; the account was imported as Other.",
    "invalid_yes_no": "A yes/no value was neither yes nor no; it was left empty.",
    "invalid_number": "A number could not be read; it was left out.",
    "invalid_url": "A web address is not valid; it was left out.",
    "invalid_option": "A value is not one of the dropdown's options; it was left out.",
    "invalid_custom_value": "A value does not fit the custom field's type; it was left out.",
    "invalid_tax_id": "An SSN/TIN does not look right (letters or wrong length); it was kept for you to check.",
}
