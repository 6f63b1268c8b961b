// PostCSS plugin (booktracker/frontend_assets.py copies it into .web and adds it
// to postcss.config.js): drops the Radix Themes rules no page can use.
//
// Radix's components.css and utilities.css style every component, prop and
// breakpoint (684 KB, 54 KB gzipped); the app uses a fraction. A selector is
// kept unless it names
// - an "rt-<Component>" class that neither the compiled pages nor the Radix
//   Themes modules they import (followed through their own imports, so Select
//   keeps the ScrollArea it renders in) contain;
// - a breakpoint no page uses for that prop: Radix repeats every prop's rules
//   for xs/sm/md/lg/xl ("md:rt-r-gap-3", "sm:-rt-r-mb-2"); the pages spell a
//   responsive prop gap:({ ["initial"]: "2", ["sm"]: "4" }), so "sm:rt-r-gap-*"
//   stays and "md:rt-r-size-*" goes when no page sizes anything at md (the
//   breakpoint copies were 114 KB of the 338 KB kept, 7 KB gzipped);
// - a utility ("rt-r-m-2", "rt-r-gap-3") of a Radix prop that no page passes,
//   that Radix passes to none of its own parts and that has no default.
// Also dropped: the colour scales' Display P3 copies (below).
// Values and variants ("rt-r-size-2", "rt-variant-soft") are built from the
// props at run time and are not filtered. When it cannot tell (no Radix
// import found, a module it cannot resolve), nothing is dropped.
const fs = require("fs");
const path = require("path");

