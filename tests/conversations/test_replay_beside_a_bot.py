"""`cicero sandbox replay` beside a running bot: the replay has sessions, streams and
consumers of its own. Before, its sandbox sessions marked the bot's sessions STOPPED when it
ended, its outbox consumers (under the bot's consumer names) took messages of the bot, and it
printed what the bot sent meanwhile as if it were its own."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from bot.outbox import OutboxPace, enqueue
from bot.sandbox import read_outbound
from bot.transport import state_key
from cicero.sandbox_bot import SandboxBot
from cicero.settings import load_settings
from tests.conftest import run_cli
from tests.conversations.conftest import NEW

BYSTANDER = "6281299999999"  # a chat the running bot is writing to meanwhile
MESSAGES = 30


async def test_a_replay_beside_a_running_bot_keeps_to_itself(world, redis: Redis, cli_env,
                                                             tmp_path) -> None:
    script = tmp_path / "halo.jsonl"
    script.write_text(f'{{"from": "{NEW}", "text": "halo"}}\n', encoding="utf-8")
    slow = OutboxPace(per_session_interval=0, per_chat_interval=0.4, jitter=0)
    async with SandboxBot(load_settings(), world, redis, pace=slow) as running:
        for n in range(MESSAGES):  # ~12 s of sending to one chat, while the replay runs
            await enqueue(redis, "user", BYSTANDER, f"pesan {n}", key=f"bystander:{n}")
        result = await asyncio.to_thread(run_cli, "sandbox", "replay", str(script),
                                         env=cli_env)
        assert result.returncode == 0, result.stderr
        states = {session: await redis.hget(state_key(session), "state")
                  for session in ("operator", "gateway", "user")}
        await running.settle()
        sent = await read_outbound(redis, to=BYSTANDER)

    assert states == dict.fromkeys(states, "WORKING")  # the running bot's, untouched
    printed = [line for line in result.stdout.splitlines() if line.strip()]
    assert printed and all(f"{NEW}@s.whatsapp.net" in line for line in printed)
    assert sorted(int(fields["text"].split()[1]) for _, fields in sent) == list(range(MESSAGES))
    assert await read_outbound(redis, to=NEW) == []  # the replay's replies stay in its own
