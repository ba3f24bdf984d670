/** Node has no `self`; date-holidays (pulled in through the law modules) expects one, as workers and browsers have. */
(globalThis as { self?: unknown }).self ??= globalThis;
