/**
 * Every sentence the assistant writes itself (the offline assistant, the deterministic notes
 * the tools add to a model's reply), in French and English. One function per message.
 */
import { formatPrice } from "../money/format.js";
import type { CouponType } from "../shop/types.js";
import type { Lang } from "./language.js";

const date = (iso: string, lang: Lang) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(lang === "fr" ? "fr-FR" : "en-GB", { day: "numeric", month: "long", timeZone: "Europe/Paris" });
};

export function offerValue(type: CouponType, value: number, currency: string, lang: Lang): string {
  if (type === "FREE_SHIPPING") return lang === "fr" ? "la livraison offerte" : "free shipping";
  if (type === "PERCENTAGE") return lang === "fr" ? `-${String(value).replace(".", ",")} %` : `${value}% off`;
  const amount = formatPrice(String(value), currency, lang);
  return lang === "fr" ? `-${amount}` : `${amount} off`;
}

/** Option names as a French shop spells them, for an English sentence. */
const optionEn = (option: string) => ({ taille: "size", pointure: "size", couleur: "colour", coloris: "colour" })[option.toLowerCase()] ?? option.toLowerCase();

const FR = {
  button: {
    buy: "Acheter",
    details: "Détails",
    redeem: "Obtenir mon code",
    human: "Parler à un humain",
    products: "Voir les produits",
    discount: "Une réduction ?",
    shipping: "Livraison",
    returns: "Retours",
  },
  greeting: (brand: string) =>
    `Bonjour ! Je suis l'assistant de ${brand}. Je peux vous aider à trouver un produit, vérifier un prix ou un stock, répondre à vos questions (livraison, retours, tailles, paiement), vous proposer une offre, préparer votre lien de paiement ou vous mettre en relation avec un conseiller.`,
  thanks: "Avec plaisir ! Je reste là si vous avez une autre question.",
  bye: "Merci de votre visite, à bientôt !",
  fallback:
    "Je n'ai pas bien compris. Je peux chercher un produit (« vous avez des robes ? »), donner un prix ou un stock, répondre sur la livraison, les retours, les tailles ou le paiement, vous proposer une réduction, ou vous passer un conseiller.",
  amnesia: "Petit souci technique de mon côté : je ne peux pas me souvenir de notre conversation pour le moment.",
  catalogueDown: "Le catalogue est momentanément indisponible : je ne peux pas vérifier les produits ni les prix pour l'instant. Réessayez dans quelques minutes.",
  searchResults: (query: string) => (query ? `Voici ce que j'ai trouvé pour « ${query} » :` : "Voici quelques-uns de nos produits :"),
  noResults: (query: string) => `Je n'ai rien trouvé pour « ${query} ». Essayez un autre mot, ou demandez à parler à un conseiller.`,
  line: (name: string, price: string, inStock: boolean) => `• ${name} — ${price}${inStock ? "" : " (épuisé)"}`,
  product: (name: string, price: string, inStock: boolean, description: string) =>
    `${name} : ${price}, ${inStock ? "en stock" : "épuisé pour le moment"}.${description ? ` ${description}` : ""}`,
  price: (name: string, price: string, inStock: boolean) => `${name} : ${price}, ${inStock ? "en stock." : "épuisé pour le moment."}`,
  stock: (name: string, inStock: boolean, price: string) =>
    inStock
      ? `Oui, ${name} est disponible (${price}).`
      : `${name} n'est plus disponible pour le moment. Laissez-moi votre email : la boutique vous prévient dès son retour.`,
  productUnknown: "Je ne trouve pas ce produit dans le catalogue.",
  whichToBuy: "Lequel souhaitez-vous acheter ? Appuyez sur « Acheter » sous le bon produit.",
  whichProduct: "De quel produit parlez-vous ? Dites-moi son nom, par exemple « la robe en lin ».",
  buyWhat: "Quel produit souhaitez-vous acheter ? Dites-moi son nom, par exemple « je veux acheter la bougie figue noire ».",
  outOfStock: (name: string) => `${name} est épuisé pour le moment, je ne peux pas préparer de paiement pour cet article.`,
  checkoutReady: (total: string, lines: string) => `Total vérifié : ${total} (${lines}). Votre lien de paiement sécurisé est prêt.`,
  paymentsOff: (total: string, lines: string) =>
    `Le paiement en ligne n'est pas encore activé sur cette boutique. Total vérifié : ${total} (${lines}). Laissez-moi votre email pour que la boutique vous recontacte, ou demandez à parler à un conseiller.`,
  checkoutFailed: "Je n'ai pas pu préparer le paiement pour le moment. Réessayez dans quelques minutes, ou demandez à parler à un conseiller.",
  offer: (what: string, id: string, expires: string) =>
    `Bonne nouvelle : je vous réserve ${what}, valable jusqu'au ${expires} (offre n° ${id}). Appuyez sur « Obtenir mon code » pour recevoir votre code personnel, à saisir sur la page de paiement.`,
  offerCooldown: (days: number) => `Une offre vous a déjà été faite récemment ; une nouvelle offre sera possible dans ${days} jour${days > 1 ? "s" : ""}.`,
  offerUnavailable: "Je ne peux pas préparer d'offre pour le moment. Réessayez un peu plus tard.",
  redeemed: (code: string, what: string, expires: string) =>
    `Voici votre code : ${code} (${what}), valable jusqu'au ${expires}. Saisissez-le sur la page de paiement.`,
  redeemGone: "Cette offre a expiré. Demandez-moi une nouvelle réduction plus tard.",
  redeemUnknown: "Je ne retrouve pas cette offre dans notre conversation.",
  redeemBusy: "Votre code est en cours de création, réessayez dans un instant.",
  leadSaved: (email: string) => `Merci ! C'est noté : la boutique vous recontactera à ${email}.`,
  leadInvalid: "Cette adresse email ne semble pas valide. Pouvez-vous la vérifier ?",
  leadUnavailable: "Je n'ai pas pu enregistrer vos coordonnées pour le moment. Réessayez un peu plus tard.",
  handoff: "Je transmets la conversation à un conseiller de la boutique : il vous répondra ici dès que possible.",
  handoffUnavailable: "Je ne peux pas joindre un conseiller pour le moment. Écrivez à la boutique ou réessayez un peu plus tard.",
  kbIntro: (heading: string) => `${heading} :`,
  kbUnavailable: "Je ne peux pas consulter nos informations pratiques pour le moment.",
  date: (iso: string) => date(iso, "fr"),
  hello: (brand: string) => `Bonjour et bienvenue chez ${brand} !`,
  filtered: (what: string) => `Voici ${what} :`,
  filterWords: {
    under: (p: string) => `à moins de ${p}`,
    over: (p: string) => `à partir de ${p}`,
    between: (a: string, b: string) => `entre ${a} et ${b}`,
    cheapest: "du moins cher au plus cher",
    dearest: "du plus cher au moins cher",
    inStock: "en stock",
    colour: (c: string) => `en ${c}`,
    size: (s: string) => `en taille ${s}`,
    products: "nos produits",
  },
  noneMatch: (what: string) => `Je n'ai rien ${what} pour le moment. Voici ce qui s'en rapproche le plus :`,
  noneInColour: (query: string, colour: string) => `Je n'ai rien en ${colour} pour « ${query} » pour le moment. Voici ce que j'ai :`,
  noneCheaper: (name: string) => `${name} est déjà notre prix le plus doux dans cette sélection.`,
  whichOption: (name: string, option: string, choices: string) => `${name} : quelle ${option.toLowerCase()} souhaitez-vous ? ${choices}`,
  optionSoldOut: (values: string) => ` (épuisé : ${values})`,
  optionUnknown: (value: string, option: string, choices: string) => `${value} n'existe pas en ${option.toLowerCase()} pour ce modèle. Choix possibles : ${choices}.`,
  variantSoldOut: (name: string, choice: string) => `${name} en ${choice} est épuisé pour le moment. Voulez-vous une autre taille ?`,
  variantAvailable: (name: string, choice: string, inStock: boolean) =>
    inStock ? `Oui, ${name} est disponible en ${choice}.` : `${name} n'est plus disponible en ${choice} pour le moment.`,
  orderAskEmail: (no: string) => `Pour retrouver la commande ${no}, indiquez-moi l'adresse email utilisée pour la passer.`,
  orderAskNumber: "Quel est votre numéro de commande ? Il figure dans l'email de confirmation (par exemple « 10023 »).",
  orderNotFound: (no: string) => `Je ne trouve pas de commande ${no} avec ces informations. Vérifiez le numéro et l'email de la commande, ou demandez à parler à un conseiller.`,
  orderUnavailable: "Je ne peux pas consulter les commandes pour le moment. Réessayez un peu plus tard, ou demandez à parler à un conseiller.",
  orderLine: (no: string, status: string) => `Commande ${no} : ${status}.`,
  trackingLink: "Suivre le colis",
  details: (name: string) => `Détails de ${name}`,
};

