/**
 * The privacy sentences the assistant writes itself, in French and English: the AI disclosure
 * (EU AI Act art. 50) and the steps of the shopper's "delete my conversation". The
 * confirmation question is also how the next turn recognises a pending request (it reads the
 * assistant's previous message), so it never changes mid-conversation.
 */
import type { Lang } from "../assistant/language.js";

const FR = {
  disclosure: (brand: string) => `Je suis l'assistant virtuel de ${brand}, un programme d'intelligence artificielle (pas une personne). Écrivez « parler à un humain » à tout moment.`,
  eraseQuestion: "Voulez-vous vraiment supprimer cette conversation et tous ses messages ? Cette action est définitive.",
  eraseYes: "Oui, supprimer",
  eraseNo: "Non, garder",
  erased: "C'est fait : cette conversation et ses messages sont supprimés. Une demande que vous nous avez laissée (rappel, devis) et vos commandes sont conservées ; pour les effacer aussi, écrivez à la boutique.",
  eraseCancelled: "D'accord, je ne supprime rien. Que puis-je faire pour vous ?",
  eraseFailed: "Je n'ai pas pu supprimer la conversation pour le moment. Réessayez dans quelques minutes ou écrivez à la boutique.",
};

const EN: typeof FR = {
  disclosure: (brand: string) => `I am ${brand}'s virtual assistant, an artificial intelligence program (not a person). Type "talk to a human" at any time.`,
  eraseQuestion: "Do you really want to delete this conversation and all its messages? This cannot be undone.",
  eraseYes: "Yes, delete",
  eraseNo: "No, keep it",
  erased: "Done: this conversation and its messages are deleted. A request you left us (a call back, a quote) and your orders are kept; to erase them too, write to the shop.",
  eraseCancelled: "All right, I am not deleting anything. What can I do for you?",
  eraseFailed: "I could not delete the conversation just now. Please try again in a few minutes or write to the shop.",
};

export function privacyTexts(lang: Lang): typeof FR {
  return lang === "fr" ? FR : EN;
}

/** Both languages' confirmation questions (the pending request may have been asked in either). */
export const ERASE_QUESTIONS = [FR.eraseQuestion, EN.eraseQuestion];
