/* Long cell outputs: the site shows each in a box of about ten lines that scrolls; this adds
 * below it a button that shows the whole output, and back. The outputs are marked with the class
 * "long-output" by booktools/sphinxext/long_outputs.py (its long_output_lines, in _config.yml, sets how long).
 * Without JavaScript the box still scrolls. */
(() => {
  "use strict";

  const LABELS = {
    en: { more: (n) => `Show all ${n} lines`, less: "Show fewer lines", name: (i, n) => `Long output ${i}, ${n} lines` },
    zh: { more: (n) => `显示全部 ${n} 行`, less: "收起", name: (i, n) => `长输出 ${i}，共 ${n} 行` },
  };

  function labels() {
    const language = (document.documentElement.lang || "en").toLowerCase().split(/[-_]/)[0];
    return LABELS[language] || LABELS.en;
  }

  function setUp() {
    const text = labels();
    document.querySelectorAll("div.long-output").forEach((box, index) => {
      const pre = box.querySelector("pre");
      if (!pre || box.nextElementSibling?.classList.contains("long-output-toggle")) return;
      const lines = pre.textContent.replace(/\n$/, "").split("\n").length;
      if (!box.id) box.id = `long-output-${index + 1}`;
      // A named region that the keyboard can reach and scroll (the theme gives scrolling <pre>s
      // a tabindex too); numbered, since each region of a page needs a name of its own.
      pre.setAttribute("role", "region");
      pre.setAttribute("aria-label", text.name(index + 1, lines));
      pre.tabIndex = 0;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "long-output-toggle";
      button.setAttribute("aria-controls", box.id);
      button.setAttribute("aria-expanded", "false");
      button.textContent = text.more(lines);
      button.addEventListener("click", () => {
        const expanded = box.classList.toggle("expanded");
        button.setAttribute("aria-expanded", String(expanded));
        button.textContent = expanded ? text.less : text.more(lines);
        if (!expanded) box.scrollIntoView({ block: "nearest" });
      });
      box.after(button);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
