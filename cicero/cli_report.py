"""`cicero report NAME`: render any report to the terminal, a .xlsx or JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cicero.cli import console, fail, settings_or_exit
from cicero.clock import Period, clock
from cicero.runtime import runtime


def _period(day: date | None, period: str) -> Period:
    anchor = day or clock.today()
    if period == "day":
        return clock.day(anchor)
    if period == "week":
        return clock.week(anchor)
    if period == "month":
        return clock.month(anchor)
    raise fail("--period harus day, week atau month.", code=2)


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        name: Annotated[str | None, typer.Argument(help="Nama laporan (lihat --list)")] = None,
        client: Annotated[str | None, typer.Option("--client", help="client_id satker")] = None,
        day: Annotated[str | None, typer.Option("--date", help="Tanggal YYYY-MM-DD")] = None,
        period: Annotated[str, typer.Option("--period", help="day, week atau month")] = "day",
        mode: Annotated[str, typer.Option("--mode", help="Varian laporan, mis. done")] = "all",
        xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Simpan sebagai Excel")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Cetak data terstruktur")] = False,
        out: Annotated[Path, typer.Option("--out", help="Folder lampiran .txt")] = Path("."),
        list_names: Annotated[bool, typer.Option("--list", help="Daftar nama laporan")] = False,
    ) -> None:
        """Tampilkan laporan absensi dari mesin absensi yang sama dengan menu WhatsApp."""
        from menus.reports import catalog

        reports = catalog.load()
        if list_names:
            for spec in reports.values():
                console.print(f"{spec.name:22} {spec.description}", highlight=False)
            return
        spec = reports.get(name or "")
        if spec is None:
            raise fail(f"laporan tidak dikenal: {name!r}. Lihat: cicero report --list", code=2)
        if not client:
            raise fail("--client wajib diisi.", code=2)
        if mode not in spec.modes:
            raise fail(f"--mode untuk {spec.name}: {', '.join(spec.modes)}", code=2)
        try:
            anchor = date.fromisoformat(day) if day else None
        except ValueError:
            raise fail(f"--date bukan tanggal YYYY-MM-DD: {day!r}", code=2) from None
        if xlsx and spec.workbook is None:
            raise fail(f"laporan {spec.name} tidak punya bentuk Excel.", code=2)
        settings = settings_or_exit()
        with runtime(settings) as rt:
            from cicero.cli_data import with_engine
            from menus.reports.base import ReportRequest
            from storage.attendance import UnknownClient

            request = ReportRequest(client.upper(), _period(anchor, period), clock.now(), mode)
            try:
                data = with_engine(rt.database_url, lambda engine: spec.build(engine, request))
            except UnknownClient as exc:
                raise fail(str(exc), code=2) from None
        if as_json:
            print(json.dumps(spec.to_json(data, request), ensure_ascii=False, indent=1))
            return
        if xlsx:
            assert spec.workbook is not None
            xlsx.write_bytes(spec.workbook(data, request).content)
            console.print(f"Excel tersimpan: {xlsx}")
            return
        rendered = spec.render(data, request)
        for index, message in enumerate(rendered.messages):
            if index:
                console.print("[dim]" + "─" * 40 + "[/]")
            console.print(message, highlight=False, markup=False)
        for attachment in rendered.files:
            target = out / attachment.filename
            target.write_bytes(attachment.content)
            console.print(f"Lampiran: {target}")
