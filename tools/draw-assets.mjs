// @ts-check
// `npm run assets [-- --png DIR]`
// Draws the lessons' diagrams into assets/: each as NAME.svg (English labels) and NAME.ko.svg (Korean
// labels, the terms of the books' Korean editions: Saito's translated by 개앞맵시, Chollet's by 박해선).
// Each diagram is drawn once from a label table, so the two editions have the same drawing; the numbers
// on them (the apples' graph, the gradient-descent steps) are computed here, not typed.
// `--png DIR` also renders every SVG to DIR/NAME.png with Debian's Chromium, to look at them.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { C, Drawing } from "./svg-drawing.mjs";

/** @typedef {import("./svg-drawing.mjs").Label} Label */
/** @typedef {import("./svg-drawing.mjs").Lang} Lang */

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
export const assetsDir = join(root, "assets");

/** Legend shared by the computational graphs: forward values above the edges, gradients below. */
const FWD = C.blue;
const BWD = C.red;

/** Draws the "forward above, backward below" legend at y, centred on cx. */
function legend(/** @type {Drawing} */ d, /** @type {number} */ cx, /** @type {number} */ y) {
  d.line(cx - 300, y - 5, cx - 276, y - 5, { stroke: FWD, width: 3 });
  d.text(cx - 268, y, { en: "forward: values above the edges", ko: "순전파: 에지 위의 값" }, { anchor: "start", fill: FWD, maxWidth: 250 });
  d.line(cx + 10, y - 5, cx + 34, y - 5, { stroke: BWD, width: 3 });
  d.text(cx + 42, y, { en: "backward: gradients below the edges", ko: "역전파: 에지 아래의 기울기" }, { anchor: "start", fill: BWD, maxWidth: 290 });
}

/** A small 7×7 pixel digit, for the MNIST samples. */
const DIGITS = {
  5: ["1111110", "1000000", "1111100", "0000010", "0000010", "1000010", "0111100"],
  0: ["0111100", "1000010", "1000010", "1000010", "1000010", "1000010", "0111100"],
  4: ["0000100", "0001100", "0010100", "0100100", "1111110", "0000100", "0000100"],
};

// ————————————————————————————————————————————— batch-axis (lesson 02, Chollet §2.2.8)
function batchAxis(/** @type {Lang} */ lang) {
  const d = new Drawing("batch-axis", lang, 780, 340, { en: "A batch of samples along axis 0", ko: "축 0을 따라 자른 샘플 배치" });
  const samples = 60000, batch = 128;
  d.text(390, 30, { en: "A batch is a slice along the samples axis (axis 0)", ko: "배치는 샘플 축(축 0)을 따라 자른 조각입니다" }, { size: 16, weight: "bold", maxWidth: 740 });
  d.text(390, 54, {
    en: `train_images: shape (${samples}, 28, 28), one 28 × 28 image per sample`,
    ko: `train_images: 크기 (${samples}, 28, 28), 샘플마다 28 × 28 이미지 하나`,
  }, { size: 13, fill: C.muted, maxWidth: 740 });
  const card = 70, step = 12, cards = 5;
  const groups = [
    { x: 40, digit: 5, name: { en: "batch 0", ko: "배치 0" }, slice: `train_images[0:${batch}]` },
    { x: 255, digit: 0, name: { en: "batch 1", ko: "배치 1" }, slice: `train_images[${batch}:${2 * batch}]` },
    { x: 575, digit: 4, name: { en: "batch n", ko: "배치 n" }, slice: `train_images[${batch}·n : ${batch}·(n + 1)]` },
  ];
  const top = 92;
  for (const g of groups) {
    for (let k = cards - 1; k >= 0; k--) {
      const x = g.x + k * step, y = top + (cards - 1 - k) * 4;
      d.rect(x, y, card, card, { fill: k === 0 ? C.blueFill : "#eef2ff", stroke: C.blue, width: 1.2, rx: 3 });
    }
    const pattern = DIGITS[/** @type {0 | 4 | 5} */ (g.digit)];
    const px = 7, ox = g.x + (card - 7 * px) / 2, oy = top + (cards - 1) * 4 + (card - 7 * px) / 2;
    pattern.forEach((row, r) => [...row].forEach((v, c) => {
      if (v === "1") d.rect(ox + c * px, oy + r * px, px, px, { fill: C.ink, stroke: "none" });
    }));
    const w = card + (cards - 1) * step, cx = g.x + w / 2, by = top + card + (cards - 1) * 4 + 10;
    d.poly([[g.x, by], [g.x, by + 6], [g.x + w, by + 6], [g.x + w, by]], { stroke: C.amber, width: 2 });
    d.text(cx, by + 26, g.name, { weight: "bold", fill: C.amber });
    d.text(cx, by + 46, g.slice, { size: 13, maxWidth: 250 });
    d.text(cx, by + 66, { en: `shape (${batch}, 28, 28)`, ko: `크기 (${batch}, 28, 28)` }, { size: 13, fill: C.muted });
    d.text(cx, top - 8, { en: `${batch} samples`, ko: `샘플 ${batch}개` }, { size: 13, fill: C.muted });
  }
  d.text(480, top + 52, "…", { size: 28, fill: C.muted });
  d.arrow([[30, 290], [750, 290]], { stroke: C.ink, width: 2 });
  d.text(390, 318, { en: "axis 0: the samples axis, also called the batch axis", ko: "축 0: 샘플 축 (배치 축이라고도 합니다)" }, { maxWidth: 720 });
  return d;
}

// ————————————————————————————————————————————— tensor-ranks (lesson 02, Chollet §2.2)
/** A grid of cells; `values` fills them with numbers. */
function grid(/** @type {Drawing} */ d, /** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ rows, /** @type {number} */ cols, /** @type {number} */ cw, /** @type {number} */ ch, fill = C.blueFill, stroke = C.blue, width = 1) {
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) d.rect(x + c * cw, y + r * ch, cw, ch, { fill, stroke, width });
}

