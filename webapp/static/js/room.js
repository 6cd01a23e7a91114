// Live room: a server-confirmed list plus this tab's pending ops, rendered together.
// Ops carry a client id, so a resend after a reconnect is applied once by the server.
(function () {
  "use strict";
  const root = document.getElementById("room");
  const playlistId = root.dataset.playlist, me = root.dataset.user;
  const canEdit = ["owner", "admin", "editor"].includes(root.dataset.role);
  const $ = (id) => document.getElementById(id);
  const list = $("entries");
  const names = JSON.parse(root.dataset.names || "{}");
  const reasons = JSON.parse(root.dataset.reasons || "{}"); // entry id -> why it is here
  const confirmed = { name: "", description: "", entries: new Map() };
  const tracks = new Map();
  let version = null, pending = [];
  // Presence: connection key -> its latest change ({ts, member}); member null once it left.
  let connections = new Map(), earlyPresence = [];
  // While a join is on its way, "applied" events wait: its answer may or may not include them.
  let joined = false, joining = false, early = [];

  const newId = () => (crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "")
    : Math.random().toString(16).slice(2) + Date.now().toString(16));

  function ordered(entries) {
    return [...entries.values()].sort((a, b) =>
      a.order_key < b.order_key ? -1 : a.order_key > b.order_key ? 1 : a.id < b.id ? -1 : 1);
  }

  function applyEffect(effect) {
    for (const id of effect.delete || []) confirmed.entries.delete(id);
    for (const e of effect.upsert || []) confirmed.entries.set(e.id, e);
    if ("name" in effect) confirmed.name = effect.name;
    if ("description" in effect) confirmed.description = effect.description;
  }

  // Optimistic view: confirmed entries with this tab's unconfirmed ops applied on top.
  function view() {
    let rows = ordered(confirmed.entries).map((e) => ({ ...e }));
    let name = confirmed.name;
    for (const { op } of pending) {
      if (op.type === "add") {
        const at = op.index ?? rows.length;
        const added = op.track_ids.map((t, i) => ({ id: op.new_ids[i], track_id: t, votes_up: [],
          votes_down: [], pending: true }));
        rows.splice(at, 0, ...added);
      } else if (op.type === "remove") {
        rows = rows.filter((r) => r.id !== op.entry_id);
      } else if (op.type === "move") {
        const row = rows.find((r) => r.id === op.entry_id);
        if (row) { rows = rows.filter((r) => r !== row); rows.splice(op.index, 0, row); }
      } else if (op.type === "vote") {
        const row = rows.find((r) => r.id === op.entry_id);
        if (row) {
          row.votes_up = row.votes_up.filter((u) => u !== me);
          row.votes_down = row.votes_down.filter((u) => u !== me);
          if (op.value === 1) row.votes_up.push(me);
          if (op.value === -1) row.votes_down.push(me);
        }
      } else if (op.type === "rename") name = op.name;
    }
    return { rows, name };
  }

  function button(iconName, label, onClick) {
    const b = window.moodroomIcons.button(iconName, label, { compact: true });
    b.addEventListener("click", onClick);
    return b;
  }

  function render() {
    const { rows, name } = view();
    $("room-name").textContent = name;
    document.title = `${name} · Moodroom`;
    const members = people();
    const dragging = new Map(members.filter((m) => m.dragging && m.user !== me)
      .map((m) => [m.dragging, m.name]));
    list.replaceChildren(...rows.map((row, index) => {
      const info = tracks.get(row.track_id) || { title: row.track_id };
      const li = window.moodroomRows.trackItem({ ...info, id: row.track_id },
        { reason: reasons[row.id] || "", badges: [info.bpm && `${Math.round(info.bpm)} BPM`, info.camelot].filter(Boolean) });
      li.dataset.entry = row.id;
      if (row.pending) li.classList.add("pending");
      const votes = document.createElement("span");
      votes.className = "votes";
      votes.textContent = ` ▲${row.votes_up.length} ▼${row.votes_down.length}`;
      li.querySelector(".track-main").append(votes);
      if (row.added_by) {
        const by = document.createElement("span");
        by.className = "muted added-by";
        by.textContent = ` · added by ${row.added_by === me ? "you" : names[row.added_by] || "a former member"}`;
        li.querySelector(".track-main").append(by);
      }
      if (dragging.has(row.id)) {
        const who = document.createElement("span");
        who.className = "badge dragging";
        who.textContent = `${dragging.get(row.id)} is moving this`;
        li.append(" ", who);
      }
      if (canEdit) {
        const tools = document.createElement("span");
        tools.className = "entry-tools";
        const mine = row.votes_up.includes(me) ? 1 : row.votes_down.includes(me) ? -1 : 0;
        tools.append(
          button("arrow-up", "Move up", () => index > 0 && send({ type: "move", entry_id: row.id, index: index - 1 })),
          button("arrow-down", "Move down", () => index < rows.length - 1 && send({ type: "move", entry_id: row.id, index: index + 1 })),
          button("thumbs-up", "Vote up", () => send({ type: "vote", entry_id: row.id, value: mine === 1 ? 0 : 1 })),
          button("thumbs-down", "Vote down", () => send({ type: "vote", entry_id: row.id, value: mine === -1 ? 0 : -1 })),
          button("x", "Remove", () => send({ type: "remove", entry_id: row.id })),
        );
        li.append(tools);
        li.draggable = true;
        li.addEventListener("dragstart", (ev) => {
          ev.dataTransfer.setData("text/plain", row.id);
          socket.emit("drag", { playlist_id: playlistId, entry_id: row.id });
        });
        li.addEventListener("dragend", () => socket.emit("drag", { playlist_id: playlistId, entry_id: null }));
        li.addEventListener("dragover", (ev) => ev.preventDefault());
        li.addEventListener("drop", (ev) => {
          ev.preventDefault();
          const moved = ev.dataTransfer.getData("text/plain");
          if (moved && moved !== row.id) send({ type: "move", entry_id: moved, index });
        });
      }
      return li;
    }));
    $("room-empty").hidden = rows.length > 0;
    $("presence").replaceChildren(...members.map((m) => {
      const li = document.createElement("li");
      li.className = "chip";
      li.textContent = m.user === me ? `${m.name} (you)` : m.name;
      return li;
    }));
  }

  function showError(message) {
    const box = $("room-error");
    box.textContent = message;
    box.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(() => { box.hidden = true; }, 6000);
  }

  function clearError() { clearTimeout(showError.timer); $("room-error").hidden = true; }

  function send(op) {
    if (op.type === "add") op.new_ids = op.track_ids.map(newId);
    const item = { op_id: newId(), op };
    pending.push(item);
    render();
    emitOp(item);
  }

  function emitOp(item) {
    if (!socket.connected || !joined) return; // resent after the next join
    socket.emit("op", { playlist_id: playlistId, op_id: item.op_id, op: item.op }, (ack) => {
      if (ack && ack.ok) clearError(); // an earlier refusal no longer describes the room
      if (!ack || !ack.ok) {
        pending = pending.filter((p) => p !== item); // roll back
        showError((ack && ack.error) || "That change was not accepted.");
      } else if (version !== null && ack.seq <= version) {
        pending = pending.filter((p) => p !== item);
      } else {
        item.seq = ack.seq;
      }
      render();
    });
  }

  function settle() {
    pending = pending.filter((p) => !(p.seq && p.seq <= version));
  }

  const socket = window.moodroomPage.socket("/rooms");
  window.moodroomPage.onLeave(() => clearTimeout(showError.timer));
  function join() {
    if (joining) return; // the answer on its way catches up, then the waiting events are checked
    joining = true;
    socket.emit("join", { playlist_id: playlistId, since: version }, (ack) => {
      joining = false;
      if (!ack || !ack.ok) return showError((ack && ack.error) || "Could not open this room.");
      clearError();
      for (const [id, info] of Object.entries(ack.tracks || {})) tracks.set(id, info);
      if (ack.snapshot) {
        confirmed.entries = new Map(ack.snapshot.entries.map((e) => [e.id, e]));
        confirmed.name = ack.snapshot.name;
        confirmed.description = ack.snapshot.description;
      }
      for (const op of ack.ops || []) {
        if (op.seq > (version ?? 0)) applyEffect(op.effect);
        pending = pending.filter((p) => p.op_id !== op.op_id);
      }
      version = ack.version;
      connections = new Map();
      for (const change of [...(ack.connections || []), ...earlyPresence]) notePresence(change);
      earlyPresence = [];
      joined = true;
      settle();
      render();
      for (const item of pending) emitOp(item); // resend what the server may not have seen
      const waiting = early.sort((a, b) => a.seq - b.seq);
      early = [];
      waiting.forEach(receive);
    });
  }
  socket.on("connect", () => { $("conn-state").textContent = "live"; join(); });
  socket.on("disconnect", () => {
    joined = joining = false; // acks of this connection never come
    $("conn-state").textContent = "reconnecting…";
  });
  socket.on("applied", (event) => {
    if (event.playlist_id !== playlistId) return;
    for (const [id, info] of Object.entries(event.tracks || {})) tracks.set(id, info);
    receive(event);
  });
  function receive(event) {
    if (version === null || joining) return early.push(event);
    if (event.seq === version + 1) {
      applyEffect(event.effect);
      version = event.seq;
      pending = pending.filter((p) => p.op_id !== event.op_id);
      settle();
      render();
    } else if (event.seq > version + 1) {
      early.push(event);
      join(); // missed something: catch up from the log
    }
  }
  // Changes of one connection can overtake each other around a join: the newest wins.
  function notePresence(change) {
    const known = connections.get(change.key);
    if (!known || known.ts <= change.ts) connections.set(change.key, change);
  }
  function people() {
    const byUser = new Map();
    const rows = [...connections.values()].filter((c) => c.member).sort((a, b) => a.ts - b.ts);
    for (const { member } of rows) {
      const person = byUser.get(member.user) || { ...member, dragging: null };
      person.dragging = person.dragging || member.dragging;
      byUser.set(member.user, person);
    }
    return [...byUser.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }
  socket.on("presence", (event) => {
    if (event.playlist_id !== playlistId) return;
    if (!joined || joining) return earlyPresence.push(event);
    notePresence(event);
    render();
  });
  socket.on("error", (event) => { if (event && event.message) showError(event.message); });
  // The playlist was deleted, or I was removed from it: the room closes for me.
  function close(message) {
    socket.disconnect();
    const box = $("room-closed");
    box.textContent = message;
    box.hidden = false;
    $("conn-state").textContent = "closed";
    for (const el of root.querySelectorAll("button, input, select")) el.disabled = true;
  }
  socket.on("closed", (event) => { if (event.playlist_id === playlistId) close(event.reason); });
  socket.on("removed", (event) => {
    if (event.playlist_id !== playlistId) return;
    if (event.user === me) close(event.left ? "You left this playlist." : "You were removed from this playlist.");
    else root.querySelector(`[data-member="${CSS.escape(event.user)}"]`)?.remove();
  });
  for (const button of root.querySelectorAll(".member-remove")) {
    button.addEventListener("click", async () => {
      const leaving = Boolean(button.dataset.leave);
      if (!confirm(leaving ? "Leave this playlist? You will need a new invite to come back."
        : "Remove this person from the playlist?")) return;
      try {
        await window.moodroomApi.post(`/rooms/${playlistId}/members/${encodeURIComponent(button.dataset.user)}/remove`, {});
      } catch (e) { showError(e.message); }
    });
  }

  // "Add more like these": suggestions from the playlist's centroid and my taste.
  $("more-card").addEventListener("toggle", async (event) => {
    if (!event.target.open) return;
    const data = await window.moodroomApi.get(`/api/playlists/${playlistId}/more?count=8`);
    $("more-list").replaceChildren(...data.tracks.map((t) => {
      const li = window.moodroomRows.trackItem(t, { reason: t.reason });
      if (canEdit) {
        li.querySelector(".row-actions").append(button("plus", `Add ${t.title} to this playlist`, () => {
          tracks.set(t.id, { title: t.title, artist: t.artist, bpm: t.bpm, camelot: t.camelot });
          send({ type: "add", track_ids: [t.id] });
          li.remove();
        }));
      }
      return li;
    }));
  });

  if (canEdit) {
    const options = new Map();
    $("add-search").addEventListener("input", async (event) => {
      const q = event.target.value.trim();
      if (q.length < 2) return;
      const data = await window.moodroomApi.get(`/api/tracks/search?q=${encodeURIComponent(q)}`);
      $("add-options").replaceChildren(...data.tracks.map((t) => {
        const label = `${t.title} — ${t.artist || "unknown artist"}`;
        options.set(label, t);
        const option = document.createElement("option");
        option.value = label;
        return option;
      }));
    });
    $("add-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const track = options.get($("add-search").value);
      if (!track) return showError("Choose a track from the suggestions.");
      if (view().rows.some((r) => r.track_id === track.id)
        && !confirm(`“${track.title}” is already in this playlist. Add it again?`)) return;
      tracks.set(track.id, { title: track.title, artist: track.artist });
      send({ type: "add", track_ids: [track.id] });
      $("add-search").value = "";
    });
    $("undo-btn").addEventListener("click", () => send({ type: "undo" }));
    $("rename-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const name = $("rename-input").value.trim();
      if (!name) return showError("The name cannot be empty.");
      send({ type: "rename", name });
    });
    const invite = $("invite-btn");
    const copy = $("invite-copy");
    if (copy) copy.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText($("invite-url").value); copy.lastChild.textContent = " Copied"; }
      catch (e) { $("invite-url").select(); showError("Copy did not work here: press Ctrl+C."); }
    });
    if (invite) invite.addEventListener("click", async () => {
      try {
        const data = await window.moodroomApi.post(`/rooms/${playlistId}/invites`, { role: $("invite-role").value });
        const field = $("invite-url");
        field.value = data.url; field.hidden = false; field.select();
        $("invite-copy").hidden = false; $("invite-note").hidden = false;
      } catch (e) { showError(e.message); }
    });
  }
})();
