// Icons from the vendored lucide sprite, for buttons that scripts build.
window.moodroomIcons = (function () {
  "use strict";
  const SPRITE = "/static/vendor/lucide-sprite.svg";
  const NS = "http://www.w3.org/2000/svg";
  function icon(name) {
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const use = document.createElementNS(NS, "use");
    use.setAttribute("href", `${SPRITE}#${name}`);
    svg.append(use);
    return svg;
  }
  // A button with an icon and a label: visible text, or only an accessible name when `compact`.
  function button(name, label, { compact = false, className = "icon" } = {}) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.append(icon(name));
    if (compact) { b.setAttribute("aria-label", label); b.title = label; }
    else b.append(document.createTextNode(` ${label}`));
    return b;
  }
  return { icon, button };
})();
