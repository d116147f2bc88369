/* Tell the platform's page how tall the launched content is, so it sizes its iframe instead
   of showing a second scrollbar: {subject: "lti.frameResize", height} (Canvas, Brightspace,
   Sakai and others). Sent only to the origins that may frame this launch, never to "*", and
   to this site (the teachers' panel frames the content and reports its own height). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.parent === window) { return; }
  var origins;
  try { origins = JSON.parse(script.getAttribute("data-frame-origins") || "[]"); } catch (e) { return; }
  if (!Array.isArray(origins) || !origins.length) { return; }
  origins = origins.concat([window.location.origin]);
  var sent = 0;
  var queued = false;

  function px(style, name) { return parseFloat(style[name]) || 0; }
  // The bottom of the body's content, not the body's own height: a page whose body is as tall
  // as the viewport (min-height: 100vh) would otherwise grow with every resize, for ever.
  // Fixed elements follow the viewport too, so they do not count.
  function contentHeight() {
    var body = document.body;
    if (!body) { return 0; }
    var bottom = 0;
    for (var el = body.firstElementChild; el; el = el.nextElementSibling) {
      var style = window.getComputedStyle(el);
      if (style.position === "fixed" || style.display === "none") { continue; }
      var rect = el.getBoundingClientRect();
      bottom = Math.max(bottom, rect.bottom + window.scrollY + px(style, "marginBottom"));
    }
    var own = window.getComputedStyle(body);
    var end = px(own, "paddingBottom") + px(own, "borderBottomWidth") + px(own, "marginBottom");
    return Math.ceil(bottom + end);
  }
  // A page that still grows by the same step each time it is resized is following its frame:
  // stop reporting growth rather than feed the loop.
  var steps = [];
  function looping(height) {
    steps.push(height - sent);
    if (steps.length > 3) { steps.shift(); }
    return steps.length === 3 && steps[0] > 0 && steps[0] === steps[1] && steps[1] === steps[2];
  }
  function send() {
    queued = false;
    var height = contentHeight();
    if (!height || Math.abs(height - sent) < 2 || (sent && looping(height))) { return; }
    sent = height;
    var message = JSON.stringify({ subject: "lti.frameResize", height: height });
    origins.forEach(function (origin) {
      try { window.parent.postMessage(message, origin); } catch (e) { /* not that origin */ }
    });
  }
  function queue() {
    if (!queued) { queued = true; window.requestAnimationFrame(send); }
  }
  // The body and each of its children: a body as tall as its frame does not resize when its
  // content does.
  var body = document.body;
  if (window.ResizeObserver && body) {
    var observer = new window.ResizeObserver(queue);
    observer.observe(body);
    for (var child = body.firstElementChild; child; child = child.nextElementSibling) {
      observer.observe(child);
    }
    if (window.MutationObserver) {
      new window.MutationObserver(function (records) {
        records.forEach(function (record) {
          record.addedNodes.forEach(function (node) {
            if (node.nodeType === 1) { observer.observe(node); }
          });
        });
        queue();
      }).observe(body, { childList: true });
    }
  }
  window.addEventListener("load", queue);
  queue();
})();
