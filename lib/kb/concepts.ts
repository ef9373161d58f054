/**
 * The shop-information thesaurus: groups of words (French and English) that ask about the same
 * thing in a shop's help pages. A question is expanded with the group of every word it contains,
 * so "combien de temps" finds "délai", "money back" finds "remboursement", "3x" finds "plusieurs
 * fois". Data, not code: a shop with other pages adds a group here. Words are folded (no accents);
 * a trailing * matches any ending.
 */
export const KB_CONCEPTS: string[][] = [
  ["combien de temps", "how long", "delai*", "delay*", "jours", "days", "quand", "when", "sous combien", "en combien", "takes", "prend"],
  ["frais de port", "port", "livr*", "expedi*", "envoi*", "envoy*", "shipping", "ship", "ships", "postage", "delivery", "deliver*"],
  ["gratuit*", "offert*", "free", "a partir de", "threshold", "minimum"],
  ["retour*", "retourn*", "renvoy*", "renvoi*", "send back", "return*", "rendre"],
  ["rembours*", "refund*", "money back", "reimburs*"],
  ["echang*", "exchang*", "swap", "changer de taille", "autre taille", "another size", "different size"],
  ["paiement*", "payer", "payez", "regler", "reglement", "pay", "paying", "payment*", "carte bancaire", "card", "cb"],
  ["plusieurs fois", "3 fois", "3x", "trois fois", "instal*", "split", "sans frais", "interest-free"],
  ["cheque*", "cheque", "paypal", "especes", "cash"],
  ["facture*", "invoice*", "receipt", "tva", "vat", "entreprise", "societe", "company", "business"],
  ["combien", "coute*", "cout", "couts", "prix", "tarif*", "cost*", "how much", "price*", "fee*", "charge*"],
  ["carte cadeau", "cartes cadeaux", "gift card*", "bon cadeau", "voucher"],
  ["emballage*", "paquet cadeau", "paquets cadeaux", "papier cadeau", "gift wrap*", "wrapping", "wrapped"],
  ["entretien", "entretenir", "laver", "lave", "lavage", "lavez", "nettoy*", "wash*", "clean*", "care", "look after"],
  ["bruler", "brule", "allumage", "meche", "burn*", "wick", "trou", "puits", "tunnel*"],
  ["horaire*", "ouvert*", "ouverture", "ferme*", "opening", "open", "hours", "closed"],
  ["adresse", "ou se trouve", "situe*", "address", "located", "location", "where is your shop", "where are you", "rue", "street"],
  ["retrait", "retirer", "recuperer", "sur place", "pickup", "pick up", "collect", "in store", "in person", "click and collect"],
  ["contact*", "joindre", "telephone", "appeler", "phone", "call", "email", "mail", "reach", "ecrire", "write"],
  ["douane*", "customs", "duties", "duty", "taxes"],
  ["abime*", "casse*", "endommage*", "perdu", "damaged", "broken", "lost"],
  ["suivi", "suivre", "tracking", "track", "numero de suivi", "where is my parcel"],
  ["taille*", "pointure*", "size*", "sizing", "fit", "run small", "run large", "true to size", "taillent", "petit", "grand"],
  ["royaume uni", "angleterre", "uk", "united kingdom", "london", "londres", "england", "britain"],
  ["hors d europe", "outside europe", "usa", "etats unis", "canada", "monde", "world", "australia"],
  ["express", "24 h", "24h", "chronopost", "next day", "rapide", "fast"],
  ["securise*", "secure*", "securite", "security", "safe", "stripe", "3-d secure"],
];

const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[’'-]/g, " ");

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pattern = (term: string) => (term.endsWith("*") ? `${escape(term.slice(0, -1))}[a-z]*` : escape(term));
const wordRe = (alternatives: string) => new RegExp(`(^|[^a-z0-9])(?:${alternatives})($|[^a-z0-9])`);

// Compiled once per instance, on first use: one expression per group (which groups a text
// mentions) and one per term (the words of a group the text does not contain yet).
let groupRes: RegExp[] | undefined;
const termRes = new Map<string, RegExp>();
const groupMatches = (text: string, i: number) => (groupRes ??= KB_CONCEPTS.map((g) => wordRe(g.map(pattern).join("|"))))[i]!.test(text);

function matches(text: string, term: string): boolean {
  let re = termRes.get(term);
  if (!re) termRes.set(term, (re = wordRe(pattern(term))));
  return re.test(text);
}

/** The question plus the words of every concept it mentions (without the wildcard marks). */
export function expandQuery(query: string): string {
  const q = fold(query);
  const extra = new Set<string>();
  KB_CONCEPTS.forEach((group, i) => {
    if (!groupMatches(q, i)) return;
    for (const term of group) if (!matches(q, term)) extra.add(term.replace(/\*$/, ""));
  });
  return extra.size ? `${query} ${[...extra].join(" ")}` : query;
}

/** The concept groups a text mentions (indexes into KB_CONCEPTS). */
export function conceptsOf(text: string): number[] {
  const f = fold(text);
  return KB_CONCEPTS.flatMap((_, i) => (groupMatches(f, i) ? [i] : []));
}
