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
// - a variant or a size ("rt-variant-classic", "rt-r-size-4", "sm:rt-r-size-4")
//   of a component that no page gives it (jsx(RadixThemesButton,{variant:"soft"}))
//   and that is not its default nor set by Radix's own parts (Button kept
//   every variant and every size of every component: 75 and 80 KB of the
//   227 KB; one radio group's "classic" kept 17 KB of "classic" rules);
// Also dropped: the colour scales' Display P3 copies (below).
// Other props' values ("rt-r-gap-3" of a gap a page sets) are built from the
// props at run time and are not filtered. When it cannot tell (no Radix
// import found, a module it cannot resolve), nothing is dropped.
const fs = require("fs");
const path = require("path");

const WEB = __dirname;
const THEMES = path.join(WEB, "node_modules", "@radix-ui", "themes", "dist", "esm");
const SOURCES = ["app", "app_components", "components", "utils"];
const READS_CLASSES = path.join("utils", "state.js");
const THEMES_IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']@radix-ui\/themes["']/g;
const RELATIVE_IMPORT = /(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g;
const CLASS = /rt-[A-Za-z][\w-]*/g;
const COMPONENT_CLASS = /\.rt-[A-Z][\w-]*/g;
const COMPONENT_CLASS_NAME = /rt-[A-Z][\w-]*/g;
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
// A Radix Themes element in a compiled page: jsx(RadixThemesSelect.Trigger,{ (its props follow).
const THEMES_ELEMENT = /jsx\(RadixThemes(\w+)(?:\.\w+)?,\{/g;
const VALUE_PROPS = ["variant", "size"];
// In Radix's modules: a default (variant:{…default:"solid"}) and a literal its parts pass (size:"1").
const VALUE_DEFAULT = /(variant|size):\{[^{}]*?default:"([\w-]+)"/g;
const VALUE_LITERAL = /(variant|size):"([\w-]+)"/g;
const QUOTED = /"([\w-]+)"/g;
const VALUE_CLASS = { variant: /\.rt-variant-([\w-]+)/g, size: /rt-r-size-([\w-]+)/g };

function* sourceFiles(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.(jsx?|tsx?)$/.test(entry.name)) yield full;
  }
}

const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
const moduleFile = (name) => path.join(THEMES, "components", `${kebab(name)}.js`);

// The texts of these Radix Themes modules and of everything they import (each file read once
// per build: `cache`), or null, with a warning, when one is missing: then nothing is dropped.
function radixModules(files, cache) {
  const texts = [];
  const queue = [...files];
  const seen = new Set();
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!cache.has(file)) {
      if (!fs.existsSync(file)) {
        console.warn(`radix-themes-purge: ${file} not found; keeping every Radix Themes rule`);
        return null;
      }
      cache.set(file, fs.readFileSync(file, "utf8"));
    }
    const text = cache.get(file);
    texts.push(text);
    for (const match of text.matchAll(RELATIVE_IMPORT)) queue.push(path.resolve(path.dirname(file), match[1]));
  }
  return texts;
}

