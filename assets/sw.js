/* TrackMyRead's service worker (registered from every page's head: booktracker/pwa.py).
 *
 * - Hashed build files (/assets/*, content-addressed by Vite) and our icons: cache first.
 * - Page navigations: network first; offline, /offline.html ("You're offline — …").
 * - Everything else — the websocket (/_event), uploads (/_upload), the JSON API
 *   (/api/), other origins (the backend on Render) — is never touched or cached.
 * - BUILD_ID is replaced at export (scripts/finish_export.py, from the build's file
 *   names): a new deploy is a new sw.js byte-wise, so browsers install it; it
 *   takes over at once (skipWaiting + clients.claim) and deletes the old caches.
 */
const BUILD_ID = "__BUILD_ID__";
const PREFIX = "trackmyread-";
const CACHE = PREFIX + BUILD_ID;
const OFFLINE_URL = "/offline.html";
const PRECACHE = [OFFLINE_URL, "/favicon.svg", "/icon-192.png", "/manifest.webmanifest"];
const NEVER = ["/_event", "/_upload", "/api/", "/share/", "/sitemap.xml"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function cacheFirst(request) {
  return caches.open(CACHE).then((cache) =>
    cache.match(request).then(
      (hit) =>
        hit ||
        fetch(request).then((response) => {
          // Only whole, successful, same-origin answers are kept.
          if (response.ok && response.type === "basic") cache.put(request, response.clone());
          return response;
        }),
    ),
  );
}

function networkFirstPage(request) {
  return fetch(request).catch(() =>
    caches.match(OFFLINE_URL, { cacheName: CACHE }).then((page) => page || Response.error()),
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.startsWith("/assets/") || PRECACHE.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

// Web push (booktracker/push.py sends {title, body, url, tag}).
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "TrackMyRead", {
      body: message.body || "",
      tag: message.tag || undefined,
      icon: "/icon-192.png",
      badge: "/icon-192.png",
      data: { url: message.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "/", self.location.origin);
  // Only our own pages are opened from a notification.
  const href = target.origin === self.location.origin ? target.href : self.location.origin + "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === href);
      return open ? open.focus() : self.clients.openWindow(href);
    }),
  );
});
