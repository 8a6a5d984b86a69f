"""`cicero report NAME`: render any report to the terminal, a .xlsx, a .png or JSON."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cicero.cli import console, fail, settings_or_exit
from cicero.clock import Period, clock
from cicero.runtime import runtime

if TYPE_CHECKING:
    from menus.reports.base import ReportSpec

PERIODS = ("day", "week", "month", "all")
CLIENT_TYPE_NAMES = {"org": "ORG", "directorate": "direktorat", "polda": "Polda"}


def _period(day: date | None, period: str) -> Period:
    anchor = day or clock.today()
    if period == "day":
        return clock.day(anchor)
    if period == "week":
        return clock.week(anchor)
    return clock.month(anchor)


def _forms(spec: ReportSpec) -> str:
    forms = ["teks"]
    if spec.workbook:
        forms.append("xlsx")
    if spec.chart:
        forms.append("png")
    return ", ".join(forms)


def _clients(spec: ReportSpec) -> str:
    return ", ".join(CLIENT_TYPE_NAMES[t] for t in sorted(spec.client_types))


def _print_list(reports: dict[str, ReportSpec]) -> None:
    """One line per report; plain print, so a narrow terminal never wraps a line."""
    row = "{:24} {:16} {:34} {:23} {}"
    print(row.format("laporan", "bentuk", "--mode", "klien", "keterangan"))
    for spec in reports.values():
        print(row.format(spec.name, _forms(spec), ", ".join(spec.modes), _clients(spec),
                         spec.description))
    print("\n--period: day (default), week, month, all (semua: sejak konten pertama); "
          "--xlsx FILE untuk bentuk xlsx, --png FILE untuk bentuk png.")


def _write(target: Path, content: bytes) -> None:
    try:
        target.write_bytes(content)
    except PermissionError:
        raise fail(f"tidak bisa menulis {target}: tidak ada izin tulis.", code=2) from None
    except OSError:
        raise fail(f"tidak bisa menulis {target}.", code=2) from None


def _print_messages(messages: list[str]) -> None:
    """On a terminal through rich; piped or redirected as plain unwrapped lines, so a text
    pasted into WhatsApp keeps its own line breaks."""
    terminal = console.is_terminal
    for index, message in enumerate(messages):
        if index:
            if terminal:
                console.print("[dim]" + "─" * 40 + "[/]")
            else:
                print("─" * 40)
        if terminal:
            console.print(message, highlight=False, markup=False)
        else:
            print(message)
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        name: Annotated[str | None, typer.Argument(help="Nama laporan (lihat --list)")] = None,
        client: Annotated[str | None, typer.Option("--client", help="client_id satker")] = None,
        day: Annotated[str | None, typer.Option("--date", help="Tanggal YYYY-MM-DD")] = None,
        period: Annotated[str, typer.Option(
            "--period", help="day, week, month atau all (semua)")] = "day",
        mode: Annotated[str, typer.Option("--mode", help="Varian laporan, mis. done")] = "all",
        xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Simpan sebagai Excel")] = None,
        png: Annotated[Path | None, typer.Option("--png", help="Simpan grafik PNG")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Cetak data terstruktur")] = False,
        out: Annotated[Path, typer.Option("--out", help="Folder lampiran")] = Path("."),
        list_names: Annotated[bool, typer.Option("--list", help="Daftar nama laporan")] = False,
    ) -> None:
        """Tampilkan laporan absensi dari mesin absensi yang sama dengan menu WhatsApp."""
        from menus.reports import catalog

        reports = catalog.load()
        if list_names:
            _print_list(reports)
            return
        spec = reports.get(name or "")
        if spec is None:
            raise fail(f"laporan tidak dikenal: {name!r}. Lihat: cicero report --list", code=2)
        if not client:
            raise fail("--client wajib diisi.", code=2)
        if mode not in spec.modes:
            raise fail(f"--mode untuk {spec.name}: {', '.join(spec.modes)}", code=2)
        if period not in PERIODS:
            raise fail(f"--period harus {', '.join(PERIODS)}.", code=2)
        try:
            anchor = date.fromisoformat(day) if day else None
        except ValueError:
            raise fail(f"--date bukan tanggal YYYY-MM-DD: {day!r}", code=2) from None
        if xlsx and spec.workbook is None:
            raise fail(f"laporan {spec.name} tidak punya bentuk Excel.", code=2)
        if png and spec.chart is None:
            raise fail(f"laporan {spec.name} tidak punya bentuk grafik.", code=2)
        for target, option in ((xlsx, "--xlsx"), (png, "--png")):
            if target and not target.parent.is_dir():
                raise fail(f"{option}: folder {target.parent} tidak ada.", code=2)
        if not out.is_dir():
            raise fail(f"--out: folder {out} tidak ada.", code=2)
        settings = settings_or_exit()
        with runtime(settings) as rt:
            from cicero.cli_data import with_engine
            from menus.reports.base import ClientNotAccepted, ReportRequest
            from storage.attendance import UnknownClient
            from storage.report_periods import all_time_period

            async def build(engine):
                if period == "all":
                    request = ReportRequest(client.upper(), await all_time_period(
                        engine, client, anchor), clock.now(), mode, all_time=True)
                else:
                    request = ReportRequest(client.upper(), _period(anchor, period),
                                            clock.now(), mode)
                return request, await spec.build(engine, request)

            try:
                request, data = with_engine(rt.database_url, build)
            except (UnknownClient, ClientNotAccepted) as exc:
                raise fail(str(exc), code=2) from None
        if as_json:
            print(json.dumps(spec.to_json(data, request), ensure_ascii=False, indent=1))
            return
        if xlsx or png:
            for target, renderer, label in ((xlsx, spec.workbook, "Excel"),
                                            (png, spec.chart, "Grafik")):
                if target and renderer:
                    _write(target, renderer(data, request).content)
                    console.print(f"{label} tersimpan: {target}")
            return
        rendered = spec.render(data, request)
        _print_messages(rendered.messages)
        for attachment in rendered.files:
            target = out / attachment.filename
            _write(target, attachment.content)
            console.print(f"Lampiran: {target}")
