// History page: the taste reset button.
(function () {
  "use strict";
  const button = document.getElementById("taste-reset");
  if (!button) return;
  button.addEventListener("click", async () => {
    if (!confirm("Forget what Moodroom learned from your likes and skips? Your history stays.")) return;
    await window.moodroomApi.post("/api/taste/reset", {});
    document.getElementById("taste-msg").textContent = "Reset. Your next playlists start fresh.";
  });
})();
