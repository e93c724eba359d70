// Mask codecs of the API, exact both ways.
//
// Masks live in the UI as row-major Uint8Array (index y * width + x, 1 = inside). On the wire:
//  - instance masks: COCO RLE {width, height, counts}: runs over the pixels in COLUMN-major order,
//    alternating 0s and 1s, starting with a (possibly empty) run of 0s; counts may also be COCO's
//    compressed string (pycocotools' 6-bit alphabet), which decodeRLE accepts;
//  - semantic label maps: {width, height, runs: [[label, length], ...]} in ROW-major order.

/** Thrown for RLE or label-map JSON that cannot describe the image. */
export class MaskFormatError extends Error {}

/** Encodes a row-major binary mask as COCO RLE with integer counts. */
export function encodeRLE(mask, width, height) {
  checkSize(width, height);
  if (mask.length !== width * height) throw new MaskFormatError(`mask has ${mask.length} pixels, expected ${width}x${height}`);
  const counts = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x, y = 0; y < height; y++, i += width) {
      const v = mask[i] ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return { width, height, counts };
}

/** Decodes COCO RLE ({width, height, counts} with counts as numbers or the compressed string) to a row-major mask. */
export function decodeRLE(rle) {
  if (!rle || typeof rle !== 'object') throw new MaskFormatError('RLE must be an object {width, height, counts}');
  const { width, height } = rle;
  checkSize(width, height);
  const counts = typeof rle.counts === 'string' ? decodeCountsString(rle.counts) : rle.counts;
  if (!Array.isArray(counts)) throw new MaskFormatError('RLE counts must be a list of run lengths or a COCO string');
  let total = 0;
  for (const c of counts) {
    if (!Number.isInteger(c) || c < 0) throw new MaskFormatError(`RLE run length ${c} is not a non-negative integer`);
    total += c;
  }
  if (total !== width * height) throw new MaskFormatError(`RLE runs cover ${total} pixels, the image has ${width * height}`);
  const mask = new Uint8Array(width * height);
  let k = 0;
  for (let r = 0; r < counts.length; r++) {
    const end = k + counts[r];
    if (r & 1) {
      for (; k < end; k++) mask[(k % height) * width + Math.floor(k / height)] = 1;
    }
    k = end;
  }
  return mask;
}

/** COCO's compressed counts string (as pycocotools' rleToString writes it). */
export function encodeCountsString(counts) {
  let out = '';
  for (let i = 0; i < counts.length; i++) {
    let x = i > 2 ? counts[i] - counts[i - 2] : counts[i];
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5;
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      out += String.fromCharCode(c + 48);
    }
  }
  return out;
}

/** Inverse of encodeCountsString; plain arithmetic instead of 32-bit shifts, so long runs stay exact. */
export function decodeCountsString(text) {
  const counts = [];
  let p = 0;
  while (p < text.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= text.length) throw new MaskFormatError('RLE string ends inside a run');
      const c = text.charCodeAt(p) - 48;
      if (c < 0 || c >= 64) throw new MaskFormatError(`RLE string has '${text[p]}' outside its alphabet`);
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k); // sign-extend the last group
      if (k >= 13) throw new MaskFormatError('RLE string has a run too long');
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

/** Encodes a row-major label map as {width, height, runs: [[label, length], ...]}. */
export function encodeLabelRuns(labels, width, height) {
  checkSize(width, height);
  if (labels.length !== width * height) throw new MaskFormatError(`label map has ${labels.length} pixels, expected ${width}x${height}`);
  const runs = [];
  let label = labels[0];
  let length = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === label) {
      length++;
    } else {
      runs.push([label, length]);
      label = labels[i];
      length = 1;
    }
  }
  if (length > 0) runs.push([label, length]);
  return { width, height, runs };
}

/** Decodes {width, height, runs} to a row-major Uint8Array of class indices (labels above 255 are refused). */
export function decodeLabelRuns(map) {
  if (!map || typeof map !== 'object') throw new MaskFormatError('label map must be an object {width, height, runs}');
  const { width, height, runs } = map;
  checkSize(width, height);
  if (!Array.isArray(runs)) throw new MaskFormatError('label map runs must be a list of [label, length]');
  const labels = new Uint8Array(width * height);
  let k = 0;
  for (const run of runs) {
    if (!Array.isArray(run) || run.length !== 2) throw new MaskFormatError(`label map run ${JSON.stringify(run)} is not [label, length]`);
    const [label, length] = run;
    if (!Number.isInteger(label) || label < 0 || label > 255) throw new MaskFormatError(`label ${label} is not a class index 0…255`);
    if (!Number.isInteger(length) || length < 0) throw new MaskFormatError(`run length ${length} is not a non-negative integer`);
    if (k + length > labels.length) throw new MaskFormatError(`label map runs cover more than the ${labels.length} pixels of the image`);
    labels.fill(label, k, k + length);
    k += length;
  }
  if (k !== labels.length) throw new MaskFormatError(`label map runs cover ${k} of ${labels.length} pixels`);
  return labels;
}

function checkSize(width, height) {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new MaskFormatError(`mask size ${width}x${height} is not positive integers`);
  }
}