/** An image as three channel layers (red, green, blue), offset like a small stack. */
function imageCard(/** @type {Drawing} */ d, /** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ s) {
  const layers = [["#fecaca", "#ef4444"], ["#bbf7d0", "#22c55e"], ["#bfdbfe", "#3b82f6"]];
  layers.forEach(([fill, stroke], i) => d.rect(x + (2 - i) * 5, y + i * 5, s, s, { fill, stroke, width: 1 }));
}

function tensorRanks(/** @type {Lang} */ lang) {
  const d = new Drawing("tensor-ranks", lang, 780, 460, { en: "Tensors of rank 0 to 5 and their shapes", ko: "랭크 0~5 텐서와 크기" });
  d.text(390, 30, { en: "Tensors by rank, with their shapes", ko: "랭크별 텐서와 크기" }, { size: 16, weight: "bold" });
  const cap = (/** @type {number} */ cx, /** @type {Label} */ name, /** @type {string} */ shape) => {
    d.text(cx, 226, name, { weight: "bold", maxWidth: 180 });
    d.text(cx, 248, { en: `shape ${shape}`, ko: `크기 ${shape}` }, { size: 13, fill: C.muted, maxWidth: 180 });
  };
  // rank 0
  d.rect(62, 122, 40, 40, { fill: C.blueFill, stroke: C.blue, width: 1 });
  d.text(82, 148, "5");
  cap(82, { en: "rank 0: scalar", ko: "랭크 0: 스칼라" }, "()");
  // rank 1
  const v = [12, 3, 6, 14];
  grid(d, 190, 122, 1, 4, 36, 40);
  v.forEach((n, i) => d.text(190 + 18 + i * 36, 148, String(n), { size: 13 }));
  cap(262, { en: "rank 1: vector", ko: "랭크 1: 벡터" }, "(4,)");
  // rank 2 with its axes
  const mx = 424, my = 110;
  grid(d, mx, my, 3, 4, 26, 22);
  d.arrow([[mx - 8, my], [mx - 8, my + 66]], { stroke: C.amber, width: 1.5 }, 7);
  d.text(mx - 14, my + 40, { en: "axis 0", ko: "축 0" }, { size: 13, anchor: "end", fill: C.amber });
  d.arrow([[mx, my - 8], [mx + 104, my - 8]], { stroke: C.amber, width: 1.5 }, 7);
  d.text(mx + 52, my - 14, { en: "axis 1", ko: "축 1" }, { size: 13, fill: C.amber });
  cap(mx + 52, { en: "rank 2: matrix", ko: "랭크 2: 행렬" }, "(3, 4)");
  // rank 3: three matrices stacked into a cube
  for (let k = 2; k >= 0; k--) grid(d, 628 + k * 14, 104 - k * 12 + 24, 3, 4, 22, 20, k === 0 ? C.blueFill : "#eef2ff");
  cap(680, { en: "rank 3: cube", ko: "랭크 3: 큐브" }, "(3, 3, 4)");
  d.line(20, 272, 760, 272, { stroke: C.grey, width: 1 });
  // rank 4: a batch of colour images
  for (let i = 0; i < 4; i++) imageCard(d, 40 + i * 62, 300, 44);
  d.text(300, 330, "…", { size: 22, fill: C.muted });
  d.text(180, 400, { en: "rank 4: images", ko: "랭크 4: 이미지" }, { weight: "bold" });
  d.text(180, 422, { en: "(samples, height, width, channels)", ko: "(샘플, 높이, 너비, 채널)" }, { size: 13, maxWidth: 330 });
  d.text(180, 444, { en: "e.g. (128, 256, 256, 3)", ko: "예: (128, 256, 256, 3)" }, { size: 13, fill: C.muted });
  // rank 5: a batch of videos, each a strip of frames
  for (let s = 0; s < 2; s++) {
    d.rect(420, 292 + s * 44, 300, 40, { fill: "none", stroke: C.line, width: 1, rx: 4, dash: "4 3" });
    for (let f = 0; f < 6; f++) imageCard(d, 428 + f * 46, 296 + s * 44, 26);
    d.text(736, 318 + s * 44, "…", { size: 18, fill: C.muted });
  }
  d.text(580, 400, { en: "rank 5: video", ko: "랭크 5: 동영상" }, { weight: "bold" });
  d.text(580, 422, { en: "(samples, frames, height, width, channels)", ko: "(샘플, 프레임, 높이, 너비, 채널)" }, { size: 13, maxWidth: 350 });
  d.text(580, 444, { en: "e.g. (4, 240, 144, 256, 3)", ko: "예: (4, 240, 144, 256, 3)" }, { size: 13, fill: C.muted });
  return d;
}

// ————————————————————————————————————————————— broadcasting (lesson 03, Chollet §2.3.2)
function broadcasting(/** @type {Lang} */ lang) {
  const rows = 32, cols = 10;
  const d = new Drawing("broadcasting", lang, 780, 500, { en: `Broadcasting (${rows}, ${cols}) + (${cols},)`, ko: `브로드캐스팅 (${rows}, ${cols}) + (${cols},)` });
  d.text(390, 30, { en: `Broadcasting: x (${rows}, ${cols}) + y (${cols},)`, ko: `브로드캐스팅: x (${rows}, ${cols}) + y (${cols},)` }, { size: 16, weight: "bold" });
  const cw = 13, top = 100;
  const row = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ h, fill = "#a7f3d0") => grid(d, x, y, 1, cols, cw, h, fill, C.green);
  // y (10,)
  row(30, top, 18);
  d.text(95, top - 14, { en: `y: shape (${cols},)`, ko: `y: 크기 (${cols},)` }, { weight: "bold", maxWidth: 150 });
  d.text(95, top + 44, { en: `1 axis, length ${cols}`, ko: `축 1개, 길이 ${cols}` }, { size: 13, fill: C.muted, maxWidth: 150 });
  // ① add an axis → (1, 10)
  d.arrow([[175, top + 9], [285, top + 9]], { stroke: C.ink });
  d.text(230, top - 2, { en: "① add an axis", ko: "① 축 추가" }, { size: 13, maxWidth: 110 });
  d.rect(296, top - 4, cols * cw + 8, 26, { stroke: C.amber, width: 1.5, rx: 3 });
  row(300, top, 18);
  d.text(369, top - 14, { en: `shape (1, ${cols})`, ko: `크기 (1, ${cols})` }, { weight: "bold", maxWidth: 150 });
  d.text(369, top + 44, { en: "axis 0: length 1 (new)", ko: "축 0: 길이 1 (새 축)" }, { size: 13, fill: C.amber, maxWidth: 160 });
  d.text(369, top + 64, { en: `axis 1: length ${cols}`, ko: `축 1: 길이 ${cols}` }, { size: 13, fill: C.muted, maxWidth: 160 });
  // ② repeat → (32, 10)
  d.arrow([[455, top + 9], [565, top + 9]], { stroke: C.ink });
  d.text(510, top - 2, { en: `② repeat ${rows}×`, ko: `② ${rows}번 반복` }, { size: 13, maxWidth: 110 });
  const rh = 5;
  row(580, top, rh);
  for (let r = 1; r < rows; r++) row(580, top + r * rh, rh, "#f0fdf4");
  d.arrow([[720, top], [720, top + rows * rh]], { stroke: C.amber, width: 1.5 }, 7);
  d.text(728, top + rows * rh / 2 + 5, { en: "axis 0", ko: "축 0" }, { size: 13, anchor: "start", fill: C.amber });
  d.text(645, top - 14, { en: `shape (${rows}, ${cols})`, ko: `크기 (${rows}, ${cols})` }, { weight: "bold", maxWidth: 150 });
  d.text(645, top + rows * rh + 22, { en: `row 0 repeated ${rows} times`, ko: "새 축을 따라" }, { size: 13, fill: C.muted, maxWidth: 190 });
  d.text(645, top + rows * rh + 42, { en: "along the new axis", ko: `0번 행을 ${rows}번 반복` }, { size: 13, fill: C.muted, maxWidth: 190 });
  // ③ x + y, element by element
  d.line(20, 318, 760, 318, { stroke: C.grey, width: 1 });
  const y2 = 350, rh2 = 3, cw2 = 9;
  const small = (/** @type {number} */ x, /** @type {string} */ fill, /** @type {string} */ stroke) => grid(d, x, y2, rows, cols, cw2, rh2, fill, stroke, 0.5);
  small(40, C.blueFill, C.blue);
  d.text(155, y2 + 54, "+", { size: 22 });
  small(180, "#a7f3d0", C.green);
  d.text(295, y2 + 54, "=", { size: 22 });
  small(320, C.purpleFill, C.purple);
  d.text(85, y2 + 122, `x (${rows}, ${cols})`, { size: 13 });
  d.text(225, y2 + 122, { en: `y, repeated (${rows}, ${cols})`, ko: `반복한 y (${rows}, ${cols})` }, { size: 13, maxWidth: 150 });
  d.text(365, y2 + 122, `x + y (${rows}, ${cols})`, { size: 13 });
  d.text(440, y2 + 20, { en: "③ add element by element", ko: "③ 원소별로 더합니다" }, { anchor: "start", weight: "bold", maxWidth: 320 });
  d.text(440, y2 + 46, { en: "The repetition is virtual: no (32, 10)", ko: "반복은 가상입니다. (32, 10) 텐서를" }, { anchor: "start", size: 13, fill: C.muted, maxWidth: 320 });
  d.text(440, y2 + 66, { en: "tensor is built in memory.", ko: "메모리에 만들지 않습니다." }, { anchor: "start", size: 13, fill: C.muted, maxWidth: 320 });
  return d;
}

