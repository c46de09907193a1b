"""The upload step's lines about where its mapping came from: a saved mapping, or a known export."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from imports import presets, saved_mappings

register = template.Library()


def _day(iso: str) -> str:
    """"3 Dec" this year, "3 Dec 2025" before."""
    moment = parse_datetime(iso or "")
    if moment is None:
        return ""
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return date_format(moment, "j M" if moment.year == timezone.localdate().year else "j M Y")


@register.inclusion_tag("imports/includes/mapping_origin.html")
def mapping_origin(job):
    note = saved_mappings.applied(job)
    preset = (job.mapping or {}).get("preset", "")
    return {
        "job": job,
        "saved": note,
        "saved_day": _day(note.get("saved_at", "")) if note else "",
        "source": presets.SOURCE_DESCRIPTIONS.get(preset, ""),
    }
