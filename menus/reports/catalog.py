"""Every report by name. Importing this module registers all of them."""

from __future__ import annotations

import importlib

from menus.reports.base import REPORTS, ReportSpec

# Each module registers its reports with `menus.reports.base.register`.
REPORT_MODULES = (
    "menus.reports.satker_recaps",
    "menus.reports.directorate_recaps",
    "menus.reports.laphar",
    "menus.reports.rankings",
    "menus.reports.kasat",
    "menus.reports.kasat_attendance",
    "menus.reports.dashboard_registration",
    "menus.reports.personnel_data",
    "menus.reports.incomplete_personnel",
    "menus.reports.amplification",
    "menus.reports.special_tasks",
    "menus.reports.satbinmas",
    "menus.reports.link_recaps",
)


def load() -> dict[str, ReportSpec]:
    for module in REPORT_MODULES:
        importlib.import_module(module)
    return REPORTS


def get(name: str) -> ReportSpec | None:
    return load().get(name)
