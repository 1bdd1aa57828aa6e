// The corpus map (GET /map): the located events of the current search as clustered markers over the bundled
// country outline (Natural Earth; no tile server, nothing loaded from elsewhere), a time window chosen with two
// sliders, and a timeline of events per week by type under it. Leaflet and Leaflet.markercluster are vendored
// from npm into /static/vendor (see its README). Every article-derived string reaches the page as text
// (textContent), never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("emap");
  if (!root || !window.L) { return; }
  var COLOURS = {"Battles": "#b3261e", "Explosions/Remote violence": "#d9731f", "Violence against civilians": "#7b1fa2",
                 "Protests": "#1f6fb3", "Riots": "#0b8a8a", "Strategic developments": "#2f8f4e"};
  var OTHER = "#5f6b76", DAY = 86400000;
  var status = document.getElementById("emap-status");

  var map = L.map(root, {preferCanvas: false, zoomSnap: 0.5, minZoom: 3, maxZoom: 14, worldCopyJump: false,
                         attributionControl: true});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Outlines: Natural Earth (public domain), de facto borders; no tiles");
  map.setView([34.8, 38.5], 6);
  var cluster = L.markerClusterGroup({maxClusterRadius: 40, spiderfyOnMaxZoom: true, chunkedLoading: true,
                                      showCoverageOnHover: false});

  // a cluster says what it holds: events, documents and the articles' death tolls summed (as ACLED's
  // dashboard gives fatality totals by area); the figures are the articles', events told twice count twice
  cluster.on("clustermouseover", function (e) {
    var ms = e.layer.getAllChildMarkers(), docs = {}, dead = 0, types = {};
    ms.forEach(function (m) {
      var p = m.options.event || {};
      docs[p.document] = 1; dead += p.fatalities || 0;
      types[p.type || "Other"] = (types[p.type || "Other"] || 0) + 1;
    });
    var box = el("div", ms.length + " event(s) in " + Object.keys(docs).length + " document(s)" +
                 (dead ? ", " + dead + " killed by the articles' figures" : ""));
    box.appendChild(el("div", Object.keys(types).sort(function (a, b) { return types[b] - types[a]; })
      .map(function (t) { return t + " " + types[t]; }).join(", "), "muted"));
    e.layer.bindTooltip(box, {direction: "top"}).openTooltip();
  });

  function colour(type) { return COLOURS[type] || OTHER; }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function textMarker(at, text, cls) {   // a name on the map, as text (never HTML)
    return L.marker(at, {interactive: false, keyboard: false,
                         icon: L.divIcon({className: cls, html: el("span", text), iconSize: null})});
  }
  function dayOf(date) {           // "2018-04-21", "2018-04" or "2018" -> days since 1970-01-01 (UTC), or null
    if (!date) { return null; }
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(String(date));
    if (!m) { return null; }
    return Math.floor(Date.UTC(+m[1], (+m[2] || 1) - 1, +m[3] || 1) / DAY);
  }
  function weekOf(day) { return Math.floor((day + 3) / 7); }      // weeks start on Monday (1970-01-01 was a Thursday)
  function weekDate(week) { return new Date((week * 7 - 3) * DAY).toISOString().slice(0, 10); }

  function popup(p) {
    var box = el("div", null, "ev-pop");
    box.appendChild(el("b", (p.type || "Other") + (p.sub_type ? " / " + p.sub_type : "")));
    box.appendChild(el("div", [p.date || "undated", p.place_name, p.modality].filter(Boolean).join(" · ")));
    if (p.fatalities) { box.appendChild(el("div", p.fatalities + " killed")); }
    var a = el("a", p.title || p.document);
    a.href = "/doc/" + encodeURIComponent(p.document);
    a.dir = "auto";
    box.appendChild(a);
    box.appendChild(el("div", [p.source, p.language].filter(Boolean).join(" · "), "muted"));
    return box;
  }

  var events = [], weeks = [], from = null, to = null, earliest = false;
  var sFrom = document.getElementById("t-from"), sTo = document.getElementById("t-to");
  var label = document.getElementById("t-label"), chart = document.getElementById("timeline");

  function inWindow(e) {
    return e.week === null || from === null || (e.week >= from && e.week <= to);
  }
  function redraw() {
    var shown = events.filter(inWindow);
    cluster.clearLayers();
    cluster.addLayers(shown.map(function (e) { return e.marker; }));
    var dead = shown.reduce(function (n, e) { return n + (e.p.fatalities || 0); }, 0);
    if (from !== null) {
      label.textContent = (earliest && from === weeks[0] ? "≤ " : "") + weekDate(from) + " – " + weekDate(to + 1);
    }
    status.textContent = shown.length + " of " + events.length + " located event(s) shown" +
                         (dead ? ", " + dead + " killed by the articles' figures" : "") + ".";
    root.setAttribute("data-shown", String(shown.length));
    drawTimeline();
  }

  function drawTimeline() {
    if (!weeks.length) { chart.textContent = ""; return; }
    var first = weeks[0], last = weeks[weeks.length - 1], n = last - first + 1;
    var counts = {}, types = {};
    events.forEach(function (e) {
      if (e.week === null) { return; }
      var c = counts[e.week] || (counts[e.week] = {});
      var t = e.p.type || "Other";
      c[t] = (c[t] || 0) + 1;
      types[t] = (types[t] || 0) + 1;
    });
    var order = Object.keys(types).sort(function (a, b) { return types[b] - types[a]; });
    var top = 1;
    Object.keys(counts).forEach(function (w) {
      var s = 0; for (var t in counts[w]) { s += counts[w][t]; } top = Math.max(top, s);
    });
    var W = 1000, H = 120, bw = W / n, NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + (H + 18));
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("class", "timeline");
    var shade = document.createElementNS(NS, "rect");
    shade.setAttribute("x", String((from - first) * bw)); shade.setAttribute("y", "0");
    shade.setAttribute("width", String((to - from + 1) * bw)); shade.setAttribute("height", String(H));
    shade.setAttribute("class", "window");
    svg.appendChild(shade);
    Object.keys(counts).forEach(function (w) {
      var y = H, wk = +w;
      order.forEach(function (t) {
        var k = counts[w][t];
        if (!k) { return; }
        var h = H * k / top, r = document.createElementNS(NS, "rect");
        y -= h;
        r.setAttribute("x", String((wk - first) * bw)); r.setAttribute("y", String(y));
        r.setAttribute("width", String(Math.max(bw - 0.5, 0.8))); r.setAttribute("height", String(h));
        r.setAttribute("fill", colour(t));
        r.setAttribute("opacity", wk >= from && wk <= to ? "1" : ".3");
        var tip = document.createElementNS(NS, "title");
        tip.textContent = "week of " + weekDate(wk) + ": " + t + " " + k;
        r.appendChild(tip);
        r.setAttribute("data-week", w);
        r.addEventListener("click", function () { setWindow(wk - first, wk - first); });
        svg.appendChild(r);
      });
    });
    [first, last].forEach(function (wk, i) {
      var tx = document.createElementNS(NS, "text");
      tx.setAttribute("x", String(i ? W : 0)); tx.setAttribute("y", String(H + 14));
      tx.setAttribute("text-anchor", i ? "end" : "start"); tx.setAttribute("font-size", "12");
      tx.textContent = (i === 0 && earliest ? "≤ " : "") + weekDate(wk);
      svg.appendChild(tx);
    });
    chart.textContent = "";
    chart.appendChild(svg);
    var legend = el("div", null, "muted");
    order.forEach(function (t) {
      var k = el("span", null, "key"); k.style.background = colour(t);
      legend.appendChild(k); legend.appendChild(document.createTextNode(t + " (" + types[t] + ")"));
    });
    chart.appendChild(legend);
  }

  function setWindow(a, b) {        // weeks from the first week with events; also what the sliders call
    if (!weeks.length) { return; }
    var first = weeks[0], last = weeks[weeks.length - 1];
    a = Math.max(0, Math.min(+a, last - first)); b = Math.max(0, Math.min(+b, last - first));
    if (a > b) { var x = a; a = b; b = x; }
    from = first + a; to = first + b;
    sFrom.value = String(a); sTo.value = String(b);
    redraw();
  }
  document.getElementById("t-all").addEventListener("click", function () {
    if (weeks.length) { setWindow(0, weeks[weeks.length - 1] - weeks[0]); }
  });
  sFrom.addEventListener("input", function () { setWindow(sFrom.value, Math.max(+sFrom.value, +sTo.value)); });
  sTo.addEventListener("input", function () { setWindow(Math.min(+sFrom.value, +sTo.value), sTo.value); });

  function start(outline, data) {
    L.geoJSON(outline, {interactive: false,
                        style: {color: "#8b98a5", weight: 1, fillColor: "#e4e9ee", fillOpacity: 1}}).addTo(map);
    outline.features.forEach(function (f) {
      if (f.properties.label) {
        textMarker([f.properties.label[1], f.properties.label[0]], f.properties.name, "country-label").addTo(map);
      }
    });
    events = data.features.map(function (f) {
      var p = f.properties, c = f.geometry.coordinates, day = dayOf(p.date);
      var m = L.circleMarker([c[1], c[0]], {radius: 6, color: "#fff", weight: 1.2, fillColor: colour(p.type),
                                           fillOpacity: 0.9, event: p});
      m.bindPopup(function () { return popup(p); });
      return {p: p, marker: m, week: day === null ? null : weekOf(day)};
    });
    // history the articles recall ("since 1963") would stretch the axis over decades: the axis starts at the
    // 2nd percentile of the event weeks and earlier events count in its first week
    var dated = events.filter(function (e) { return e.week !== null; }).map(function (e) { return e.week; })
                      .sort(function (a, b) { return a - b; });
    var low = dated.length ? dated[Math.floor(0.02 * dated.length)] : 0, seen = {};
    events.forEach(function (e) {
      if (e.week !== null) { e.week = Math.max(e.week, low); seen[e.week] = 1; }
    });
    earliest = dated.length && dated[0] < low;
    weeks = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
    if (weeks.length) {
      var span = weeks[weeks.length - 1] - weeks[0];
      sFrom.max = sTo.max = String(span);
      sFrom.disabled = sTo.disabled = false;
      setWindow(0, span);
    } else {
      redraw();
    }
    map.addLayer(cluster);
    // the names of the busiest places, from zoom 7 on, so a zoomed view says where it is
    var places = {}, names = L.layerGroup();
    events.forEach(function (e) {
      var k = e.p.place_name;
      if (k) { (places[k] || (places[k] = {n: 0, at: e.marker.getLatLng()})).n += 1; }
    });
    Object.keys(places).sort(function (a, b) { return places[b].n - places[a].n; }).slice(0, 40).forEach(function (k) {
      names.addLayer(textMarker(places[k].at, k, "place-label"));
    });
    map.on("zoomend", function () { if (map.getZoom() >= 7) { names.addTo(map); } else { names.remove(); } });
    map.fire("zoomend");
    if (events.length) {  // the middle 90% of the events in each direction, so one far-off place does not shrink the rest
      var lats = events.map(function (e) { return e.marker.getLatLng().lat; }).sort(function (a, b) { return a - b; });
      var lons = events.map(function (e) { return e.marker.getLatLng().lng; }).sort(function (a, b) { return a - b; });
      var q = function (xs, f) { return xs[Math.min(xs.length - 1, Math.floor(f * xs.length))]; };
      map.fitBounds([[q(lats, 0.05), q(lons, 0.05)], [q(lats, 0.95), q(lons, 0.95)]], {padding: [30, 30], maxZoom: 9, animate: false});
    }
    root.setAttribute("data-ready", "1");
  }

  window.marsadMap = {map: map, cluster: cluster, setWindow: setWindow,
                      span: function () { return weeks.length ? weeks[weeks.length - 1] - weeks[0] : 0; },
                      shown: function () { return events.filter(inWindow).length; }};
  Promise.all([fetch(root.getAttribute("data-outline")).then(function (r) { return r.json(); }),
               fetch(root.getAttribute("data-events")).then(function (r) {
                 if (!r.ok) { throw new Error("the events could not be read (" + r.status + ")"); }
                 return r.json();
               })])
    .then(function (both) { start(both[0], both[1]); })
    .catch(function (err) { status.textContent = String(err.message || err); root.setAttribute("data-ready", "error"); });
})();
