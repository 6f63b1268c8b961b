// Fewer, larger chunks for every page's first load (booktracker/frontend_assets.py, issue 18).
//
// Rolldown gives each module that several routes share a chunk of its own: the feed loaded
// 53 files, 22 of them single lucide icons and 15 single Radix components. Two groups take
// them in: the icons the app's compiled pages import (only those: a group that matches every
// lucide module also takes the ~1,600 icons no page imports, 676 KB) and Radix (Themes and
// its primitives). The feed: 53 -> 15 files, 264 -> 255 KB gzipped, first post in the DOM
// ~40 ms sooner (bench/RESULTS.md, 2026-11-26).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const WEB = fileURLToPath(new URL(".", import.meta.url)); // .web: this file is written there
const SOURCES = ["app", "app_components", "components", "utils"]; // what Reflex compiles
const ICON_IMPORT = /lucide-react\/dist\/esm\/icons\/([a-z0-9-]+)\.mjs/g;
const LUCIDE = /[\\/]node_modules[\\/]lucide-react[\\/]dist[\\/]esm[\\/](.+)\.mjs$/;
const LUCIDE_RUNTIME = /^(createLucideIcon|Icon|defaultAttributes|context|shared[\\/])/;
const RADIX = /[\\/]node_modules[\\/]@radix-ui[\\/]/;

export function usedIcons(web = WEB) {
  const names = new Set();
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a folder this Reflex version does not write
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(jsx?|mjs)$/.test(entry.name)) {
        for (const match of readFileSync(path, "utf8").matchAll(ICON_IMPORT)) names.add(match[1]);
      }
    }
  };
  SOURCES.forEach((folder) => walk(join(web, folder)));
  return names;
}

export function chunkGroups(web = WEB) {
  const icons = usedIcons(web);
  const isIcon = (id) => {
    const match = LUCIDE.exec(id);
    if (!match) return false;
    const file = match[1];
    return file.startsWith("icons/") ? icons.has(file.slice("icons/".length)) : LUCIDE_RUNTIME.test(file);
  };
  return [
    { name: "icons", test: isIcon },
    { name: "radix", test: (id) => RADIX.test(id) },
  ];
}
