/* The menu buttons that open the navigation (left) and the page's contents (right).
 * pydata-sphinx-theme 0.17 and sphinx-book-theme attach their click handlers to the first
 * .primary-toggle (and .secondary-toggle) of the page; with sphinx-book-theme that is a button of
 * the theme's hidden top bar, so the visible buttons did nothing, and on a phone the navigation
 * could not be opened at all (pydata-sphinx-theme issue 2451). Each visible button now passes its
 * click on to the hidden one that has the handlers. */
(() => {
  "use strict";

  function forward(kind) {
    const buttons = document.querySelectorAll(`.${kind}-toggle`);
    const bound = buttons[0];
    buttons.forEach((button) => {
      if (button === bound) return;
      button.addEventListener("click", (event) => {
        if (bound.getClientRects().length > 0) return; // the bound button shows: nothing to mend
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    });
  }

  function setUp() {
    forward("primary");
    forward("secondary");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