const WEB = __dirname;
const THEMES = path.join(WEB, "node_modules", "@radix-ui", "themes", "dist", "esm");
const SOURCES = ["app", "app_components", "components", "utils"];
const THEMES_IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']@radix-ui\/themes["']/g;
const RELATIVE_IMPORT = /(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g;
const CLASS = /rt-[A-Za-z][\w-]*/g;
const COMPONENT_CLASS = /\.rt-[A-Z][\w-]*/g;
const BREAKPOINT_KEY = /["'](xs|sm|md|lg|xl)["']\s*\]?\s*:/g;
// A responsive prop in a compiled page: gap:({ ["initial"] : "2", ["sm"] : "4" }).
const RESPONSIVE_PROP = /["']?(\w+)["']?\s*:\s*\(?\{([^{}]*)\}/g;
// A breakpoint copy of a rule: .md\:rt-r-size-2, .sm\:-rt-r-mb-2 (negative), .lg\:rt-r-display-none.
const BREAKPOINT_CLASS = /\.(xs|sm|md|lg|xl)\\:-?rt-(r-([\w-]+))?/g;
// A Radix prop definition: size:{type:"enum",className:"rt-r-size",…,default:"2"}.
const PROP_DEF = /(\w+):\{([^{}]*?className:"rt-r-([\w-]+)"[^{}]*)\}/g;
// A prop passed in the compiled pages: {gap:"3", or ,align:t, (not a definition: those start with "{").
const PROP_PASSED = /[{,]\s*["']?(\w+)["']?\s*:\s*(?!\{)/g;
// A prop Radix passes to its own parts: {mt:"3" (a literal; {m:e is its props being destructured).
const PROP_LITERAL = /[{,]\s*(\w+)\s*:\s*["'`]/g;
const UTILITY_CLASS = /rt-r-([\w-]+)/g;

function* sourceFiles(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.(jsx?|tsx?)$/.test(entry.name)) yield full;
  }
}

const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

function usedClasses() {
  const names = new Set();
  const used = new Set();
  const breakpoints = new Set();
  const responsive = new Set(); // "gap sm": the prop gap is given a value at sm somewhere
  const passed = new Set();
  const utilities = new Map(); // "gap" (of rt-r-gap-3) -> is it ever set?
  for (const dir of SOURCES) {
    for (const file of sourceFiles(path.join(WEB, dir))) {
      const text = fs.readFileSync(file, "utf8");
      for (const match of text.matchAll(THEMES_IMPORT)) {
        for (const part of match[1].split(",")) {
          const name = part.trim().split(/\s+as\s+/)[0];
          if (name) names.add(name);
        }
      }
      for (const match of text.matchAll(CLASS)) used.add(match[0]);
      for (const match of text.matchAll(BREAKPOINT_KEY)) breakpoints.add(match[1]);
      for (const [, prop, body] of text.matchAll(RESPONSIVE_PROP)) {
        for (const key of body.matchAll(BREAKPOINT_KEY)) responsive.add(`${prop} ${key[1]}`);
      }
      for (const match of text.matchAll(PROP_PASSED)) passed.add(match[1]);
    }
  }
  const definitions = [];
  if (names.size === 0) {
    console.warn(`radix-themes-purge: no page imports @radix-ui/themes under ${WEB}; keeping every rule`);
    return null;
  }
  const queue = [...names].map((name) => path.join(THEMES, "components", `${kebab(name)}.js`));
  const seen = new Set();
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!fs.existsSync(file)) {
      console.warn(`radix-themes-purge: ${file} not found; keeping every Radix Themes rule`);
      return null;
    }
    const text = fs.readFileSync(file, "utf8");
    for (const match of text.matchAll(CLASS)) used.add(match[0]);
    for (const match of text.matchAll(PROP_LITERAL)) passed.add(match[1]);
    for (const match of text.matchAll(PROP_DEF)) definitions.push(match);
    for (const match of text.matchAll(RELATIVE_IMPORT)) queue.push(path.resolve(path.dirname(file), match[1]));
  }
  const screens = new Set(); // "gap sm": a utility's copy at a breakpoint that some page sets
  for (const [, prop, body, utility] of definitions) {
    const set = passed.has(prop) || /default:/.test(body);
    utilities.set(utility, (utilities.get(utility) || false) || set);
    for (const name of breakpoints) if (responsive.has(`${prop} ${name}`)) screens.add(`${utility} ${name}`);
  }
  return { used, breakpoints, utilities, screens };
}

// The prop a utility class comes from ("m" for rt-r-m--2, "min-w" for rt-r-min-w).
function utilityOf(name, utilities) {
  let best;
  for (const utility of utilities.keys()) {
    if ((name === utility || name.startsWith(`${utility}-`)) && (!best || utility.length > best.length)) best = utility;
  }
  return best;
}

// A breakpoint copy stays when a page sets its prop at that breakpoint; one of a class
// that is no prop's (or of an unknown prop) when the breakpoint is used at all.
function keepsScreen([, name, , cls], { breakpoints, utilities, screens }) {
  const utility = cls === undefined ? undefined : utilityOf(cls, utilities);
  return utility === undefined ? breakpoints.has(name) : screens.has(`${utility} ${name}`);
}

function keeps(selector, found) {
  const { used, utilities } = found;
  const components = selector.match(COMPONENT_CLASS) || [];
  const props = [...selector.matchAll(UTILITY_CLASS)].map((match) => utilityOf(match[1], utilities));
  return (
    components.every((name) => used.has(name.slice(1))) &&
    [...selector.matchAll(BREAKPOINT_CLASS)].every((match) => keepsScreen(match, found)) &&
    props.every((utility) => utility === undefined || utilities.get(utility))
  );
}

function removeEmpty(root) {
  let removed = true;
  while (removed) {
    removed = false;
    root.walkAtRules((atRule) => {
      if (atRule.nodes && atRule.nodes.length === 0) {
        atRule.remove();
        removed = true;
      }
    });
  }
}

module.exports = () => ({
  postcssPlugin: "radix-themes-purge",
  OnceExit(root) {
    let found;
    root.walkRules((rule) => {
      if (!rule.selector.includes("rt-")) return;
      found = found === undefined ? usedClasses() : found;
      if (found === null) return;
      const kept = rule.selectors.filter((selector) => keeps(selector, found));
      if (kept.length === 0) rule.remove();
      else if (kept.length < rule.selectors.length) rule.selectors = kept;
    });
    // Each colour scale again in Display P3 for wide-gamut screens (22 KB, 4.8 KB gzipped of
    // the 40): every screen gets the sRGB values, as headless chromium's screenshots always did.
    root.walkAtRules("supports", (atRule) => {
      if (atRule.params.includes("display-p3")) atRule.remove();
    });
    removeEmpty(root);
  },
});
module.exports.postcss = true;
