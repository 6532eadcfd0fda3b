// The menu and contents buttons of the page header, made to work again.
//
// pydata-sphinx-theme 0.17 opens a sidebar from the first button of class `primary-toggle` or
// `secondary-toggle` on the page, and sphinx-book-theme collapses the primary sidebar on a wide
// screen from that same first button. With sphinx-book-theme that button is the theme's own
// hidden one: the visible buttons did nothing, and on a phone no reader could reach another
// chapter or the page's contents (pydata/pydata-sphinx-theme#2451). Each visible button now
// hands its click to that first button, and takes over its label, which the theme translates
// (the visible ones said "Toggle primary sidebar" in both editions).
(() => {
  const handOn = () => {
    for (const kind of ["primary-toggle", "secondary-toggle"]) {
      const [listened, ...visible] = document.querySelectorAll(`button.${kind}`);
      if (!listened) continue;
      const label = listened.getAttribute("aria-label");
      for (const button of visible) {
        if (label) {
          button.setAttribute("aria-label", label);
          button.setAttribute("data-bs-original-title", label);
          if (button.hasAttribute("title")) button.setAttribute("title", label);
        }
        button.addEventListener("click", (event) => {
          event.preventDefault();
          event.stopPropagation();
          listened.click();
        });
      }
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", handOn);
  } else {
    handOn();
  }
})();
