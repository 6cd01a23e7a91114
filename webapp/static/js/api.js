// Small fetch helpers that send the CSRF token and surface server messages.
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
