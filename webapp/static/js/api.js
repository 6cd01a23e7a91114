// Small fetch helpers that send the CSRF token and surface server messages, plus the page
// lifecycle under Turbo Drive (this file runs once per full load, from <head>).
window.moodroomApi = (function () {
  "use strict";
  const token = () => document.querySelector('meta[name="csrf-token"]').content;
  async function request(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    if (response.status === 401) { // signed out meanwhile: sign in, then come back here
      window.location.assign(`/auth/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    if (!response.ok) {
      const message = data.error || data.message || `Request failed (${response.status})`;
      throw new Error(message);
    }
    return data;
  }
  return {
    get: (url) => request("GET", url),
    post: (url, body) => request("POST", url, body ?? {}),
  };
})();

// Page scripts run again on every Turbo visit; what they open (Socket.IO connections,
// timers) they register here, and it is closed just before the next page replaces theirs.
window.moodroomPage = (function () {
  "use strict";
  let cleanups = [];
  function leave() {
    const run = cleanups;
    cleanups = [];
    for (const fn of run) { try { fn(); } catch (e) { console.error(e); } }
  }
  document.addEventListener("turbo:before-render", leave);
  // Forms post the classic way (sign-in, sign-out, scan): they answer with full pages.
  if (window.Turbo) window.Turbo.config.forms.mode = "optin";
  return {
    onLeave: (fn) => cleanups.push(fn),
    // A Socket.IO connection that is closed when the person leaves the page.
    socket: (namespace) => {
      const socket = io(namespace, { transports: ["websocket", "polling"], forceNew: true });
      cleanups.push(() => socket.disconnect());
      return socket;
    },
  };
})();
