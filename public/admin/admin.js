/*
 * The owner's inbox (/admin): sign in with an emailed code, see who waits, answer on the
 * shopper's channel, give back to the assistant, close; leads (search, CSV) and orders.
 * Plain JavaScript, no dependency, no outside resource. Talks to /api/admin/* with the
 * session cookie (HttpOnly, SameSite=Strict). Refreshes every 15 s while visible, and on focus.
 * Every text from the server is inserted as text (textContent), never as HTML.
 */
(() => {
  "use strict";

  const T = {
    fr: {
      title: "Boîte de réception", skip: "Aller au contenu", other: "English", otherCode: "EN", logout: "Se déconnecter", logoutAll: "Se déconnecter sur tous les appareils",
      signinTitle: "Connexion", signinHelp: "Saisissez votre adresse : nous vous envoyons un code à 6 chiffres.", email: "Adresse email", sendCode: "Recevoir un code",
      codeSent: (e) => `Si ${e} peut se connecter, un code vient d'y être envoyé (valable 10 minutes).`, code: "Code à 6 chiffres", verify: "Se connecter", otherAddress: "Changer d'adresse",
      wrongCode: "Code incorrect ou expiré.", locked: "Trop d'essais : ce code ne fonctionne plus. Demandez-en un nouveau.", linkInvalid: "Ce lien a déjà servi ou a expiré : connectez-vous.",
      tabs: { needs_human: "À répondre", human: "En cours", bot: "Assistant", closed: "Fermées", leads: "Contacts", orders: "Commandes" },
      search: "Rechercher (nom, email, téléphone, texte, #12)", visitor: "Visiteur", waiting: (d) => `attend depuis ${d}`, empty: "Rien ici pour le moment.",
      from: { shopper: "Client", assistant: "Assistant", owner: "Vous", system: "Message automatique" },
      back: "← Retour à la liste", reply: "Votre réponse", send: "Envoyer", release: "Rendre à l'assistant", close: "Fermer la conversation",
      note: "Note privée (le client ne la voit pas)", saveNote: "Enregistrer la note", noteSaved: "Note enregistrée.",
      quick: "Réponses rapides", editQuick: "Modifier les réponses rapides", saveQuick: "Enregistrer (une par ligne, 10 au plus)", quickSaved: "Réponses rapides enregistrées.",
      status: { needs_human: "à répondre", human: "en cours", bot: "avec l'assistant", closed: "fermée" },
      channel: { web: "Site", whatsapp: "WhatsApp", messenger: "Messenger" },
      hintWeb: "Le client voit votre réponse dans le chat du site ; s'il est parti et a laissé son email, elle lui est aussi envoyée par email.",
      hintWaOpen: (d) => `Fenêtre WhatsApp ouverte : encore ${d} pour répondre librement.`,
      hintWaClosed: "Fenêtre de 24 h fermée : votre réponse part comme modèle approuvé (ou par email), sinon elle est refusée.",
      hintMsOpen: (d) => `Messenger : encore ${d} dans la fenêtre standard.`,
      hintMsTag: (d) => `Messenger : hors fenêtre de 24 h, envoi avec la balise HUMAN_AGENT (encore ${d}).`,
      hintMsClosed: "Messenger : plus de 7 jours depuis le dernier message du client, la réponse ne peut partir que par email.",
      delivery: { sent: "Réponse envoyée.", template: "Réponse envoyée comme modèle approuvé.", email: "Réponse envoyée par email (et visible dans le chat).", stored: "Réponse affichée dans le chat du client." },
      windowClosed: "Le canal du client ne peut pas recevoir de message maintenant (fenêtre fermée, ni modèle ni email).",
      released: "Conversation rendue à l'assistant.", closed: "Conversation fermée.", unchanged: "Rien à changer.",
      exportCsv: "Exporter en CSV", leadCols: ["Email", "Nom", "Téléphone", "Message", "Date"], orderCols: ["Date", "Statut", "Montant", "Canal", "Email"],
      error: "Une erreur est survenue. Réessayez.", offline: "Connexion impossible. Nouvel essai dans un instant.", scoped: "Lien de réponse : vous ne voyez que cette conversation.", fullInbox: "Ouvrir toute la boîte (connexion)",
      customer: "Client", noteEmpty: "", refreshed: "",
    },
    en: {
      title: "Inbox", skip: "Skip to content", other: "Français", otherCode: "FR", logout: "Log out", logoutAll: "Log out on every device",
      signinTitle: "Sign in", signinHelp: "Enter your address: we send you a 6-digit code.", email: "Email address", sendCode: "Get a code",
      codeSent: (e) => `If ${e} may sign in, a code was just sent there (valid 10 minutes).`, code: "6-digit code", verify: "Sign in", otherAddress: "Use another address",
      wrongCode: "Wrong or expired code.", locked: "Too many tries: this code no longer works. Ask for a new one.", linkInvalid: "This link was already used or has expired: sign in.",
      tabs: { needs_human: "To answer", human: "In progress", bot: "Assistant", closed: "Closed", leads: "Leads", orders: "Orders" },
      search: "Search (name, email, phone, text, #12)", visitor: "Visitor", waiting: (d) => `waiting ${d}`, empty: "Nothing here for now.",
      from: { shopper: "Customer", assistant: "Assistant", owner: "You", system: "Automatic message" },
      back: "← Back to the list", reply: "Your reply", send: "Send", release: "Give back to the assistant", close: "Close the conversation",
      note: "Private note (the customer never sees it)", saveNote: "Save the note", noteSaved: "Note saved.",
      quick: "Quick replies", editQuick: "Edit quick replies", saveQuick: "Save (one per line, 10 at most)", quickSaved: "Quick replies saved.",
      status: { needs_human: "to answer", human: "in progress", bot: "with the assistant", closed: "closed" },
      channel: { web: "Website", whatsapp: "WhatsApp", messenger: "Messenger" },
      hintWeb: "The customer sees your reply in the website chat; if they left and gave an email, it is emailed to them too.",
      hintWaOpen: (d) => `WhatsApp window open: ${d} left to reply freely.`,
      hintWaClosed: "24-hour window closed: your reply goes as the approved template (or by email), otherwise it is refused.",
      hintMsOpen: (d) => `Messenger: ${d} left in the standard window.`,
      hintMsTag: (d) => `Messenger: outside 24 hours, sent with the HUMAN_AGENT tag (${d} left).`,
      hintMsClosed: "Messenger: more than 7 days since the customer's last message; the reply can only go by email.",
      delivery: { sent: "Reply sent.", template: "Reply sent as the approved template.", email: "Reply sent by email (and shown in the chat).", stored: "Reply shown in the customer's chat." },
      windowClosed: "The customer's channel cannot take a message now (window closed, no template, no email).",
      released: "Conversation given back to the assistant.", closed: "Conversation closed.", unchanged: "Nothing to change.",
      exportCsv: "Export CSV", leadCols: ["Email", "Name", "Phone", "Message", "Date"], orderCols: ["Date", "Status", "Amount", "Channel", "Email"],
      error: "Something went wrong. Try again.", offline: "Cannot reach the server. Trying again shortly.", scoped: "Reply link: you only see this conversation.", fullInbox: "Open the whole inbox (sign in)",
      customer: "Customer", noteEmpty: "", refreshed: "",
    },
  };

  const store = {
    get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
    set: (k, v) => { try { localStorage.setItem(k, v); } catch { /* private mode */ } },
  };
  let lang = store.get("comptoir-admin-lang") || ((navigator.language || "fr").toLowerCase().startsWith("fr") ? "fr" : "en");
  let t = T[lang] || T.fr;

  const $ = (sel) => document.querySelector(sel);
  const main = $("#main");
  const statusEl = $("#status");
  const h = (tag, attrs = {}, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false) el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    return el;
  };

  const state = { me: null, scope: null, tab: "needs_human", q: "", openId: null, conv: null, quick: [], counts: {}, clockSkew: 0 };

  const say = (text, isError = false) => {
    statusEl.textContent = text || "";
    statusEl.classList.toggle("err", !!isError);
  };

  class HttpError extends Error {
    constructor(status, body) { super(`HTTP ${status}`); this.status = status; this.body = body; }
  }

  async function api(path, opts = {}) {
    const init = { method: opts.method || "GET", credentials: "same-origin", headers: { accept: "application/json" } };
    if (opts.body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(opts.body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      say(t.offline, true);
      throw e;
    }
    if (res.status === 204) return null;
    const type = res.headers.get("content-type") || "";
    const body = type.includes("json") ? await res.json().catch(() => null) : await res.text();
    if (!res.ok) {
      if (res.status === 401 && !opts.noRedirect) {
        state.me = null;
        showSignIn();
      }
      throw new HttpError(res.status, body);
    }
    return body;
  }

  // ---- time ----
  const ago = (iso) => {
    const ms = Math.max(0, Date.now() + state.clockSkew - Date.parse(iso));
    return duration(ms);
  };
  const duration = (ms) => {
    const m = Math.floor(ms / 60000);
    if (m < 1) return lang === "fr" ? "moins d'une minute" : "less than a minute";
    if (m < 60) return `${m} min`;
    const hrs = Math.floor(m / 60);
    if (hrs < 48) return `${hrs} h ${String(m % 60).padStart(2, "0")}`;
    return lang === "fr" ? `${Math.floor(hrs / 24)} jours` : `${Math.floor(hrs / 24)} days`;
  };
  const when = (iso) => {
    try {
      return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
    } catch {
      return iso;
    }
  };

  // ---- header ----
  const langBtn = $("#lang");
  const logoutBtn = $("#logout");
  const applyChrome = () => {
    document.documentElement.lang = lang;
    document.title = t.title;
    $("#title").textContent = t.title;
    $(".skip").textContent = t.skip;
    langBtn.textContent = t.otherCode;
    langBtn.setAttribute("aria-label", t.other);
    logoutBtn.textContent = t.logout;
    logoutBtn.hidden = !state.me;
  };
  langBtn.addEventListener("click", () => {
    lang = lang === "fr" ? "en" : "fr";
    t = T[lang];
    store.set("comptoir-admin-lang", lang);
    applyChrome();
    render();
  });
  logoutBtn.addEventListener("click", () => logout(false));

  async function logout(all) {
    try {
      await api("/api/admin/logout", { method: "POST", body: all ? { all: true } : {}, noRedirect: true });
    } catch { /* already ended */ }
    state.me = null;
    showSignIn();
  }

  // ---- sign in ----
  function showSignIn(message) {
    stopPolling();
    state.me = null;
    applyChrome();
    main.replaceChildren(statusEl);
    say(message || "", !!message);
    const email = h("input", { id: "email", type: "email", name: "email", autocomplete: "email", required: true, inputmode: "email" });
    const form = h("form", { class: "card signin", novalidate: true },
      h("h2", { text: t.signinTitle }),
      h("p", { text: t.signinHelp }),
      h("label", { for: "email", text: t.email }), email,
      h("button", { type: "submit", text: t.sendCode }));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const address = email.value.trim();
      if (!address) return email.focus();
      try {
        await api("/api/admin/login", { method: "POST", body: { email: address }, noRedirect: true });
        showCode(address);
      } catch (err) {
        say(err instanceof HttpError && err.status === 400 ? t.email : t.error, true);
      }
    });
    main.append(form);
    email.focus();
  }

  function showCode(address) {
    say(t.codeSent(address));
    const code = h("input", { id: "code", name: "code", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", maxlength: "6", required: true });
    const form = h("form", { class: "card signin", novalidate: true },
      h("h2", { text: t.signinTitle }),
      h("label", { for: "code", text: t.code }), code,
      h("button", { type: "submit", text: t.verify }),
      h("button", { type: "button", class: "ghost", text: t.otherAddress, onclick: () => showSignIn() }));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api("/api/admin/login/verify", { method: "POST", body: { email: address, code: code.value.trim() }, noRedirect: true });
        await start();
      } catch (err) {
        say(err instanceof HttpError && err.status === 429 ? t.locked : t.wrongCode, true);
        code.select();
      }
    });
    main.replaceChildren(statusEl, form);
    code.focus();
  }

  // ---- the inbox ----
  let layout, listPane, detailPane;
  const TABS = ["needs_human", "human", "bot", "closed", "leads", "orders"];

  function render() {
    if (!state.me) return showSignIn();
    applyChrome();
    layout = h("div", { class: `layout${state.openId ? " open" : ""}` });
    listPane = h("section", { class: "listpane", "aria-label": t.title });
    detailPane = h("section", { class: "detail", "aria-live": "polite" });
    if (!state.scope) {
      const tabs = h("div", { class: "tabs", role: "tablist" });
      for (const name of TABS) {
        const count = state.counts[name];
        tabs.append(h("button", {
          type: "button", role: "tab", id: `tab-${name}`, "aria-selected": String(state.tab === name),
          onclick: () => { state.tab = name; state.openId = null; render(); refresh(); },
        }, t.tabs[name], count ? h("span", { class: "count", text: String(count) }) : null));
      }
      tabs.addEventListener("keydown", (e) => {
        if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
        const i = TABS.indexOf(state.tab) + (e.key === "ArrowRight" ? 1 : -1);
        state.tab = TABS[(i + TABS.length) % TABS.length];
        state.openId = null;
        render();
        refresh().then(() => document.getElementById(`tab-${state.tab}`)?.focus());
      });
      listPane.append(tabs);
      const search = h("input", { type: "search", class: "search", "aria-label": t.search, placeholder: t.search, value: state.q });
      let timer = null;
      search.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => { state.q = search.value; refresh(); }, 300);
      });
      listPane.append(search, h("ul", { class: "list", id: "list" }));
      listPane.append(h("p", {}, h("button", { type: "button", class: "ghost small", text: t.logoutAll, onclick: () => logout(true) })));
    } else {
      listPane.append(h("p", { class: "meta", text: t.scoped }), h("button", { type: "button", class: "ghost", text: t.fullInbox, onclick: () => logout(false) }));
    }
    layout.append(listPane, detailPane);
    main.replaceChildren(statusEl, layout);
  }

  function customerName(c) {
    const x = c.customer || {};
    return [x.name, x.email || x.phone].filter(Boolean).join(" · ") || t.visitor;
  }

  async function refresh() {
    if (!state.me) return;
    try {
      if (!state.scope) {
        if (state.tab === "leads") await loadLeads();
        else if (state.tab === "orders") await loadOrders();
        else await loadList();
      }
      if (state.openId) await loadConversation(state.openId, true);
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 401)) say(t.error, true);
    }
  }

  async function loadList() {
    const qs = new URLSearchParams({ status: state.tab });
    if (state.q.trim()) qs.set("q", state.q.trim());
    const data = await api(`/api/admin/conversations?${qs}`);
    state.counts = data.counts || {};
    for (const name of ["needs_human", "human", "bot", "closed"]) {
      const tab = document.getElementById(`tab-${name}`);
      if (!tab) continue;
      tab.querySelector(".count")?.remove();
      if (state.counts[name]) tab.append(h("span", { class: "count", text: String(state.counts[name]) }));
    }
    const list = document.getElementById("list");
    if (!list) return;
    list.replaceChildren();
    if (!data.conversations.length) list.append(h("li", { class: "empty", text: t.empty }));
    for (const c of data.conversations) {
      const last = c.lastMessage ? `${t.from[c.lastMessage.from] || ""} : ${c.lastMessage.text}` : "";
      list.append(h("li", {}, h("button", {
        type: "button", class: "item", "aria-current": String(state.openId === c.id), "data-id": c.id,
        onclick: () => openConversation(c.id),
      },
      h("span", { class: "row1" },
        h("span", { class: "who" }, h("span", { class: "badge", text: t.channel[c.channel] || c.channel }), `#${c.ref} ${customerName(c)}`),
        c.status === "needs_human" && c.waitingSince ? h("span", { class: "wait", text: t.waiting(ago(c.waitingSince)) }) : h("span", { class: "meta", text: c.lastMessage ? when(c.lastMessage.at) : "" })),
      h("span", { class: "row2", text: last }))));
    }
  }

  async function openConversation(id) {
    state.openId = id;
    layout?.classList.add("open");
    for (const b of document.querySelectorAll(".item")) b.setAttribute("aria-current", String(b.getAttribute("data-id") === id));
    await loadConversation(id, false);
    document.getElementById("reply")?.focus();
  }

  function windowHint(c) {
    const w = c.window || {};
    const now = Date.now() + state.clockSkew;
    const last = w.lastShopperAt ? Date.parse(w.lastShopperAt) : null;
    const left = (hours) => (last === null ? -1 : last + hours * 3600_000 - now);
    if (c.channel === "web") return { text: t.hintWeb, warn: false };
    if (c.channel === "whatsapp") return left(24) > 0 ? { text: t.hintWaOpen(duration(left(24))), warn: false } : { text: t.hintWaClosed, warn: true };
    if (left(24) > 0) return { text: t.hintMsOpen(duration(left(24))), warn: false };
    if (left(24 * 7) > 0) return { text: t.hintMsTag(duration(left(24 * 7))), warn: true };
    return { text: t.hintMsClosed, warn: true };
  }

  function messageEl(m) {
    const el = h("div", { class: `msg ${m.from}` }, h("span", { class: "by", text: `${t.from[m.from] || m.from} · ${when(m.at)}` }), m.text);
    const prods = (m.products || []).filter((p) => p && p.name);
    if (prods.length) el.append(h("div", { class: "prods" }, prods.map((p) => h("span", { class: "prod", text: `${p.name}${p.price ? ` — ${p.price} ${p.currency || ""}` : ""}` }))));
    for (const l of m.links || []) {
      if (!l || !/^https?:\/\//i.test(l.url || "")) continue;
      el.append(h("div", {}, h("a", { href: l.url, target: "_blank", rel: "noopener noreferrer", text: `${l.title || l.kind || "lien"} ↗` })));
    }
    return el;
  }

  async function loadConversation(id, quiet) {
    const data = await api(`/api/admin/conversations/${encodeURIComponent(id)}`);
    if (data.conversation.window?.now) state.clockSkew = Date.parse(data.conversation.window.now) - Date.now();
    const first = !state.conv || state.conv.id !== id;
    state.conv = data.conversation;
    const transcript = document.getElementById("transcript");
    if (!first && quiet && transcript) {
      const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
      transcript.replaceChildren(...data.messages.map(messageEl));
      if (nearBottom) transcript.scrollTop = transcript.scrollHeight;
      const hint = document.getElementById("hint");
      if (hint) hint.textContent = windowHint(state.conv).text;
      const st = document.getElementById("conv-status");
      if (st) st.textContent = t.status[state.conv.status] || state.conv.status;
      return;
    }
    renderDetail(data);
  }

  function renderDetail(data) {
    const c = data.conversation;
    const hint = windowHint(c);
    const reply = h("textarea", { id: "reply", rows: "3", maxlength: "4000", "aria-describedby": "hint" });
    const send = h("button", { type: "submit", class: "send", text: t.send });
    const form = h("form", { class: "replybox" },
      h("label", { for: "reply", text: t.reply }),
      h("p", { id: "hint", class: `hint${hint.warn ? " warn" : ""}`, text: hint.text }),
      reply,
      state.quick.length ? h("div", { class: "chips", "aria-label": t.quick, role: "group" }, state.quick.map((q) => h("button", { type: "button", text: q, onclick: () => { reply.value = reply.value ? `${reply.value} ${q}` : q; reply.focus(); } }))) : null,
      h("div", { class: "actions" },
        send,
        h("button", { type: "button", class: "ghost", id: "release", text: t.release, onclick: () => act("release") }),
        h("button", { type: "button", class: "ghost", id: "close", text: t.close, onclick: () => act("close") })));
    const submit = async () => {
      const text = reply.value.trim();
      if (!text) return reply.focus();
      send.disabled = true;
      try {
        const r = await api(`/api/admin/conversations/${encodeURIComponent(c.id)}/reply`, { method: "POST", body: { text } });
        reply.value = "";
        say(t.delivery[r.delivery] || "");
        await loadConversation(c.id, true);
        if (!state.scope) await loadList();
      } catch (err) {
        if (err instanceof HttpError && err.status === 409) say(t.windowClosed, true);
        else if (!(err instanceof HttpError && err.status === 401)) say(t.error, true);
      } finally {
        send.disabled = false;
      }
    };
    form.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
    reply.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); } });

    const note = h("textarea", { id: "note", rows: "2", maxlength: "5000" });
    note.value = c.note || "";
    const noteForm = h("form", { class: "note" }, h("label", { for: "note", text: t.note }), note, h("div", { class: "actions" }, h("button", { type: "submit", class: "ghost small", text: t.saveNote })));
    noteForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api(`/api/admin/conversations/${encodeURIComponent(c.id)}/note`, { method: "POST", body: { note: note.value } });
        say(t.noteSaved);
      } catch { say(t.error, true); }
    });

    const cust = c.customer || {};
    const transcript = h("div", { class: "transcript", id: "transcript", role: "log", "aria-label": t.customer, tabindex: "0" }, data.messages.map(messageEl));
    detailPane.replaceChildren(
      h("button", { type: "button", class: "ghost back", text: t.back, onclick: () => { state.openId = null; state.conv = null; layout.classList.remove("open"); refresh(); } }),
      h("div", { class: "card" },
        h("div", { class: "head" }, h("h2", {}, h("span", { class: "badge", text: t.channel[c.channel] || c.channel }), `#${c.ref} ${customerName(c)}`), h("span", { class: "meta", id: "conv-status", text: t.status[c.status] || c.status })),
        h("p", { class: "meta", text: [cust.email, cust.phone, c.handoffReason].filter(Boolean).join(" · ") }),
        transcript, form, noteForm, state.scope ? null : quickEditor()));
    transcript.scrollTop = transcript.scrollHeight;
  }

  function quickEditor() {
    const box = h("details", { class: "note" }, h("summary", { text: t.editQuick }));
    const area = h("textarea", { rows: "5", "aria-label": t.saveQuick });
    area.value = state.quick.join("\n");
    const save = h("button", { type: "button", class: "ghost small", text: t.saveQuick, onclick: async () => {
      const items = area.value.split("\n").map((s) => s.trim()).filter(Boolean).slice(0, 10);
      try {
        state.quick = (await api("/api/admin/quick-replies", { method: "PUT", body: { quickReplies: items } })).quickReplies;
        say(t.quickSaved);
      } catch { say(t.error, true); }
    } });
    box.append(area, save);
    return box;
  }

  async function act(action) {
    const c = state.conv;
    if (!c) return;
    try {
      const r = await api(`/api/admin/conversations/${encodeURIComponent(c.id)}/${action}`, { method: "POST" });
      say(r.changed ? (action === "release" ? t.released : t.closed) : t.unchanged);
      await refresh();
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 401)) say(t.error, true);
    }
  }

  function table(cols, rows) {
    return h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col", text: c })))), h("tbody", {}, rows.map((r) => h("tr", {}, r.map((v) => h("td", { text: v ?? "" })))))));
  }

  async function loadLeads() {
    const qs = new URLSearchParams();
    if (state.q.trim()) qs.set("q", state.q.trim());
    const data = await api(`/api/admin/leads?${qs}`);
    const list = document.getElementById("list");
    if (!list) return;
    const csv = new URLSearchParams(qs);
    csv.set("format", "csv");
    list.replaceChildren(h("li", {}, h("div", { class: "toolbar" }, h("a", { href: `/api/admin/leads?${csv}`, download: "leads.csv", text: t.exportCsv }))),
      data.leads.length ? h("li", {}, table(t.leadCols, data.leads.map((l) => [l.email, l.name, l.phone, l.message, when(l.updatedAt)]))) : h("li", { class: "empty", text: t.empty }));
  }

  async function loadOrders() {
    const data = await api("/api/admin/orders");
    const list = document.getElementById("list");
    if (!list) return;
    list.replaceChildren(data.orders.length
      ? h("li", {}, table(t.orderCols, data.orders.map((o) => [when(o.createdAt), o.status, `${o.amount} ${o.currency}`, t.channel[o.channel] || o.channel || "", o.email])))
      : h("li", { class: "empty", text: t.empty }));
  }

  // ---- polling: every 15 s while visible, and on focus ----
  let poller = null;
  const startPolling = () => {
    stopPolling();
    poller = setInterval(() => { if (document.visibilityState === "visible") refresh(); }, 15000);
  };
  const stopPolling = () => { if (poller) clearInterval(poller); poller = null; };
  window.addEventListener("focus", () => refresh());
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") refresh(); });

  async function start() {
    const me = await api("/api/admin/session", { noRedirect: true });
    state.me = me.email;
    state.scope = me.scope || null;
    say("");
    if (!state.scope) {
      try { state.quick = (await api("/api/admin/quick-replies")).quickReplies; } catch { state.quick = []; }
    }
    render();
    if (state.scope) await openConversation(state.scope);
    else await refresh();
    startPolling();
  }

  async function boot() {
    applyChrome();
    const link = /(?:^#|&)link=([A-Za-z0-9_-]{32,64})/.exec(location.hash)?.[1];
    if (link) history.replaceState(null, "", location.pathname + location.search);
    let me = null;
    try { me = await api("/api/admin/session", { noRedirect: true }); } catch { me = null; }
    if (link && !(me && !me.scope)) {
      try {
        await api("/api/admin/link", { method: "POST", body: { token: link }, noRedirect: true });
      } catch {
        if (!me) return showSignIn(t.linkInvalid);
      }
    } else if (!me) return showSignIn();
    try {
      await start();
    } catch {
      showSignIn();
    }
  }

  boot();
})();
