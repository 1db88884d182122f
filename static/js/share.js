/* Copy and Share for a link a coordinator sends to the team's Zalo group (invitations).
   Share opens the phone's share sheet (Web Share API), where Zalo is one of the apps; where the
   browser has no share sheet, Copy puts the link on the clipboard (the Clipboard API, else the
   selected text field's copy command). Either way a visible line says what happened. */
(function () {
  "use strict";

  function say(box, text, ok) {
    var status = box.querySelector("[data-share-status]");
    if (!status) return;
    status.textContent = text;
    status.className = "msg " + (ok ? "msg-success" : "msg-error");
  }

  function copyFallback(input) {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(box) {
    var input = box.querySelector("[data-share-url]");
    var done = function () { say(box, box.dataset.copied, true); };
    var failed = function () {
      if (copyFallback(input)) done();
      else say(box, box.dataset.copyFailed, false);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, failed);
    } else {
      failed();
    }
  }

  function share(box) {
    var input = box.querySelector("[data-share-url]");
    navigator
      .share({ title: box.dataset.shareTitle, text: box.dataset.shareText, url: input.value })
      .then(
        function () { say(box, box.dataset.shared, true); },
        function (error) {
          // Closing the share sheet is not a failure; anything else falls back to copying.
          if (!error || error.name !== "AbortError") copy(box);
        }
      );
  }

  function setUp(box) {
    var copyButton = box.querySelector("[data-copy]");
    var shareButton = box.querySelector("[data-share]");
    if (copyButton) {
      copyButton.hidden = false;
      copyButton.addEventListener("click", function () { copy(box); });
    }
    if (shareButton && typeof navigator.share === "function") {
      shareButton.hidden = false;
      shareButton.addEventListener("click", function () { share(box); });
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-share-box]"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
