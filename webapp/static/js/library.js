// Live analysis progress on the Library page, from the /library Socket.IO namespace.
(function () {
  "use strict";
  const bar = document.getElementById("analysis-progress");
  const state = document.getElementById("live-state");
  const failureBox = document.getElementById("failures");
  const failureList = document.getElementById("failure-list");
  let lastDone = null;
  let reloadTimer = null;

  function show(counts) {
    for (const [name, value] of Object.entries(counts)) {
      const el = document.querySelector(`[data-count="${name}"]`);
      if (el) el.textContent = String(value);
    }
    bar.max = Math.max(counts.total, 1);
    bar.value = counts.done + counts.failed;
    const busy = counts.pending + counts.processing;
    state.textContent = busy ? `Analysing… ${busy} to go` : "Up to date";
  }

  function addFailure(event) {
    fetch("/api/library/status", { credentials: "same-origin" })
      .then((r) => r.json())
      .then((body) => {
        failureList.replaceChildren(
          ...body.failures.map((f) => {
            const li = document.createElement("li");
            const code = document.createElement("code");
            code.textContent = f.path;
            li.append(code, document.createTextNode(": " + f.error));
            return li;
          })
        );
        failureBox.hidden = body.failures.length === 0;
      });
  }

  // New results arrive in bursts: refresh the table at most every 3 s, and
  // never while the person is reading a later page.
  function scheduleReload() {
    const params = new URLSearchParams(location.search);
    if (reloadTimer || params.get("after") || params.get("before")) return;
    reloadTimer = setTimeout(() => {
      fetch(location.href, { credentials: "same-origin" })
        .then((r) => r.text())
        .then((html) => {
          const doc = new DOMParser().parseFromString(html, "text/html");
          const fresh = doc.querySelector("#tracks") || doc.querySelector("section:last-of-type .empty");
          const current = document.querySelector("#tracks") || document.querySelector("section:last-of-type .empty");
          if (fresh && current) current.replaceWith(fresh);
          reloadTimer = null;
        })
        .catch(() => { reloadTimer = null; });
    }, 3000);
  }

  // Search while typing: results follow each keystroke after a short pause.
  const searchInput = document.getElementById("library-search");
  let searchTimer = null, searchSeq = 0;
  async function runSearch() {
    const q = searchInput.value.trim();
    const seq = ++searchSeq;
    const box = document.getElementById("search-box"), summary = document.getElementById("search-summary");
    if (!q) { box.hidden = true; summary.textContent = ""; return; }
    try {
      const data = await window.moodroomApi.get(`/api/library/search?q=${encodeURIComponent(q)}`);
      if (seq !== searchSeq) return; // a newer keystroke's answer wins
      document.getElementById("search-results").replaceChildren(
        ...data.tracks.map((t) => window.moodroomRows.trackItem(t, {
          badges: [t.album, t.genre, t.bpm && `${Math.round(t.bpm)} BPM`, t.camelot].filter(Boolean) })));
      summary.textContent = data.total === 0 ? `No track matches “${q}”.`
        : data.total > data.tracks.length ? `${data.total} tracks match; the first ${data.tracks.length} by title:`
          : `${data.total} track${data.total === 1 ? "" : "s"} match:`;
      box.hidden = data.total === 0;
    } catch (e) { if (seq === searchSeq) summary.textContent = e.message; }
  }
  searchInput.addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 150); });
  document.getElementById("library-search-form").addEventListener("submit", (e) => { e.preventDefault(); runSearch(); });
  if (searchInput.value.trim()) runSearch();
  window.moodroomPage.onLeave(() => { clearTimeout(searchTimer); searchSeq += 1; });

  const socket = window.moodroomPage.socket("/library");
  // Leaving: no refresh may land in the next page (it can have its own #tracks).
  window.moodroomPage.onLeave(() => { clearTimeout(reloadTimer); reloadTimer = "left"; });
  socket.on("connect", () => { state.textContent = "Live"; });
  socket.on("disconnect", () => { state.textContent = "Reconnecting…"; });
  socket.on("connect_error", () => { state.textContent = "Live updates unavailable; reload to refresh."; });
  socket.on("progress", (payload) => {
    show(payload.counts);
    const event = payload.event;
    if (event && event.type === "failed") addFailure(event);
    if (lastDone !== null && payload.counts.done !== lastDone) scheduleReload();
    if (event && event.type === "scan" && event.queued) scheduleReload();
    lastDone = payload.counts.done;
  });
})();
