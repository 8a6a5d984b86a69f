"""`cicero chat` beside a running bot shows the documents and images it receives: name, MIME
type and size (the real CLI in a subprocess; the bot is a sandbox transport answering every
message with a file)."""

from __future__ import annotations

import asyncio

from bot.messages import Document, InboundMessage, OutboundMessage
from bot.sandbox import SandboxTransport
from bot.service import alive_key
from bot.session_lease import SessionLeases
from tests.conftest import run_cli

PHONE = "6281200000077"
SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_cicero_chat_shows_a_received_document_and_image(engine, redis, cli_env) -> None:
    transport = SandboxTransport(redis, "user")

    async def answer_with_files(message: InboundMessage) -> None:
        await transport.send(OutboundMessage(
            session="user", to=message.chat, body="Rekap terlampir", key=f"{message.message_id}-1",
            document=Document("rekap_satker_hari_ini.xlsx", b"x" * 2048, SHEET)))
        await transport.send(OutboundMessage(
            session="user", to=message.chat, key=f"{message.message_id}-2",
            document=Document("grafik_rekap.png", b"\x89PNG" + b"x" * 63, "image/png")))

    await transport.start(answer_with_files)
    await redis.set(alive_key("user"), "1", ex=300)
    try:
        result = await asyncio.to_thread(run_cli, "chat", "--as", PHONE, env=cli_env,
                                         stdin="kirim rekap\n")
    finally:
        await redis.delete(alive_key("user"))
        await transport.stop()

    assert result.returncode == 0, result.stderr
    assert "Terhubung ke bot yang sedang berjalan." in result.stdout
    assert f"📎 Dokumen: rekap_satker_hari_ini.xlsx ({SHEET}, 2.048 byte)" in result.stdout
    assert "Rekap terlampir" in result.stdout
    assert "🖼 Gambar: grafik_rekap.png (image/png, 67 byte)" in result.stdout


async def test_cicero_chat_says_so_when_a_bot_elsewhere_serves_some_sessions(
        engine, redis, cli_env) -> None:
    """A `cicero bot` serving only the operator session: `cicero chat` on the user session
    cannot run the whole bot in-process beside it."""
    holder = SessionLeases(redis, ["operator"])
    await holder.acquire()
    try:
        result = await asyncio.to_thread(run_cli, "chat", "--as", PHONE, env=cli_env,
                                         stdin="halo\n")
    finally:
        await holder.release()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Gagal: sesi WhatsApp operator sudah dijalankan proses lain (" in result.stderr
    assert "Traceback" not in result.stderr
