/**
 * Which edition's language the kit speaks in: English or Korean (every lesson, 01–08, has both).
 *
 * The kit's kernel sets DLBB_LANG=ko when it starts in a folder of Korean lessons (notebooks/ko/); the
 * grader sets it from the submission's metadata. Anything the library prints for a student — check
 * results, hints, figure labels — goes through `say`, with both texts side by side in the source.
 */

export type Language = "en" | "ko";

/** A text in both editions' languages. */
export interface Bilingual {
  en: string;
  ko: string;
}

let chosen: Language | undefined;

/** The language now in use: `useLanguage`'s choice, else DLBB_LANG, else English. */
export function language(): Language {
  if (chosen) return chosen;
  return process.env.DLBB_LANG === "ko" ? "ko" : "en";
}

/** Chooses the language (tests; a tool that renders both editions); `undefined` goes back to DLBB_LANG. */
export function useLanguage(lang: Language | undefined): void {
  chosen = lang;
}

/** The text in the language now in use (a plain string is the same in both). */
export function say(text: Bilingual | string, lang: Language = language()): string {
  return typeof text === "string" ? text : text[lang];
}
