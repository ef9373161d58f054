-- The assistant: conversations, messages and the knowledge base.
--   Conversations: one per (channel, user key) — the web session id, the WhatsApp BSUID/wa_id,
--          the Messenger PSID. Mode 'bot' | 'human' (handed off: the bot stays silent until a
--          release). A chat turn costs two round trips: chat_turn_begin (rate limits, upsert of
--          the conversation, the inbound message claimed by its id, mode and recent history)
--          and chat_turn_finish (the reply, language, contact, hand-off).
--   Messages: the inbound message id is unique per conversation (a redelivery is a duplicate,
--          answered with the stored reply); at most one reply per inbound message.
--   Knowledge base: chunks with a full-text vector (French + English + simple, accents folded),
--          unique per (source, content hash) so a re-ingest only writes what changed; an
--          embedding column (pgvector) only where the extension is available. kb_search fuses
--          the full-text and vector rankings by reciprocal rank; full-text only without vectors.
-- Time comes from public.app_now(); every function takes p_* parameters.

-- ---------------------------------------------------------------------------------------------
-- Conversations and messages
create table if not exists public.chat_conversation (
  id             uuid primary key default gen_random_uuid(),
  channel        text not null check (channel in ('web', 'whatsapp', 'messenger')),
  user_key       text not null check (length(user_key) between 1 and 200),
  mode           text not null default 'bot' check (mode in ('bot', 'human')),
  language       text check (language in ('fr', 'en')),
  user_name      text,
  contact_email  text,
  handoff_count  integer not null default 0,
  handoff_at     timestamptz,
  handoff_reason text,
  created_at     timestamptz not null,
  updated_at     timestamptz not null,
  unique (channel, user_key)
);
create index if not exists chat_conversation_updated_idx on public.chat_conversation (updated_at);

create table if not exists public.chat_message (
  id              bigint generated always as identity primary key,
  conversation_id uuid not null references public.chat_conversation (id) on delete cascade,
  role            text not null check (role in ('user', 'assistant')),
  -- The inbound message id (wamid, mid, web message id); null for replies.
  external_id     text,
  -- For a reply: the inbound message it answers (one reply per inbound message).
  reply_to        bigint references public.chat_message (id) on delete cascade,
  content         text not null default '',
  payload         text,
  -- A reply as sent ({text, products, buttons, links, handoff, ...}).
  reply           jsonb,
  -- Provider, tools called, language: for the owner and for debugging (no secrets).
  meta            jsonb not null default '{}'::jsonb,
  created_at      timestamptz not null,
  unique (conversation_id, external_id)
);
create unique index if not exists chat_message_reply_to_idx on public.chat_message (reply_to) where reply_to is not null;
create index if not exists chat_message_conversation_idx on public.chat_message (conversation_id, id desc);

-- One conversation as the app sees it.
create or replace function public.chat_conversation_json(c public.chat_conversation) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', c.id, 'channel', c.channel, 'user_key', c.user_key, 'mode', c.mode, 'language', c.language,
    'user_name', c.user_name, 'contact_email', c.contact_email, 'handoff_count', c.handoff_count,
    'handoff_at', c.handoff_at, 'handoff_reason', c.handoff_reason,
    'created_at', c.created_at, 'updated_at', c.updated_at)
$$;

