/*!
 * Comptoir chat widget. One tag, no dependencies, no requests but to its endpoint:
 *   <script src="https://YOUR-APP/widget.js" data-endpoint="https://YOUR-APP/api/chat"
 *           data-title="Ma boutique" data-color="#9a4a2b" data-lang="fr" defer></script>
 * Optional: data-greeting, data-suggestions="a|b|c", data-position="left".
 * Speaks the /api/chat contract: JSON, or SSE (delta / reset / done / error) when streamed.
 * Everything lives in a Shadow DOM; server data is only ever written as text nodes.
 * API: window.Comptoir.open() / .close() / .send(text).
 */
(() => {
  "use strict";
  if (window.Comptoir && typeof window.Comptoir.open === "function") return; // loaded twice

  const script = document.currentScript || document.querySelector("script[src*='widget.js']");
  const opt = (script && script.dataset) || {};
  const base = (script && script.src) || location.href;
  const endpoint = new URL(opt.endpoint || "/api/chat", base).href;
  const en = /^en/i.test(opt.lang || "");
  const locale = en ? "en" : "fr-FR";

  const T = en
    ? {
        title: "Shop assistant",
        sub: "Virtual assistant · online",
        hello: "Hello! I can help you find a product, answer your questions about shipping and returns, and prepare your order.",
        sugg: "Shipping and returns|Talk to a person",
        open: "Open the chat",
        close: "Close the chat",
        ph: "Type your message…",
        send: "Send",
        you: "You: ",
        bot: "Assistant: ",
        typing: "The assistant is typing…",
        inStock: "In stock",
        out: "Out of stock",
        view: "View",
        details: "Details",
        pay: "Pay",
        secure: "Secure payment",
        handoff: "Your conversation has been passed to a team member.",
        rate: (n) => `You are sending too many messages, try again in ${n} s.`,
        net: "Could not reach the shop. Check your connection and try again.",
        down: "The assistant is unavailable for a moment. Please try again shortly.",
        bad: "This message could not be sent.",
        retry: "Try again",
      }
    : {
        title: "Assistant de la boutique",
        sub: "Assistant virtuel · en ligne",
        hello: "Bonjour ! Je peux vous aider à trouver un produit, répondre à vos questions sur la livraison et les retours, et préparer votre commande.",
        sugg: "Livraison et retours|Parler à un conseiller",
        open: "Ouvrir la discussion",
        close: "Fermer la discussion",
        ph: "Écrivez votre message…",
        send: "Envoyer",
        you: "Vous : ",
        bot: "Assistant : ",
        typing: "L'assistant écrit…",
        inStock: "En stock",
        out: "Épuisé",
        view: "Voir",
        details: "Détails",
        pay: "Payer",
        secure: "Paiement sécurisé",
        handoff: "Votre conversation a été transmise à un conseiller.",
        rate: (n) => `Vous envoyez trop de messages, réessayez dans ${n} s.`,
        net: "Impossible de joindre la boutique. Vérifiez votre connexion et réessayez.",
        down: "L'assistant est momentanément indisponible. Réessayez dans un instant.",
        bad: "Ce message n'a pas pu être envoyé.",
        retry: "Réessayer",
      };

  // Static icons (our own constants, never server data).
  const ICON = {
    chat: '<path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16A2.5 2.5 0 0 1 4 13.5z"/>',
    x: '<path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" fill="none"/>',
    send: '<path d="M3.4 20.4l17.4-7.5c.8-.4.8-1.5 0-1.8L3.4 3.6c-.7-.3-1.4.3-1.3 1l1 5.6 9 1.8-9 1.8-1 5.6c-.1.7.6 1.3 1.3 1z"/>',
    lock: '<path d="M7 10V7a5 5 0 0 1 10 0v3h1a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1zm2 0h6V7a3 3 0 0 0-6 0z"/>',
    user: '<path d="M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v1.5h16V19c0-2.8-3.6-5-8-5z"/>',
  };

  const STYLES = `
:host{all:initial!important;display:block!important;position:static!important}
*{box-sizing:border-box}
.root{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d1f23;-webkit-font-smoothing:antialiased}
button,textarea{font:inherit;color:inherit}
svg{width:24px;height:24px;fill:currentColor;flex:none}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launch{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;padding:0;background:var(--c);color:var(--fg);box-shadow:0 8px 28px rgba(0,0,0,.25);cursor:pointer;display:grid;place-items:center;transition:transform .2s}
.launch:hover{transform:scale(1.06)}
.launch svg{width:28px;height:28px}
:focus-visible{outline:3px solid var(--ring);outline-offset:2px}
.panel{position:fixed;right:20px;bottom:92px;z-index:2147483001;width:384px;height:min(640px,calc(100vh - 112px));background:#fff;border-radius:18px;box-shadow:0 16px 56px rgba(0,0,0,.2),0 0 0 1px rgba(0,0,0,.06);display:flex;flex-direction:column;overflow:hidden;animation:pop .2s ease-out}
.left .launch{right:auto;left:20px}.left .panel{right:auto;left:20px}
.panel[hidden]{display:none}
@keyframes pop{from{opacity:0;transform:translateY(12px) scale(.98)}}
.head{background:var(--c);color:var(--fg);padding:14px 14px 14px 18px;display:flex;align-items:center;gap:12px;flex:none}
.ava{width:40px;height:40px;border-radius:50%;background:rgba(255,255,255,.22);display:grid;place-items:center}
.ava svg{width:22px;height:22px}
.head h2{margin:0;font-size:16.5px;font-weight:650;line-height:1.25}
.head p{margin:2px 0 0;font-size:12.5px;opacity:.9;display:flex;align-items:center;gap:6px}
.head p:before{content:"";width:8px;height:8px;border-radius:50%;background:#3ddc84;box-shadow:0 0 0 2px rgba(255,255,255,.35)}
.x{margin-left:auto;width:38px;height:38px;border:0;border-radius:50%;background:transparent;color:inherit;cursor:pointer;display:grid;place-items:center}
.x:hover{background:rgba(255,255,255,.18)}
.x svg{width:20px;height:20px}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:18px 16px 8px;background:#f6f6f7;display:flex;flex-direction:column;gap:12px}
.row{display:flex;flex-direction:column;gap:8px;align-items:flex-start}
.row.me{align-items:flex-end}
.msg{max-width:86%;padding:10px 14px;border-radius:18px;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.06);border-bottom-left-radius:6px}
.me .msg{background:var(--c);color:var(--fg);border-radius:18px;border-bottom-right-radius:6px;box-shadow:none}
.msg a{color:var(--ct);text-decoration:underline;text-underline-offset:2px}
.me .msg a{color:inherit}
.cards{display:flex;gap:10px;overflow-x:auto;scroll-snap-type:x mandatory;max-width:calc(100% + 32px);margin:0 -16px;padding:2px 16px 8px;scrollbar-width:thin}
.card{flex:0 0 172px;scroll-snap-align:start;scroll-margin:16px;background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.08);display:flex;flex-direction:column}
.cl{display:flex;flex-direction:column;flex:1;color:inherit;text-decoration:none}
.card img,.ph{width:100%;aspect-ratio:1;object-fit:cover;display:block;background:#ececef}
.cb{padding:10px 12px 4px;display:flex;flex-direction:column;gap:3px;flex:1}
.nm{font-weight:600;font-size:14px;line-height:1.3;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
a.cl:hover .nm{text-decoration:underline}
.pr{font-weight:700;font-size:15px;margin-top:2px}
.pr s{font-weight:400;font-size:13px;color:#80858f;margin-left:6px}
.st{font-size:12.5px;color:#1a7f37}.st.no{color:#b42318}
.cf{display:flex;gap:6px;padding:6px 12px 12px}
.vw{font-size:13.5px;font-weight:600;color:var(--ct);text-decoration:none;padding:4px 0}
.vw:hover{text-decoration:underline}
.ca{flex:1;border:1.5px solid var(--ct);background:#fff;color:var(--ct);border-radius:10px;padding:6px 8px;font-size:13.5px;font-weight:600;cursor:pointer}
.ca.buy,.ca:hover{background:var(--c);border-color:var(--c);color:var(--fg)}
.acts{display:flex;flex-direction:column;gap:8px;width:86%}
.pay{display:flex;align-items:center;gap:12px;padding:12px 16px;border-radius:14px;background:var(--c);color:var(--fg);text-decoration:none;box-shadow:0 4px 14px rgba(0,0,0,.14)}
.pay svg{width:20px;height:20px}
.pay b{display:block;font-size:16px}
.pay small{display:block;font-size:12.5px;opacity:.9}
.lk{display:inline-flex;align-self:flex-start;padding:6px 12px;border-radius:10px;background:#fff;color:var(--ct);font-weight:600;font-size:14px;text-decoration:none;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.lk:hover{text-decoration:underline}
.chips{display:flex;flex-wrap:wrap;gap:8px}
.chip{border:1.5px solid var(--ct);background:#fff;color:var(--ct);border-radius:999px;padding:7px 14px;font-size:14px;font-weight:550;cursor:pointer;line-height:1.2;max-width:100%;text-align:left}
.chip:hover:not(:disabled){background:var(--c);border-color:var(--c);color:var(--fg)}
.chip:disabled{opacity:.5;cursor:default}
.note{align-self:center;text-align:center;font-size:13px;color:#4a4f57;background:#e9eaee;border-radius:999px;padding:6px 14px;max-width:92%}
.err{align-self:stretch;display:flex;align-items:center;gap:10px;background:#fff4f2;border:1px solid #f4c7bf;color:#8a1c0e;border-radius:14px;padding:10px 12px;font-size:14px}
.err span{flex:1}
.err button{flex:none;border:0;border-radius:10px;padding:7px 12px;background:#8a1c0e;color:#fff;font-size:13.5px;font-weight:600;cursor:pointer}
.dots{display:flex;gap:5px;padding:14px 16px}
.dots i{width:7px;height:7px;border-radius:50%;background:#9aa0a9;animation:b 1.2s infinite}
.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}
@keyframes b{0%,60%,100%{transform:none;opacity:.5}30%{transform:translateY(-4px);opacity:1}}
form{display:flex;align-items:flex-end;gap:8px;padding:12px;border-top:1px solid #ececef;background:#fff;flex:none}
textarea{flex:1;resize:none;border:1.5px solid transparent;outline:0;background:#f2f2f4;border-radius:22px;padding:9px 16px;min-height:42px;max-height:120px;font-size:15px;line-height:1.4}
textarea:focus,textarea:focus-visible{outline:0;background:#fff;border-color:var(--ring)}
textarea::placeholder{color:#80858f}
.go{width:42px;height:42px;border:0;border-radius:50%;background:var(--c);color:var(--fg);cursor:pointer;display:grid;place-items:center;flex:none}
.go:disabled{opacity:.4;cursor:default}
.go svg{width:20px;height:20px}
@media (max-width:480px){
.panel{inset:0;width:auto;height:auto;border-radius:0;bottom:0;right:0;left:0}
.open .launch{display:none}
textarea{font-size:16px}
}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;

  // ---- small DOM helpers (text only) ----
  const h = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  };
  const icon = (name) => {
    const s = h("span");
    s.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${ICON[name]}</svg>`;
    return s.firstChild;
  };
  const safeUrl = (u) => {
    if (typeof u !== "string" || !u) return null;
    try {
      const url = new URL(u, endpoint);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  };
  const a = (href, cls, text) => {
    const e = h("a", cls, text);
    e.href = href;
    e.target = "_blank";
    e.rel = "noopener noreferrer";
    return e;
  };
  const money = (amount, currency) => {
    const n = Number(amount);
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency }).format(n);
    } catch {
      return `${amount} ${currency || ""}`.trim();
    }
  };
  const str = (v) => (typeof v === "string" ? v : "");

  // Markdown-style [label](url), **bold**, and bare http(s) URLs; everything else stays text.
  const TOKENS = /\[([^\]\n]{1,300})\]\((https?:\/\/[^\s)]+)\)|\*\*([^*\n]{1,300})\*\*|(https?:\/\/[^\s<>"'`]+)/g;
  const rich = (el, text) => {
    // French punctuation and units never start a line: « robe » :, 10 %, 89,00 € -> no-break spaces.
    text = text.replace(/ ([:;!?»%€])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
    let last = 0;
    let m;
    TOKENS.lastIndex = 0;
    while ((m = TOKENS.exec(text))) {
      let end = TOKENS.lastIndex;
      let node;
      if (m[3]) node = h("strong", "", m[3]);
      else {
        let url = m[2] || m[4];
        if (m[4]) {
          const trail = /[.,;:!?)\]]+$/.exec(url);
          if (trail) {
            url = url.slice(0, -trail[0].length);
            end -= trail[0].length;
          }
        }
        const href = safeUrl(url);
        node = href ? a(href, "", m[1] || url) : document.createTextNode(m[0]);
      }
      el.append(text.slice(last, m.index), node);
      last = end;
    }
    el.append(text.slice(last));
  };

  // ---- storage (may be blocked: third-party contexts, private modes) ----
  const KEY = `comptoir:${endpoint}`;
  const load = (k) => {
    try {
      return JSON.parse(localStorage.getItem(`${KEY}:${k}`) || "null");
    } catch {
      return null;
    }
  };
  const save = (k, v) => {
    try {
      localStorage.setItem(`${KEY}:${k}`, JSON.stringify(v));
    } catch {
      /* storage unavailable: the chat still works for this page */
    }
  };
  let sessionId = str(load("session")) || null;
  let history = Array.isArray(load("history")) ? load("history") : [];

  // ---- build the UI ----
  const host = document.createElement("comptoir-chat");
  const shadow = host.attachShadow({ mode: "open" });
  const style = h("style");
  style.textContent = STYLES;
  const root = h("div", `root${opt.position === "left" ? " left" : ""}`);

  const launcher = h("button", "launch");
  launcher.type = "button";
  launcher.setAttribute("part", "launcher");
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "cpt-panel");
  const setLauncher = (isOpen) => {
    launcher.replaceChildren(icon(isOpen ? "x" : "chat"));
    launcher.setAttribute("aria-label", isOpen ? T.close : T.open);
    launcher.setAttribute("aria-expanded", String(isOpen));
  };
  setLauncher(false);

  const title = opt.title || T.title;
  const panel = h("div", "panel");
  panel.id = "cpt-panel";
  panel.hidden = true;
  panel.setAttribute("part", "panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);

  const head = h("div", "head");
  const ava = h("div", "ava");
  ava.append(icon("chat"));
  const titles = h("div");
  titles.append(h("h2", "", title), h("p", "", T.sub));
  const closeBtn = h("button", "x");
  closeBtn.type = "button";
  closeBtn.setAttribute("aria-label", T.close);
  closeBtn.append(icon("x"));
  head.append(ava, titles, closeBtn);

  const log = h("div", "log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", title);

  const form = h("form");
  const input = h("textarea");
  input.rows = 1;
  input.maxLength = 2000;
  input.placeholder = T.ph;
  input.setAttribute("aria-label", T.ph);
  input.setAttribute("enterkeyhint", "send");
  const go = h("button", "go");
  go.type = "submit";
  go.setAttribute("aria-label", T.send);
  go.append(icon("send"));
  form.append(input, go);

  panel.append(head, log, form);
  root.append(panel, launcher);
  shadow.append(style, root);

  // ---- rendering ----
  const scroll = () => {
    log.scrollTop = log.scrollHeight;
  };
  const row = (who) => {
    const r = h("div", `row ${who}`);
    log.append(r);
    return r;
  };
  const bubble = (r, who, text) => {
    const m = h("div", "msg");
    m.append(h("span", "sr", who === "me" ? T.you : T.bot));
    const body = h("span", "tx");
    rich(body, text);
    m.append(body);
    r.append(m);
    return body;
  };

  const chips = (r, buttons) => {
    const box = h("div", "chips");
    for (const b of buttons) {
      const label = str(b.title);
      if (!label) continue;
      const c = h("button", "chip", label);
      c.type = "button";
      c.addEventListener("click", press(label, str(b.payload)));
      box.append(c);
    }
    if (box.firstChild) r.append(box);
    return box;
  };

  const press = (title, payload) => () => send(title, payload || undefined);

  // A product card; `actions` are the reply's buttons that point at this product ("buy:<id>").
  const card = (p, actions) => {
    const c = h("div", "card");
    const href = safeUrl(p.url);
    const top = href ? a(href, "cl") : h("div", "cl");
    const img = safeUrl(p.imageUrl);
    if (img) {
      const i = h("img");
      i.alt = "";
      i.loading = "lazy";
      i.src = img;
      i.addEventListener("error", () => i.replaceWith(h("div", "ph")));
      top.append(i);
    } else top.append(h("div", "ph"));
    const b = h("div", "cb");
    const pr = h("div", "pr", money(p.price, p.currency));
    if (p.originalPrice != null && Number(p.originalPrice) > Number(p.price)) pr.append(h("s", "", money(p.originalPrice, p.currency)));
    b.append(h("div", "nm", str(p.name)), pr, h("div", p.inStock ? "st" : "st no", p.inStock ? T.inStock : T.out));
    top.append(b);
    c.append(top);
    const foot = h("div", "cf");
    for (const x of actions) {
      const title = str(x.title);
      const payload = str(x.payload);
      const details = /^details:/i.test(payload);
      const btn = h("button", details ? "ca" : "ca buy", details ? T.details : title);
      btn.type = "button";
      // Channels shorten titles (WhatsApp: 20 characters); the shopper's bubble shows the full name.
      btn.addEventListener("click", press(details || title.endsWith("…") ? str(p.name) || title : title, payload));
      foot.append(btn);
    }
    if (!foot.firstChild && href) foot.append(a(href, "vw", `${T.view} →`));
    if (foot.firstChild) c.append(foot);
    return c;
  };

  // Bullet lines that only repeat a product shown as a card ("• Robe en lin — 89,00 €").
  const withoutListed = (text, products) =>
    text
      .split("\n")
      .filter((l) => !(/^\s*[•*-]\s/.test(l) && products.some((p) => str(p.name) && l.includes(str(p.name)))))
      .join("\n")
      .trim() || text;

  const renderReply = (reply, r, textEl) => {
    const products = (Array.isArray(reply.products) ? reply.products : []).filter((p) => p && typeof p === "object");
    const text = products.length ? withoutListed(str(reply.text), products) : str(reply.text);
    if (textEl) {
      textEl.replaceChildren();
      rich(textEl, text);
    } else if (text) bubble(r, "bot", text);
    const buttons = (Array.isArray(reply.buttons) ? reply.buttons : []).filter((x) => x && typeof x === "object");
    const forCard = (p) => buttons.filter((x) => str(x.payload).replace(/^[^:]*:/, "") === String(p.id));
    if (products.length) {
      const box = h("div", "cards");
      for (const p of products) box.append(card(p, forCard(p)));
      r.append(box);
    }
    const links = Array.isArray(reply.links) ? reply.links : [];
    const acts = h("div", "acts");
    for (const l of links) {
      const href = safeUrl(l && l.url);
      if (!href) continue;
      if (l.kind === "checkout") {
        const p = a(href, "pay");
        const t = h("span");
        t.append(h("b", "", T.pay), h("small", "", str(l.title) || T.secure));
        p.append(icon("lock"), t);
        acts.append(p);
      } else acts.append(a(href, "lk", `${str(l.title) || href} ↗`));
    }
    if (acts.firstChild) r.append(acts);
    chips(r, buttons.filter((x) => !products.some((p) => forCard(p).includes(x))));
    if (reply.handoff === true) r.append(h("div", "note", T.handoff));
  };

  const remember = (item) => {
    history.push(item);
    history = history.slice(-40);
    save("history", history);
  };

  // ---- talking to the endpoint ----
  let busy = false;
  let intro = null;

  const fail = (message, retry) => {
    const e = h("div", "err");
    e.append(h("span", "", message));
    const b = h("button", "", T.retry);
    b.type = "button";
    b.addEventListener("click", () => {
      if (busy) return; // another message is on its way; keep the retry for later
      e.remove();
      retry();
    });
    e.append(b);
    log.append(e);
    scroll();
  };

  // Reads an SSE body; calls onEvent(name, dataString) per event.
  const readSse = async (res, onEvent) => {
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = "";
    let ev = "";
    let data = [];
    const line = (l) => {
      if (l === "") {
        if (data.length) onEvent(ev || "message", data.join("\n"));
        ev = "";
        data = [];
      } else if (l[0] !== ":") {
        const i = l.indexOf(":");
        const field = i < 0 ? l : l.slice(0, i);
        const value = i < 0 ? "" : l.slice(i + (l[i + 1] === " " ? 2 : 1));
        if (field === "event") ev = value;
        else if (field === "data") data.push(value);
      }
    };
    for (;;) {
      const { done, value } = await reader.read();
      buf += done ? dec.decode() : dec.decode(value, { stream: true });
      let m;
      while ((m = /\r\n|\r|\n/.exec(buf))) {
        if (!done && m[0] === "\r" && m.index === buf.length - 1) break; // maybe half of \r\n
        line(buf.slice(0, m.index));
        buf = buf.slice(m.index + m[0].length);
      }
      if (done) {
        if (buf) line(buf);
        line("");
        return;
      }
    }
  };

  // A retry reuses the message id, so the server answers a message it already handled only once.
  const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

  const send = async (text, payload, again, messageId = newId()) => {
    text = String(text || "").trim().slice(0, 2000);
    if (!text || busy) return;
    busy = true;
    go.disabled = true;
    if (intro) {
      intro.remove();
      intro = null;
    }
    if (!again) {
      bubble(row("me"), "me", text);
      remember({ me: text });
    }
    const r = row("bot");
    const dots = h("div", "msg dots");
    dots.append(h("span", "sr", T.typing), h("i"), h("i"), h("i"));
    r.append(dots);
    scroll();

    const body = { message: text, messageId };
    if (sessionId) body.sessionId = sessionId;
    if (payload) body.payload = payload;
    const retry = () => send(text, payload, true, messageId);
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 45000);
    let textEl = null;
    let reached = false;
    try {
      const res = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream, application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        signal: ctl.signal,
      });
      reached = true;
      if (!res.ok) {
        const err = await res.json().catch(() => ({}));
        r.remove();
        const code = err && err.error && err.error.code;
        if (res.status === 429 || code === "rate_limited") {
          const s = parseInt(res.headers.get("retry-after") || "", 10);
          fail(T.rate(s > 0 ? s : 30), retry);
        } else fail(res.status >= 500 ? T.down : T.bad, retry);
        return;
      }
      let final = null;
      if (/text\/event-stream/i.test(res.headers.get("content-type") || "")) {
        let failed = false;
        r.setAttribute("aria-busy", "true");
        await readSse(res, (name, data) => {
          let d;
          try {
            d = JSON.parse(data);
          } catch {
            return;
          }
          if (name === "delta" && d && typeof d.text === "string") {
            if (!textEl) {
              dots.remove();
              textEl = bubble(r, "bot", "");
            }
            textEl.append(d.text);
            scroll();
          } else if (name === "reset") {
            if (textEl) textEl.replaceChildren();
          } else if (name === "error") failed = true;
          else if (d && d.reply) final = d;
        });
        r.removeAttribute("aria-busy");
        if (failed || !final) throw new Error("stream ended without a reply");
      } else final = await res.json();
      if (!final || !final.reply) throw new Error("no reply");
      if (typeof final.sessionId === "string" && final.sessionId) {
        if (final.sessionId !== sessionId) {
          cursor = null; // a new session: its messages start from the beginning
          save("cursor", null);
        }
        sessionId = final.sessionId;
        save("session", sessionId);
      }
      dots.remove();
      const reply = { ...final.reply, handoff: final.handoff === true || final.reply.handoff === true };
      renderReply(reply, r, textEl);
      remember({ bot: reply });
      if (reply.handoff) convStatus = "needs_human";
      schedulePoll();
    } catch (e) {
      r.remove();
      fail(reached || (e && e.name === "AbortError") ? T.down : T.net, retry);
    } finally {
      clearTimeout(timer);
      busy = false;
      go.disabled = false;
      scroll();
    }
  };

  // ---- first view: greeting, suggestions, and the stored conversation ----
  const welcome = () => {
    const r = row("bot");
    bubble(r, "bot", opt.greeting || T.hello);
    if (!history.length) {
      const list = (opt.suggestions || T.sugg).split("|").map((s) => s.trim()).filter(Boolean);
      intro = chips(r, list.map((title) => ({ title })));
    }
    for (const item of history) {
      if (item && typeof item.me === "string") bubble(row("me"), "me", item.me);
      else if (item && item.bot) renderReply(item.bot, row("bot"));
      else if (item && typeof item.sys === "string") row("bot").append(h("div", "note", item.sys));
    }
  };

  // ---- new messages from the shop (a person answering): polled while the chat is open ----
  // Every 3 s while a person has the conversation, every 15 s otherwise; only when visible.
  // The cursor is kept, so a reply that arrived while the page was closed shows on return.
  let cursor = str(load("cursor")) || null;
  let convStatus = "bot";
  let pollTimer = null;
  let polling = false;
  const pollEvery = () => (convStatus === "needs_human" || convStatus === "human" ? 3000 : 15000);
  const schedulePoll = (ms = pollEvery()) => {
    clearTimeout(pollTimer);
    pollTimer = panel.hidden ? null : setTimeout(poll, ms);
  };
  const poll = async () => {
    if (polling || panel.hidden || !sessionId) return schedulePoll();
    if (document.visibilityState === "hidden" || busy) return schedulePoll(1000);
    polling = true;
    try {
      const q = `sessionId=${encodeURIComponent(sessionId)}${cursor ? `&after=${encodeURIComponent(cursor)}` : ""}`;
      const res = await fetch(`${endpoint}${endpoint.includes("?") ? "&" : "?"}${q}`, { credentials: "omit", headers: { accept: "application/json" } });
      if (res.ok) {
        const data = await res.json();
        const first = !cursor;
        if (typeof data.status === "string") convStatus = data.status;
        if (typeof data.cursor === "string") {
          cursor = data.cursor;
          save("cursor", cursor);
        }
        // Without a cursor, only what came after the last message this widget showed itself
        // (the shopper's and the assistant's come with each POST) is new.
        let list = Array.isArray(data.messages) ? data.messages : [];
        if (first) {
          let last = -1;
          list.forEach((m, i) => {
            if (m && (m.from === "shopper" || m.from === "assistant")) last = i;
          });
          list = list.slice(last + 1);
        }
        for (const m of list) {
          if (!m || (m.from !== "owner" && m.from !== "system")) continue;
          if (m.from === "owner") {
            const reply = { text: str(m.text), products: [], buttons: [], links: [] };
            renderReply(reply, row("bot"));
            remember({ bot: reply });
          } else {
            row("bot").append(h("div", "note", str(m.text)));
            remember({ sys: str(m.text) });
          }
          scroll();
        }
      }
    } catch {
      /* offline: try again at the next tick */
    } finally {
      polling = false;
      schedulePoll();
    }
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !panel.hidden) schedulePoll(0);
  });

  // ---- open / close / keyboard ----
  let started = false;
  const open = () => {
    if (!started) {
      started = true;
      welcome();
    }
    panel.hidden = false;
    root.classList.add("open");
    setLauncher(true);
    scroll();
    input.focus();
    schedulePoll(0);
  };
  const close = () => {
    if (panel.hidden) return;
    panel.hidden = true;
    root.classList.remove("open");
    setLauncher(false);
    clearTimeout(pollTimer);
    launcher.focus();
  };

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeBtn.addEventListener("click", close);
  root.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.stopPropagation();
      close();
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", () => {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  });
  const submit = () => {
    if (busy || !input.value.trim()) return;
    const text = input.value;
    input.value = "";
    input.style.height = "";
    send(text);
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });

  // ---- colours: the shop's accent, with readable text on it ----
  const mount = () => {
    document.body.append(host);
    const probe = h("i");
    shadow.append(probe);
    const color = opt.color && CSS.supports("color", opt.color) ? opt.color : "#1f2937";
    probe.style.color = color;
    const rgb = (getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
    probe.remove();
    const lum = rgb.map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    const light = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2] > 0.45;
    root.style.setProperty("--c", color);
    root.style.setProperty("--fg", light ? "#1d1f23" : "#fff");
    root.style.setProperty("--ct", light ? "#1d1f23" : color);
    root.style.setProperty("--ring", light ? "#1d1f23" : color);
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.Comptoir = { open, close, send: (text) => (open(), send(text)) };
})();