// ————————————————————————————————————————————— dot-shapes (lesson 03, Chollet §2.3.3)
function dotShapes(/** @type {Lang} */ lang) {
  const d = new Drawing("dot-shapes", lang, 760, 410, { en: "The dot product's shape rule", ko: "점곱의 크기 규칙" });
  const hi = C.amber;
  d.text(380, 30, { en: "The dot product's shape rule", ko: "점곱의 크기 규칙" }, { size: 16, weight: "bold" });
  d.text(380, 62, [{ t: "(a, " }, { t: "b", fill: hi, weight: "bold" }, { t: ") · (" }, { t: "b", fill: hi, weight: "bold" }, { t: ", c) → (a, c)" }], { size: 18 });
  const cell = 28, i = 1, j = 1;
  // x (3, 4)
  const xx = 50, xy = 130;
  grid(d, xx, xy, 3, 4, cell, cell);
  for (let c = 0; c < 4; c++) d.rect(xx + c * cell, xy + i * cell, cell, cell, { fill: C.amberFill, stroke: hi, width: 1.5 });
  d.text(xx + 2 * cell, xy - 10, "b = 4", { size: 13, fill: hi, weight: "bold" });
  d.text(xx - 8, xy + 1.5 * cell + 5, "a = 3", { size: 13, anchor: "end", maxWidth: 44 });
  d.text(xx + 2 * cell, xy + 3 * cell + 24, "x (a, b)", { weight: "bold" });
  d.text(xx + 4 * cell + 24, xy + 1.5 * cell + 10, "·", { size: 32, weight: "bold" });
  // y (4, 2)
  const yx = 210, yy = 116;
  grid(d, yx, yy, 4, 2, cell, cell, C.greenFill, C.green);
  for (let r = 0; r < 4; r++) d.rect(yx + j * cell, yy + r * cell, cell, cell, { fill: C.amberFill, stroke: hi, width: 1.5 });
  d.text(yx + cell, yy - 10, "c = 2", { size: 13 });
  d.text(yx + 2 * cell + 8, yy + 2 * cell + 5, "b = 4", { size: 13, anchor: "start", fill: hi, weight: "bold" });
  d.text(yx + cell, yy + 4 * cell + 24 - 14 + 14, "y (b, c)", { weight: "bold" });
  d.text(yx + 2 * cell + 70, xy + 1.5 * cell + 6, "=", { size: 22 });
  // z (3, 2)
  const zx = 360;
  grid(d, zx, xy, 3, 2, cell, cell, C.purpleFill, C.purple);
  d.rect(zx + j * cell, xy + i * cell, cell, cell, { fill: hi, stroke: hi, width: 1.5 });
  d.text(zx + cell, xy - 10, "c = 2", { size: 13 });
  d.text(zx + 2 * cell + 8, xy + 1.5 * cell + 5, "a = 3", { size: 13, anchor: "start" });
  d.text(zx + cell, xy + 3 * cell + 24, "z (a, c)", { weight: "bold" });
  // the rule in words
  const tx = 490;
  d.text(tx, 140, { en: "z[i, j] = row i of x · column j of y", ko: "z[i, j] = (x의 i행) · (y의 j열)" }, { anchor: "start", size: 13, maxWidth: 265 });
  d.text(tx, 170, { en: "The shared axis b must have", ko: "공유 축 b는 두 텐서에서" }, { anchor: "start", size: 13, fill: hi, maxWidth: 265 });
  d.text(tx, 190, { en: "the same length in both,", ko: "길이가 같아야 하고," }, { anchor: "start", size: 13, fill: hi, maxWidth: 265 });
  d.text(tx, 210, { en: "and disappears from the result.", ko: "결과에서는 사라집니다." }, { anchor: "start", size: 13, fill: hi, maxWidth: 265 });
  // examples
  d.line(20, 272, 740, 272, { stroke: C.grey, width: 1 });
  d.text(40, 300, { en: "Examples", ko: "예" }, { anchor: "start", weight: "bold" });
  /** @type {[[number, number], [number, number], import("./svg-drawing.mjs").Label | null][]} */
  const ex = [
    [[3, 4], [4, 2], null],
    [[128, 784], [784, 512], { en: "an MNIST batch through a Dense layer", ko: "MNIST 배치 하나가 Dense 층을 지남" }],
    [[3, 4], [2, 4], null],
  ];
  ex.forEach(([[a, b], [b2, c], note], k) => {
    const y = 330 + k * 30;
    const ok = b === b2;
    d.text(40, y, [{ t: `(${a}, ` }, { t: String(b), fill: ok ? hi : C.red, weight: "bold" }, { t: ") · (" }, { t: String(b2), fill: ok ? hi : C.red, weight: "bold" }, { t: `, ${c})` }], { anchor: "start" });
    d.text(220, y, ok ? `→ (${a}, ${c})` : { en: `→ error: ${b} ≠ ${b2}`, ko: `→ 오류: ${b} ≠ ${b2}` }, { anchor: "start", fill: ok ? C.ink : C.red, maxWidth: 170 });
    if (note) d.text(400, y, note, { anchor: "start", size: 13, fill: C.muted, maxWidth: 300 });
  });
  return d;
}

