// Check-in by QR code: the phone's camera through the browser, the badge's code sent on.
//
// The page renders templates/_macros/qr_scan.html: a hidden [data-qr-scan] section with the
// texts in data-msg-* (translated there), a start and a stop button, a <video>, a status line
// (role=status) and, to post, a form with the CSRF token and an empty field named by
// data-qr-scan-param. Without this script, or where the camera cannot work, the page's
// manual search is all there is, as before.
//
// A badge's QR code holds the check-in link with the code (…/checkin/scan?code=CODE), or the
// bare code. Only the code is taken, and sent to this page's own action: a scanned link is
// never opened, so its host does not matter (badges printed under another BASE_URL, http or
// https, still scan), but its path must be the one in data-qr-scan-path. The browser's
// BarcodeDetector reads the frames where it has one; elsewhere jsQR (static/vendor), loaded
// only when scanning starts.
(function () {
  "use strict";

  var root = document.querySelector("[data-qr-scan]");
  if (!root) return;
  var startButton = root.querySelector("[data-qr-scan-start]");
  var stopButton = root.querySelector("[data-qr-scan-stop]");
  var video = root.querySelector("[data-qr-scan-video]");
  var status = root.querySelector("[data-qr-scan-status]");
  var form = root.querySelector("form[data-qr-scan-form]");
  var param = root.getAttribute("data-qr-scan-param") || "code";
  var acceptPath = root.getAttribute("data-qr-scan-path");
  // A code is URL-safe text, as the app's tokens are.
  var CODE = /^[A-Za-z0-9_.~-]{1,200}$/;
  var FRAME_INTERVAL_MS = 150;
  // Decoding a phone's full-size frame costs jsQR too long; a QR code across a third of
  // the picture reads well at this width.
  var DECODE_WIDTH = 640;

  var stream = null;
  var engine = null;
  var timer = null;
  var scanning = false;
  var lastRejected = null;

  function message(name) {
    return root.getAttribute("data-msg-" + name) || "";
  }

  function say(name) {
    status.textContent = message(name);
  }

  function setState(state) {
    root.setAttribute("data-qr-scan-state", state);
  }

  function unavailable(name) {
    startButton.hidden = true;
    stopButton.hidden = true;
    setState("unavailable");
    say(name);
  }

  root.hidden = false;
  if (!window.isSecureContext) {
    unavailable("insecure");
    return;
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    unavailable("unsupported");
    return;
  }
  setState("idle");

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function nativeEngine() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") < 0) return null;
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return {
        name: "native",
        read: function () {
          return detector.detect(video).then(function (codes) {
            return codes.length ? codes[0].rawValue : null;
          });
        },
      };
    }).catch(function () { return null; });
  }

  function jsqrEngine() {
    var ready = window.jsQR ? Promise.resolve() : loadScript(root.getAttribute("data-qr-scan-jsqr"));
    return ready.then(function () {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return {
        name: "jsqr",
        read: function () {
          var scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
          var width = Math.round(video.videoWidth * scale);
          var height = Math.round(video.videoHeight * scale);
          if (!width || !height) return Promise.resolve(null);
          canvas.width = width;
          canvas.height = height;
          context.drawImage(video, 0, 0, width, height);
          var image = context.getImageData(0, 0, width, height);
          var code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
          return Promise.resolve(code ? code.data : null);
        },
      };
    });
  }

  // The code in a scanned text, or null when it is not a badge's.
  function codeFrom(text) {
    text = (text || "").trim();
    if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
      var url;
      try {
        url = new URL(text);
      } catch (error) {
        return null;
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") return null;
      if (acceptPath && url.pathname.replace(/\/+$/, "") !== acceptPath.replace(/\/+$/, "")) return null;
      var code = url.searchParams.get(param);
      return code && CODE.test(code) ? code : null;
    }
    return CODE.test(text) ? text : null;
  }

  function send(code) {
    if (form) {
      form.elements[param].value = code;
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
      return;
    }
    var target = new URL(root.getAttribute("data-qr-scan-url"), window.location.href);
    target.searchParams.set(param, code);
    window.location.assign(target.toString());
  }

  function tick() {
    timer = null;
    if (!scanning) return;
    var reading = video.readyState >= 2 ? engine.read() : Promise.resolve(null);
    reading.then(function (text) {
      if (!scanning) return;
      if (text !== null) {
        var code = codeFrom(text);
        if (code) {
          stop(null);
          setState("found");
          say("found");
          send(code);
          return;
        }
        if (text !== lastRejected) {
          lastRejected = text;
          say("foreign");
        }
      }
      timer = window.setTimeout(tick, FRAME_INTERVAL_MS);
    }).catch(function () {
      fail("failed");
    });
  }

  function problem(error) {
    switch (error && error.name) {
      case "NotAllowedError":
      case "SecurityError":
        return "denied";
      case "NotFoundError":
      case "OverconstrainedError":
        return "no-camera";
      case "NotReadableError":
      case "AbortError":
        return "busy";
      default:
        return "failed";
    }
  }

  function fail(name) {
    stop(null);
    setState("error");
    say(name);
  }

  function start() {
    if (scanning) return;
    setState("starting");
    say("starting");
    lastRejected = null;
    // The rear camera on a phone: the badge is in front of the person holding it.
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (mediaStream) {
        stream = mediaStream;
        video.srcObject = stream;
        video.hidden = false;
        return video.play();
      })
      .then(function () {
        return engine ? engine : nativeEngine().then(function (found) { return found || jsqrEngine(); });
      })
      .then(function (chosen) {
        if (!stream) return;  // stopped while starting
        engine = chosen;
        root.setAttribute("data-qr-scan-engine", engine.name);
        scanning = true;
        startButton.hidden = true;
        stopButton.hidden = false;
        stopButton.focus();
        setState("scanning");
        say("scanning");
        tick();
      })
      .catch(function (error) {
        fail(problem(error));
      });
  }

  // Turn the camera off; `name` is the status to show, null to leave it.
  function stop(name) {
    var hadFocus = document.activeElement === stopButton;
    scanning = false;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.pause();
    video.srcObject = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
    if (hadFocus) startButton.focus();
    if (name) {
      setState("idle");
      say(name);
    }
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () { stop("stopped"); });
  // A camera left on in a background tab, or a page kept in the back-forward cache.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && stream) stop("stopped");
  });
  window.addEventListener("pagehide", function () { stop(null); });
})();
