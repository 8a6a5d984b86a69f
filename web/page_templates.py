"""HTML of the admin pages (/masuk, /wa, /sandbox): string templates, every value escaped with
html.escape, no build step. Scripts carry the per-response CSP nonce."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from bot.status import SessionOverview

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
form.inline{display:inline;margin-right:.4rem}button.secondary{background:#54656f}
.facts th{width:12rem;color:#54656f}.notice{color:#075e54;font-weight:600}
"""

_CHAT_STYLE = """
.chat-tools{display:grid;grid-template-columns:2fr 2fr 2fr 1fr;gap:.6rem}
#messages{height:55vh;overflow-y:auto;background:#efeae2;border-radius:8px;padding:.8rem;
display:flex;flex-direction:column;gap:.35rem}.bubble{max-width:75%;padding:.4rem .6rem;
border-radius:8px;white-space:pre-wrap;word-wrap:break-word;box-shadow:0 1px .5px rgba(0,0,0,.13)}
.in{align-self:flex-start;background:#fff}.out{align-self:flex-end;background:#d9fdd3}
.group{align-self:flex-start;background:#fff4c4}.meta{display:block;font-size:.72rem;
color:#54656f;margin-top:.2rem}#composer{display:flex;gap:.5rem;margin-top:.6rem;
align-items:flex-end}#composer textarea{flex:1;resize:vertical;min-height:2.4rem;padding:.45rem;
border:1px solid #c9cfd4;border-radius:6px;font:inherit}
.doc{margin-top:.3rem}.doc .meta{margin:0}
.thumb{display:block;max-width:240px;max-height:240px;border-radius:6px;margin-bottom:.2rem}
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
    overview: SessionOverview
    updated_at: str  # in business time
    reason: str  # why the session is not WORKING, "" when it is
    qr_svg: str  # inline SVG produced by segno from the pairing code, or ""
    local_time: Callable[[str], str]  # an ISO timestamp as the admin reads it


_SESSION_LABELS = {"operator": "Operator (nomor utama)", "gateway": "Gateway (grup)",
                   "user": "User (personel)"}
_ACTIONS = (("restart", "Mulai ulang"), ("logout", "Keluar dari WhatsApp"))


def _button(action: str, label: str, *, css: str = "") -> str:
    return (f'<form method="post" action="{escape(action)}" class="inline">'
            f'<button type="submit" class="{escape(css)}">{escape(label)}</button></form>')


def _dead_rows(view: SessionView) -> str:
    session = view.overview.session
    rows = []
    for dead in view.overview.dead_letters:
        base = f"/wa/sessions/{session}/dead/{dead.id}"
        what = dead.body or (f"[dokumen {dead.filename}]" if dead.filename else "(kosong)")
        rows.append(
            f'<tr data-dead="{escape(dead.id)}"><td>{escape(dead.to.split("@")[0])}</td>'
            f'<td class="preview">{escape(what[:160])}</td><td>{escape(dead.reason)} '
            f'({escape(dead.attempts)}×)</td><td>{_button(base + "/resend", "Kirim ulang")}'
            f'{_button(base + "/discard", "Buang", css="secondary")}</td></tr>')
    if not rows:
        return ""
    return ('<h4>Pesan gagal terkirim</h4><table><thead><tr><th>Tujuan</th><th>Isi</th>'
            f'<th>Alasan</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _recent_rows(view: SessionView, local_time: Callable[[str], str]) -> str:
    rows = "".join(
        f'<tr><td>{escape(local_time(sent.sent_at))}</td><td>{escape(sent.to.split("@")[0])}</td>'
        f'<td class="preview">{escape(sent.body or "")}'
        f'{escape(" [dokumen " + sent.document + "]" if sent.document else "")}</td></tr>'
        for sent in view.overview.recent)
    if not rows:
        return ""
    return ('<details class="recent"><summary>Pesan terakhir terkirim</summary><table><thead>'
            f'<tr><th>Waktu</th><th>Tujuan</th><th>Isi</th></tr></thead><tbody>{rows}</tbody>'
            '</table></details>')


def _session_card(view: SessionView) -> str:
    o = view.overview
    number = escape(o.phone) if o.phone else "-"
    if o.name:
        number += f" ({escape(o.name)})"
    detail = ""
    if view.reason:
        detail += f'<p class="error reason">{escape(view.reason)}</p>'
    if view.qr_svg:
        detail += ('<p>Pindai kode QR ini dari WhatsApp › Perangkat tertaut (kode berganti '
                   f'sendiri):</p><div class="qr">{view.qr_svg}</div>')
    if o.pair_code:
        detail += (f'<p>Kode pemasangan untuk {escape(o.pair_phone)}: <b class="pair-code">'
                   f'{escape(o.pair_code)}</b>. Di HP itu: WhatsApp › Perangkat tertaut › '
                   'Tautkan perangkat › Tautkan dengan nomor telepon saja, lalu ketik kodenya.'
                   '</p>')
    if o.state == "SCAN_QR_CODE":
        detail += (f'<form method="post" action="/wa/sessions/{escape(o.session)}/pair" '
                   'class="pair"><label for="pair-' + escape(o.session) + '">Atau pasang '
                   'dengan kode: nomor WhatsApp yang dipasang</label><input id="pair-'
                   + escape(o.session) + '" name="phone" inputmode="tel" maxlength="32" '
                   'placeholder="08…" required><button type="submit">Minta kode</button>'
                   '</form>')
    buttons = "".join(_button(f"/wa/sessions/{o.session}/{action}", label,
                              css="secondary" if action == "logout" else "")
                      for action, label in _ACTIONS)
    return (
        f'<div class="card" data-session="{escape(o.session)}">'
        f'<h3>{escape(_SESSION_LABELS.get(o.session, o.session))}</h3>'
        '<table class="facts"><tbody>'
        f'<tr><th>Status</th><td class="state {escape(o.state)}">{escape(o.state)}</td></tr>'
        f'<tr><th>Nomor</th><td class="number">{number}</td></tr>'
        f'<tr><th>Transport</th><td>{escape(o.transport or "-")}</td></tr>'
        f'<tr><th>Diperbarui</th><td>{escape(view.updated_at or "-")}</td></tr>'
        f'<tr><th>Antrean keluar</th><td class="backlog">{o.backlog} pesan</td></tr>'
        f'<tr><th>Gagal terkirim</th><td class="dead">{o.dead_total} pesan</td></tr>'
        f'</tbody></table>{detail}<p class="actions">{buttons}</p>{_dead_rows(view)}'
        f'{_recent_rows(view, view.local_time)}</div>')


def wa_page(views: list[SessionView], *, transport: str, nonce: str, refresh_seconds: int,
            notice: str = "") -> str:
    cards = "".join(_session_card(view) for view in views)
    flash = f'<p class="notice" role="status">{escape(notice)}</p>' if notice else ""
    body = (
        '<div class="card"><h2>Sesi WhatsApp</h2>'
        f'<p class="muted">Transport: <b>{escape(transport)}</b>. Halaman ini memuat ulang '
        f'sendiri setiap {refresh_seconds} detik. Permintaan (mulai ulang, keluar) dijalankan '
        f'oleh proses bot yang memegang sesi dalam beberapa detik.</p>{flash}</div>{cards}')
    # Reloaded (a new QR code, new states) unless the admin is typing a number.
    script = (f'<script nonce="{escape(nonce)}" id="wa-refresh">setInterval(() => {{'
              'const typing = [...document.querySelectorAll("input")].some('
              '(i) => i.value || i === document.activeElement);'
              f'if (!typing) location.reload();}}, {int(refresh_seconds) * 1000});</script>')
    return page("Sesi WhatsApp", body + script, nonce=nonce, signed_in=True)


_CHAT_SCRIPT = r"""
const $ = (id) => document.getElementById(id);
const STORE = "cicero-sandbox";  // this tab's chats, kept across reloads (sessionStorage)
const KEEP = 200;  // bubbles kept per chat
const state = {key: "", cursor: "", busy: false};
let saved = {};
try { saved = JSON.parse(sessionStorage.getItem(STORE) || "{}") || {}; } catch (e) { saved = {}; }
saved.chats = saved.chats || {};
function save() {
  try { sessionStorage.setItem(STORE, JSON.stringify(saved)); } catch (e) { /* full: skip */ }
}
function currentPhone() {
  const picked = $("demo").value;
  return picked === "other" ? $("phone").value.trim() : picked;
}
function chatKey() {
  const phone = currentPhone();
  return phone ? phone + "|" + $("group").value.trim() : "";
}
// WhatsApp's rule: a marker opens after a non-word character and closes before one, so the
// underscores of rekap_satker_2025.xlsx stay underscores.
const STYLES = [[/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "b"],
                [/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, "i"],
                [/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, "s"]];