// ————————————————————————————————————————————— geometry (lesson 03, Chollet §2.3.6)
function geometry(/** @type {Lang} */ lang) {
  const d = new Drawing("geometry", lang, 800, 560, { en: "The geometric view of tensor operations", ko: "텐서 연산의 기하학적 해석" });
  d.text(400, 30, { en: "The geometric view of tensor operations", ko: "텐서 연산의 기하학적 해석" }, { size: 16, weight: "bold" });
  // (a) vector addition
  const ox = 70, oy = 250, s = 110;
  const A = [1.2, 0.35], B = [0.35, 1.0], S = [A[0] + B[0], A[1] + B[1]];
  const P = (/** @type {number[]} */ v) => /** @type {[number, number]} */ ([ox + v[0] * s, oy - v[1] * s]);
  d.text(200, 64, { en: "(a) vector addition", ko: "(a) 벡터 덧셈" }, { weight: "bold" });
  d.arrow([[ox - 20, oy], [ox + 250, oy]], { stroke: C.line, width: 1 }, 6);
  d.arrow([[ox, oy + 15], [ox, oy - 170]], { stroke: C.line, width: 1 }, 6);
  d.arrow([P([0, 0]), P(A)], { stroke: C.blue, width: 2.5 });
  d.arrow([P([0, 0]), P(B)], { stroke: C.green, width: 2.5 });
  d.arrow([P(A), P(S)], { stroke: C.green, width: 1.5, dash: "5 4" });
  d.arrow([P(B), P(S)], { stroke: C.blue, width: 1.5, dash: "5 4" });
  d.arrow([P([0, 0]), P(S)], { stroke: C.purple, width: 2.5 });
  d.text(P(A)[0] + 14, P(A)[1] + 16, "A", { weight: "bold", fill: C.blue });
  d.text(P(B)[0] - 12, P(B)[1] + 4, "B", { weight: "bold", fill: C.green });
  d.text(P(S)[0] + 10, P(S)[1] - 6, "A + B", { weight: "bold", fill: C.purple, anchor: "start" });
  d.text(200, 286, { en: "B's tail moves to A's head", ko: "B의 시작점을 A의 끝점으로 옮깁니다" }, { size: 13, fill: C.muted, maxWidth: 330 });
  // (b) rotation
  const rx = 560, ry = 245, rs = 70, th = 75 * Math.PI / 180;
  d.text(590, 64, { en: "(b) rotation by θ", ko: "(b) θ만큼 회전" }, { weight: "bold" });
  d.arrow([[rx - 40, ry], [rx + 190, ry]], { stroke: C.line, width: 1 }, 6);
  d.arrow([[rx, ry + 15], [rx, ry - 160]], { stroke: C.line, width: 1 }, 6);
  /** @type {[number, number][]} */
  const shape = [[0.3, 0.1], [1.9, 0.1], [1.9, 0.5], [0.7, 0.5], [0.7, 1.0], [0.3, 1.0]];
  const rot = (/** @type {[number, number]} */ [x, y]) => /** @type {[number, number]} */ ([x * Math.cos(th) - y * Math.sin(th), x * Math.sin(th) + y * Math.cos(th)]);
  const R = (/** @type {[number, number]} */ [x, y]) => /** @type {[number, number]} */ ([rx + x * rs, ry - y * rs]);
  d.poly(shape.map(R), { fill: C.grey, stroke: C.line, width: 1.5 }, true);
  d.poly(shape.map(rot).map(R), { fill: C.blueFill, stroke: C.blue, width: 2 }, true);
  const p = shape[1], Rp = rot(p);
  d.circle(...R(p), 4, { fill: C.ink, stroke: "none" });
  d.circle(...R(Rp), 4, { fill: C.blue, stroke: "none" });
  d.text(R(p)[0] + 8, R(p)[1] + 4, "p", { anchor: "start", weight: "bold" });
  d.text(R(Rp)[0] + 10, R(Rp)[1] + 4, "R · p", { anchor: "start", weight: "bold", fill: C.blue });
  /** @type {[number, number][]} */
  const arc = [];
  for (let k = 0; k <= 12; k++) arc.push(R([2.45 * Math.cos((th * k) / 12), 2.45 * Math.sin((th * k) / 12)]));
  d.arrow(arc, { stroke: C.amber, width: 1.5 }, 7);
  const mid = R([2.6 * Math.cos(th / 2), 2.6 * Math.sin(th / 2)]);
  d.text(mid[0] + 4, mid[1] + 4, "θ", { fill: C.amber, weight: "bold", anchor: "start" });
  d.text(600, 286, "R = [[cos θ, −sin θ], [sin θ, cos θ]]", { size: 13 });
  d.text(600, 306, { en: "each point p moves to R · p", ko: "각 점 p는 R · p로 옮겨집니다" }, { size: 13, fill: C.muted, maxWidth: 330 });
  // (c) uncrumpling a paper ball
  d.line(20, 326, 780, 326, { stroke: C.grey, width: 1 });
  d.text(400, 356, { en: "(c) uncrumpling a paper ball: each layer unfolds the data a little", ko: "(c) 종이 공 펼치기: 층마다 데이터를 조금씩 펼칩니다" }, { weight: "bold", maxWidth: 760 });
  const cy = 440, xs = [100, 300, 500, 700];
  const classes = [C.blue, C.amber];
  // stage 0: a crumpled ball, the two sheets tangled
  classes.forEach((col, c) => {
    /** @type {[number, number][]} */
    const pts = [];
    for (let k = 0; k < 26; k++) {
      const t = (k / 26) * 2 * Math.PI;
      const r = 34 + 16 * Math.sin(5 * t + c * 2.1) + 6 * Math.cos(11 * t + c);
      pts.push([xs[0] + r * Math.cos(t + c * 0.4), cy + r * Math.sin(t + c * 0.4)]);
    }
    d.curve(pts, { stroke: col, width: 4, opacity: 0.85 }, true);
  });
  // stages 1–3: two sheets, less crumpled and further apart at each layer
  [[24, 3, 0], [10, 2, 14], [0, 1, 30]].forEach(([amp, freq, gap], k) => {
    classes.forEach((col, c) => {
      /** @type {[number, number][]} */
      const pts = [];
      for (let q = 0; q <= 16; q++) {
        const u = q / 16 - 0.5;
        const wob = amp * Math.sin(freq * Math.PI * 2 * u + c * 1.3);
        pts.push([xs[k + 1] + u * 124, cy + (c === 0 ? -1 : 1) * gap / 2 + wob + (c === 0 ? -4 : 4)]);
      }
      d.curve(pts, { stroke: col, width: 4, opacity: 0.85 });
    });
  });
  d.line(xs[3] - 66, cy, xs[3] + 66, cy, { stroke: C.muted, width: 1.2, dash: "4 4" });
  for (let k = 0; k < 3; k++) {
    d.arrow([[xs[k] + 70, cy], [xs[k + 1] - 72, cy]], { stroke: C.ink, width: 1.5 }, 7);
    d.text((xs[k] + xs[k + 1]) / 2 - 1, cy - 12, { en: `layer ${k + 1}`, ko: `층 ${k + 1}` }, { size: 13, maxWidth: 60 });
  }
  d.text(xs[0], 520, { en: "input: two classes", ko: "입력: 서로 뒤엉킨" }, { size: 13, fill: C.muted, maxWidth: 170 });
  d.text(xs[0], 540, { en: "crumpled together", ko: "두 클래스" }, { size: 13, fill: C.muted, maxWidth: 170 });
  d.text(xs[3], 520, { en: "output: the classes", ko: "출력: 직선 하나로" }, { size: 13, fill: C.muted, maxWidth: 170 });
  d.text(xs[3], 540, { en: "separated by a line", ko: "나뉘는 두 클래스" }, { size: 13, fill: C.muted, maxWidth: 170 });
  return d;
}

