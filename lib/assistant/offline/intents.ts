/**
 * What a shopper's message asks, read without a model: hand-off, discount, purchase, price,
 * stock, product search, greeting, thanks, or a question for the knowledge base — plus the
 * contact details it carries (email, phone, name). French and English, accents and case
 * ignored. Deterministic: the same message always means the same thing.
 */
import { normaliseLeadPhone } from "../../leads/schema.js";

export type IntentKind = "human" | "discount" | "buy" | "price" | "stock" | "search" | "greeting" | "thanks" | "bye" | "question";

export interface ReadMessage {
  kind: IntentKind;
  /** Product words left once the intent words are removed ("robe lin"). */
  query: string;
  quantity: number;
  email?: string;
  phone?: string;
  name?: string;
  /** The message also opens with a greeting ("Bonjour, vous avez des robes ?"). */
  greeted: boolean;
}

/** Lower case, accents and ligatures folded, apostrophes as spaces. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[’'`]/g, " ");
}

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;

const HUMAN = [
  /\b(parler|discuter|echanger|joindre|contacter|passer|mettre en (relation|contact))\b.{0,30}\b(humain|conseill\w*|vendeu\w*|vraie personne|quelqu un|agent|service client|equipe)/,
  /\b(un|une|des) (humain|vrai humain|conseiller|conseillere|vraie personne|personne reelle)\b/,
  /\b(talk|speak|chat|connect me)\b.{0,25}\b(human|person|agent|someone|somebody|representative|staff|team|people)\b/,
  /\b(real person|human agent|live agent|customer service|a human)\b/,
];
const DISCOUNT = /\b(reduc\w*|remise\w*|promo\w*|coupon\w*|rabais|ristourne|geste commercial|bon de reduction|discount\w*|voucher\w*|deal|deals|cheaper)\b/;
const DISCOUNT_QUESTION = /\b(comment (utiliser|saisir|appliquer)|ou (saisir|mettre|entrer)|s applique|cumul\w*|how (do|to|can) i (use|enter|apply)|where (do|to) i (enter|put))\b/;
const BUY = /\b((want|like|wish|going) to order|je voudrais (le|la|les|l|un|une|\d)|j aimerais (le|la|les|l|un|une|\d)|i d like (the|a|an|\d)|i would like (the|a|an|\d)|place an order|i ll order|i d order|acheter|achete|j achete|commander|je commande|commande moi|mettez moi|mets moi|ajoute\w*|add\b.{1,80}\bto (my |the |your )?(cart|basket|bag|order)|je (le|la|les|l) (prends|veux|achete|commande)|je prends|je vais prendre|ajouter? au panier|payer|paye|buy|purchase|i ll take|i will take|add (it )?to (my )?(cart|basket)|checkout|pay for|order (it|this|that|one|two|\d+))\b/;
const BUY_NOT = /\b(suivi|suivre|track\w*|statut|status|ou en est|where is my|livraison|delivery|shipping|comment (commander|acheter|payer)|how (do|can) i (order|buy|pay))\b/;
const PRICE = /\b(prix|combien|coute|coutent|cout|tarif\w*|price\w*|how much|cost\w*)\b/;
const STOCK = /\b(en stock|stock|disponible\w*|dispo|il en reste|reste t il|in stock|available|availability|sold out|back in stock)\b/;
const SEARCH = /\b(avez vous|vous avez|auriez vous|vous auriez|je cherche|cherche|recherche|montrez|montre moi|voir (vos|les|des)|proposez|vendez|y a t il|il y a|do you (have|sell|carry)|have you got|looking for|show me|i need|i want|i m looking|any)\b/;
const TOPIC = /\b(livr\w*|expedi\w*|frais de port|colis|retour\w*|rembours\w*|echange\w*|taille\w*|pointure\w*|mesure\w*|paiement\w*|payer en|carte bancaire|paypal|apple pay|facture|contact\w*|horaire\w*|adresse|commande|suivi|track\w*|order|orders|boutique|atelier|entretien|entretenir|laver|lavage|shipping|ship|deliver\w*|parcel|return\w*|refund\w*|exchange|size\w*|payment\w*|invoice|hours|address|store|shop|care|wash\w*)\b/;
const GREETING = /^\s*(bonjour|bonsoir|salut|coucou|hello|hi|hey|good (morning|afternoon|evening))\b[\s,!.]*/;
const THANKS = /^\s*(merci|thanks|thank you|super|parfait|genial|top|ok|okay|d accord|cool|great|perfect)\b/;
const BYE = /\b(au revoir|bonne (journee|soiree)|a bientot|a plus|bye|goodbye|see you)\b/;

