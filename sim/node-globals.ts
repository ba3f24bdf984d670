// date-holidays' UMD bundle assigns to `self`, which workerd and browsers have and Node lacks.
const g = globalThis as { self?: unknown };
g.self ??= globalThis;
export {};
