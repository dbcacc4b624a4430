// Read QR codes from a rendered page with the jsQR the check-in page uses (static/vendor).
// stdin: {"image": "page.pgm", "boxes": [[x, y, width, height], ...]} in pixels;
// stdout: a JSON list with the text in each box, or null where none was read.
"use strict";
const fs = require("fs");
const path = require("path");
const jsQR = require(path.join(__dirname, "..", "static", "vendor", "jsqr", "jsQR.js"));

function readPgm(file) {
  const bytes = fs.readFileSync(file);
  // "P5", width, height, maxval, each followed by whitespace, then one byte a pixel.
  const fields = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[at]))) at++;
    let start = at;
    while (!/\s/.test(String.fromCharCode(bytes[at]))) at++;
    fields.push(bytes.toString("latin1", start, at));
  }
  if (fields[0] !== "P5" || fields[3] !== "255") throw new Error("not an 8-bit PGM: " + file);
  return { width: +fields[1], height: +fields[2], pixels: bytes.subarray(at + 1) };
}

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const page = readPgm(request.image);
const found = request.boxes.map(([x, y, width, height]) => {
  x = Math.max(0, x); y = Math.max(0, y);
  width = Math.min(width, page.width - x); height = Math.min(height, page.height - y);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const grey = page.pixels[(y + row) * page.width + x + column];
      const at = (row * width + column) * 4;
      rgba[at] = rgba[at + 1] = rgba[at + 2] = grey;
      rgba[at + 3] = 255;
    }
  }
  const code = jsQR(rgba, width, height, { inversionAttempts: "dontInvert" });
  return code ? code.data : null;
});
process.stdout.write(JSON.stringify(found));
