/**
 * Coupon hard rules, shared by the Wix and demo shops and checked before any request:
 * COUPON_MAX_FIXED_AMOUNT, COUPON_MAX_PERCENT, 1..90 days, no negative or malformed values.
 * Also the coupon code generator (crypto random, unambiguous alphabet).
 */
import { randomBytes } from "node:crypto";
import type { Config } from "../config.js";
import { ShopValidationError, type CouponInput, type CouponType } from "./types.js";

export const COUPON_MIN_DAYS = 1;
export const COUPON_MAX_DAYS = 90;
/** Wix refuses longer codes. */
export const WIX_MAX_CODE_LENGTH = 20;
/** Digits and capitals without 0/O, 1/I/L: 31 symbols nobody misreads. */
export const COUPON_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const TYPES: readonly CouponType[] = ["PERCENTAGE", "FIXED_AMOUNT", "FREE_SHIPPING"];

export type CouponCaps = Pick<Config["coupons"], "maxFixedAmount" | "maxPercent">;

/** A coupon request that passed the rules. `value` is 0 for FREE_SHIPPING. */
export interface ValidCoupon {
  type: CouponType;
  value: number;
  expiryDays: number;
  minimumOrder: number | null;
  description: string | null;
}

const TWO_DECIMALS = /^\d+(\.\d{1,2})?$/;

function amount(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new ShopValidationError(`${field} must be a number`, field);
  if (v < 0) throw new ShopValidationError(`${field} must not be negative`, field);
  if (!TWO_DECIMALS.test(String(v))) throw new ShopValidationError(`${field} must have at most two decimals`, field);
  return v;
}

/**
 * Checks a coupon request against the hard caps; throws ShopValidationError (with the field)
 * on the first broken rule. Pure: no clock, no I/O.
 */
export function validateCoupon(input: CouponInput, caps: CouponCaps): ValidCoupon {
  if (!input || typeof input !== "object") throw new ShopValidationError("coupon is required", "coupon");
  if (!TYPES.includes(input.type)) throw new ShopValidationError(`type must be one of ${TYPES.join(", ")}`, "type");

  const days = input.expiryDays;
  if (typeof days !== "number" || !Number.isInteger(days)) throw new ShopValidationError("expiryDays must be a whole number of days", "expiryDays");
  if (days < COUPON_MIN_DAYS || days > COUPON_MAX_DAYS) {
    throw new ShopValidationError(`expiryDays must be between ${COUPON_MIN_DAYS} and ${COUPON_MAX_DAYS}`, "expiryDays");
  }

  let value = 0;
  if (input.type === "PERCENTAGE") {
    value = amount(input.value, "value");
    if (value <= 0) throw new ShopValidationError("a percentage must be above 0", "value");
    if (value > caps.maxPercent) throw new ShopValidationError(`a percentage is capped at ${caps.maxPercent} %`, "value");
  } else if (input.type === "FIXED_AMOUNT") {
    value = amount(input.value, "value");
    if (value <= 0) throw new ShopValidationError("an amount must be above 0", "value");
    if (value > caps.maxFixedAmount) throw new ShopValidationError(`a fixed amount is capped at ${caps.maxFixedAmount}`, "value");
  }

  const minimumOrder = input.minimumOrder === undefined || input.minimumOrder === null ? null : amount(input.minimumOrder, "minimumOrder");
  if (input.description !== undefined && input.description !== null && typeof input.description !== "string") {
    throw new ShopValidationError("description must be text", "description");
  }
  const description = input.description?.replace(/\s+/g, " ").trim().slice(0, 100) || null;
  return { type: input.type, value, expiryDays: days, minimumOrder: minimumOrder === 0 ? null : minimumOrder, description };
}

/** Characters needed to write `bytes` random bytes in base 31 (12 bytes -> 20). */
export function couponCodeLength(bytes: number): number {
  return Math.ceil((bytes * 8) / Math.log2(COUPON_ALPHABET.length));
}

/**
 * A coupon code from crypto.randomBytes(bytes), written in base 31 over COUPON_ALPHABET with a
 * fixed width (no modulo bias: the random number is converted, not each byte mapped).
 */
export function generateCouponCode(bytes: number, prefix = ""): string {
  const buf = randomBytes(bytes);
  let n = BigInt(`0x${buf.toString("hex") || "0"}`);
  const base = BigInt(COUPON_ALPHABET.length);
  let out = "";
  for (let i = 0; i < couponCodeLength(bytes); i++) {
    out = COUPON_ALPHABET[Number(n % base)]! + out;
    n /= base;
  }
  return prefix + out;
}

/** A short human name for a coupon, e.g. "-10 %", "-15 EUR", "Livraison offerte". */
export function couponLabel(c: ValidCoupon, currency: string): string {
  const what = c.type === "PERCENTAGE" ? `-${c.value} %` : c.type === "FIXED_AMOUNT" ? `-${c.value} ${currency}` : "Livraison offerte";
  return c.description ? `${c.description} (${what})`.slice(0, 100) : what;
}
