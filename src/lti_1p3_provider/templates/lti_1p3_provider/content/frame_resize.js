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

  function contentHeight() {
    var body = document.body;
    if (!body) { return 0; }
    var style = window.getComputedStyle(body);
    var margins = (parseFloat(style.marginTop) || 0) + (parseFloat(style.marginBottom) || 0);
    return Math.ceil(Math.max(body.offsetHeight, body.scrollHeight) + margins);
  }
  function send() {
    queued = false;
    var height = contentHeight();
    if (!height || Math.abs(height - sent) < 2) { return; }
    sent = height;
    var message = JSON.stringify({ subject: "lti.frameResize", height: height });
    origins.forEach(function (origin) {
      try { window.parent.postMessage(message, origin); } catch (e) { /* not that origin */ }
    });
  }
  function queue() {
    if (!queued) { queued = true; window.requestAnimationFrame(send); }
  }
  if (window.ResizeObserver && document.body) {
    new window.ResizeObserver(queue).observe(document.body);
  }
  window.addEventListener("load", queue);
  queue();
})();
