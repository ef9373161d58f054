/**
 * The one place a zod failure becomes the 400 `validation_failed` error (with the failing
 * fields as `details: [{path, message}]`). Routes, and library functions that validate their
 * own input, call `parseWith`; nothing else builds that error.
 */
import { config, safeParse, type $ZodType } from "zod/v4/core";
import en from "zod/v4/locales/en.js";
import { ApiError } from "../errors.js";

/**
 * A schema from either zod API: classic (`zod`) or the lighter `zod/mini` that request and
 * payload schemas on cold-start paths use. Both are zod 4 core schemas.
 */
export type Schema<O = unknown> = $ZodType<O>;

// Field messages in English ("Invalid input: expected string, received number"), whichever
// zod API built the schema: classic zod sets this when it loads; zod/mini does not.
config(en());

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
export function parseWith<T>(schema: Schema<T>, value: unknown, message?: string): T {
  const result = safeParse(schema, value);
  if (!result.success) throw validationError(result.error.issues, message);
  return result.data;
}
