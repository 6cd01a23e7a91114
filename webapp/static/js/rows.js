// One track row, the browser-side twin of templates/_tracks.html (same markup and buttons,
// which static/js/player.js understands inside any [data-play-list]).
//   trackItem(track, { reason, badges, more }) -> <li>
// track: { id, title, artist, album, bpm, camelot, key, energy }; `more` is a function for an
// in-page "more like this", otherwise the row links to the mood page's similar tracks.
window.moodroomRows = (function () {
  "use strict";
  const { icon } = window.moodroomIcons;
  const UNKNOWN_ARTIST = "Unknown artist";

  function iconButton(name, className, label) {
    const b = window.moodroomIcons.button(name, label, { compact: true, className: `icon ${className}` });
    return b;
  }

  function defaultBadges(track) {
    return [track.bpm && `${Math.round(track.bpm)} BPM`, track.key, track.camelot,
      track.energy != null && `energy ${track.energy_label || Number(track.energy).toFixed(2)}`].filter(Boolean);
  }

  function trackItem(track, { reason = "", badges = null, more = null } = {}) {
    const title = track.title || "Unknown title";
    const li = document.createElement("li");
    li.className = "track-row";
    li.dataset.track = track.id;
    li.dataset.title = title;
    li.dataset.artist = track.artist || "";
    li.dataset.album = track.album || "";
    const main = document.createElement("span");
    main.className = "track-main";
    const strong = document.createElement("strong");
    strong.className = "track-title";
    strong.textContent = title;
    const artist = document.createElement("span");
    artist.className = "muted track-artist";
    artist.textContent = track.artist || UNKNOWN_ARTIST;
    main.append(strong, " ", artist);
    for (const text of badges || defaultBadges(track)) {
      const b = document.createElement("span");
      b.className = "badge";
      b.textContent = text;
      main.append(" ", b);
    }
    const actions = document.createElement("span");
    actions.className = "row-actions";
    actions.append(iconButton("list-start", "next-btn", `Play ${title} next`),
      iconButton("list-plus", "queue-btn", `Add ${title} to the queue`),
      iconButton("plus", "addto-btn", `Add ${title} to a playlist…`));
    if (typeof more === "function") {
      const b = iconButton("sparkles", "more-btn", `More like ${title}`);
      b.addEventListener("click", () => more(track));
      actions.append(b);
    } else if (track.id) {
      const a = document.createElement("a");
      a.className = "icon-link more-link";
      a.href = `/mood?like=${encodeURIComponent(track.id)}`;
      a.setAttribute("aria-label", `More like ${title}`);
      a.title = "More like this";
      a.append(icon("sparkles"));
      actions.append(a);
    }
    const cover = document.createElement("img");
    cover.className = "cover"; cover.alt = ""; cover.loading = "lazy"; cover.width = 40; cover.height = 40;
    cover.src = `/covers/track/${encodeURIComponent(track.id)}?size=64`;
    li.append(iconButton("play", "play-btn", `Play ${title}`), cover, main, actions);
    if (reason) {
      const div = document.createElement("div");
      div.className = "reason";
      div.textContent = reason;
      li.append(div);
    }
    return li;
  }
  return { trackItem, UNKNOWN_ARTIST };
})();
