"""The app's shared behaviour: JSON errors everywhere, health, tokens."""

from __future__ import annotations


async def test_unknown_path_is_json_404(live) -> None:
    response = await live.client.get("/api/nope")
    assert response.status_code == 404
    assert response.json() == {"success": False, "message": "Endpoint tidak ditemukan"}


async def test_health(live) -> None:
    assert (await live.client.get("/healthz")).json() == {"status": "ok"}
    assert (await live.client.get("/readyz")).status_code == 200
