import { createRequire } from "module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { escapeHtml, html, kernelWriter, markdown, showBundle } from "../../src/figures/display";

const req = createRequire(import.meta.url);
const FAKE = "/fake/node_modules/tslab/dist/jupyter.js";

type Sent = { msg: { data: Record<string, unknown>; transient: { display_id?: string } }; update: boolean };

/** Pretends to be a tslab kernel: a jupyter.js module whose writer records what it is given. */
function fakeKernel(): Sent[] {
  const sent: Sent[] = [];
  const mod = { id: FAKE, filename: FAKE, loaded: true, exports: { lastWriteDisplayData: (msg: Sent["msg"], update: boolean) => sent.push({ msg, update }) } };
  (req.cache as Record<string, unknown>)[FAKE] = mod;
  return sent;
}

afterEach(() => {
  delete req.cache[FAKE];
  vi.restoreAllMocks();
});

describe("outside a kernel", () => {
  it("has no writer and prints the text/plain entry", () => {
    expect(kernelWriter()).toBeNull();
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const d = showBundle({ "text/html": "<b>x</b>", "text/plain": "plain x" });
    expect(out).toHaveBeenCalledWith("plain x\n");
    expect(d.live).toBe(false);
    expect(d.id).toMatch(/^[0-9a-f]{16}$/);
    out.mockClear();
    d.update({ "text/plain": "again" }); // not live: updates are not printed
    expect(out).not.toHaveBeenCalled();
  });

  it("rejects empty bundles and updates without an id", () => {
    expect(() => showBundle({})).toThrow(/display\.ts showBundle: data has no MIME type/);
    expect(() => showBundle({ "text/plain": "x" }, { update: true })).toThrow(/needs the id/);
  });
});

describe("inside a (fake) tslab kernel", () => {
  it("sends one display_data with every MIME type and the display id", () => {
    const sent = fakeKernel();
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const d = showBundle({ "text/html": "<i>a</i>", "text/plain": "a", "image/svg+xml": "<svg/>" }, { id: "abc" });
    expect(out).not.toHaveBeenCalled();
    expect(sent).toHaveLength(1);
    expect(sent[0].update).toBe(false);
    expect(Object.keys(sent[0].msg.data).sort()).toEqual(["image/svg+xml", "text/html", "text/plain"]);
    expect(sent[0].msg.transient.display_id).toBe("abc");
    expect(d.live).toBe(true);
    d.update({ "text/plain": "b" });
    expect(sent[1]).toMatchObject({ update: true, msg: { data: { "text/plain": "b" }, transient: { display_id: "abc" } } });
  });

  it("html and markdown helpers send their MIME type with a plain fallback", () => {
    const sent = fakeKernel();
    html("<b>bold</b> &amp; more");
    markdown("**m**");
    expect(sent[0].msg.data).toEqual({ "text/html": "<b>bold</b> &amp; more", "text/plain": "bold &amp; more" });
    expect(sent[1].msg.data).toEqual({ "text/markdown": "**m**", "text/plain": "**m**" });
  });
});

it("escapeHtml escapes the five special characters", () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});