// ————————————————————————————————————————————— training-loop (lessons 01 and 08, Chollet §2.4–2.5)
function trainingLoop(/** @type {Lang} */ lang) {
  const d = new Drawing("training-loop", lang, 800, 360, { en: "The training loop", ko: "훈련 루프" });
  d.text(400, 30, { en: "The training loop", ko: "훈련 루프" }, { size: 16, weight: "bold" });
  const box = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ w, /** @type {number} */ h, /** @type {string} */ fill, /** @type {string} */ stroke) => d.rect(x, y, w, h, { fill, stroke, width: 1.5, rx: 8 });
  const my = 115;
  box(20, my - 25, 90, 50, C.panel, C.line);
  d.text(65, my + 5, { en: "inputs x", ko: "입력 x" }, { maxWidth: 80 });
  const layers = [[150, 1], [330, 2]];
  for (const [x, n] of layers) {
    box(x, 60, 140, 110, C.blueFill, C.blue);
    d.text(x + 70, 84, { en: `layer ${n}`, ko: `층 ${n}` }, { weight: "bold", fill: C.blue });
    box(x + 15, 100, 110, 56, C.greenFill, C.green);
    d.text(x + 70, 123, { en: "weights", ko: "가중치" }, { fill: C.green, size: 13, maxWidth: 100 });
    d.text(x + 70, 144, [{ t: "W" }, { t: String(n), size: 11, dy: 4 }, { t: ", b", dy: -4 }, { t: String(n), size: 11, dy: 4 }], { fill: C.green, size: 14 });
  }
  d.arrow([[110, my], [150, my]], { stroke: FWD, width: 2 });
  d.arrow([[290, my], [330, my]], { stroke: FWD, width: 2 });
  box(510, 80, 120, 50, C.panel, C.line);
  d.text(570, 110, { en: "predictions", ko: "예측" }, { maxWidth: 110 });
  d.arrow([[470, 105], [510, 105]], { stroke: FWD, width: 2 });
  box(510, 170, 120, 50, C.panel, C.line);
  d.text(570, 200, { en: "targets", ko: "타깃" }, { maxWidth: 110 });
  box(665, 110, 120, 60, C.purpleFill, C.purple);
  d.text(725, 145, { en: "loss function", ko: "손실 함수" }, { fill: C.purple, weight: "bold", maxWidth: 112 });
  d.arrow([[630, 105], [665, 128]], { stroke: FWD, width: 2 });
  d.arrow([[630, 195], [665, 152]], { stroke: FWD, width: 2 });
  box(665, 250, 120, 50, C.redFill, BWD);
  d.text(725, 280, { en: "optimizer", ko: "옵티마이저" }, { fill: BWD, weight: "bold", maxWidth: 112 });
  d.arrow([[725, 170], [725, 250]], { stroke: C.purple, width: 2 });
  d.text(718, 208, { en: "loss value", ko: "손실 값" }, { anchor: "end", size: 13, fill: C.purple, maxWidth: 70 });
  d.text(718, 228, { en: "and gradient", ko: "그레이디언트" }, { anchor: "end", size: 13, fill: C.purple, maxWidth: 90 });
  // the update goes back to the weights of every layer
  d.poly([[665, 275], [220, 275]], { stroke: BWD, width: 2 });
  d.arrow([[220, 275], [220, 156]], { stroke: BWD, width: 2 });
  d.arrow([[400, 275], [400, 156]], { stroke: BWD, width: 2 });
  d.text(520, 266, { en: "weight update", ko: "가중치 업데이트" }, { fill: BWD, weight: "bold", maxWidth: 190 });
  d.text(310, 296, { en: "W ← W − learning rate × gradient", ko: "W ← W − 학습률 × 그레이디언트" }, { size: 13, fill: BWD, maxWidth: 300 });
  d.text(400, 340, { en: "One turn is one training step; it repeats for every batch.", ko: "한 바퀴가 훈련 스텝 하나이고, 배치마다 반복합니다." }, { size: 13, fill: C.muted, maxWidth: 760 });
  return d;
}

// ————————————————————————————————————————————— gradient-descent (Chollet §2.4.3)
/** The loss curve: a local minimum on the right, the global one on the left. */
const loss = (/** @type {number} */ w) => 0.1 * w ** 4 - 0.8 * w ** 2 + 0.4 * w + 2;
const dloss = (/** @type {number} */ w) => 0.4 * w ** 3 - 1.6 * w + 0.4;

/** w after each step of SGD with momentum β (β = 0: plain SGD), from w0. */
export function descend(/** @type {number} */ w0, /** @type {number} */ lr, /** @type {number} */ steps, momentum = 0) {
  const ws = [w0];
  let w = w0, v = 0;
  for (let k = 0; k < steps; k++) {
    v = momentum * v - lr * dloss(w);
    w += v;
    ws.push(w);
  }
  return ws;
}

/** The minima of the loss curve in [-3, 3.2], found by bisection on its derivative. */
function minima() {
  /** @type {number[]} */
  const found = [];
  for (let w = -3; w < 3.2; w += 0.01) {
    if (dloss(w) < 0 && dloss(w + 0.01) >= 0) {
      let [lo, hi] = [w, w + 0.01];
      for (let k = 0; k < 40; k++) { const m = (lo + hi) / 2; if (dloss(m) < 0) lo = m; else hi = m; }
      found.push(lo);
    }
  }
  return found;
}

