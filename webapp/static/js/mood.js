// Mood search page: submit, follow progress over Socket.IO, render the playlist.
(function () {
  "use strict";
  const api = window.moodroomApi;
  const $ = (id) => document.getElementById(id);
  const form = $("mood-form"), input = $("mood-text"), countInput = $("mood-count");
  const errorBox = $("mood-error"), statusBox = $("status"), statusText = $("status-text");
  const progress = $("status-progress"), result = $("result"), list = $("tracks");
  const stages = { queued: 0, parsing: 1, ranking: 2, completed: 3 };
  let current = null, seed = 0, lastText = "";

  const socket = window.moodroomPage.socket("/live");
  window.moodroomPage.onLeave(() => { current = null; }); // stops the polling below
  socket.on("generation", (event) => {
    if (!current || event.session !== current) return;
    if (event.status === "failed") return showError(event.error || "That did not work.");
    progress.value = stages[event.stage] ?? progress.value;
    statusText.textContent = { parsing: "Understanding your words…", ranking: "Choosing and ordering tracks…",
      completed: "Done." }[event.stage] || "Working…";
    if (event.stage === "completed") load(current);
  });

  function showError(message) {
    statusBox.hidden = true;
    errorBox.textContent = message;
    errorBox.hidden = false;
    $("mood-go").disabled = false;
  }

  async function start(text, withSeed) {
    errorBox.hidden = true;
    const body = { text, seed: withSeed };
    const count = parseInt(countInput.value, 10);
    if (count) body.count = count;
    $("mood-go").disabled = true;
    statusBox.hidden = false; progress.value = 0; statusText.textContent = "Queued…";
    try {
      const started = await api.post("/api/moods/generate", body);
      current = started.session;
      // The socket may have missed early events: poll once in case it already finished.
      setTimeout(() => current === started.session && load(current, true), 1500);
    } catch (e) { showError(e.message); }
  }

  async function load(sessionId, quiet) {
    const data = await api.get(`/api/generations/${sessionId}`);
    if (data.status === "failed") return showError(data.error);
    if (data.status !== "completed") {
      if (quiet) setTimeout(() => current === sessionId && load(sessionId, true), 1500);
      return;
    }
    if (result.dataset.session === sessionId) return;
    result.dataset.session = sessionId;
    render(data);
  }

  function chip(text) {
    const li = document.createElement("li");
    li.className = "chip";
    li.textContent = text;
    return li;
  }

  function render(data) {
    errorBox.hidden = true; statusBox.hidden = true; $("mood-go").disabled = false; $("save-msg").hidden = true;
    result.hidden = false;
    $("result-title").textContent = `“${data.text}”`;
    const minutes = Math.round((data.stats.total_seconds || 0) / 60);
    const asked = data.stats.minutes_asked ? ` (asked ${data.stats.minutes_asked})` : "";
    $("result-summary").textContent = `${data.tracks.length} tracks · ${minutes} min${asked} · ` +
      `${Math.round((data.stats.camelot_compatible || 0) * 100)}% key-compatible steps · ` +
      `average tempo step ${(data.stats.mean_abs_dbpm || 0).toFixed(1)} BPM`;
    const understood = [];
    const moods = (data.parsed && data.parsed.moods) || {};
    for (const [key, weight] of Object.entries(moods).slice(0, 4)) {
      understood.push(`${key.replace(/_/g, " ")} ${Math.round(weight * 100)}%`);
    }
    for (const note of (data.parsed && data.parsed.matched) || []) understood.push(note);
    for (const note of (data.parsed && data.parsed.warnings) || []) understood.push(`⚠ ${note}`);
    if (data.library && data.library.notice) understood.push(`⏳ ${data.library.notice}`);
    $("result-understood").replaceChildren(...understood.map(chip));
    // What gave way (relaxed constraints) or why the list is shorter than asked.
    const notices = (data.stats && data.stats.notices) || [];
    $("result-notices").replaceChildren(...notices.map((text) => {
      const li = document.createElement("li");
      li.textContent = text;
      return li;
    }));
    $("result-notices").hidden = notices.length === 0;
    $("save-btn").disabled = data.tracks.length === 0;
    list.dataset.playContext = JSON.stringify({ session_id: data.session, page: "mood" });
    list.replaceChildren(...data.tracks.map(trackItem));
    $("no-tracks").hidden = data.tracks.length > 0;
    drawCurve(data.stats);
    list.querySelector("li")?.focus?.();
  }

  const trackItem = (track) => window.moodroomRows.trackItem(track,
    { reason: track.reason, more: showSimilar });

  async function showSimilar(track) {
    const box = $("similar");
    try {
      const data = await api.get(`/api/tracks/${encodeURIComponent(track.id)}/similar?count=8`);
      $("similar-title").textContent = `More like “${track.title}”`;
      errorBox.hidden = true;
      $("similar-list").replaceChildren(...data.similar.map(trackItem));
      box.hidden = false;
      box.scrollIntoView({ behavior: "smooth", block: "start" });
    } catch (e) { showError(e.message); }
  }

  // Path between two tracks: the inputs suggest library tracks as you type.
  const options = new Map();
  async function suggest(event) {
    const q = event.target.value.trim();
    if (q.length < 2 || options.has(q)) return;
    const data = await api.get(`/api/tracks/search?q=${encodeURIComponent(q)}`);
    const list = $("path-options");
    list.replaceChildren(...data.tracks.map((t) => {
      const label = `${t.title} — ${t.artist || "unknown artist"}`;
      options.set(label, t.id);
      const option = document.createElement("option");
      option.value = label;
      return option;
    }));
  }
  $("path-from").addEventListener("input", suggest);
  $("path-to").addEventListener("input", suggest);
  $("path-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("path-error");
    error.hidden = true;
    const from = options.get($("path-from").value), to = options.get($("path-to").value);
    if (!from || !to) {
      error.textContent = "Choose both tracks from the suggestions.";
      error.hidden = false;
      return;
    }
    try {
      const data = await api.get(`/api/path?from=${from}&to=${to}&count=8`);
      $("path-list").replaceChildren(...data.tracks.map(trackItem));
    } catch (e) { error.textContent = e.message; error.hidden = false; }
  });

  function polyline(values, lo, hi, cls) {
    if (!values.length) return null;
    const step = values.length > 1 ? 580 / (values.length - 1) : 0;
    const points = values.map((v, i) => `${10 + i * step},${110 - ((v - lo) / (hi - lo || 1)) * 100}`);
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", points.join(" "));
    line.setAttribute("class", cls);
    return line;
  }

  function drawCurve(stats) {
    const svg = $("curve");
    const bpm = stats.bpm_curve || [];
    const lines = [
      polyline(stats.energy_curve || [], 0, 1, "energy"),
      polyline(bpm, Math.min(...bpm) - 5, Math.max(...bpm) + 5, "tempo"),
      stats.arc_targets ? polyline(stats.arc_targets, 0, 1, "arc") : null,
    ].filter(Boolean);
    svg.replaceChildren(...lines);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return showError("Describe a mood first, for example “late night drive”.");
    lastText = text; seed = 0;
    start(text, seed);
  });
  $("regen-btn").addEventListener("click", () => { seed += 1; start(lastText, seed); });
  $("save-btn").addEventListener("click", async () => {
    try {
      const saved = await api.post(`/api/generations/${result.dataset.session}/save`, {});
      errorBox.hidden = true;
      const msg = $("save-msg");
      msg.replaceChildren(document.createTextNode("Saved as "));
      const link = document.createElement("a");
      link.href = saved.url; link.textContent = saved.name;
      msg.append(link);
      msg.hidden = false;
    } catch (e) { showError(e.message); }
  });
  // Arriving from "more like this" on another page (/mood?like=TRACK_ID).
  const like = $("similar").dataset.like;
  if (like) showSimilar({ id: like, title: $("similar").dataset.likeTitle });
  for (const button of document.querySelectorAll(".suggestion")) {
    button.addEventListener("click", () => { input.value = button.dataset.text; input.focus(); });
  }
})();
