// The buttons of the page header, made to work and to speak the edition's language.
//
// 1. The menu and contents buttons. pydata-sphinx-theme 0.17 opens a sidebar from the first
//    button of class `primary-toggle` or `secondary-toggle` on the page, and sphinx-book-theme
//    folds the primary sidebar on a wide screen from that same first button. With
//    sphinx-book-theme that button is the theme's own hidden one: the visible buttons did
//    nothing, and on a phone no reader could reach another chapter or the page's contents
//    (pydata/pydata-sphinx-theme#2451). Each visible button hands its click to that first
//    button, and takes over its label, which the theme translates (the visible ones said
//    "Toggle primary sidebar" in both editions).
// 2. A sidebar opened on a phone covers most of the screen: a tap on one of its links closes
//    it, so that the reader sees the place the link leads to.
// 3. Labels the themes leave in English or in Taiwanese usage in the Chinese edition.
(() => {
  const LABELS = {
    "zh-CN": {
      ".theme-switch-button": "颜色模式",
      ".btn-download-pdf-button": "打印为PDF",
    },
  };

  // The label a screen reader reads and the tooltip shows (Bootstrap's, which may have read
  // its text already).
  const label = (element, text) => {
    for (const name of ["aria-label", "title", "data-bs-title", "data-bs-original-title"]) {
      if (element.hasAttribute(name) || name === "aria-label") element.setAttribute(name, text);
    }
    const tooltip = window.bootstrap?.Tooltip?.getInstance(element);
    if (tooltip && tooltip.setContent) tooltip.setContent({ ".tooltip-inner": text });
  };

  const handOn = () => {
    for (const kind of ["primary-toggle", "secondary-toggle"]) {
      const [listened, ...visible] = document.querySelectorAll(`button.${kind}`);
      if (!listened) continue;
      const text = listened.getAttribute("aria-label");
      for (const button of visible) {
        if (text) label(button, text);
        button.addEventListener("click", (event) => {
          event.preventDefault();
          event.stopPropagation();
          listened.click();
        });
      }
    }
  };

  // The link is followed once the sidebar has closed (and the theme has put its contents back
  // and its focus on the button): followed before, the page stopped short of the place.
  const closeOnLink = () => {
    for (const dialog of document.querySelectorAll("dialog[id$='-sidebar-modal']")) {
      dialog.addEventListener("click", (event) => {
        const link = event.target.closest("a[href]");
        if (!link || !dialog.open) return;
        event.preventDefault();
        dialog.close();
        setTimeout(() => { window.location.href = link.href; }, 0);
      });
    }
  };

  const translate = () => {
    const labels = LABELS[document.documentElement.lang] || {};
    for (const [selector, text] of Object.entries(labels)) {
      for (const element of document.querySelectorAll(selector)) label(element, text);
    }
  };

  const start = () => {
    handOn();
    closeOnLink();
    translate();
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