function gradientDescent(/** @type {Lang} */ lang) {
  const d = new Drawing("gradient-descent", lang, 800, 370, { en: "Gradient descent on a 1-D loss curve", ko: "1차원 손실 곡선에서 경사 하강법" });
  d.text(400, 30, { en: "Gradient descent on a 1-D loss curve", ko: "1차원 손실 곡선에서 경사 하강법" }, { size: 16, weight: "bold" });
  d.text(400, 54, { en: "each step: w ← w − η × gradient  (η: learning rate)", ko: "스텝마다 w ← w − η × 그레이디언트  (η: 학습률)" }, { size: 13, fill: C.muted, maxWidth: 740 });
  const [globalMin, localMin] = minima();
  const w0 = 3.05;
  const panels = [
    { title: { en: "(a) small learning rate", ko: "(a) 작은 학습률" }, sub: { en: "slow, steady steps", ko: "느리지만 꾸준한 스텝" }, ws: descend(w0, 0.04, 10), col: C.blue },
    { title: { en: "(b) learning rate too large", ko: "(b) 너무 큰 학습률" }, sub: { en: "overshoots, bounces, never settles", ko: "최솟값을 지나쳐 계속 튀어 다님" }, ws: descend(w0, 0.8, 4), col: C.red },
    { title: { en: "(c) momentum", ko: "(c) 모멘텀" }, sub: { en: "rolls past the local minimum", ko: "지역 최솟값을 넘어감" }, ws: descend(w0, 0.04, 30, 0.9), col: C.green },
  ];
  const pw = 240, ph = 200, top = 120;
  const [w1, w2, l1, l2] = [-3.3, 3.2, -1.9, 5.2];
  panels.forEach((p, k) => {
    const px = 25 + k * 260;
    const X = (/** @type {number} */ w) => px + ((w - w1) / (w2 - w1)) * pw;
    const Y = (/** @type {number} */ l) => top + ph - ((l - l1) / (l2 - l1)) * ph;
    d.rect(px - 5, top - 10, pw + 10, ph + 20, { fill: C.panel, stroke: C.grey, width: 1, rx: 6 });
    d.text(px + pw / 2, 84, p.title, { weight: "bold", fill: p.col, maxWidth: 250 });
    d.text(px + pw / 2, 104, p.sub, { size: 13, fill: C.muted, maxWidth: 250 });
    /** @type {[number, number][]} */
    const pts = [];
    for (let w = w1; w <= w2 + 1e-9; w += 0.1) pts.push([X(w), Y(Math.min(loss(w), l2))]);
    d.curve(pts, { stroke: C.ink, width: 2 });
    d.text(px + pw - 4, top + ph + 4, { en: "weight w", ko: "가중치 w" }, { size: 13, anchor: "end", fill: C.muted });
    d.text(px + 4, top + 8, { en: "loss", ko: "손실" }, { size: 13, anchor: "start", fill: C.muted });
    // the steps: a dot on the curve per value of w, joined in order
    const shown = p.ws.filter((w) => w >= w1 && w <= w2);
    // Each step is a hop over the curve, higher for a longer step, so jumps back and forth stay apart.
    for (let q = 0; q + 1 < shown.length; q++) {
      const [ax, ay, bx, by] = [X(shown[q]), Y(loss(shown[q])), X(shown[q + 1]), Y(loss(shown[q + 1]))];
      const lift = Math.min(60, 0.25 * Math.abs(bx - ax));
      const [cx, cy] = [(ax + bx) / 2, Math.min(ay, by) - lift];
      /** @type {[number, number][]} */
      const hop = [];
      for (let k = 0; k <= 16; k++) {
        const t = k / 16;
        hop.push([(1 - t) ** 2 * ax + 2 * t * (1 - t) * cx + t * t * bx, (1 - t) ** 2 * ay + 2 * t * (1 - t) * cy + t * t * by]);
      }
      d.arrow(hop, { stroke: p.col, width: 1.3, opacity: 0.8 }, 6);
    }
    shown.forEach((w, q) => d.circle(X(w), Y(loss(w)), q === 0 ? 5 : 3.5, { fill: q === 0 ? C.paper : p.col, stroke: p.col, width: 1.5 }));
    d.text(X(p.ws[0]) - 9, Y(loss(p.ws[0])) + 15, { en: "start", ko: "시작" }, { size: 13, anchor: "end", fill: p.col });
    for (const [w, label] of /** @type {[number, Label][]} */ ([[localMin, { en: "local minimum", ko: "지역 최솟값" }], [globalMin, { en: "global minimum", ko: "전역 최솟값" }]])) {
      d.line(X(w), Y(loss(w)) + 6, X(w), Y(loss(w)) + 14, { stroke: C.muted, width: 1.2 });
      d.text(X(w), Y(loss(w)) + 30, label, { size: 13, fill: C.muted });
    }
  });
  d.text(400, 356, { en: "The same loss curve in all three; the dots are the values of w after each step.", ko: "세 그림 모두 같은 손실 곡선입니다. 점은 스텝마다 바뀐 w 값입니다." }, { size: 13, fill: C.muted, maxWidth: 760 });
  return d;
}

// ————————————————————————————————————————————— computational graphs (lesson 05, Saito ch. 5)
/**
 * A horizontal edge from x1 to x2 at y, with its forward value above and its gradient below; without
 * a head when a join (join2) carries it on into a node.
 */
function edge(/** @type {Drawing} */ d, /** @type {number} */ x1, /** @type {number} */ x2, /** @type {number} */ y, /** @type {import("./svg-drawing.mjs").Text | import("./svg-drawing.mjs").Segment[]} */ fwd, /** @type {import("./svg-drawing.mjs").Text | import("./svg-drawing.mjs").Segment[] | null} */ bwd, size = 14, head = true) {
  if (head) d.arrow([[x1, y], [x2, y]], { stroke: C.ink, width: 1.5 }, 8);
  else d.line(x1, y, x2, y, { stroke: C.ink, width: 1.5 });
  const cx = (x1 + x2) / 2, w = x2 - x1;
  d.text(cx, y - 7, fwd, { fill: FWD, size, maxWidth: w });
  if (bwd) {
    d.arrow([[x2 - 6, y + 8], [x1 + 6, y + 8]], { stroke: BWD, width: 1.2 }, 6);
    d.text(cx, y + 8 + size + 4, bwd, { fill: BWD, size, maxWidth: w });
  }
}

/** A computation node: a circle with its operator. */
function node(/** @type {Drawing} */ d, /** @type {number} */ x, /** @type {number} */ y, /** @type {string} */ op, r = 20) {
  d.circle(x, y, r, { fill: C.paper, stroke: C.ink, width: 1.8 });
  d.text(x, y + 6, op, { size: 18, weight: "bold" });
}

