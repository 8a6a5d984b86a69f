"""HTML of the admin pages (/masuk, /wa, /sandbox): string templates, every value escaped with
html.escape, no build step. Scripts carry the per-response CSP nonce."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

_STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,
sans-serif;background:#f0f2f5;color:#111b21}header{display:flex;align-items:center;gap:1rem;
background:#075e54;color:#fff;padding:.6rem 1rem}header h1{font-size:1.1rem;margin:0;flex:1}
header a{color:#d9fdd3;text-decoration:none}header form{margin:0}
button{cursor:pointer;border:0;border-radius:6px;padding:.45rem .9rem;background:#008069;
color:#fff;font-weight:600}header button{background:#00735e}main{max-width:960px;margin:1rem auto;
padding:0 1rem}.card{background:#fff;border-radius:8px;padding:1rem 1.2rem;margin-bottom:1rem;
box-shadow:0 1px 2px rgba(0,0,0,.15)}label{display:block;margin:.6rem 0 .2rem;font-weight:600}
input,select{width:100%;padding:.45rem;border:1px solid #c9cfd4;border-radius:6px;font:inherit}
.error{color:#b3261e;font-weight:600}.muted{color:#54656f;font-size:.85rem}
.notice{color:#0b6e62;font-weight:600}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.4rem;
border-bottom:1px solid #e9edef;vertical-align:top}.state{font-weight:700}
.WORKING{color:#0b6e62}.SCAN_QR_CODE{color:#8a5300}.FAILED,.STOPPED,.UNKNOWN{color:#b3261e}
.qr svg{background:#fff;padding:4px}.narrow{max-width:380px;margin:3rem auto}
"""

_CHAT_STYLE = """
.chat-tools{display:grid;grid-template-columns:2fr 2fr 1fr;gap:.6rem}
#messages{height:55vh;overflow-y:auto;background:#efeae2;border-radius:8px;padding:.8rem;
display:flex;flex-direction:column;gap:.35rem}.bubble{max-width:75%;padding:.4rem .6rem;
border-radius:8px;white-space:pre-wrap;word-wrap:break-word;box-shadow:0 1px .5px rgba(0,0,0,.13)}
.in{align-self:flex-start;background:#fff}.out{align-self:flex-end;background:#d9fdd3}
.group{align-self:flex-start;background:#fff4c4}.meta{display:block;font-size:.72rem;
color:#54656f;margin-top:.2rem}#composer{display:flex;gap:.5rem;margin-top:.6rem;
align-items:flex-end}#composer textarea{flex:1;resize:vertical;min-height:2.4rem;padding:.45rem;
border:1px solid #c9cfd4;border-radius:6px;font:inherit}
"""


def page(title: str, body: str, *, nonce: str, signed_in: bool = False,
         refresh_seconds: int | None = None, extra_style: str = "") -> str:
    """The common layout; `signed_in` adds the navigation and the logout button."""
    refresh = (f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">'
               if refresh_seconds else "")
    nav = ""
    if signed_in:
        nav = ('<a href="/wa">Sesi WhatsApp</a><a href="/sandbox">Sandbox</a>'
               '<form method="post" action="/keluar"><button type="submit">Keluar</button>'
               '</form>')
    return (f'<!doctype html><html lang="id"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">{refresh}'
            f'<title>{escape(title)} · Cicero</title><link rel="icon" href="data:,">'
            f'<style nonce="{escape(nonce)}">{_STYLE}{extra_style}</style></head>'
            f'<body><header><h1>Cicero · {escape(title)}</h1>{nav}</header>'
            f'<main>{body}</main></body></html>')


def login_page(*, nonce: str, next_path: str, username: str = "", error: str = "",
               notice: str = "") -> str:
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    if notice and not error:
        message = f'<p class="notice" role="status">{escape(notice)}</p>'
    body = (
        '<div class="card narrow">'
        '<h2>Masuk admin</h2>'
        '<p class="muted">Halaman operasional hanya untuk akun dashboard dengan peran admin.</p>'
        f'{message}<form method="post" action="/masuk">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        '<label for="username">Username</label>'
        f'<input id="username" name="username" autocomplete="username" required autofocus '
        f'maxlength="100" value="{escape(username)}">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" '
        'required maxlength="200">'
        '<p><button type="submit">Masuk</button></p></form></div>')
    return page("Masuk", body, nonce=nonce)


@dataclass(frozen=True)
class SessionView:
    session: str
    state: str
    transport: str
    updated_at: str
    jid: str
    error: str
    qr_svg: str  # inline SVG produced by segno from the pairing code, or ""


_SESSION_LABELS = {"operator": "Operator (nomor utama)", "gateway": "Gateway (grup)",
                   "user": "User (personel)"}


def _session_row(view: SessionView) -> str:
    detail = []
    if view.jid:
        detail.append(f"Terhubung sebagai {escape(view.jid)}")
    if view.error:
        detail.append(f'<span class="error">{escape(view.error)}</span>')
    if view.qr_svg:
        detail.append('Pindai kode QR ini dari WhatsApp › Perangkat tertaut:'
                      f'<div class="qr">{view.qr_svg}</div>')
    return (f'<tr data-session="{escape(view.session)}">'
            f'<td>{escape(_SESSION_LABELS.get(view.session, view.session))}</td>'
            f'<td class="state {escape(view.state)}">{escape(view.state)}</td>'
            f'<td>{escape(view.transport or "-")}</td><td>{escape(view.updated_at or "-")}</td>'
            f'<td>{"<br>".join(detail) or "-"}</td></tr>')


