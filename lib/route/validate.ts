/**
 * The one place a zod failure becomes the 400 `validation_failed` error (with the failing
 * fields as `details: [{path, message}]`). Routes, and library functions that validate their
 * own input, call `parseWith`; nothing else builds that error.
 */
import type { ZodType } from "zod";
import { ApiError } from "../errors.js";

export interface FieldProblem {
  path: string;
  message: string;
}

export function zodDetails(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldProblem[] {
  return issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
}

/** The 400 error for a zod failure; `message` says what was invalid ("The request body is invalid."). */
export function validationError(issues: readonly { path: readonly PropertyKey[]; message: string }[], message = "The request body is invalid."): ApiError {
  return new ApiError("validation_failed", message, { details: zodDetails(issues) });
}

/** `schema.parse(value)`, throwing the 400 validation error instead of a ZodError. */
export function parseWith<T>(schema: ZodType<T>, value: unknown, message?: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error.issues, message);
  return result.data;
}