const STOP = new Set(
  `a au aux avec ce ces cet cette de des du en et la le les l un une d j je tu il elle on nous vous ils elles me moi mon ma mes
   ton ta tes votre vos notre nos leur leurs son sa ses se sur pour par dans que qui quoi quel quelle quels quelles est sont
   ai as avez avons ont suis es etes etait ete etre avoir y t s c n qu ne pas plus tres bien aussi encore svp stp plait
   bonjour bonsoir salut hello hi hey merci please thanks the an of and or to in on for with my your our is are was be
   do does did have has had can could would will i you it its this that these those some any me show looking look need want
   like get got tell about from sell carry avez vous auriez cherche recherche montrez montre voir proposez vendez veux voudrais
   aimerais souhaite souhaiterais prendre prends acheter achete commander payer buy purchase take order add cart
   combien coute coutent cout prix tarif price prices how much cost costs en stock disponible disponibles dispo
   reste available availability sold out back il ya y-a-t-il t-il est-ce ce c-est ca cela ceci celui celle ceux un deux trois
   quatre cinq six one two three four five six x fois piece pieces please merci oui non yes no ok alors donc juste just
   also still item items produit produits article articles chose choses quelque something anything votre boutique shop store
   site`.split(/\s+/),
);

const NUMBERS: Record<string, number> = {
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10,
  one: 1, two: 2, three: 3, four: 4, five: 5, seven: 7, eight: 8, nine: 9, ten: 10,
};

function quantityOf(folded: string): number {
  const cleaned = folded
    .replace(EMAIL, " ")
    .replace(/\+?\d[\d\s.-]{6,}\d/g, " ") // phone numbers
    .replace(/\b(taille|pointure|size|t|en|de|du|n|no|numero|ref)\s*\d+/g, " ") // sizes and references
    .replace(/\d+([.,]\d+)?\s*(€|eur|euros?|cm|ml|g|kg|%)/g, " ");
  const m = /\bx\s*(\d{1,2})\b/.exec(cleaned) ?? /\b(\d{1,2})\b/.exec(cleaned);
  if (m) return Math.min(Math.max(1, Number(m[1])), 99);
  for (const [w, n] of Object.entries(NUMBERS)) {
    // "une robe" is an article, not a quantity; "deux robes" is one.
    if (n > 1 && new RegExp(`\\b${w}\\b`).test(cleaned)) return n;
  }
  return 1;
}

/** Product words: intent words, stop words, numbers and contact details removed; plurals singular. */
export function productQuery(text: string): string {
  const words = fold(text)
    .replace(EMAIL, " ")
    .replace(/\+?\d[\d\s.-]{6,}\d/g, " ")
    .split(/[^a-z0-9-]+/)
    .flatMap((w) => w.split("-"))
    .filter((w) => w && !STOP.has(w) && !/^\d+$/.test(w) && w.length > 1);
  return [...new Set(words.map(singular))].join(" ");
}

function singular(w: string): string {
  if (w.length > 5 && /(ss|sh|ch|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 4 && /eaux$/.test(w)) return w.slice(0, -1);
  if (w.length > 3 && /[^s]s$/.test(w)) return w.slice(0, -1);
  if (w.length > 4 && /oux$/.test(w)) return w.slice(0, -1);
  return w;
}

function nameOf(text: string): string | undefined {
  const lower = text.toLowerCase().replace(/’/g, "'");
  for (const prefix of ["je m'appelle ", "mon nom est ", "moi c'est ", "my name is ", "i am ", "i'm "]) {
    const at = lower.indexOf(prefix);
    if (at < 0) continue;
    const m = /^([A-ZÀ-Ý][\p{L}'-]+(?:\s+[A-ZÀ-Ý][\p{L}'-]+)?)/u.exec(text.slice(at + prefix.length).trim());
    if (m) return m[1];
  }
  return undefined;
}