def wa_page(views: list[SessionView], *, transport: str, nonce: str,
            refresh_seconds: int) -> str:
    rows = "".join(_session_row(view) for view in views)
    body = (
        '<div class="card"><h2>Sesi WhatsApp</h2>'
        f'<p class="muted">Transport: <b>{escape(transport)}</b>. Halaman ini memuat ulang '
        f'sendiri setiap {refresh_seconds} detik.</p>'
        '<table><thead><tr><th>Sesi</th><th>Status</th><th>Transport</th><th>Diperbarui</th>'
        f'<th>Keterangan</th></tr></thead><tbody>{rows}</tbody></table></div>')
    return page("Sesi WhatsApp", body, nonce=nonce, signed_in=True,
                refresh_seconds=refresh_seconds)


_CHAT_SCRIPT = """
const $ = (id) => document.getElementById(id);
const state = {phone: "", cursor: "", busy: false};
function currentPhone() {
  const picked = $("demo").value;
  return picked === "other" ? $("phone").value.trim() : picked;
}
function render(text) {
  const safe = text.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
    '"': "&quot;", "'": "&#39;"}[c]));
  return safe.replace(/\\*([^*\\n]+)\\*/g, "<b>$1</b>").replace(/_([^_\\n]+)_/g, "<i>$1</i>")
    .replace(/~([^~\\n]+)~/g, "<s>$1</s>");
}
function bubble(kind, text, meta) {
  const item = document.createElement("div");
  item.className = "bubble " + kind;
  item.innerHTML = render(text) + '<span class="meta"></span>';
  item.querySelector(".meta").textContent = meta;
  $("messages").appendChild(item);
  $("messages").scrollTop = $("messages").scrollHeight;
}
function when(at) {
  const moment = new Date(at);
  return isNaN(moment) ? at : moment.toLocaleTimeString("id-ID");
}
function reset() {
  state.phone = currentPhone(); state.cursor = ""; $("messages").innerHTML = "";
  $("status").textContent = "";
}
async function poll() {
  const phone = currentPhone();
  if (phone !== state.phone) reset();
  if (!phone || state.busy) return;
  state.busy = true;
  try {
    const query = new URLSearchParams({phone: phone});
    if (state.cursor) query.set("since", state.cursor);
    const response = await fetch("/sandbox/api/messages?" + query, {credentials: "same-origin"});
    if (response.status === 401) { location.href = "/masuk?next=/sandbox"; return; }
    const payload = await response.json();
    if (!payload.success) { $("status").textContent = payload.message; return; }
    if (phone !== state.phone) return;
    for (const m of payload.data.messages) {
      const doc = m.document ? "\\n[dokumen: " + m.document.filename + "]" : "";
      bubble(m.group ? "group" : "in", m.text + doc,
             (m.group ? "grup " + m.to + " · " : "") + "sesi " + m.session + " · " + when(m.at));
    }
    state.cursor = payload.data.cursor;
  } catch (error) {
    $("status").textContent = "Gagal memuat pesan: " + error;
  } finally { state.busy = false; }
}
async function send(event) {
  event.preventDefault();
  const text = $("text").value;
  const phone = currentPhone();
  if (!text.trim() || !phone) return;
  if (phone !== state.phone) reset();
  const response = await fetch("/sandbox/api/send", {method: "POST",
    credentials: "same-origin", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({phone: phone, session: $("session").value, text: text})});
  if (response.status === 401) { location.href = "/masuk?next=/sandbox"; return; }
  const payload = await response.json();
  if (!payload.success) { $("status").textContent = payload.message; return; }
  $("status").textContent = "";
  bubble("out", text, "sesi " + $("session").value);
  $("text").value = "";
  poll();
}
$("composer").addEventListener("submit", send);
// Enter sends, Shift+Enter starts a new line (a template of several lines is one message).
$("text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault(); $("composer").requestSubmit();
  }
});
$("demo").addEventListener("change", () => {
  $("phone").disabled = $("demo").value !== "other"; reset(); poll();
});
$("phone").addEventListener("change", () => { reset(); poll(); });
setInterval(poll, 1500);
reset(); poll();
"""


def sandbox_page(demo_numbers: list[tuple[str, str]], sessions: list[str], *,
                 nonce: str) -> str:
    options = "".join(f'<option value="{escape(phone)}">{escape(label)} ({escape(phone)})'
                      '</option>' for phone, label in demo_numbers)
    session_options = "".join(f'<option value="{escape(s)}">{escape(s)}</option>'
                              for s in sessions)
    body = (
        '<div class="card"><h2>Sandbox WhatsApp</h2>'
        '<p class="muted">Kirim pesan ke bot seolah-olah dari nomor WhatsApp berikut. Balasan '
        'untuk chat ini dan siaran ke grup mana pun tampil di bawah.</p>'
        '<div class="chat-tools"><div><label for="demo">Nomor demo</label>'
        f'<select id="demo">{options}<option value="other">Nomor lain…</option></select></div>'
        '<div><label for="phone">Nomor lain</label><input id="phone" inputmode="tel" '
        'placeholder="08…" maxlength="32" disabled></div>'
        f'<div><label for="session">Sesi</label><select id="session">{session_options}'
        '</select></div></div></div>'
        '<div class="card"><div id="messages" aria-live="polite"></div>'
        '<form id="composer"><textarea id="text" rows="2" autocomplete="off" maxlength="4096" '
        'placeholder="Ketik pesan (Shift+Enter: baris baru)"></textarea>'
        '<button type="submit">Kirim</button></form>'
        '<p id="status" class="error" role="status"></p></div>'
        f'<script nonce="{escape(nonce)}">{_CHAT_SCRIPT}</script>')
    return page("Sandbox", body, nonce=nonce, signed_in=True, extra_style=_CHAT_STYLE)
