// The kit's language: DLBB_LANG (set by the kernel in notebooks/ko/), and the messages that follow it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { language, say, useLanguage } from "../../src/language/language";
import { stoppedMessage } from "../../src/runtime/interrupt";
import { showGlossary } from "../../src/figures/glossary-table";

afterEach(() => {
  useLanguage(undefined);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("the kit's language", () => {
  it("is English unless DLBB_LANG is ko, and useLanguage overrides both", () => {
    vi.stubEnv("DLBB_LANG", "");
    expect(language()).toBe("en");
    vi.stubEnv("DLBB_LANG", "ko");
    expect(language()).toBe("ko");
    vi.stubEnv("DLBB_LANG", "fr");
    expect(language()).toBe("en");
    useLanguage("ko");
    expect(language()).toBe("ko");
    expect(say({ en: "passed", ko: "통과" })).toBe("통과");
    expect(say("ReLU")).toBe("ReLU");
  });

  it("says where training stopped in the lesson's language", () => {
    useLanguage("en");
    expect(stoppedMessage("model.fit", "epoch 2/5, step 130/469")).toMatch(/^model\.fit stopped at epoch 2\/5, step 130\/469\. The network keeps/);
    useLanguage("ko");
    expect(stoppedMessage("model.fit", "epoch 2/5, step 130/469")).toMatch(/^model\.fit: epoch 2\/5, step 130\/469에서 멈췄습니다\. 신경망은/);
  });

  it("heads the glossary table in the lesson's language, with the book's words", () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    useLanguage("ko");
    showGlossary("saito", ["gradient", "epoch"]);
    useLanguage("en");
    showGlossary("chollet", ["gradient"]);
    const text = out.join("");
    expect(text).toMatch(/이 레슨의 용어 — 밑바닥부터 시작하는 딥러닝/);
    expect(text).toMatch(/gradient — 기울기[\s\S]*epoch — 에폭/);
    expect(text).toMatch(/Terms of this lesson, in the Korean edition of 케라스 창시자에게 배우는 딥러닝 2판[\s\S]*gradient — 그레이디언트/);
  });
});
