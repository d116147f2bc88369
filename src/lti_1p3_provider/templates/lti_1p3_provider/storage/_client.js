// LTI Client Side postMessages: each request gets one response with the same message_id,
// accepted only from the platform's origin; data is never sent to any other origin.
window.ltiPlatformStorage = function (config) {
  "use strict";
  var host = window.parent !== window ? window.parent : window.opener;

  function frameFor(name) {
    if (!host || !name) { return null; }
    if (name === "_parent") { return host; }
    try { return host.frames[name] || null; } catch (e) { return null; }
  }

  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function send(frame, message, timeout) {
    return new Promise(function (resolve, reject) {
      if (!frame) { reject(new Error("no_storage_frame")); return; }
      var id = newId();
      var timer = setTimeout(function () { stop(); reject(new Error("timeout")); }, timeout || config.timeout);
      function stop() { clearTimeout(timer); window.removeEventListener("message", listen); }
      function listen(event) {
        var data = event.data;
        if (event.origin !== config.origin || !data || typeof data !== "object") { return; }
        if (data.message_id !== id || data.subject !== message.subject + ".response") { return; }
        stop();
        if (data.error) { reject(new Error(String(data.error.code || "error").slice(0, 64))); }
        else { resolve(data); }
      }
      window.addEventListener("message", listen);
      var body = { subject: message.subject, message_id: id };
      Object.keys(message).forEach(function (k) { body[k] = message[k]; });
      body.message_id = id;
      frame.postMessage(body, config.origin);
    });
  }

  // lti.capabilities may name the frame that handles a subject (Blackboard does).
  function frameFor_(subject) {
    var fallback = frameFor(config.target);
    return send(fallback, { subject: "lti.capabilities" }, 1500).then(function (data) {
      var list = Array.isArray(data.supported_messages) ? data.supported_messages : [];
      for (var i = 0; i < list.length; i++) {
        var item = list[i] || {};
        var same = item.subject === subject || item.subject === "org.imsglobal." + subject;
        if (same && typeof item.frame === "string" && item.frame) { return frameFor(item.frame) || fallback; }
      }
      return fallback;
    }, function () { return fallback; });
  }

  return { send: send, frame: frameFor_ };
};
