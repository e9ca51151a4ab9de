// @ts-check
// The shapes the grading tools pass around, as JSDoc typedefs only (this module exports no values).
// Import them with `import("./types.mjs").Name` (from tools/: `import("./grading/types.mjs").Name`).
export {};

/**
 * A notebook cell as nbformat 4 stores it; only what the tools read is named, the rest is kept as is.
 * @typedef {{
 *   cell_type: string,
 *   id?: string,
 *   source: string | string[],
 *   metadata: Record<string, unknown> & { dlbb?: unknown },
 *   outputs?: unknown[],
 *   execution_count?: number | null,
 *   attachments?: unknown,
 *   [key: string]: unknown,
 * }} Cell
 */

/**
 * A notebook as read from an .ipynb file (a master or a submission): untyped JSON at the boundary.
 * It stays `any` on purpose: the functions that take one check what they read (parseNotebook,
 * masterParts, dlbb, cellSource) and fall back or throw on anything unexpected, and the tests build
 * deliberately malformed ones.
 * @typedef {any} Notebook
 */

/**
 * The `metadata.dlbb` of a cell or notebook: untyped JSON from the file, so every field is
 * `unknown` and is checked where it is read.
 * @typedef {{ lesson?: unknown, aliases?: unknown, student?: unknown, exercise?: unknown, points?: unknown, check?: unknown, role?: unknown, [key: string]: unknown }} Dlbb
 */

/**
 * One exercise of a master notebook (tools/notebook.mjs masterParts).
 * @typedef {{ id: string, points: number, solution: string, checks: string[] }} MasterExercise
 */

/**
 * A master notebook split into its parts.
 * @typedef {{ lesson: string | undefined, setup: string[], exercises: MasterExercise[] }} MasterParts
 */

/**
 * A loaded master notebook (tools/notebook.mjs loadMasters).
 * @typedef {{ path: string, nb: Notebook, parts: MasterParts, aliases?: string[] }} Master
 */

/** @typedef {Map<string, Master>} Masters lesson id → master */

/**
 * The masters of each edition: English from the masters folder, Korean from its ko/ folder (the
 * same lesson ids, exercise ids and points).
 * @typedef {{ en: Masters, ko: Masters }} Editions
 */

/**
 * An exercise of a grafted submission: the student's solution (or null) with the master's checks.
 * @typedef {{ id: string, points: number, solution: string | null, note: string | null, checks: string[] }} GraftedExercise
 */

/**
 * What is sent to a worker (tools/grade.py) for one submission.
 * @typedef {{
 *   id: number,
 *   cwd: string,
 *   sockdir: string,
 *   log: string,
 *   env: Record<string, string>,
 *   timeout: number,
 *   notebook_timeout: number,
 *   memory_mb: number,
 *   setup: string[],
 *   exercises: { id: string, solution: string | null, note: string | null, checks: string[] }[],
 *   argv?: string[],
 * }} Job
 */

/**
 * What a worker wrote back for a job (one JSON line), or what the pool made up when the worker died
 * or wrote something unreadable ({ died } / { unreadable }). Untyped JSON from another process that
 * runs student code: it stays `any` here and judge.mjs validateAnswer checks every field.
 * @typedef {any} WorkerReply
 */

/**
 * One exercise of a worker's answer, once validated (judge.mjs validateAnswer).
 * @typedef {{ status: string, reason: string | null, probes: unknown }} AnswerExercise
 */

/**
 * A worker's answer, once validated.
 * @typedef {{ seconds: number, restarts: number, error: string | null, exercises: Record<string, AnswerExercise> }} Answer
 */

/**
 * The compiled kit's teachers' entry point (dist/teacher.js, built from src/teacher.ts).
 * @typedef {typeof import("../../src/teacher")} Kit
 */

/**
 * One exercise's grade in a record (judge.mjs judgeExercise): `result` in English (grades.json);
 * `shown`, the same judgement in the submission's language, when that is not English (its feedback
 * page; left out of grades.json).
 * @typedef {{ points: number, max: number, status: string, reason: string | null, result: import("../../src/teacher").CheckResult | null, shown?: import("../../src/teacher").CheckResult | null }} ExerciseGrade
 */

/**
 * One exercise as the reports show it: `result` (or `shown`, in the submission's language) is the
 * kit's CheckResult, rendered by the kit (a result it cannot render costs that feedback page only).
 * @typedef {{ points: number, max: number, reason: string | null, result: unknown, shown?: unknown }} ReportExercise
 */

/**
 * What the reports (reports.mjs) read of a submission's grade; `lang` is the language of its
 * edition ("en" when absent), in which its feedback page is written.
 * @typedef {{ student: string, lesson: string, status: string, reason: string | null, total: number, max: number, exercises: Record<string, ReportExercise>, flags?: string[], feedback?: string, lang?: string }} ReportRecord
 */

/**
 * A submission's grade: one row of grades.csv, one entry of grades.json, one feedback page.
 * @typedef {{
 *   student: string,
 *   file: string,
 *   lesson: string,
 *   status: string,
 *   reason: string | null,
 *   total: number,
 *   max: number,
 *   seconds: number,
 *   exercises: Record<string, ExerciseGrade>,
 *   flags: string[],
 *   lang: "en" | "ko",
 *   named?: "metadata" | "file",
 *   restarts?: number,
 *   feedback?: string,
 * }} GradeRecord
 */

/**
 * A parsed submission file (tools/notebook.mjs parseNotebook): the notebook, or why there is none.
 * @typedef {{ nb: Notebook, status?: undefined, reason?: undefined } | { nb?: undefined, status: string, reason: string }} Parsed
 */

/**
 * A kernel worker of the pool (kernel-pool.mjs).
 * @typedef {{
 *   child: import("node:child_process").ChildProcessWithoutNullStreams,
 *   pending: { done: (answer: unknown) => void } | null,
 *   buffered: string,
 *   stderr: string,
 *   dead: boolean,
 * }} Worker
 */