/** A layer drawn as a box with its name. */
function layerBox(/** @type {Drawing} */ d, /** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ w, /** @type {number} */ h, /** @type {import("./svg-drawing.mjs").Text[]} */ lines) {
  d.rect(x, y, w, h, { fill: C.paper, stroke: C.ink, width: 1.8, rx: 6 });
  lines.forEach((t, k) => d.text(x + w / 2, y + h / 2 + 5 + (k - (lines.length - 1) / 2) * 18, t, { size: 13, weight: "bold", maxWidth: w - 8 }));
}

/** A diagonal join from the end of an input edge into a node. */
function join2(/** @type {Drawing} */ d, /** @type {number} */ x1, /** @type {number} */ y1, /** @type {number} */ x2, /** @type {number} */ y2) {
  d.arrow([[x1, y1], [x2, y2]], { stroke: C.ink, width: 1.5 }, 8);
}

const round = (/** @type {number} */ x) => String(Math.round(x * 1e6) / 1e6);

function graphApples(/** @type {Lang} */ lang) {
  const price = 100, count = 2, tax = 1.1;
  // forward
  const subtotal = price * count, total = subtotal * tax;
  // backward: a Mul node sends the upstream gradient times the *other* input
  const dTotal = 1, dSubtotal = dTotal * tax, dTax = dTotal * subtotal, dPrice = dSubtotal * count, dCount = dSubtotal * price;
  const d = new Drawing("graph-apples", lang, 780, 330, { en: "Computational graph of buying apples, forward and backward", ko: "사과 쇼핑의 계산 그래프: 순전파와 역전파" });
  d.text(390, 30, {
    en: `Buying ${count} apples at ${price} yen each, with a ${round((tax - 1) * 100)}% tax`,
    ko: `사과 ${count}개 (개당 ${price}원), 소비세 ${round((tax - 1) * 100)}%`,
  }, { size: 16, weight: "bold", maxWidth: 740 });
  legend(d, 390, 62);
  const n1 = [340, 150], n2 = [560, 180];
  const inBox = (/** @type {number} */ y, /** @type {import("./svg-drawing.mjs").Label} */ t) => {
    d.rect(20, y - 18, 110, 36, { fill: C.panel, stroke: C.line, width: 1.2, rx: 6 });
    d.text(75, y + 5, t, { size: 13, maxWidth: 104 });
  };
  inBox(120, { en: "apple", ko: "사과" });
  edge(d, 130, 300, 120, String(price), round(dPrice), 14, false);
  join2(d, 300, 120, n1[0] - 16, n1[1] - 12);
  inBox(200, { en: "apple count", ko: "사과 개수" });
  edge(d, 130, 300, 200, String(count), round(dCount), 14, false);
  join2(d, 300, 200, n1[0] - 16, n1[1] + 12);
  node(d, n1[0], n1[1], "×");
  d.text(n1[0], n1[1] - 30, { en: "Mul node", ko: "곱셈 노드" }, { size: 13, fill: C.muted });
  d.line(n1[0] + 20, n1[1], 380, n1[1], { stroke: C.ink, width: 1.5 });
  edge(d, 380, 510, 150, round(subtotal), round(dSubtotal), 14, false);
  join2(d, 510, 150, n2[0] - 17, n2[1] - 12);
  inBox(260, { en: "tax", ko: "소비세" });
  edge(d, 130, 510, 260, round(tax), round(dTax), 14, false);
  join2(d, 510, 260, n2[0] - 12, n2[1] + 16);
  node(d, n2[0], n2[1], "×");
  d.text(n2[0], n2[1] - 30, { en: "Mul node", ko: "곱셈 노드" }, { size: 13, fill: C.muted });
  edge(d, n2[0] + 20, 690, 180, round(total), round(dTotal));
  d.text(735, 185, { en: "price", ko: "지불 금액" }, { size: 13, weight: "bold", maxWidth: 80 });
  d.text(390, 318, {
    en: `e.g. one more yen per apple raises the price by ${round(dPrice)} yen`,
    ko: `예: 사과 가격이 1원 오르면 지불 금액은 ${round(dPrice)}원 오릅니다`,
  }, { size: 13, fill: C.muted, maxWidth: 740 });
  return d;
}

