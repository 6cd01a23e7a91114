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
    if (reloadTimer || new URLSearchParams(location.search).get("page") > 1) return;
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
