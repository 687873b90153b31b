/*
 * Integer handling with the semantics of the Go example02 chaincode: values are signed 64-bit
 * integers written as base-10 strings (strconv.Atoi / strconv.Itoa). BigInt keeps every value exact;
 * results outside the int64 range are rejected instead of wrapping around silently as in Go.
 */

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** What strconv.Atoi accepts: an optional sign and base-10 digits, nothing else (no spaces, no "1.5", no "1e3"). */
const INTEGER = /^[+-]?[0-9]+$/;

/**
 * Parses `text` as a signed 64-bit integer.
 * @param what names the value in the error message, e.g. `amount` or `value of account "A"`.
 */
export function parseInt64(text: string, what: string): bigint {
  if (typeof text !== 'string' || !INTEGER.test(text)) {
    throw new Error(`${what} must be an integer, got ${JSON.stringify(text)}`);
  }
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new Error(`${what} is outside the 64-bit integer range, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Checks that an arithmetic result still fits in 64 bits. */
export function checkInt64(value: bigint, what: string): bigint {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new Error(`${what} would be outside the 64-bit integer range (${value.toString()})`);
  }
  return value;
}
