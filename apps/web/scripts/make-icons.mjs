#!/usr/bin/env node
/**
 * Writes the PWA icons into public/icons as PNGs, drawn from a few shapes:
 * a dark field, an amber card and two text lines. Run it again after
 * changing the drawing; the PNGs are committed so a build needs no tools.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BACKGROUND = [0x1f, 0x29, 0x33];
const CARD = [0xf2, 0xb2, 0x33];

/** Shapes in units of the icon's size; `inset` shrinks them for the maskable safe zone. */
function pixelAt(x, y, size, inset) {
  const u = x / size;
  const v = y / size;
  const scale = 1 - 2 * inset;
  const cu = (u - inset) / scale;
  const cv = (v - inset) / scale;
  const inCard = roundedRect(cu, cv, 0.22, 0.22, 0.78, 0.78, 0.09);
  const inLine =
    (cu > 0.34 && cu < 0.66 && cv > 0.39 && cv < 0.45) ||
    (cu > 0.34 && cu < 0.58 && cv > 0.55 && cv < 0.61);
  if (inCard && !inLine) return CARD;
  return BACKGROUND;
}

function roundedRect(u, v, left, top, right, bottom, radius) {
  if (u < left || u > right || v < top || v > bottom) return false;
  const dx = Math.max(left + radius - u, 0, u - (right - radius));
  const dy = Math.max(top + radius - v, 0, v - (bottom - radius));
  return dx * dx + dy * dy <= radius * radius;
}

function png(size, inset) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y += 1) {
    const row = y * (size * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < size; x += 1) {
      const [r, g, b] = pixelAt(x + 0.5, y + 0.5, size, inset);
      raw.set([r, g, b], row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });
const icons = [
  ['icon-192.png', 192, 0],
  ['icon-512.png', 512, 0],
  ['icon-maskable-512.png', 512, 0.1],
  ['apple-touch-icon-180.png', 180, 0],
];
for (const [name, size, inset] of icons) writeFileSync(new URL(name, out), png(size, inset));
console.log(`wrote ${icons.length} icons`);