const EN: typeof FR = {
  button: {
    buy: "Buy",
    details: "Details",
    redeem: "Get my code",
    human: "Talk to a human",
    products: "See products",
    discount: "A discount?",
    shipping: "Shipping",
    returns: "Returns",
  },
  greeting: (brand: string) =>
    `Hello! I'm the ${brand} assistant. I can help you find a product, check a price or stock, answer questions (shipping, returns, sizes, payment), offer you a discount, prepare your payment link, or put you in touch with a person.`,
  thanks: "You're welcome! I'm here if you have another question.",
  bye: "Thanks for visiting, see you soon!",
  fallback:
    "Sorry, I didn't quite get that. I can look for a product (\"do you have candles?\"), give a price or stock, answer about shipping, returns, sizes or payment, offer you a discount, or put you in touch with a person.",
  amnesia: "A technical hiccup on my side: I can't remember our conversation right now.",
  catalogueDown: "The catalogue is briefly unavailable: I can't check products or prices right now. Please try again in a few minutes.",
  searchResults: (query: string) => (query ? `Here is what I found for "${query}":` : "Here are some of our products:"),
  noResults: (query: string) => `I found nothing for "${query}". Try another word, or ask to talk to a person.`,
  line: (name: string, price: string, inStock: boolean) => `• ${name} — ${price}${inStock ? "" : " (sold out)"}`,
  product: (name: string, price: string, inStock: boolean, description: string) =>
    `${name}: ${price}, ${inStock ? "in stock" : "sold out for now"}.${description ? ` ${description}` : ""}`,
  price: (name: string, price: string, inStock: boolean) => `${name}: ${price}, ${inStock ? "in stock." : "sold out for now."}`,
  stock: (name: string, inStock: boolean, price: string) =>
    inStock ? `Yes, ${name} is in stock (${price}).` : `${name} is sold out for now. Leave me your email and the shop will tell you when it is back.`,
  productUnknown: "I can't find this product in the catalogue.",
  whichToBuy: "Which one would you like to buy? Press \"Buy\" under the right product.",
  whichProduct: "Which product do you mean? Tell me its name, e.g. \"the linen dress\".",
  buyWhat: "Which product would you like to buy? Tell me its name, e.g. \"I want to buy the black fig candle\".",
  outOfStock: (name: string) => `${name} is sold out for now, so I can't prepare a payment for it.`,
  checkoutReady: (total: string, lines: string) => `Verified total: ${total} (${lines}). Your secure payment link is ready.`,
  paymentsOff: (total: string, lines: string) =>
    `Online payment is not set up on this shop yet. Verified total: ${total} (${lines}). Leave me your email so the shop can get back to you, or ask to talk to a person.`,
  checkoutFailed: "I couldn't prepare the payment right now. Please try again in a few minutes, or ask to talk to a person.",
  offer: (what: string, id: string, expires: string) =>
    `Good news: I've reserved ${what} for you, valid until ${expires} (offer ${id}). Press "Get my code" to receive your personal code, to enter on the payment page.`,
  offerCooldown: (days: number) => `You already received an offer recently; a new one will be possible in ${days} day${days > 1 ? "s" : ""}.`,
  offerUnavailable: "I can't prepare an offer right now. Please try again a bit later.",
  redeemed: (code: string, what: string, expires: string) => `Here is your code: ${code} (${what}), valid until ${expires}. Enter it on the payment page.`,
  redeemGone: "This offer has expired. Ask me for a new discount later.",
  redeemUnknown: "I can't find this offer in our conversation.",
  redeemBusy: "Your code is being created, please try again in a moment.",
  leadSaved: (email: string) => `Thank you! Noted: the shop will get back to you at ${email}.`,
  leadInvalid: "This email address doesn't look valid. Could you check it?",
  leadUnavailable: "I couldn't save your details right now. Please try again a bit later.",
  handoff: "I'm passing the conversation to someone from the shop: they will answer here as soon as possible.",
  handoffUnavailable: "I can't reach anyone from the shop right now. Please write to the shop or try again a bit later.",
  kbIntro: (heading: string) => `${heading}:`,
  kbUnavailable: "I can't look up our practical information right now.",
  date: (iso: string) => date(iso, "en"),
  hello: (brand: string) => `Hello and welcome to ${brand}!`,
  filtered: (what: string) => `Here are ${what}:`,
  filterWords: {
    under: (p: string) => `under ${p}`,
    over: (p: string) => `from ${p}`,
    between: (a: string, b: string) => `between ${a} and ${b}`,
    cheapest: "from the cheapest",
    dearest: "from the most expensive",
    inStock: "in stock",
    colour: (c: string) => `in ${c}`,
    size: (s: string) => `in size ${s}`,
    products: "our products",
  },
  noneMatch: (what: string) => `I have nothing ${what} right now. Here is what comes closest:`,
  noneInColour: (query: string, colour: string) => `I have nothing in ${colour} for "${query}" right now. Here is what I have:`,
  noneCheaper: (name: string) => `${name} is already the lowest price in this selection.`,
  whichOption: (name: string, option: string, choices: string) => `${name}: which ${optionEn(option)} would you like? ${choices}`,
  optionSoldOut: (values: string) => ` (sold out: ${values})`,
  optionUnknown: (value: string, option: string, choices: string) => `${value} is not a ${optionEn(option)} of this model. Choices: ${choices}.`,
  variantSoldOut: (name: string, choice: string) => `${name} in ${choice} is sold out for now. Would you like another size?`,
  variantAvailable: (name: string, choice: string, inStock: boolean) =>
    inStock ? `Yes, ${name} is available in ${choice}.` : `${name} is no longer available in ${choice} for now.`,
  orderAskEmail: (no: string) => `To look up order ${no}, please tell me the email address it was placed with.`,
  orderAskNumber: "What is your order number? It is in your confirmation email (e.g. \"10023\").",
  orderNotFound: (no: string) => `I can't find an order ${no} with these details. Please check the number and the order's email, or ask to talk to a person.`,
  orderUnavailable: "I can't look up orders right now. Please try again a bit later, or ask to talk to a person.",
  orderLine: (no: string, status: string) => `Order ${no}: ${status}.`,
  trackingLink: "Track the parcel",
  details: (name: string) => `${name} details`,
};

export type Texts = typeof FR;
export function texts(lang: Lang): Texts {
  return lang === "en" ? EN : FR;
}
