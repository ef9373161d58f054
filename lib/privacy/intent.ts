/**
 * The shopper's "delete my conversation / my data", understood in French and English by a small
 * rule set (no model: it must work on the offline path too, and a model must not be able to
 * talk its way into or out of an erasure). A request names an erasing verb and what to erase,
 * close together: "supprimer mes données", "effacez notre conversation", "delete my data",
 * "forget me"; "supprimer un article de mon panier" is not one. The answer to the confirmation
 * question is a yes or a no, in either language; anything else leaves the request unanswered.
 */

const VERB_FR = /\b(supprim\w*|effac\w*|retir\w*|detrui\w*|oubliez|oublier)\b/;
const VERB_EN = /\b(delete|deleting|erase|erasing|remove|removing|wipe|wiping|forget|forgetting|destroy)\b/;
const OBJECT_FR = /\b(donnees?|conversations?|discussions?|historiques?|messages?|echanges?|infos?|informations?|coordonnees|traces?|tout)\b/;
const OBJECT_EN = /\b(data|conversations?|chats?|history|messages?|information|info|details|everything|me)\b/;
const OWNER_FR = /\b(mes|mon|ma|nos|notre|cette|ces|cet|toutes|tous|la|les|tout)\b/;
const OWNER_EN = /\b(my|our|this|these|all|the|me|everything)\b/;
const PHRASES = [
  /\bdroit a l'?oubli\b/,
  /\bright to (be )?forgotten\b/,
  /\b(oubliez|oublie|oublier)[- ]moi\b/,
  /\bforget (about )?me\b/,
  /\bgdpr\b.*\b(delet|eras)/,
  /\brgpd\b.*\b(supprim|effac)/,
];

/** Lower case, accents off, apostrophes plain, spaces collapsed. */
export function normalise(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** The verb, then what to erase within a few words ("supprimer toutes mes données"). */
function verbThenObject(t: string, verb: RegExp, owner: RegExp, object: RegExp): boolean {
  const words = t.split(/[^a-z']+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    if (!verb.test(words[i]!)) continue;
    const window = words.slice(i + 1, i + 5);
    const o = window.findIndex((w) => object.test(w));
    if (o < 0) continue;
    // "forget me", "tout supprimer"-like short forms need no determiner; others need one before the object.
    if (window[o] === "me" || window[o] === "tout" || window[o] === "everything") return true;
    if (window.slice(0, o).some((w) => owner.test(w))) return true;
  }
  return false;
}

/** "supprimer mes données", "delete my conversation", ... (either language, whatever the conversation's). */
export function isEraseRequest(text: string): boolean {
  const t = normalise(text);
  if (!t || t.length > 300) return false;
  if (PHRASES.some((p) => p.test(t))) return true;
  // "tout supprimer", "supprimez tout" are too vague alone; they need a data word nearby.
  return verbThenObject(t, VERB_FR, OWNER_FR, OBJECT_FR) || verbThenObject(t, VERB_EN, OWNER_EN, OBJECT_EN);
}

export type Answer = "yes" | "no" | null;

const YES = /^(oui|ouais|yes|yep|yeah|y|o|ok|okay|d'accord|daccord|confirme|je confirme|confirmer|confirm|i confirm|supprime|supprimez|supprimer|vas-y|allez-y|go|go ahead|sure|bien sur|absolument|c'est ca|do it|delete|delete it|erase it)\b/;
const NO = /^(non|no|nope|n|annule|annuler|annulez|cancel|stop|pas maintenant|not now|laisse|laissez|keep|keep it|garde|gardez|surtout pas|certainement pas)\b/;

/** A yes or a no to a yes/no question, in French or English; null when it is neither (or both). */
export function yesOrNo(text: string): Answer {
  const t = normalise(text).replace(/[!.?,;:]+/g, " ").trim();
  if (!t || t.length > 80) return null;
  const yes = YES.test(t);
  const no = NO.test(t) || /\b(non|no|not|pas|ne)\b/.test(t.replace(YES, ""));
  if (yes && !no) return "yes";
  if (NO.test(t)) return "no";
  return null;
}
