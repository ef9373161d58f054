/**
 * Which language to answer in, French or English: a small word-list vote over the message.
 * Short or ambiguous messages ("ok", an email address, "👍") keep the conversation's language,
 * then the channel's hint, then the shop default (French).
 */
export type Lang = "fr" | "en";

const FR = new Set(
  `bonjour bonsoir salut merci oui non je tu il elle nous vous ils le la les un une des du de au aux et est sont avec pour dans sur
   ce cette ces mon ma mes ton ta votre vos notre nos quel quelle quels quelles comment combien pourquoi quand où ou avez avoir
   être suis veux voudrais aimerais cherche acheter prix livraison retour retours remboursement taille tailles paiement
   réduction remise promo parler humain conseiller commande commander moi pas plus très bien aussi encore alors donc
   qui que quoi peux pouvez puis faut coûte coute dispo disponible stock robe robes bougie bougies sac sacs chaussures
   envoyer envoyez svp stp s'il plaît plait avez-vous est-ce c'est j'ai je voudrais`.split(/\s+/),
);
const EN = new Set(
  `hello hi hey thanks thank you yes no i you he she we they the a an of and is are with for in on this that these my your our
   what which how much many why when where do does did have has can could would will want like looking buy price shipping
   delivery return returns refund size sizes payment discount coupon code talk human agent person order me not more very
   well also please send show any some there it it's i'm i'd don't cost costs available stock dress dresses candle candles
   bag bags shoes need get tell about from`.split(/\s+/),
);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, " ") // email addresses say nothing
    .replace(/https?:\/\/\S+/g, " ")
    .split(/[^a-zàâäçéèêëîïôöùûüÿœæ'’-]+/u)
    .map((w) => w.replace(/’/g, "'"))
    .filter(Boolean);
}

/** "fr", "en", or null when the text does not say. */
export function detectLanguage(text: string): Lang | null {
  const ws = words(text);
  if (!ws.length) return null;
  let fr = 0;
  let en = 0;
  for (const w of ws) {
    if (FR.has(w)) fr++;
    if (EN.has(w)) en++;
    // Accented letters and French elisions are a strong French signal.
    if (/[àâçéèêëîïôûùœ]/.test(w) || /^(l|d|j|qu|c|n|m|s)'/.test(w)) fr += 0.5;
  }
  if (fr === en) return null;
  // One matching word is enough only when the other side has none (e.g. "merci", "thanks").
  return fr > en ? "fr" : "en";
}

/** The language of this turn: the message's, else the conversation's, the channel's, the shop's. */
export function chooseLanguage(text: string, ...fallbacks: (string | null | undefined)[]): Lang {
  const detected = detectLanguage(text);
  if (detected) return detected;
  for (const f of fallbacks) {
    const l = f?.toLowerCase().slice(0, 2);
    if (l === "fr" || l === "en") return l;
  }
  return "fr";
}