// The top-level "key: value" entries of the object literal starting at text[start] ("{"),
// strings skipped; a spread ("...x") is an entry with the key "...x".
function entriesAt(text, start) {
  const entries = [];
  let depth = 0;
  let begin = start + 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") {
      depth--;
      if (depth === 0) {
        entries.push(text.slice(begin, i));
        break;
      }
    } else if (c === "," && depth === 1) {
      entries.push(text.slice(begin, i));
      begin = i + 1;
    }
  }
  return entries.map((entry) => {
    if (entry.trim().startsWith("...")) return [entry.trim(), ""];
    const colon = entry.indexOf(":");
    const key = (colon < 0 ? entry : entry.slice(0, colon)).trim().replace(/^["']|["']$/g, "");
    return [key, colon < 0 ? "" : entry.slice(colon + 1)];
  });
}

// What the pages give each Radix Themes component they render, per prop: a Set of the values
// (the quoted words in it: "soft", or "1"/"2" of a responsive size) or "any" (a state value).
// Reflex's memoized components spread their literal props over what the call site passes,
// which is nothing here (jsx(Button_button_9f96…,{},…)): {...mergeSlotProps(rest, ({…}))}.
const MEMO_SPREAD = /^\.\.\.mergeSlotProps\(\s*rest\s*,\s*\(\{/;

function addGiven(entries, values) {
  for (const [key, value] of entries) {
    const memo = key.match(MEMO_SPREAD);
    if (memo) {
      addGiven(entriesAt(key, memo[0].length - 1), values);
      continue;
    }
    const props = key.startsWith("...") ? VALUE_PROPS : VALUE_PROPS.filter((prop) => prop === key);
    for (const prop of props) {
      const words = [...value.matchAll(QUOTED)].map((word) => word[1]);
      if (values[prop] === "any") continue;
      if (words.length === 0 || key.startsWith("...")) values[prop] = "any";
      else for (const word of words) values[prop].add(word);
    }
  }
}

function givenValues(text, given) {
  for (const match of text.matchAll(THEMES_ELEMENT)) {
    const name = match[1];
    const values = given.get(name) || Object.fromEntries(VALUE_PROPS.map((prop) => [prop, new Set()]));
    given.set(name, values);
    addGiven(entriesAt(text, match.index + match[0].length - 1), values);
  }
}

// Per component the pages render: the classes of its modules (its own and what they import),
// each with what that component allows -- what the pages give it, its defaults, and what
// Radix's own parts pass inside it (Select's scroll area is size "1").
function valueOwners(given, names, cache) {
  const owners = new Map(); // "rt-SelectTrigger" -> [{variant: Set|"any", size: Set|"any"}, ...]
  for (const [name, values] of given) {
    if (!names.has(name)) continue; // Reflex's own RadixThemesColorModeProvider, say
    const texts = radixModules([moduleFile(name)], cache);
    if (texts === null) return null;
    const allowed = Object.fromEntries(
      VALUE_PROPS.map((prop) => [prop, values[prop] === "any" ? "any" : new Set(values[prop])]),
    );
    const classes = new Set();
    for (const text of texts) {
      for (const match of text.matchAll(COMPONENT_CLASS_NAME)) classes.add(match[0]);
      for (const [, prop, value] of [...text.matchAll(VALUE_DEFAULT), ...text.matchAll(VALUE_LITERAL)]) {
        if (allowed[prop] !== "any") allowed[prop].add(value);
      }
    }
    for (const cls of classes) owners.set(cls, [...(owners.get(cls) || []), allowed]);
  }
  return owners;
}

function usedClasses() {
  const names = new Set();
  const used = new Set();
  const breakpoints = new Set();
  const responsive = new Set(); // "gap sm": the prop gap is given a value at sm somewhere
  const passed = new Set();
  const utilities = new Map(); // "gap" (of rt-r-gap-3) -> is it ever set?
  const given = new Map(); // "Button" -> {variant: Set|"any", size: Set|"any"}
  for (const dir of SOURCES) {
    for (const file of sourceFiles(path.join(WEB, dir))) {
      const text = fs.readFileSync(file, "utf8");
      for (const match of text.matchAll(THEMES_IMPORT)) {
        for (const part of match[1].split(",")) {
          const name = part.trim().split(/\s+as\s+/)[0];
          if (name) names.add(name);
        }
      }
      // Reflex's state.js reads a slider's value by its class name (rt-SliderRoot): it renders nothing.
      if (!file.endsWith(READS_CLASSES)) for (const match of text.matchAll(CLASS)) used.add(match[0]);
      for (const match of text.matchAll(BREAKPOINT_KEY)) breakpoints.add(match[1]);
      for (const [, prop, body] of text.matchAll(RESPONSIVE_PROP)) {
        for (const key of body.matchAll(BREAKPOINT_KEY)) responsive.add(`${prop} ${key[1]}`);
      }
      for (const match of text.matchAll(PROP_PASSED)) passed.add(match[1]);
      givenValues(text, given);
    }
  }
  const definitions = [];
  if (names.size === 0) {
    console.warn(`radix-themes-purge: no page imports @radix-ui/themes under ${WEB}; keeping every rule`);
    return null;
  }
  const cache = new Map();
  const texts = radixModules([...names].map(moduleFile), cache);
  if (texts === null) return null;
  for (const text of texts) {
    for (const match of text.matchAll(CLASS)) used.add(match[0]);
    for (const match of text.matchAll(PROP_LITERAL)) passed.add(match[1]);
    for (const match of text.matchAll(PROP_DEF)) definitions.push(match);
  }
  const screens = new Set(); // "gap sm": a utility's copy at a breakpoint that some page sets
  for (const [, prop, body, utility] of definitions) {
    const set = passed.has(prop) || /default:/.test(body);
    utilities.set(utility, (utilities.get(utility) || false) || set);
    for (const name of breakpoints) if (responsive.has(`${prop} ${name}`)) screens.add(`${utility} ${name}`);
  }
  const owners = valueOwners(given, names, cache);
  if (owners === null) return null;
  return { used, breakpoints, utilities, screens, owners };
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

// A variant or size rule stays when one of its components allows every value it names
// (or when no component the pages render owns its classes: nothing is known of it).
function keepsValues(selector, components, owners) {
  // .rt-SelectTrigger:where(:not(.rt-variant-ghost)) styles every variant but ghost.
  const named = selector.replace(/:not\([^()]*\)/g, "");
  return VALUE_PROPS.every((prop) => {
    const values = [...named.matchAll(VALUE_CLASS[prop])].map((match) => match[1]);
    if (values.length === 0 || components.length === 0) return true;
    return components.some((component) => {
      const allowed = owners.get(component.slice(1));
      if (allowed === undefined) return true;
      return allowed.some((given) => given[prop] === "any" || values.every((value) => given[prop].has(value)));
    });
  });
}

function keeps(selector, found) {
  const { used, utilities, owners } = found;
  const components = selector.match(COMPONENT_CLASS) || [];
  const props = [...selector.matchAll(UTILITY_CLASS)].map((match) => utilityOf(match[1], utilities));
  return (
    components.every((name) => used.has(name.slice(1))) &&
    [...selector.matchAll(BREAKPOINT_CLASS)].every((match) => keepsScreen(match, found)) &&
    props.every((utility) => utility === undefined || utilities.get(utility)) &&
    keepsValues(selector, components, owners)
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
