// The player bar: a queue of library tracks streamed with HTTP Range, feedback buttons,
// keyboard shortcuts and Media Session metadata. Any list marked data-play-list whose
// items carry data-track / data-title / data-artist gets working ".play-btn" buttons.
window.moodroomPlayer = (function () {
  "use strict";
  const bar = document.getElementById("player");
  if (!bar) return null;
  const audio = document.getElementById("player-audio");
  const $ = (id) => document.getElementById(id);
  let queue = [], index = -1, context = {}, startedAt = 0, reported = false;

  function send(event, extra) {
    const track = queue[index];
    if (!track) return Promise.resolve();
    const body = { track_id: track.id, event, context, ...extra };
    return window.moodroomApi.post("/api/feedback", body).then((r) => {
      if (r && r.library) showLiked(r.library.liked);
    }).catch((e) => flash(e.message));
  }

  function flash(message) {
    $("player-msg").textContent = message;
    clearTimeout(flash.t);
    flash.t = setTimeout(() => { $("player-msg").textContent = ""; }, 4000);
  }

  function showLiked(liked) {
    $("player-like").setAttribute("aria-pressed", String(liked === true));
    $("player-dislike").setAttribute("aria-pressed", String(liked === false));
  }

  function position() { return Math.round((audio.currentTime || 0) * 1000); }
  function elapsed() { return startedAt ? Date.now() - startedAt : 0; }

  function load(i) {
    if (i < 0 || i >= queue.length) return;
    index = i;
    const track = queue[i];
    reported = false;
    audio.src = `/api/tracks/${encodeURIComponent(track.id)}/stream`;
    audio.play().catch(() => flash("Press play to start."));
    $("player-title").textContent = track.title || "Unknown title";
    $("player-artist").textContent = track.artist || "";
    $("player-pos").textContent = `${i + 1} / ${queue.length}`;
    showLiked(null);
    bar.hidden = false;
    if ("mediaSession" in navigator) {
      navigator.mediaSession.metadata = new MediaMetadata({ title: track.title || "",
        artist: track.artist || "", album: track.album || "Moodroom" });
    }
    document.dispatchEvent(new CustomEvent("moodroom:track", { detail: track }));
  }

  function next(skipped) {
    if (skipped && queue[index] && audio.currentTime < (audio.duration || Infinity) - 1) {
      send("skip", { position_ms: position(), elapsed_ms: elapsed() });
    }
    if (index + 1 < queue.length) load(index + 1); else { audio.pause(); flash("End of the queue."); }
  }

  function previous() {
    if (audio.currentTime > 3) { audio.currentTime = 0; return; }
    load(Math.max(0, index - 1));
  }

  function toggle() { if (audio.paused) audio.play(); else audio.pause(); }

  audio.addEventListener("playing", () => {
    if (!reported) { reported = true; startedAt = Date.now(); send("play", { position_ms: position() }); }
    $("player-toggle").textContent = "⏸"; $("player-toggle").setAttribute("aria-label", "Pause");
  });
  audio.addEventListener("pause", () => {
    $("player-toggle").textContent = "▶"; $("player-toggle").setAttribute("aria-label", "Play");
  });
  audio.addEventListener("ended", () => {
    send("complete", { position_ms: position(), elapsed_ms: elapsed() });
    next(false);
  });
  audio.addEventListener("timeupdate", () => {
    const seek = $("player-seek");
    if (audio.duration) { seek.max = Math.floor(audio.duration); seek.value = Math.floor(audio.currentTime); }
    const fmt = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
    $("player-time").textContent = `${fmt(audio.currentTime || 0)} / ${fmt(audio.duration || 0)}`;
  });
  audio.addEventListener("error", () => flash("This track cannot be played."));
  $("player-seek").addEventListener("input", (e) => { audio.currentTime = Number(e.target.value); });
  $("player-toggle").addEventListener("click", toggle);
  $("player-next").addEventListener("click", () => next(true));
  $("player-prev").addEventListener("click", previous);
  $("player-like").addEventListener("click", () => send("like"));
  $("player-dislike").addEventListener("click", () => send("dislike"));

  document.addEventListener("keydown", (e) => {
    const tag = (e.target.tagName || "").toLowerCase();
    if (bar.hidden || ["input", "textarea", "select"].includes(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
    const actions = { " ": toggle, k: toggle, n: () => next(true), p: previous,
      l: () => send("like"), d: () => send("dislike") };
    const action = actions[e.key];
    if (action && !(e.key === " " && tag === "button")) { e.preventDefault(); action(); }
  });
  if ("mediaSession" in navigator) {
    navigator.mediaSession.setActionHandler("play", () => audio.play());
    navigator.mediaSession.setActionHandler("pause", () => audio.pause());
    navigator.mediaSession.setActionHandler("nexttrack", () => next(true));
    navigator.mediaSession.setActionHandler("previoustrack", previous);
    navigator.mediaSession.setActionHandler("seekto", (d) => { audio.currentTime = d.seekTime; });
  }

  document.addEventListener("click", (e) => {
    const button = e.target.closest(".play-btn");
    if (!button) return;
    const list = button.closest("[data-play-list]");
    const items = [...list.querySelectorAll("[data-track][data-title]")];
    const tracks = items.map((li) => ({ id: li.dataset.track, title: li.dataset.title,
      artist: li.dataset.artist }));
    let ctx = {};
    try { ctx = JSON.parse(list.dataset.playContext || "{}"); } catch (err) { ctx = {}; }
    playList(tracks, items.indexOf(button.closest("[data-track]")), ctx);
  });

  function playList(tracks, start, ctx) {
    queue = tracks; context = ctx || {};
    load(Math.max(0, start || 0));
  }
  return { playList, next, previous, toggle };
})();
