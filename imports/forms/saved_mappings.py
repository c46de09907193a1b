"""*Settings > Import mappings*: naming a saved mapping, and uploading a `--mapping` JSON file."""

from __future__ import annotations

from django import forms

from imports.saved_mappings import MAX_UPLOAD_BYTES, NAME_MAX_LENGTH


class MappingNameForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH, error_messages={
        "required": "Give the mapping a name.",
        "max_length": f"A mapping's name has at most {NAME_MAX_LENGTH} characters.",
    })


class MappingUploadForm(MappingNameForm):
    file = forms.FileField(label="Mapping file (.json)", error_messages={
        "required": "Choose the mapping's .json file (a downloaded mapping, or the CLI's --mapping file).",
        "empty": "This file is empty.",
    })

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB; a mapping file is much smaller.")
        return upload
