/* Training photos are made smaller on the phone before they are sent: a 4000×3000 shot of
   3–4 MB becomes a JPEG about 1600 px on its long side, a few hundred KB, which goes through
   a weak connection and is all a report needs. window.TrainingPhotos.formData(form) gives the
   form's FormData with each large image replaced by its smaller copy; a photo the browser
   cannot draw (or one already small) is sent as it is. The server keeps its own thumbnail for
   the lists (trainings/thumbnails.py). */
(function () {
  "use strict";
  var LONG_SIDE = 1600;
  // JPEG qualities tried in turn until the copy fits the budget (a photo full of fine detail
  // needs a lower one; most fit at the first).
  var QUALITIES = [0.82, 0.72, 0.6, 0.5];
  var BUDGET = 450 * 1024;
  var SMALL_ENOUGH = 600 * 1024;  // bytes: an image this light and this small is left alone

  function decode(file) {
    if (window.createImageBitmap) {
      // "from-image": a portrait shot stays upright (its EXIF orientation is applied).
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return decodeWithImg(file);
      });
    }
    return decodeWithImg(file);
  }

  function decodeWithImg(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("undecodable")); };
      img.src = url;
    });
  }

  function encode(canvas, step) {
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", QUALITIES[step]);
    }).then(function (blob) {
      if (blob && blob.size > BUDGET && step + 1 < QUALITIES.length) return encode(canvas, step + 1);
      return blob;
    });
  }

  function shrink(file, index) {
    if (!/^image\//.test(file.type)) return Promise.resolve(file);
    return decode(file).then(function (image) {
      var width = image.width, height = image.height;
      var scale = Math.min(1, LONG_SIDE / Math.max(width, height));
      if (scale === 1 && file.size <= SMALL_ENOUGH) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";  // a transparent PNG becomes a JPEG on white, not black
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) image.close();
      return encode(canvas, 0).then(function (blob) {
        if (!blob || blob.size >= file.size) return file;
        return new File([blob], "anh-" + (index + 1) + ".jpg", { type: "image/jpeg" });
      });
    }).catch(function () { return file; });
  }

  function formData(form) {
    var data = new FormData(form);
    var inputs = Array.prototype.filter.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.name && input.files && input.files.length && !input.disabled;
    });
    return Promise.all(inputs.map(function (input) {
      var files = Array.prototype.slice.call(input.files);
      return Promise.all(files.map(shrink)).then(function (smaller) {
        data.delete(input.name);
        smaller.forEach(function (file) { data.append(input.name, file, file.name); });
      });
    })).then(function () { return data; }, function () { return new FormData(form); });
  }

  window.TrainingPhotos = { formData: formData, shrink: shrink, LONG_SIDE: LONG_SIDE };
})();