function phoneOf(text: string): string | undefined {
  for (const m of text.matchAll(/(\+?\d[\d\s.()-]{7,18}\d)/g)) {
    if (normaliseLeadPhone(m[1]!)) return m[1]!.trim();
  }
  return undefined;
}

export function readMessage(text: string): ReadMessage {
  const folded = fold(text);
  const email = EMAIL.exec(text)?.[0];
  const greeted = GREETING.test(folded);
  const rest = folded.replace(GREETING, "").trim();
  const contact = {
    ...(email ? { email: email.toLowerCase() } : {}),
    ...(email ? { phone: phoneOf(text), name: nameOf(text) } : {}),
  };
  const base = { query: productQuery(rest), quantity: quantityOf(rest), greeted, ...contact };
  const wordCount = rest.split(/\s+/).filter(Boolean).length;

  // Words of the query that are not information topics ("livraison", "taille"...).
  const productWords = base.query.split(" ").filter((w) => w && !TOPIC.test(w));
  const topic = TOPIC.test(folded);

  let kind: IntentKind;
  if (HUMAN.some((r) => r.test(folded))) kind = "human";
  else if (DISCOUNT.test(folded) && !DISCOUNT_QUESTION.test(folded)) kind = "discount";
  else if (BUY.test(folded) && !BUY_NOT.test(folded)) kind = "buy";
  else if (topic && !productWords.length) kind = "question";
  else if (PRICE.test(folded)) kind = "price";
  else if (STOCK.test(folded)) kind = "stock";
  else if (SEARCH.test(folded)) kind = "search";
  else if (topic) kind = "question";
  else if (!rest && greeted) kind = "greeting";
  else if (THANKS.test(rest) && wordCount <= 6) kind = "thanks";
  else if (BYE.test(folded) && wordCount <= 6) kind = "bye";
  else kind = "question";
  return { kind, ...base };
}

/** A few shop nouns in English -> French, for an English shopper on a French catalogue. */
const EN_FR: Record<string, string> = {
  dress: "robe", candle: "bougie", shoe: "chaussure", heel: "escarpin", pump: "escarpin", boot: "bottine", sandal: "sandale",
  espadrille: "espadrille", ballet: "ballerine", flat: "ballerine", bag: "sac", tote: "cabas", handbag: "sac", clutch: "pochette",
  basket: "panier", scarf: "foulard", shawl: "etole", stole: "etole", throw: "plaid", blanket: "plaid", diffuser: "diffuseur",
  gift: "cadeau", card: "carte", linen: "lin", silk: "soie", wool: "laine", cashmere: "cachemire", leather: "cuir",
  black: "noire", red: "rouge", fig: "figue", lavender: "lavande", wrap: "portefeuille", long: "longue", set: "coffret",
  home: "maison", sale: "solde", new: "nouveaute",
  wood: "bois", fire: "feu", blossom: "fleur", orange: "oranger", gold: "doree", golden: "doree", wicker: "osier", straw: "osier",
  striped: "rayee", stripe: "rayee", braided: "tressee", woven: "tressee", suede: "daim", navy: "marine", jumper: "pull", sweater: "pull",
  knit: "maille", knitted: "maille", pumps: "escarpin", court: "escarpin", flats: "ballerine", sand: "sable", floral: "fleurie",
  flower: "fleur", crossbody: "bandouliere", shoulder: "bandouliere", evening: "soiree", party: "soiree", summer: "ete",
  winter: "hiver", beach: "plage", market: "marche", canvas: "toile", mini: "mini", perfume: "parfum", scented: "parfumee",
  grey: "gris", gray: "gris", cream: "ecru", boots: "bottine", ankle: "bottine", sneaker: "basket",
};

/** The French words of an English product query, or null when nothing translates. */
export function frenchQuery(query: string): string | null {
  const words = query.split(" ");
  const out = words.map((w) => EN_FR[w] ?? EN_FR[w.replace(/e?s$/, "")]).filter(Boolean);
  return out.length ? out.join(" ") : null;
}
