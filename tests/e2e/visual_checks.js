// The visual checks of tests/e2e/test_visual_messy.py, run in the page as one
// evaluate. Returns a list of problems (strings); [] means the page looks right.
// Opt-outs: an element (or an ancestor) with data-clip-ok may clip its text.
async ({ rows, oneLine }) => {
  const problems = [];
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).slice(0, 2).join(".") : "";
    const text = (el.innerText || el.getAttribute("alt") || "").replace(/\s+/g, " ").trim().slice(0, 60);
    return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
  };
  const shown = (el) => {
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return rect.width > 2 && rect.height > 2 && style.visibility !== "hidden" && style.display !== "none" && style.opacity !== "0";
  };

  // Images: load the lazy ones too, and wait (briefly) until each has loaded or failed.
  const images = [...document.images];
  images.forEach((img) => { img.loading = "eager"; });
  const settled = (img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
  });
  await Promise.race([Promise.all(images.map(settled)), new Promise((done) => setTimeout(done, 4000))]);
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));

  // 1. The document never scrolls sideways.
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    const wide = [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && shown(el))
      .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
      .slice(0, 3).map(describe);
    problems.push(`horizontal overflow: the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window (${wide.join("; ")})`);
  }

  // 2. Text that does not fit its box: glyphs outside the box of the element that
  // overflows (clipped by it, or spilling out of it). Measured on the text itself, so
  // Radix ghost buttons, whose negative margins reach past their row, are no problem.
  const skip = new Set(["SCRIPT", "STYLE", "svg", "INPUT", "TEXTAREA", "SELECT", "OPTION", "IMG", "CANVAS", "NOSCRIPT"]);
  const scroller = (style) => style.overflowX === "auto" || style.overflowX === "scroll";
  const range = document.createRange();
  const textEscapes = (el) => {
    const box = el.getBoundingClientRect();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      // Text under a nearer clipping or scrolling box is that box's business.
      let owner = node.parentElement;
      while (owner !== el && getComputedStyle(owner).overflowX === "visible") owner = owner.parentElement;
      if (owner !== el || node.parentElement.closest("[data-clip-ok]")) continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        const over = Math.max(r.right - box.right, box.left - r.left);
        // 5px: a space that hangs at the end of a pre-wrap line may reach past the box.
        if (r.width > 0 && over > 5) return `${describe(node.parentElement)} sticks out ${Math.round(over)}px`;
      }
    }
    return "";
  };
  const clipped = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (skip.has(el.tagName) || el.closest("svg, [data-clip-ok], [data-radix-popper-content-wrapper]")) continue;
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    if (!(el.innerText || "").trim() || !shown(el)) continue;
    const style = getComputedStyle(el);
    // A sideways scroller (library tabs) is meant to scroll; an ellipsis is meant to clip.
    if (scroller(style) || style.textOverflow === "ellipsis") continue;
    // Screen-reader-only text (1px boxes clipped on purpose).
    if (style.position === "absolute" && el.getBoundingClientRect().width <= 2) continue;
    const escaping = textEscapes(el);
    if (escaping) clipped.push([el, escaping]);
  }
  clipped
    .filter(([el]) => !clipped.some(([other]) => other !== el && el.contains(other)))
    .slice(0, 5)
    .forEach(([el, escaping]) => problems.push(`text does not fit: in ${describe(el)} (${el.clientWidth}px wide), ${escaping}`));

  // 3. Siblings in key rows never overlap (header items, post headers, card grids, stats rows).
  for (const selector of rows) {
    for (const row of document.querySelectorAll(selector)) {
      const kids = [...row.children].filter(shown);
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const a = kids[i].getBoundingClientRect();
          const b = kids[j].getBoundingClientRect();
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          // Radix ghost buttons pull their padding in with negative margins: allow 3px.
          if (w > 3 && h > 3) problems.push(`overlap in ${selector}: ${describe(kids[i])} and ${describe(kids[j])} (${Math.round(w)}×${Math.round(h)}px)`);
        }
      }
    }
  }

  // 4. Labels meant for one line (navbar links and buttons, buttons, tabs) stay on one line
  // ("Log in" and "Sign up" wrapped onto two lines each on a phone).
  for (const el of document.querySelectorAll(oneLine.join(", "))) {
    if (!shown(el) || el.closest("[data-radix-popper-content-wrapper]")) continue;
    const rects = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || getComputedStyle(node.parentElement).visibility === "hidden") continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) rects.push(r);
    }
    // Lines: runs of text boxes that overlap vertically (a badge beside a label is the same line).
    let lines = 0;
    let bottom = -Infinity;
    for (const r of rects.sort((a, b) => a.top - b.top)) {
      if (r.top >= bottom - 2) {
        lines += 1;
        bottom = r.bottom;
      } else bottom = Math.max(bottom, r.bottom);
    }
    if (lines > 1) problems.push(`wraps onto ${lines} lines: ${describe(el)}`);
  }

  // 5. Chart labels: inside their chart (a y-axis "1,000" showed as ".000"), and axis ticks
  // never on top of each other (phone x-axis dates) -- the ticks are a row of the overlap check.
  for (const text of document.querySelectorAll("svg.recharts-surface text")) {
    const svg = text.closest("svg").getBoundingClientRect();
    const r = text.getBoundingClientRect();
    if (r.width > 0 && (r.left < svg.left - 1 || r.right > svg.right + 1)) {
      problems.push(`chart label cut off by its chart: "${text.textContent}"`);
    }
  }

  // 6. A sideways scroller that has more than it shows says so (a fading edge), as the library tabs do.
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (!scroller(style) || el.scrollWidth <= el.clientWidth + 1 || !shown(el) || el.closest("[data-clip-ok]")) continue;
    const mask = style.maskImage || style.webkitMaskImage || "none";
    if (mask === "none" && !el.hasAttribute("data-scroll-hint")) problems.push(`scrolls sideways with no hint that more is there: ${describe(el)}`);
  }

  // 7. Wording: one of something is singular ("1 books", "1–1 of 1 books", "Try again in 1 seconds").
  const wording = (document.querySelector("main")?.innerText || "").match(/(?<![\d.,])1 (books|posts|followers|reads|readers|seconds|minutes|comments|likes|days)\b|\b1–1 of\b/g);
  if (wording) problems.push(`plural with one: ${[...new Set(wording)].join(", ")}`);

  // 8. An image either loaded, or is hidden over a placeholder (never a broken icon and alt text).
  for (const img of images) {
    if (img.complete && img.naturalWidth > 0) continue;
    const style = getComputedStyle(img);
    const hidden = style.visibility === "hidden" || style.display === "none" || style.opacity === "0";
    const placeholder = [...(img.parentElement?.children || [])].some((el) => el !== img && el.getBoundingClientRect().width > 0);
    if (!(hidden && placeholder)) problems.push(`image without a loaded source or placeholder: ${img.src.slice(0, 80)} (${describe(img)})`);
  }

  // 9. Icons keep their shape: a flex row squeezed the book icon beside a wrapping title to a sliver.
  // An icon draws in the smaller side of its box: a box much narrower than tall draws it small
  // (that one was 6×14 px). Icon buttons size theirs to 20×24 px, drawn 20 px: no problem.
  for (const svg of document.querySelectorAll("svg.lucide")) {
    const style = getComputedStyle(svg);
    if (style.display === "none" || style.visibility === "hidden" || svg.closest("[data-radix-popper-content-wrapper]")) continue;
    const rect = svg.getBoundingClientRect();
    if (rect.height > 0 && rect.width < rect.height * 0.75) {
      problems.push(`squeezed icon: ${svg.getAttribute("class")} ${Math.round(rect.width)}×${Math.round(rect.height)}px, in ${describe(svg.parentElement)}`);
    }
  }

  // 10. Every character has a glyph: a font without Japanese showed names as empty boxes (tofu).
  // A character is drawn (in its element's font, on a canvas, which falls back as the page does)
  // and compared pixel for pixel with an unassigned code point, which is always the missing-glyph box.
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const pixels = (font, ch) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = font;
    ctx.textBaseline = "middle";
    ctx.fillText(ch, 4, 24);
    return ctx.getImageData(0, 0, 48, 48).data.join();
  };
  const tofu = new Map(); // font -> [missing characters, first element]
  const tried = new Set();
  const box = new Map();
  const textWalker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = textWalker.nextNode(); node; node = textWalker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA"].includes(parent.tagName)) continue;
    // Marks, format characters and spaces draw nothing on their own; ASCII is in every font.
    const chars = [...node.textContent].filter((ch) => ch.codePointAt(0) > 0x7f && !/[\p{M}\p{Cf}\p{Z}\p{Cc}]/u.test(ch));
    if (!chars.length) continue;
    const style = getComputedStyle(parent);
    const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
    if (!box.has(font)) box.set(font, pixels(font, "\u0378"));
    for (const ch of chars) {
      if (tried.has(font + ch)) continue;
      tried.add(font + ch);
      if (pixels(font, ch) !== box.get(font)) continue;
      if (!tofu.has(font)) tofu.set(font, [[], parent]);
      tofu.get(font)[0].push(ch);
    }
  }
  for (const [font, [chars, el]] of tofu) {
    problems.push(`missing glyphs (tofu): ${chars.slice(0, 20).join("")} in ${describe(el)} (font ${font})`);
  }
  return problems;
}
