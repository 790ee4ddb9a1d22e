{% load static %}// Service worker of the entry form (scope /bao-cao/): the app's own assets and the form pages
// from the network and, when it is down, from the last copy seen. Saving is done by
// the page itself (static/reporting/entry.js), which queues values on the device while offline.
"use strict";
var CACHE = "kpi-entry-v1";
var ASSETS = [
  "{% static 'css/app.css' %}",
  "{% static 'js/autosubmit.js' %}",
  "{% static 'reporting/entry.css' %}",
  "{% static 'reporting/entry.js' %}",
  "{% static 'favicon.svg' %}",
  "{% static 'reporting/icon-192.png' %}",
  "{% url 'reporting:manifest' %}"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) {
    return;
  }
  // The network first (a new release is used at once), the last copy when it is down.
  var isAsset = ASSETS.indexOf(url.pathname) >= 0;
  if (isAsset || (request.mode === "navigate" && url.pathname.indexOf("{% url 'reporting:index' %}") === 0)) {
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      }).catch(function () {
        return caches.match(request).then(function (hit) { return hit || Response.error(); });
      })
    );
  }
});