function render(text) {
  let safe = text.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
    '"': "&quot;", "'": "&#39;"}[c]));
  for (const [pattern, tag] of STYLES) {
    safe = safe.replace(pattern, "$1<" + tag + ">$2</" + tag + ">");
  }
  return safe;
}
function size(bytes) {
  if (bytes < 1024) return bytes + " B";
  if (bytes < 1048576) return (bytes / 1024).toFixed(1) + " KB";
  return (bytes / 1048576).toFixed(1) + " MB";
}
function attachment(doc) {
  const box = document.createElement("div");
  box.className = "doc";
  if (doc.image) {
    const image = document.createElement("img");
    image.className = "thumb"; image.src = doc.url; image.alt = doc.filename;
    box.appendChild(image);
  }
  const link = document.createElement("a");
  link.className = "download"; link.href = doc.url; link.download = doc.filename;
  link.textContent = "📎 " + doc.filename;
  const info = document.createElement("span");
  info.className = "meta"; info.textContent = doc.mimetype + " · " + size(doc.bytes);
  box.append(link, info);
  return box;
}
function show(item) {
  const node = document.createElement("div");
  node.className = "bubble " + item.kind;
  const body = document.createElement("div");
  body.className = "text"; body.innerHTML = render(item.text);
  node.appendChild(body);
  if (item.doc) node.appendChild(attachment(item.doc));
  const meta = document.createElement("span");
  meta.className = "meta"; meta.textContent = item.meta;
  node.appendChild(meta);
  $("messages").appendChild(node);
  $("messages").scrollTop = $("messages").scrollHeight;
}
function bubble(item) {
  const chat = saved.chats[state.key] || (saved.chats[state.key] = {cursor: "", items: []});
  chat.items.push(item);
  chat.items.splice(0, Math.max(0, chat.items.length - KEEP));
  save();
  show(item);
}
function when(at) {
  const moment = new Date(at);
  return isNaN(moment) ? at : moment.toLocaleTimeString("id-ID");
}
function remember() {
  saved.demo = $("demo").value; saved.phone = $("phone").value; saved.group = $("group").value;
  saved.session = $("session").value; save();
}
function reset() {
  state.key = chatKey(); $("messages").innerHTML = ""; $("status").textContent = "";
  const chat = saved.chats[state.key];
  state.cursor = chat ? chat.cursor : "";
  if (chat) chat.items.forEach(show);
}
async function poll() {
  const key = chatKey();
  if (key !== state.key) reset();
  if (!key || state.busy) return;
  state.busy = true;
  try {
    const query = new URLSearchParams({phone: currentPhone()});
    if ($("group").value.trim()) query.set("group", $("group").value.trim());
    if (state.cursor) query.set("since", state.cursor);
    const response = await fetch("/sandbox/api/messages?" + query, {credentials: "same-origin"});
    if (response.status === 401) { location.href = "/masuk?next=/sandbox"; return; }
    const payload = await response.json();
    if (!payload.success) { $("status").textContent = payload.message; return; }
    if (key !== state.key) return;
    for (const m of payload.data.messages) {
      bubble({kind: "in", text: m.text, doc: m.document,
              meta: (m.group ? "grup " + m.to + " · " : "") + "sesi " + m.session + " · " +
                    when(m.at)});
    }
    state.cursor = payload.data.cursor;
    (saved.chats[key] || (saved.chats[key] = {items: []})).cursor = state.cursor;
    save();
  } catch (error) {
    $("status").textContent = "Gagal memuat pesan: " + error;
  } finally { state.busy = false; }
}
async function send(event) {
  event.preventDefault();
  const text = $("text").value;
  const phone = currentPhone();
  if (!text.trim() || !phone) return;
  if (chatKey() !== state.key) reset();
  const body = {phone: phone, session: $("session").value, text: text};
  if ($("group").value.trim()) body.group = $("group").value.trim();
  const response = await fetch("/sandbox/api/send", {method: "POST",
    credentials: "same-origin", headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body)});
  if (response.status === 401) { location.href = "/masuk?next=/sandbox"; return; }
  const payload = await response.json();
  if (!payload.success) { $("status").textContent = payload.message; return; }
  $("status").textContent = "";
  bubble({kind: "out", text: text, meta: "sesi " + $("session").value});
  $("text").value = "";
  poll();
}
if (saved.demo && [...$("demo").options].some((o) => o.value === saved.demo)) {
  $("demo").value = saved.demo;
}
$("phone").value = saved.phone || ""; $("group").value = saved.group || "";
if (saved.session) $("session").value = saved.session;
$("phone").disabled = $("demo").value !== "other";
$("composer").addEventListener("submit", send);
// Enter sends, Shift+Enter starts a new line (a template of several lines is one message).
$("text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault(); $("composer").requestSubmit();
  }
});
$("demo").addEventListener("change", () => {
  $("phone").disabled = $("demo").value !== "other"; remember(); reset(); poll();
});
for (const id of ["phone", "group"]) {
  $(id).addEventListener("change", () => { remember(); reset(); poll(); });
}
$("session").addEventListener("change", remember);
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
        '<p class="muted">Kirim pesan ke bot seolah-olah dari nomor WhatsApp berikut, di chat '
        'pribadinya atau (isi JID grup) di sebuah grup. Tampil di bawah: balasan untuk chat '
        'ini saja; percakapan tetap ada saat halaman dimuat ulang.</p>'
        '<div class="chat-tools"><div><label for="demo">Nomor demo</label>'
        f'<select id="demo">{options}<option value="other">Nomor lain…</option></select></div>'
        '<div><label for="phone">Nomor lain</label><input id="phone" inputmode="tel" '
        'placeholder="08…" maxlength="32" disabled></div>'
        '<div><label for="group">Grup (opsional)</label><input id="group" '
        'placeholder="120363…@g.us" maxlength="64" autocomplete="off"></div>'
        f'<div><label for="session">Sesi</label><select id="session">{session_options}'
        '</select></div></div></div>'
        '<div class="card"><div id="messages" aria-live="polite"></div>'
        '<form id="composer"><textarea id="text" rows="2" autocomplete="off" maxlength="4096" '
        'placeholder="Ketik pesan (Shift+Enter: baris baru)"></textarea>'
        '<button type="submit">Kirim</button></form>'
        '<p id="status" class="error" role="status"></p></div>'
        f'<script nonce="{escape(nonce)}">{_CHAT_SCRIPT}</script>')
    return page("Sandbox", body, nonce=nonce, signed_in=True, extra_style=_CHAT_STYLE)
