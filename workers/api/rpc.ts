/** Turns a DebtorDO RPC result into a value or an ApiError. */
import type { Result } from "../debtor/debtor-do";
import { ApiError } from "../errors";

/** The value of a successful DO call; throws the matching ApiError otherwise. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const errors = result.field ? [{ field: result.field, message: result.message }] : [];
  throw new ApiError(result.code, result.message, errors);
}