-- Starts a turn, in one round trip:
--   1. counts one hit on each rate limit of p_rate_limits ([{key, limit, window_seconds}], the
--      foundation's rate_limit_hit); over any limit -> {status: 'rate_limited', retry_after_seconds}
--      and nothing is stored;
--   2. finds the conversation of (p_channel, p_user_key) — or, when there is none and
--      p_fallback_user_key is given, starts one under that key instead (a web session id the
--      server did not issue is never adopted) — and creates it if needed;
--   3. stores the inbound message unless its id was seen: a duplicate ->
--      {status: 'duplicate', reply: <the stored reply or null while it is being written>};
--   4. -> {status: 'ok', conversation, message_id, history: [{role, content}] (oldest first, at
--      most p_history_max messages and p_history_chars characters), last_products: [ids]}.
create or replace function public.chat_turn_begin(
  p_channel text, p_user_key text, p_message_id text, p_text text,
  p_payload text default null, p_user_name text default null, p_fallback_user_key text default null,
  p_history_chars integer default 8000, p_history_max integer default 30, p_rate_limits jsonb default '[]'::jsonb)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_key text := p_user_key;
  v_limit jsonb;
  v_hit jsonb;
  v_retry integer := 0;
  c public.chat_conversation;
  v_msg bigint;
  v_history jsonb;
  v_last jsonb;
begin
  for v_limit in select * from jsonb_array_elements(coalesce(p_rate_limits, '[]'::jsonb)) loop
    v_hit := public.rate_limit_hit(v_limit->>'key', (v_limit->>'limit')::integer, (v_limit->>'window_seconds')::integer);
    if not (v_hit->>'allowed')::boolean then
      v_retry := greatest(v_retry, (v_hit->>'retry_after_seconds')::integer);
    end if;
  end loop;
  if v_retry > 0 then
    return jsonb_build_object('status', 'rate_limited', 'retry_after_seconds', v_retry);
  end if;

  if p_fallback_user_key is not null
     and not exists (select 1 from public.chat_conversation where channel = p_channel and user_key = p_user_key) then
    v_key := p_fallback_user_key;
  end if;

  insert into public.chat_conversation as cv (channel, user_key, user_name, created_at, updated_at)
  values (p_channel, v_key, nullif(btrim(p_user_name), ''), t, t)
  on conflict (channel, user_key) do update
    set updated_at = excluded.updated_at, user_name = coalesce(excluded.user_name, cv.user_name)
  returning * into c;

  insert into public.chat_message (conversation_id, role, external_id, content, payload, created_at)
  values (c.id, 'user', p_message_id, coalesce(p_text, ''), nullif(p_payload, ''), t)
  on conflict (conversation_id, external_id) do nothing
  returning id into v_msg;

  if v_msg is null then
    return jsonb_build_object('status', 'duplicate', 'conversation', public.chat_conversation_json(c),
      'reply', (select r.reply from public.chat_message m join public.chat_message r on r.reply_to = m.id
                where m.conversation_id = c.id and m.external_id = p_message_id));
  end if;

  select coalesce(jsonb_agg(jsonb_build_object('role', h.role, 'content', h.content) order by h.id), '[]'::jsonb)
    into v_history
  from (
    select r.id, r.role, r.content, sum(length(r.content)) over (order by r.id desc) as running
    from (select m.id, m.role, m.content from public.chat_message m
          where m.conversation_id = c.id and m.id < v_msg and m.content <> ''
          order by m.id desc limit greatest(p_history_max, 0)) r
  ) h
  where h.running <= p_history_chars;

  select coalesce((select jsonb_agg(p->'id') from jsonb_array_elements(m.reply->'products') p), '[]'::jsonb)
    into v_last
  from public.chat_message m
  where m.conversation_id = c.id and m.role = 'assistant' and jsonb_array_length(coalesce(m.reply->'products', '[]'::jsonb)) > 0
  order by m.id desc limit 1;

  return jsonb_build_object('status', 'ok', 'conversation', public.chat_conversation_json(c), 'message_id', v_msg,
    'history', v_history, 'last_products', coalesce(v_last, '[]'::jsonb));
end
$$;

-- Ends a turn: stores the reply to p_reply_to (once), the conversation's language and contact
-- email, and — when p_handoff_reason is given and the bot had the conversation — hands it to a
-- human. -> {message_id (null if a reply existed), mode, handoff_started, handoff_seq}
create or replace function public.chat_turn_finish(
  p_conversation_id uuid, p_reply_to bigint, p_text text, p_reply jsonb,
  p_meta jsonb default '{}'::jsonb, p_language text default null, p_contact_email text default null,
  p_handoff_reason text default null)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_id bigint;
  c public.chat_conversation;
  v_started boolean := false;
begin
  insert into public.chat_message (conversation_id, role, reply_to, content, reply, meta, created_at)
  values (p_conversation_id, 'assistant', p_reply_to, coalesce(p_text, ''), p_reply, coalesce(p_meta, '{}'::jsonb), t)
  on conflict (reply_to) where reply_to is not null do nothing
  returning id into v_id;

  if p_handoff_reason is not null then
    update public.chat_conversation
       set mode = 'human', handoff_count = handoff_count + 1, handoff_at = t,
           handoff_reason = left(p_handoff_reason, 500), updated_at = t,
           language = coalesce(p_language, language), contact_email = coalesce(p_contact_email, contact_email)
     where id = p_conversation_id and mode = 'bot'
    returning * into c;
    v_started := found;
  end if;
  if not v_started then
    update public.chat_conversation
       set updated_at = t, language = coalesce(p_language, language), contact_email = coalesce(p_contact_email, contact_email)
     where id = p_conversation_id
    returning * into c;
  end if;
  return jsonb_build_object('message_id', v_id, 'mode', c.mode, 'handoff_started', v_started, 'handoff_seq', c.handoff_count);
end
$$;

-- Gives a conversation back to the bot. -> {released: boolean, conversation} (null if unknown)
create or replace function public.chat_release(p_conversation_id uuid) returns jsonb
language plpgsql volatile as $$
declare c public.chat_conversation; v_released boolean;
begin
  update public.chat_conversation set mode = 'bot', updated_at = public.app_now()
   where id = p_conversation_id and mode = 'human'
  returning * into c;
  v_released := found;
  if not v_released then
    select * into c from public.chat_conversation where id = p_conversation_id;
    if not found then return null; end if;
  end if;
  return jsonb_build_object('released', v_released, 'conversation', public.chat_conversation_json(c));
end
$$;

-- One conversation by id, or by (channel, user key); null when unknown.
create or replace function public.chat_conversation_get(p_conversation_id uuid default null, p_channel text default null, p_user_key text default null)
returns jsonb language sql stable as $$
  select public.chat_conversation_json(c) from public.chat_conversation c
  where (p_conversation_id is not null and c.id = p_conversation_id)
     or (p_conversation_id is null and c.channel = p_channel and c.user_key = p_user_key)
  limit 1
$$;

-- The conversation and its last p_limit messages, oldest first (transcripts, the owner's view).
create or replace function public.chat_transcript(p_conversation_id uuid, p_limit integer default 200)
returns jsonb language sql stable as $$
  select case when c.id is null then null else jsonb_build_object(
    'conversation', public.chat_conversation_json(c),
    'messages', coalesce((select jsonb_agg(jsonb_build_object('role', m.role, 'content', m.content, 'payload', m.payload,
                                                              'reply', m.reply, 'meta', m.meta, 'created_at', m.created_at) order by m.id)
                          from (select * from public.chat_message where conversation_id = c.id order by id desc limit greatest(p_limit, 1)) m),
                         '[]'::jsonb)) end
  from public.chat_conversation c where c.id = p_conversation_id
$$;

-- ---------------------------------------------------------------------------------------------
-- Knowledge base
create table if not exists public.kb_chunk (
  id              bigint generated always as identity primary key,
  -- "<folder>/<relative path>", e.g. "demo/livraison.md".
  source          text not null,
  position        integer not null,
  -- The heading path, e.g. "Livraison > Délais de livraison".
  heading         text not null default '',
  content         text not null,
  content_hash    text not null,
  language        text check (language in ('fr', 'en')),
  search_vector   tsvector not null,
  embedding_model text,
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  unique (source, content_hash)
);
create index if not exists kb_chunk_search_idx on public.kb_chunk using gin (search_vector);
create index if not exists kb_chunk_source_idx on public.kb_chunk (source);

-- The full-text vector of a chunk: its own heading (the last part of the heading path, A), the
-- headings above it (C, shared by every chunk of a document) and the content (B), each French-
-- and English-stemmed and simple (exact words, prefixes), accents folded (public.shop_fold).
create or replace function public.kb_tsvector(p_heading text, p_content text) returns tsvector
language sql immutable parallel safe as $$
  with parts as (
    select public.shop_fold(regexp_replace(coalesce(p_heading, ''), '^.* > ', '')) as leaf,
           public.shop_fold(case when position(' > ' in coalesce(p_heading, '')) > 0
                                 then regexp_replace(p_heading, ' > [^>]*$', '') else '' end) as parents,
           public.shop_fold(p_content) as body
  )
  select setweight(to_tsvector('french', leaf), 'A') || setweight(to_tsvector('english', leaf), 'A')
      || setweight(to_tsvector('simple', leaf), 'A')
      || setweight(to_tsvector('french', parents), 'C') || setweight(to_tsvector('english', parents), 'C')
      || setweight(to_tsvector('simple', parents), 'C')
      || setweight(to_tsvector('french', body), 'B') || setweight(to_tsvector('english', body), 'B')
      || setweight(to_tsvector('simple', body), 'B')
  from parts
$$;

-- Vectors only where pgvector exists (PGlite, Supabase); plain PostgreSQL keeps full-text only.
-- 384 dimensions: intfloat/multilingual-e5-small, all-MiniLM-L6-v2, bge-small (lib/kb checks).
do $do$
begin
  if exists (select 1 from pg_available_extensions where name = 'vector') then
    execute 'create extension if not exists vector';
    execute 'alter table public.kb_chunk add column if not exists embedding vector(384)';
    execute 'create index if not exists kb_chunk_embedding_idx on public.kb_chunk using hnsw (embedding vector_cosine_ops)';
    execute $f$
      create or replace function public.kb_vector_candidates(p_embedding text, p_model text, p_limit integer)
      returns table (chunk_id bigint, vec_rank bigint, similarity double precision)
      language sql stable as $b$
        select k.id, row_number() over (order by k.embedding <=> p_embedding::vector), 1 - (k.embedding <=> p_embedding::vector)
        from public.kb_chunk k
        where k.embedding is not null and k.embedding_model = p_model
        order by k.embedding <=> p_embedding::vector
        limit p_limit
      $b$ $f$;
    execute $f$
      create or replace function public.kb_set_embedding(p_id bigint, p_embedding text, p_model text) returns void
      language sql volatile as $b$
        update public.kb_chunk set embedding = p_embedding::vector, embedding_model = p_model where id = p_id
      $b$ $f$;
  else
    execute $f$
      create or replace function public.kb_vector_candidates(p_embedding text, p_model text, p_limit integer)
      returns table (chunk_id bigint, vec_rank bigint, similarity double precision)
      language sql stable as $b$ select null::bigint, null::bigint, null::double precision where false $b$ $f$;
    execute $f$
      create or replace function public.kb_set_embedding(p_id bigint, p_embedding text, p_model text) returns void
      language sql volatile as $b$ select $b$ $f$;
  end if;
end
$do$;

-- Whether this database can store and search embeddings.
create or replace function public.kb_vectors_supported() returns boolean
language sql stable as $$
  select exists (select 1 from information_schema.columns
                 where table_schema = 'public' and table_name = 'kb_chunk' and column_name = 'embedding')
$$;

-- What is stored for these sources (a jsonb array of names): {source: {hash: embedding_model or null}}, plus whether
-- vectors are supported. The ingest embeds only what is missing.
create or replace function public.kb_state(p_sources jsonb) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'vectors', public.kb_vectors_supported(),
    'sources', coalesce((select jsonb_object_agg(s.source, s.hashes) from (
        select k.source, jsonb_object_agg(k.content_hash, k.embedding_model) as hashes
        from public.kb_chunk k
        where k.source in (select jsonb_array_elements_text(p_sources)) group by k.source) s), '{}'::jsonb))
$$;

-- Replaces the chunks of one source by p_chunks ([{position, heading, content, hash, language,
-- embedding?: number[]}]): unchanged chunks (same hash) keep their row and embedding, new ones
-- are inserted, vanished ones deleted. An embedding is stored only with p_model and pgvector.
-- -> {inserted, updated, deleted, unchanged, embedded}
create or replace function public.kb_sync_source(p_source text, p_chunks jsonb, p_model text default null)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  ch jsonb;
  v_id bigint;
  v_existing public.kb_chunk;
  n_ins integer := 0; n_upd integer := 0; n_del integer := 0; n_same integer := 0; n_emb integer := 0;
  v_vectors boolean := public.kb_vectors_supported();
begin
  delete from public.kb_chunk k
   where k.source = p_source
     and not exists (select 1 from jsonb_array_elements(p_chunks) c where c->>'hash' = k.content_hash);
  get diagnostics n_del = row_count;

  for ch in select * from jsonb_array_elements(p_chunks) loop
    select * into v_existing from public.kb_chunk where source = p_source and content_hash = ch->>'hash';
    if found then
      if v_existing.position <> (ch->>'position')::integer or v_existing.heading <> coalesce(ch->>'heading', '') then
        update public.kb_chunk set position = (ch->>'position')::integer, updated_at = t where id = v_existing.id;
        n_upd := n_upd + 1;
      else
        n_same := n_same + 1;
      end if;
      v_id := v_existing.id;
    else
      insert into public.kb_chunk (source, position, heading, content, content_hash, language, search_vector, created_at, updated_at)
      values (p_source, (ch->>'position')::integer, coalesce(ch->>'heading', ''), ch->>'content', ch->>'hash',
              nullif(ch->>'language', ''), public.kb_tsvector(coalesce(ch->>'heading', ''), ch->>'content'), t, t)
      on conflict (source, content_hash) do nothing
      returning id into v_id;
      if v_id is null then continue; end if;
      n_ins := n_ins + 1;
    end if;
    if v_vectors and p_model is not null and jsonb_typeof(ch->'embedding') = 'array' then
      perform public.kb_set_embedding(v_id, (ch->'embedding')::text, p_model);
      n_emb := n_emb + 1;
    end if;
  end loop;
  return jsonb_build_object('inserted', n_ins, 'updated', n_upd, 'deleted', n_del, 'unchanged', n_same, 'embedded', n_emb);
end
$$;

-- Deletes the chunks of sources under p_prefix that are not in p_keep (a jsonb array; files
-- removed from a folder). -> number of chunks deleted
create or replace function public.kb_prune(p_prefix text, p_keep jsonb) returns integer
language plpgsql volatile as $$
declare n integer;
begin
  delete from public.kb_chunk where left(source, length(p_prefix)) = p_prefix and source not in (select jsonb_array_elements_text(coalesce(p_keep, '[]'::jsonb)));
  get diagnostics n = row_count;
  return n;
end
$$;

-- Hybrid search. Full-text: each query word (folded; stop words and question words dropped) is
-- matched French- and English-stemmed and as a prefix; chunks matching more words rank first,
-- then by ts_rank. Vector: cosine distance to p_embedding (a '[...]' literal) among chunks
-- embedded with p_model. The two rankings (top 20 each) are fused by reciprocal rank
-- (1 / (60 + rank)); a chunk in p_language gets a small tie-break bonus. Without p_embedding (or
-- pgvector) it is full-text only.
-- -> {total, embedded, tokens, results: [{id, source, heading, content, language, score, fts_rank,
--     fts_hits, vec_rank, similarity}]}
create or replace function public.kb_search(p_query text, p_embedding text default null, p_model text default null,
  p_limit integer default 5, p_language text default null)
returns jsonb language plpgsql stable as $$
declare
  v_tokens text[];
  v_any tsquery;
  v_q tsquery;
  v_tok text;
  v_total integer;
  v_embedded integer := 0;
  v_result jsonb;
  v_limit integer := least(greatest(coalesce(p_limit, 5), 1), 20);
begin
  select count(*) into v_total from public.kb_chunk;
  if public.kb_vectors_supported() and p_model is not null then
    select count(*) into v_embedded from public.kb_chunk where embedding_model = p_model;
  end if;

  -- Stop words are recognised before and after accents are folded ("été", "où"), then words are folded.
  select coalesce(array_agg(distinct t), '{}') into v_tokens
  from (select w, public.shop_fold(w) as t
        from regexp_split_to_table(lower(left(coalesce(p_query, ''), 1000)), '[^a-z0-9à-öø-ÿœæ]+') as w) x
  where length(t) >= 2 and t ~ '^[a-z0-9]+$'
    and coalesce(array_length(ts_lexize('french_stem', w), 1), 0) > 0
    and coalesce(array_length(ts_lexize('french_stem', t), 1), 0) > 0
    and coalesce(array_length(ts_lexize('english_stem', t), 1), 0) > 0
    and t <> all (array['quel', 'quels', 'quelle', 'quelles', 'comment', 'combien', 'pourquoi', 'quand', 'puis', 'peux', 'peut',
                        'etre', 'avoir', 'vais', 'va', 'veux', 'voudrais', 'dois', 'doit', 'faut', 'quoi', 'mes', 'mon', 'ma',
                        'pouvez', 'faut', 'faire', 'fait', 'est', 'cest', 'quoi', 'svp', 'bonjour', 'merci', 'salut',
                        'please', 'would', 'could', 'like', 'want', 'know', 'tell', 'hello', 'thanks', 'need', 'get',
                        'vos', 'votre', 'chez', 'aussi', 'bien', 'tres', 'much', 'many', 'via', 'ok']);

  foreach v_tok in array v_tokens loop
    v_q := to_tsquery('french', v_tok) || to_tsquery('english', v_tok)
           || to_tsquery('simple', v_tok || case when length(v_tok) >= 4 then ':*' else '' end);
    v_any := case when v_any is null then v_q else v_any || v_q end;
  end loop;

  with toks as (
    select t, to_tsquery('french', t) || to_tsquery('english', t)
              || to_tsquery('simple', t || case when length(t) >= 4 then ':*' else '' end) as q
    from unnest(v_tokens) as t
  ),
  fts as (
    select s.id, s.hits, row_number() over (order by s.hits desc, s.rank desc, s.id) as fts_rank
    from (
      select k.id, count(*) filter (where k.search_vector @@ q.q) as hits, sum(ts_rank(k.search_vector, q.q)) as rank
      from public.kb_chunk k cross join toks q
      where v_any is not null and k.search_vector @@ v_any
      group by k.id
    ) s
    where s.hits > 0
    order by s.hits desc, s.rank desc, s.id
    limit 20
  ),
  vec as (
    select v.chunk_id as id, v.vec_rank, v.similarity
    from public.kb_vector_candidates(p_embedding, p_model, case when p_embedding is null or p_model is null then 0 else 20 end) v
  ),
  fused as (
    select coalesce(f.id, v.id) as id, f.fts_rank, f.hits, v.vec_rank, v.similarity,
           coalesce(1.0 / (60 + f.fts_rank), 0) + coalesce(1.0 / (60 + v.vec_rank), 0) as score
    from fts f full join vec v on v.id = f.id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', k.id, 'source', k.source, 'heading', k.heading, 'content', k.content, 'language', k.language,
      'score', round(x.score::numeric, 6), 'fts_rank', x.fts_rank, 'fts_hits', coalesce(x.hits, 0),
      'vec_rank', x.vec_rank, 'similarity', round(x.similarity::numeric, 4)) order by x.ord), '[]'::jsonb)
    into v_result
  from (
    select fz.*, row_number() over (
      order by fz.score + case when p_language is not null and kk.language = p_language then 0.001 else 0 end desc,
               coalesce(fz.hits, 0) desc, fz.id) as ord
    from fused fz join public.kb_chunk kk on kk.id = fz.id
  ) x join public.kb_chunk k on k.id = x.id
  where x.ord <= v_limit;

  return jsonb_build_object('total', v_total, 'embedded', v_embedded, 'tokens', cardinality(v_tokens), 'results', v_result);
end
$$;

select public.comptoir_lock_down();
