// "Add to playlist…" on any track row (.addto-btn): pick one of the playlists I may edit.
// The track is added as a room op, so people with that room open see it at once.
(function () {
  "use strict";
  const api = window.moodroomApi;

  function dialog() {
    let box = document.getElementById("addto-dialog");
    if (box) return box;
    box = document.createElement("dialog");
    box.id = "addto-dialog";
    box.className = "addto card";
    box.setAttribute("aria-labelledby", "addto-title");
    const title = document.createElement("h2");
    title.id = "addto-title"; title.className = "small-title";
    const list = document.createElement("ul");
    list.id = "addto-list"; list.className = "addto-list";
    const status = document.createElement("p");
    status.id = "addto-status"; status.setAttribute("role", "status");
    const close = document.createElement("button");
    close.type = "button"; close.className = "secondary"; close.textContent = "Close";
    close.addEventListener("click", () => box.close());
    box.append(title, list, status, close);
    document.body.append(box);
    return box;
  }

  async function open(track) {
    const box = dialog();
    document.getElementById("addto-title").textContent = `Add “${track.title}” to a playlist`;
    const status = document.getElementById("addto-status");
    status.textContent = "Loading your playlists…";
    const list = document.getElementById("addto-list");
    list.replaceChildren();
    box.showModal();
    try {
      const { playlists } = await api.get("/api/playlists/editable");
      status.textContent = playlists.length ? "" : "You have no playlist you can add to yet: save a mood search first.";
      list.replaceChildren(...playlists.map((p) => {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button"; b.className = "secondary small-btn"; b.textContent = p.name;
        b.addEventListener("click", async () => {
          try {
            await api.post(`/api/playlists/${encodeURIComponent(p.id)}/tracks`, { track_id: track.id });
            status.textContent = `Added to ${p.name}.`;
          } catch (e) { status.textContent = e.message; }
        });
        li.append(b);
        return li;
      }));
    } catch (e) { status.textContent = e.message; }
  }

  document.addEventListener("click", (e) => {
    const button = e.target.closest(".addto-btn");
    const row = button && button.closest("[data-track]");
    if (row) open({ id: row.dataset.track, title: row.dataset.title });
  });
})();
