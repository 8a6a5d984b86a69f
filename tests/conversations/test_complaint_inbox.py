"""The complaint inbox from the command line (`cicero complaints list|answer|close`): the real
CLI in a subprocess against the test servers; the answer is queued in the real outbox for
the reporter and the complaint closed once, with who and when."""

from __future__ import annotations

from sqlalchemy import text

from bot.outbox import stream_key
from storage.identifiers import phone_to_jid
from tests.conftest import run_cli
from tests.conversations.conftest import BUDI, OPERATOR

_COMPLAINTS = (
    "INSERT INTO complaints (id, user_id, from_phone, issue_type, body, details, status) VALUES "
    f"(1, '87020991', '{BUDI}', 'unmatched', 'Pesan Komplain…', "
    "'{\"issues\": [\"akun terkunci\"], \"session\": \"user\"}', 'open'), "
    f"(2, '87020993', '{OPERATOR}', 'unmatched', 'Pesan Komplain…', "
    "'{\"issues\": [\"nama salah\"]}', 'open'), "
    f"(3, '87020990', '{OPERATOR}', 'no_username', 'Pesan Komplain…', "
    "'{\"issues\": [\"sudah dijawab\"]}', 'answered')",
    "SELECT setval(pg_get_serial_sequence('complaints', 'id'), 3)",
)


async def _rows(engine) -> dict[int, tuple]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT id, status, answered_by, resolved_at IS NOT NULL, response FROM complaints"))
        return {row[0]: tuple(row[1:]) for row in rows}


async def test_list_answer_and_close_from_the_command_line(world, redis, cli_env) -> None:
    async with world.begin() as connection:
        for statement in _COMPLAINTS:
            await connection.execute(text(statement))

    listed = run_cli("complaints", "list", env=cli_env)
    assert listed.returncode == 0, listed.stderr
    assert "akun terkunci" in listed.stdout and "nama salah" in listed.stdout
    assert "sudah dijawab" not in listed.stdout
    only_b = run_cli("complaints", "list", "--client", "polres_b", env=cli_env)
    assert "nama salah" in only_b.stdout and "akun terkunci" not in only_b.stdout

    answered = run_cli("complaints", "answer", "1", "Akun sudah dibuka, silakan login.",
                       env=cli_env)
    assert answered.returncode == 0, answered.stderr
    assert f"dikirim ke {BUDI}" in answered.stdout
    [(_, fields)] = await redis.xrange(stream_key("user"))
    assert fields["to"] == phone_to_jid(BUDI)
    assert "*Jawaban Komplain No. 1*" in fields["body"]
    assert "Akun sudah dibuka, silakan login." in fields["body"]
    assert "Dijawab oleh admin Cicero" in fields["body"]

    again = run_cli("complaints", "answer", "1", "Jawaban kedua yang lain.", env=cli_env)
    assert again.returncode == 2 and "sudah dijawab atau ditutup" in again.stderr
    assert len(await redis.xrange(stream_key("user"))) == 1

    closed = run_cli("complaints", "close", "2", env=cli_env)
    assert closed.returncode == 0 and "ditutup tanpa jawaban" in closed.stdout
    missing = run_cli("complaints", "close", "99", env=cli_env)
    assert missing.returncode == 2 and "tidak ada" in missing.stderr
    short = run_cli("complaints", "answer", "3", "ok", env=cli_env)
    assert short.returncode == 2

    rows = await _rows(world)
    assert rows[1] == ("answered", "cli", True, "Akun sudah dibuka, silakan login.")
    assert rows[2] == ("closed", "cli", True, None)
    assert rows[3][0] == "answered" and rows[3][1] is None  # untouched
    assert "Tidak ada komplain terbuka" in run_cli("complaints", "list", env=cli_env).stdout
