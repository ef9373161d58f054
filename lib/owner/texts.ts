/**
 * What the shopper reads when a person steps in or out, in both languages (the SQL picks the
 * conversation's), and what the owner reads on their phone. `{name}` is the owner's first
 * name (OWNER_DISPLAY_NAME).
 */
import type { Config } from "../config.js";

export type Lang = "fr" | "en";
export type LineKey = "answering" | "back" | "wait" | "wait_email";
export type Lines = Record<LineKey, Record<Lang, string>>;

/** The shopper-facing lines, with the owner's name filled in. */
export function shopperLines(config: Pick<Config, "owner" | "app">): Lines {
  const name = config.owner.displayName?.trim();
  return {
    answering: {
      fr: name ? `${name}, de la boutique, vous répond.` : "Une personne de la boutique vous répond.",
      en: name ? `${name} from the shop is answering.` : "Someone from the shop is answering.",
    },
    back: {
      fr: "Je reprends la main : l'assistant vous répond de nouveau. Posez-moi vos questions !",
      en: "I'm back: the assistant takes over again. Ask me anything!",
    },
    wait: {
      fr: "La boutique a bien reçu votre demande et vous répondra ici très bientôt.",
      en: "The shop has your request and will answer here very soon.",
    },
    wait_email: {
      fr: "La boutique a bien reçu votre demande et vous répondra ici très bientôt. Si vous devez partir, laissez-nous votre email : la réponse vous y sera aussi envoyée.",
      en: "The shop has your request and will answer here very soon. If you need to go, leave your email address: the answer will be sent there too.",
    },
  };
}

/** Who signs the owner's replies (the name shown in the "is answering" line). */
export function authorName(config: Pick<Config, "owner">): string {
  return config.owner.displayName?.trim() || "";
}

export const PHONE_TEXT = {
  fr: {
    help: "Pour répondre à un client : citez l'alerte, ou écrivez « #12 votre réponse ». « #12 bot » rend la conversation à l'assistant, « #12 fin » la ferme.",
    unknown: (ref: string) => `Conversation ${ref} introuvable. Citez l'alerte, ou écrivez « #12 votre réponse ».`,
    windowClosed: (ref: string) => `${ref} : la fenêtre de réponse du client est fermée et aucun modèle ni email ne permet de le joindre. Répondez depuis la boîte de réception quand il réécrira.`,
    done: { reply: (ref: string, d: string) => `${ref} : réponse envoyée (${d}).`, release: (ref: string) => `${ref} : rendue à l'assistant.`, close: (ref: string) => `${ref} : fermée.` },
  },
  en: {
    help: "To answer a customer: quote the alert, or write \"#12 your reply\". \"#12 bot\" gives the conversation back to the assistant, \"#12 close\" closes it.",
    unknown: (ref: string) => `No conversation ${ref}. Quote the alert, or write "#12 your reply".`,
    windowClosed: (ref: string) => `${ref}: the customer's reply window is closed and no template or email can reach them. Answer from the inbox when they write again.`,
    done: { reply: (ref: string, d: string) => `${ref}: reply sent (${d}).`, release: (ref: string) => `${ref}: given back to the assistant.`, close: (ref: string) => `${ref}: closed.` },
  },
} as const;
