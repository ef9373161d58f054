/** How a message from the owner's phone is read: #ref commands, quotes, and everything else. */
import { describe, expect, it } from "vitest";
import { isOwnerPhone, parseOwnerCommand } from "../../lib/owner/relay.js";
import { loadConfig } from "../../lib/config.js";

describe("parseOwnerCommand", () => {
  it.each([
    ["#12 Bonjour, je regarde", false, { action: "reply", ref: 12, text: "Bonjour, je regarde" }],
    ["  #12   deux lignes\net la suite ", false, { action: "reply", ref: 12, text: "deux lignes\net la suite" }],
    ["#12 bot", false, { action: "release", ref: 12 }],
    ["#12 BOT", false, { action: "release", ref: 12 }],
    ["#12 fin", false, { action: "close", ref: 12 }],
    ["#12 close", false, { action: "close", ref: 12 }],
    ["#12", false, { action: "help", ref: 12 }],
    ["#12bot", false, { action: "help", ref: null }],
    ["bonjour", false, { action: "help", ref: null }],
    ["12 bonjour", false, { action: "help", ref: null }],
    ["Oui, en 38", true, { action: "reply", ref: null, text: "Oui, en 38" }],
    ["bot", true, { action: "release", ref: null }],
    ["fin", true, { action: "close", ref: null }],
    ["", true, { action: "help", ref: null }],
    ["#7 la robe bot est en stock", false, { action: "reply", ref: 7, text: "la robe bot est en stock" }],
  ] as const)("%j (quoting an alert: %s) -> %j", (text, quoted, expected) => {
    expect(parseOwnerCommand(text, quoted)).toEqual(expected);
  });
});

describe("isOwnerPhone", () => {
  const services = { config: loadConfig({ LOG_LEVEL: "silent", ADMIN_PHONE: "+33 6 99 88 77 66" }) };
  it.each([
    ["33699887766", true],
    ["+33 6 99 88 77 66", true],
    ["33699887767", false],
    ["0699887766", false],
    ["3369988776", false],
    ["", false],
    [null, false],
  ] as const)("%j -> %s", (phone, expected) => {
    expect(isOwnerPhone(services, phone)).toBe(expected);
  });

  it("recognises nobody without ADMIN_PHONE", () => {
    expect(isOwnerPhone({ config: loadConfig({ LOG_LEVEL: "silent" }) }, "33699887766")).toBe(false);
  });
});
