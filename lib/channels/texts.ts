/** The sentences the channels write themselves (polite answers, prompts, labels), French and English. */
import type { Lang } from "../assistant/language.js";
import type { PoliteKind } from "./types.js";

const FR = {
  polite: {
    media: "Merci ! Je ne peux lire que les messages écrits pour le moment. Pouvez-vous me dire en quelques mots ce que vous cherchez ?",
    location: "Merci pour la localisation ! Je ne peux pas encore l'utiliser : dites-moi en quelques mots ce que je peux faire pour vous.",
    unsupported: "Désolé, je n'ai pas pu lire ce message. Pouvez-vous me l'écrire en texte ?",
  } satisfies Record<PoliteKind, string>,
  choose: "Que souhaitez-vous faire ?",
  listButton: "Choisir",
  viewProduct: "Voir le produit",
  outOfStock: "Épuisé pour le moment",
  was: (p: string) => `au lieu de ${p}`,
  linkSep: " : ",
  orderPaid: (total: string, ref: string) =>
    `Merci ! Nous avons bien reçu votre paiement de ${total}. Nous préparons votre commande (référence ${ref}).`,
  handoffSubject: (channel: string) => `Message ${channel} en attente d'un conseiller`,
  handoffBody: "Un client a écrit alors que sa conversation est confiée à un humain : le bot reste silencieux. Répondez-lui depuis l'application.",
};

const EN: typeof FR = {
  polite: {
    media: "Thanks! I can only read text messages for now. Could you tell me in a few words what you are looking for?",
    location: "Thanks for the location! I cannot use it yet: tell me in a few words how I can help.",
    unsupported: "Sorry, I could not read this message. Could you write it as text?",
  },
  choose: "What would you like to do?",
  listButton: "Choose",
  viewProduct: "View product",
  outOfStock: "Out of stock for now",
  was: (p: string) => `was ${p}`,
  linkSep: ": ",
  orderPaid: (total: string, ref: string) => `Thank you! We received your payment of ${total}. We are preparing your order (reference ${ref}).`,
  handoffSubject: (channel: string) => `${channel} message waiting for a human`,
  handoffBody: "A customer wrote while their conversation is handed to a human: the bot stays silent. Answer them from the app.",
};

export function channelTexts(lang: Lang): typeof FR {
  return lang === "en" ? EN : FR;
}
