// The player bar and its queue. It lives in an element Turbo keeps across page changes
// (data-turbo-permanent), and this file runs once per full page load, so the music, the
// queue and the listeners below survive navigation.
//
// Tracks come from the page: any element with data-track and data-title (plus data-artist,
// data-album) inside a list marked data-play-list. Buttons understood everywhere:
//   .play-btn (play this list from here), .queue-btn (add to queue), .next-btn (play next),
//   [data-play-all=LIST_ID], [data-shuffle=LIST_ID].
window.moodroomPlayer = (function () {
  "use strict";
  const bar = document.getElementById("player");
  if (!bar) return null;
  const audio = document.getElementById("player-audio");
  const $ = (id) => document.getElementById(id);
  const STORE = "moodroom-player";
  let queue = [], index = -1, context = {}, startedAt = 0, reported = false;

  function send(event, extra) {
    const track = queue[index];
    if (!track) return Promise.resolve();
    const body = { track_id: track.id, event, context: track.context || context, ...extra };
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

  function save() {
    try {
      sessionStorage.setItem(STORE, JSON.stringify({ queue, index, context, at: audio.currentTime || 0 }));
    } catch (e) { /* storage full or disabled: the queue lives for this page load only */ }
  }

  function load(i, { autoplay = true, at = 0 } = {}) {
    if (i < 0 || i >= queue.length) return;
    index = i;
    const track = queue[i];
    reported = false;
    audio.src = `/api/tracks/${encodeURIComponent(track.id)}/stream`;
    if (at) audio.addEventListener("loadedmetadata", () => { audio.currentTime = at; }, { once: true });
    if (autoplay) audio.play().catch(() => flash("Press play to start."));
    $("player-title").textContent = track.title || "Unknown title";
    $("player-artist").textContent = track.artist || "";
    showLiked(null);
    bar.hidden = false;
    const cover = (size) => `/covers/track/${encodeURIComponent(track.id)}?size=${size}`;
    $("player-cover").src = cover(128);
    $("player-cover").hidden = false;
    if ("mediaSession" in navigator) {
      navigator.mediaSession.metadata = new MediaMetadata({ title: track.title || "",
        artist: track.artist || "Unknown artist", album: track.album || "",
        artwork: [128, 300, 600].map((s) => ({ src: cover(s), sizes: `${s}x${s}`, type: "image/jpeg" })) });
    }
    renderQueue();
    markPlaying();
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

  function toggle() {
    if (index < 0 && queue.length) return load(0);
    if (audio.paused) audio.play(); else audio.pause();
  }

  // --- the queue -----------------------------------------------------------------------
  function playList(tracks, start, ctx) {
    context = ctx || {};
    queue = tracks.map((t) => ({ ...t, context }));
    load(Math.max(0, start || 0));
  }

  function enqueue(track, ctx, { nextUp = false } = {}) {
    const item = { ...track, context: ctx || {} };
    if (nextUp && index >= 0) queue.splice(index + 1, 0, item); else queue.push(item);
    if (index < 0) load(0); else { renderQueue(); flash(nextUp ? `Next: ${track.title}` : `Queued: ${track.title}`); }
  }

  function moveItem(from, to) {
    if (to < 0 || to >= queue.length || from === to) return;
    const [item] = queue.splice(from, 1);
    queue.splice(to, 0, item);
    if (index === from) index = to;
    else if (from < index && to >= index) index -= 1;
    else if (from > index && to <= index) index += 1;
    renderQueue();
  }

  function removeItem(i) {
    if (i === index) return; // the playing track stays; skip it instead
    queue.splice(i, 1);
    if (i < index) index -= 1;
    renderQueue();
  }

  function clearUpcoming() { // what was played and what plays now stay
    queue = queue.slice(0, index + 1);
    renderQueue();
  }

  function renderQueue() {
    $("queue-count").textContent = String(queue.length);
    $("player-pos").textContent = index >= 0 ? `${index + 1} / ${queue.length}` : "";
    $("queue-empty").hidden = queue.length > 0;
    const button = (name, label, onClick) => {
      const b = window.moodroomIcons.button(name, label, { compact: true });
      b.addEventListener("click", onClick);
      return b;
    };
    $("queue-list").replaceChildren(...queue.map((track, i) => {
      const li = document.createElement("li");
      li.dataset.queueTrack = track.id;
      if (i === index) li.setAttribute("aria-current", "true");
      const jump = document.createElement("button");
      jump.type = "button"; jump.className = "link queue-title";
      jump.textContent = track.title || "Unknown title";
      jump.addEventListener("click", () => load(i));
      const artist = document.createElement("span");
      artist.className = "muted";
      artist.textContent = ` ${track.artist || "Unknown artist"}`;
      const tools = document.createElement("span");
      tools.className = "entry-tools";
      tools.append(button("arrow-up", `Move ${track.title} up`, () => moveItem(i, i - 1)),
        button("arrow-down", `Move ${track.title} down`, () => moveItem(i, i + 1)));
      if (i !== index) tools.append(button("x", `Remove ${track.title} from the queue`, () => removeItem(i)));
      li.append(jump, artist, tools);
      return li;
    }));
    save();
  }

  // The playing track's rows, wherever they are shown (lists are rebuilt by page scripts,
  // so this runs again after every change to the page).
  function markPlaying() {
    const id = index >= 0 ? queue[index].id : null;
    for (const el of document.querySelectorAll("[data-play-list] .playing")) {
      if (el.dataset.track !== id) { el.classList.remove("playing"); el.removeAttribute("aria-current"); }
    }
    if (!id) return;
    for (const el of document.querySelectorAll(`[data-play-list] [data-track="${CSS.escape(id)}"]`)) {
      el.classList.add("playing"); el.setAttribute("aria-current", "true");
    }
  }
  let marking = false;
  new MutationObserver(() => {
    if (marking) return;
    marking = true;
    requestAnimationFrame(() => { markPlaying(); marking = false; });
  }).observe(document.documentElement, { childList: true, subtree: true });

  // --- tracks from the page ------------------------------------------------------------
  function trackOf(el) {
    return { id: el.dataset.track, title: el.dataset.title, artist: el.dataset.artist || "",
      album: el.dataset.album || "" };
  }
  function listItems(list) { return [...list.querySelectorAll("[data-track][data-title]")]; }
  function contextOf(list) {
    try { return JSON.parse((list && list.dataset.playContext) || "{}"); } catch (err) { return {}; }
  }
  function shuffled(items) {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  document.addEventListener("click", (e) => {
    const all = e.target.closest("[data-play-all], [data-shuffle]");
    if (all) {
      const list = document.getElementById(all.dataset.playAll || all.dataset.shuffle);
      const items = list ? listItems(list).map(trackOf) : [];
      if (!items.length) return flash("Nothing to play here yet.");
      return playList(all.dataset.shuffle ? shuffled(items) : items, 0, contextOf(list));
    }
    const button = e.target.closest(".play-btn, .queue-btn, .next-btn");
    if (!button) return;
    const row = button.closest("[data-track]");
    const list = button.closest("[data-play-list]");
    if (!row) return;
    if (button.classList.contains("play-btn") && list) {
      const items = listItems(list);
      playList(items.map(trackOf), items.indexOf(row), contextOf(list));
    } else if (button.classList.contains("play-btn")) {
      playList([trackOf(row)], 0, contextOf(list));
    } else {
      enqueue(trackOf(row), contextOf(list), { nextUp: button.classList.contains("next-btn") });
    }
  });

  // --- audio events, buttons, keys -----------------------------------------------------
  audio.addEventListener("playing", () => {
    if (!reported) { reported = true; startedAt = Date.now(); send("play", { position_ms: position() }); }
    bar.classList.add("is-playing"); $("player-toggle").setAttribute("aria-label", "Pause");
  });
  audio.addEventListener("pause", () => {
    bar.classList.remove("is-playing"); $("player-toggle").setAttribute("aria-label", "Play");
    save();
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
  audio.addEventListener("error", () => { if (audio.getAttribute("src")) flash("This track cannot be played."); });
  window.addEventListener("pagehide", save);
  $("player-seek").addEventListener("input", (e) => { audio.currentTime = Number(e.target.value); });
  $("player-toggle").addEventListener("click", toggle);
  $("player-next").addEventListener("click", () => next(true));
  $("player-prev").addEventListener("click", previous);
  $("player-like").addEventListener("click", () => send("like"));
  $("player-dislike").addEventListener("click", () => send("dislike"));
  $("queue-clear").addEventListener("click", clearUpcoming);
  $("queue-toggle").addEventListener("click", () => {
    const panel = $("queue-panel");
    panel.hidden = !panel.hidden;
    $("queue-toggle").setAttribute("aria-expanded", String(!panel.hidden));
  });

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

  // A full page load (sign-in, reload) brings the queue back, paused where it was.
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
    if (saved && saved.queue && saved.queue.length && saved.index >= 0) {
      queue = saved.queue; context = saved.context || {};
      load(Math.min(saved.index, queue.length - 1), { autoplay: false, at: saved.at });
    }
  } catch (e) { sessionStorage.removeItem(STORE); }
  renderQueue();

  return { playList, enqueue, next, previous, toggle, queue: () => queue.map((t) => t.id),
    current: () => (index >= 0 ? queue[index].id : null) };
})();