function backwardNodes(/** @type {Lang} */ lang) {
  const d = new Drawing("backward-nodes", lang, 800, 760, { en: "Forward and backward through each kind of node", ko: "노드별 순전파와 역전파" });
  d.text(400, 30, { en: "Forward and backward, node by node", ko: "노드별 순전파와 역전파" }, { size: 16, weight: "bold" });
  legend(d, 400, 58);
  const panel = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ w, /** @type {number} */ h, /** @type {import("./svg-drawing.mjs").Text} */ title, /** @type {import("./svg-drawing.mjs").Text | import("./svg-drawing.mjs").Segment[]} */ formula) => {
    d.rect(x, y, w, h, { fill: C.panel, stroke: C.grey, width: 1, rx: 8 });
    d.text(x + 12, y + 24, title, { anchor: "start", weight: "bold", maxWidth: w - 24 });
    d.text(x + 12, y + 44, formula, { anchor: "start", size: 13, fill: C.muted, maxWidth: w - 24 });
  };
  const dz = "∂L/∂z", dy = "∂L/∂y", dY = "∂L/∂Y";
  /** @type {(s: string) => import("./svg-drawing.mjs").Segment[]} */
  const T = (s) => [{ t: s }, { t: "T", size: 10, dy: -6 }];
  // row 1: Mul, Add, ReLU
  const r1 = 80, h1 = 200, pw = 252;
  {
    const x = 10, cy = r1 + 125;
    panel(x, r1, pw, h1, { en: "Mul node", ko: "곱셈 노드" }, "z = x · y");
    edge(d, x + 15, x + 130, cy - 35, "x", `${dz} · y`, 13, false);
    edge(d, x + 15, x + 130, cy + 35, "y", `${dz} · x`, 13, false);
    join2(d, x + 130, cy - 35, x + 150, cy - 14);
    join2(d, x + 130, cy + 35, x + 150, cy + 14);
    node(d, x + 165, cy, "×");
    edge(d, x + 185, x + pw - 8, cy, "z", dz, 13);
  }
  {
    const x = 274, cy = r1 + 125;
    panel(x, r1, pw, h1, { en: "Add node", ko: "덧셈 노드" }, "z = x + y");
    edge(d, x + 15, x + 130, cy - 35, "x", `${dz} · 1`, 13, false);
    edge(d, x + 15, x + 130, cy + 35, "y", `${dz} · 1`, 13, false);
    join2(d, x + 130, cy - 35, x + 150, cy - 14);
    join2(d, x + 130, cy + 35, x + 150, cy + 14);
    node(d, x + 165, cy, "+");
    edge(d, x + 185, x + pw - 8, cy, "z", dz, 13);
  }
  {
    const x = 538, cy = r1 + 120;
    panel(x, r1, pw, h1, { en: "ReLU layer", ko: "ReLU 계층" }, "y = max(0, x)");
    edge(d, x + 10, x + 110, cy, "x", `x > 0: ${dy}`, 13);
    d.text(x + 60, cy + 46, "x ≤ 0: 0", { size: 13, fill: BWD });
    layerBox(d, x + 112, cy - 20, 56, 40, ["ReLU"]);
    edge(d, x + 170, x + pw - 8, cy, "y", dy, 13);
  }
  // row 2: Affine
  const r2 = 290, h2 = 210;
  {
    const x = 10, w = 780, cy = r2 + 95;
    panel(x, r2, w, h2, { en: "Affine layer", ko: "Affine 계층" }, [
      { t: "Y = X · W + B    (" },
      { t: { en: "N: batch size; Σ", ko: "N: 배치 크기, Σ" } },
      { t: "n", size: 10, dy: 4 },
      { t: { en: ": sum over axis 0, the batch axis)", ko: ": 배치 축(축 0)을 따라 합)" }, dy: -4 },
    ]);
    edge(d, x + 15, x + 268, cy, "X  (N, 2)", [{ t: `∂L/∂X = ${dY} · ` }, ...T("W"), { t: "  (N, 2)", dy: 6 }], 13);
    edge(d, x + 15, x + 250, cy + 62, "W  (2, 3)", [{ t: "∂L/∂W = " }, ...T("X"), { t: ` · ${dY}  (2, 3)`, dy: 6 }], 13, false);
    join2(d, x + 250, cy + 62, x + 278, cy + 18);
    node(d, x + 290, cy, "·");
    d.text(x + 290, cy - 30, "dot", { size: 13, fill: C.muted });
    edge(d, x + 310, x + 520, cy, "X · W  (N, 3)", `${dY}  (N, 3)`, 13);
    edge(d, x + 330, x + 520, cy + 62, "B  (3,)", [{ t: "∂L/∂B = Σ" }, { t: "n", size: 10, dy: 4 }, { t: ` ${dY}  (3,)`, dy: -4 }], 13, false);
    join2(d, x + 520, cy + 62, x + 540, cy + 18);
    node(d, x + 550, cy, "+");
    edge(d, x + 570, x + w - 10, cy, "Y  (N, 3)", `${dY}  (N, 3)`, 13);
  }
  // row 3: Sigmoid, Softmax-with-Loss
  const r3 = 510, h3 = 230;
  {
    const x = 10, cy = r3 + 125;
    panel(x, r3, pw, h3, { en: "Sigmoid layer", ko: "Sigmoid 계층" }, "y = 1 / (1 + exp(−x))");
    edge(d, x + 8, x + 124, cy, "x", `${dy} · y(1 − y)`, 13);
    layerBox(d, x + 126, cy - 20, 70, 40, ["Sigmoid"]);
    edge(d, x + 198, x + pw - 8, cy, "y", dy, 13);
  }
  {
    const x = 274, w = 516, cy = r3 + 110;
    panel(x, r3, w, h3, { en: "Softmax-with-Loss layer", ko: "Softmax-with-Loss 계층" }, "y = softmax(a),  L = −(1/N) Σ t · log y");
    edge(d, x + 10, x + 110, cy, "a", "(y − t) / N", 13);
    layerBox(d, x + 112, cy - 22, 80, 44, ["Softmax"]);
    edge(d, x + 194, x + 300, cy, "y", "−t / (N · y)", 13);
    layerBox(d, x + 302, cy - 30, 124, 60, [{ en: "Cross Entropy", ko: "교차 엔트로피" }, { en: "Error", ko: "오차" }]);
    edge(d, x + 428, x + w - 10, cy, "L", "1", 13);
    d.line(x + 220, cy + 72, x + 340, cy + 72, { stroke: C.ink, width: 1.5 });
    d.arrow([[x + 340, cy + 72], [x + 340, cy + 30]], { stroke: C.ink, width: 1.5 }, 8);
    d.text(x + 280, cy + 65, { en: "targets t", ko: "정답 레이블 t" }, { size: 13, fill: FWD, maxWidth: 118 });
    d.text(x + 12, r3 + h3 - 14, { en: "Together, the gradient that reaches a is simply (y − t) / N.", ko: "둘을 합치면 a에 도달하는 기울기는 (y − t) / N 입니다." }, { anchor: "start", size: 13, fill: BWD, maxWidth: w - 24 });
  }
  return d;
}

/** Every diagram: its drawing function, by name. */
export const DIAGRAMS = {
  "batch-axis": batchAxis,
  "tensor-ranks": tensorRanks,
  broadcasting,
  "dot-shapes": dotShapes,
  geometry,
  "training-loop": trainingLoop,
  "gradient-descent": gradientDescent,
  "graph-apples": graphApples,
  "backward-nodes": backwardNodes,
};

/** Every asset file's name and SVG text: NAME.svg (English) and NAME.ko.svg (Korean). */
export function drawAll() {
  /** @type {Map<string, string>} */
  const files = new Map();
  /** @type {string[]} */
  const problems = [];
  for (const [name, draw] of Object.entries(DIAGRAMS)) {
    for (const lang of /** @type {Lang[]} */ (["en", "ko"])) {
      const d = draw(lang);
      problems.push(...d.problems);
      if (!d.problems.length) files.set(`${name}${lang === "en" ? "" : ".ko"}.svg`, d.svg());
    }
  }
  if (problems.length) throw new Error(`The diagrams' layout does not fit:\n  ${problems.join("\n  ")}`);
  return files;
}

/** Renders each SVG to a PNG with Chromium, at its own size. */
function renderPngs(/** @type {Map<string, string>} */ files, /** @type {string} */ outDir) {
  mkdirSync(outDir, { recursive: true });
  for (const [file, svg] of files) {
    const m = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
    if (!m) throw new Error(`${file}: no viewBox`);
    const png = join(outDir, file.replace(/\.svg$/, ".png"));
    const r = spawnSync("/usr/bin/chromium", [
      "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", `--screenshot=${png}`,
      `--window-size=${m[1]},${m[2]}`, `file://${join(assetsDir, file)}`,
    ], { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
    if (r.status !== 0) throw new Error(`chromium failed on ${file}: ${r.stderr}`);
    console.log(png);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const files = drawAll();
  mkdirSync(assetsDir, { recursive: true });
  // An SVG this file does not draw is never deleted (it may be someone's work): it is only named.
  for (const f of readdirSync(assetsDir))
    if (f.endsWith(".svg") && !files.has(f)) console.warn(`assets/${f} is not drawn by tools/draw-assets.mjs`);
  for (const [file, svg] of files) writeFileSync(join(assetsDir, file), svg);
  console.log(`${files.size} files in ${assetsDir}`);
  const png = args.indexOf("--png");
  if (png >= 0) {
    if (!args[png + 1]) throw new Error("--png needs a folder");
    renderPngs(files, resolve(args[png + 1]));
  }
}
