// Blends page: create a blend or regenerate one, then link to its playlist.
(function () {
  "use strict";
  const api = window.moodroomApi;
  const $ = (id) => document.getElementById(id);
  function show(result) {
    $("blend-error").hidden = true;
    const box = $("blend-result");
    box.replaceChildren();
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = `Open the playlist (${result.tracks} tracks)`;
    const shares = Object.entries(result.shares).map(([n, c]) => `${n}: ${c}`).join(", ");
    const match = result.match == null ? "" : ` · taste match ${Math.round(result.match)}%`;
    box.append(link, document.createTextNode(` · shares ${shares}${match}`));
    box.hidden = false;
  }
  function fail(message) {
    $("blend-result").hidden = true;
    $("blend-error").textContent = message; $("blend-error").hidden = false;
  }
  function invited(result) {
    const box = $("blend-result");
    const waiting = result.pending.length ? `waiting for ${result.pending.join(", ")} to accept` : "";
    box.textContent = `Blend “${result.name}” created; ${waiting}. It can be generated once ` +
      "someone has accepted.";
    box.hidden = false;
  }
  $("blend-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("blend-error").hidden = true;
    const members = [...document.querySelectorAll("input[name=member]:checked")].map((box) => ({
      user_id: box.value,
      weight: Number(document.querySelector(`[data-weight-for="${box.value}"]`).value) || 1,
    }));
    if (!members.length) return fail("Pick at least one other person.");
    try {
      invited(await api.post("/api/blends", { name: $("blend-name").value, members,
        algorithm: $("blend-algorithm").value, count: Number($("blend-count").value) || 20 }));
    } catch (e) { fail(e.message); }
  });
  for (const button of document.querySelectorAll(".regen")) {
    button.addEventListener("click", async () => {
      try { show(await api.post(`/api/blends/${button.dataset.blend}/regenerate`, {})); }
      catch (e) { fail(e.message); }
    });
  }
  for (const button of document.querySelectorAll(".accept, .leave")) {
    button.addEventListener("click", async () => {
      const action = button.classList.contains("accept") ? "accept" : "leave";
      try {
        await api.post(`/api/blends/${button.dataset.blend}/${action}`, {});
        window.location.reload();
      } catch (e) { fail(e.message); }
    });
  }
})();
