-- The cost of a chat turn in PostgreSQL (issue 21), same answers. Measured statement by statement
-- (pg_stat_statements with track = all, auto_explain of nested statements, perf on the backend)
-- for "Bonjour, vous avez des robes ?" on a new conversation:
--   * A third of the backend's time went to SQL-language functions that PostgreSQL cannot inline
--     (a FROM clause, a subquery, a data-modifying CTE): those are parsed, analysed and planned
--     again in every statement that calls them, and some were called in every turn or for every
--     product: rate_limit_hit (twice per turn), catalogue_words_query (twice per query word),
--     catalogue_is_stop (per word), catalogue_product_json (per product shown). As plpgsql their
--     plans are kept for the session; the product's card is an inlinable SQL function.
--   * catalogue_search turned its words into a jsonb document and read it back in five
--     statements; it now builds the per-word queries in one pass over catalogue_terms, whose
--     bilingual equivalents are found by index instead of two scans of the lexicon.
--   * chat_turn_finish_dialogue stored the reply, then updated the same row with the turn's usage
--     (an UPDATE, and two foreign-key checks that PostgreSQL always repeats on a row inserted in
--     the same transaction): chat_turn_finish now takes the usage and stores it with the reply.

-- Counts one hit; {allowed, remaining, reset_at, retry_after_seconds}. Atomic per key.
create or replace function public.rate_limit_hit(p_key text, p_limit integer, p_window_seconds integer) returns jsonb
language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_hits integer;
  v_end timestamptz;
begin
  insert into public.app_rate_limit as r (key, window_start, window_end, hits)
  values (p_key, t, t + make_interval(secs => p_window_seconds), 1)
  on conflict (key) do update set
    window_start = case when r.window_end <= t then excluded.window_start else r.window_start end,
    window_end   = case when r.window_end <= t then excluded.window_end else r.window_end end,
    hits         = case when r.window_end <= t then 1 else r.hits + 1 end
  returning r.hits, r.window_end into v_hits, v_end;
  return jsonb_build_object(
    'allowed', v_hits <= p_limit,
    'remaining', greatest(p_limit - v_hits, 0),
    'reset_at', v_end,
    'retry_after_seconds', greatest(ceil(extract(epoch from v_end - t)), 1)::integer);
end
$$;

-- A stop word in French or English ("pour", "the", "with"); never a word of the catalogue itself.
create or replace function public.catalogue_is_stop(p_source text, p_word text) returns boolean
language plpgsql stable parallel safe as $$
begin
  if coalesce(array_length(ts_lexize('french_stem', p_word), 1), 0) > 0
     and coalesce(array_length(ts_lexize('english_stem', p_word), 1), 0) > 0 then
    return false;
  end if;
  return not exists (select 1 from public.catalogue_vocabulary v where v.source = p_source and v.word = p_word);
end
$$;

-- The words of a shopper's text and what each may mean (as in 20261130003002_catalogue_search_cost.sql).
create or replace function public.catalogue_terms(p_source text, p_text text)
returns table (token text, alts text[], fixed text)
language plpgsql stable as $$
declare
  t text;
  v_fr text;
  v_en text;
  v_fix text;
  v_alts text[];
begin
  for t in
    select distinct w from regexp_split_to_table(public.shop_fold(coalesce(p_text, '')), '[^a-z0-9]+') w
    where length(w) >= 2 and not public.catalogue_is_stop(p_source, w)
  loop
    v_fix := null;
    v_fr := public.catalogue_stem('french', t);
    v_en := public.catalogue_stem('english', t);
    if length(t) >= 4 and t !~ '^[0-9]+$'
       and not exists (select 1 from public.catalogue_vocabulary v where v.source = p_source and v.word = t)
       and not exists (select 1 from public.catalogue_vocabulary v where v.source = p_source and v.stem_fr = v_fr)
       and not exists (select 1 from public.catalogue_vocabulary v where v.source = p_source and v.stem_en = v_en)
       and not exists (select 1 from public.catalogue_lexicon l where l.word = t)
       and not exists (select 1 from public.catalogue_lexicon l where l.lang = 'fr' and l.stem_fr = v_fr)
       and not exists (select 1 from public.catalogue_lexicon l where l.lang = 'en' and l.stem_en = v_en) then
      select c.word into v_fix
      from (select v.word, similarity(v.word, t) as s from public.catalogue_vocabulary v
            where v.source = p_source and v.word % t
            union all
            select l.word, similarity(l.word, t) from public.catalogue_lexicon l where l.word % t) c
      where c.s >= 0.3 and abs(length(c.word) - length(t)) <= greatest(2, length(t) / 4)
      order by c.s desc, length(c.word), c.word
      limit 1;
    end if;
    -- The words of every concept the word (or its correction) belongs to, each concept found by index.
    select array_agg(distinct a order by a) into v_alts from (
      select t as a
      union select v_fix where v_fix is not null
      union select l.word from public.catalogue_lexicon l
            where l.concept in (
              select c.concept from public.catalogue_lexicon c where c.word = t
              union all select c.concept from public.catalogue_lexicon c where c.word = v_fix
              union all select c.concept from public.catalogue_lexicon c where c.lang = 'fr' and c.stem_fr = v_fr
              union all select c.concept from public.catalogue_lexicon c where c.lang = 'en' and c.stem_en = v_en
              union all select c.concept from public.catalogue_lexicon c
                        where v_fix is not null and ((c.lang = 'fr' and c.stem_fr = public.catalogue_stem('french', v_fix))
                                                  or (c.lang = 'en' and c.stem_en = public.catalogue_stem('english', v_fix))))
    ) x where a is not null;
    token := t; alts := v_alts; fixed := v_fix;
    return next;
  end loop;
end
$$;

-- Any of several words as one query: stems (French, English) and exact words; only
-- `p_prefix_word` (the word as typed) also matches the words it begins.
create or replace function public.catalogue_words_query(p_words text[], p_prefix_word text) returns tsquery
language plpgsql stable parallel safe as $$
declare
  w text;
  v_part text;
  v_parts text[] := '{}';
begin
  foreach w in array coalesce(p_words, '{}') loop
    if w ~ '^[a-z0-9]+$' then
      v_part := nullif((to_tsquery('french', w) || to_tsquery('english', w)
                || to_tsquery('simple', w || case when w = p_prefix_word and length(w) >= 3 then ':*' else '' end))::text, '');
      if v_part is not null then
        v_parts := array_append(v_parts, v_part);
      end if;
    end if;
  end loop;
  return coalesce(nullif(array_to_string(v_parts, ' | '), '')::tsquery, ''::tsquery);
end
$$;

-- Every word of a text, each by any of its meanings (colour and material filters).
create or replace function public.catalogue_every_query(p_source text, p_text text) returns tsquery
language plpgsql stable as $$
begin
  return (select coalesce(nullif(string_agg('(' || nullif(public.catalogue_words_query(t.alts, t.token)::text, '') || ')', ' & '), '')::tsquery, ''::tsquery)
          from public.catalogue_terms(p_source, p_text) t);
end
$$;

-- A product's card, without its variants (money as exact decimal strings). Plain SQL, inlined
-- into the statement that calls it.
create or replace function public.catalogue_product_base_json(p public.catalogue_products) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', p.id, 'source', p.source, 'slug', p.slug, 'name', p.name,
    'price', p.price::text, 'originalPrice', p.compare_at_price::text, 'currency', p.currency,
    'imageUrl', p.image_url, 'url', p.url, 'description', p.description,
    'inStock', p.in_stock or p.preorder, 'stock', p.stock, 'preorder', p.preorder, 'visible', p.visible,
    'collections', to_jsonb(p.collections), 'options', p.options)
$$;

-- One product, with its visible variants when asked. The shop layer resolves relative image paths
-- and the demo's page URLs, and shortens the description.
create or replace function public.catalogue_product_json(p public.catalogue_products, p_with_variants boolean default false) returns jsonb
language plpgsql stable as $$
begin
  if not coalesce(p_with_variants, false) then
    return public.catalogue_product_base_json(p);
  end if;
  return public.catalogue_product_base_json(p) || jsonb_build_object('variants', coalesce(
    (select jsonb_agg(public.catalogue_variant_json(v) order by v.position, v.id)
     from public.catalogue_variants v where v.product_id = p.id and v.visible), '[]'::jsonb));
end
$$;

-- Same contract and answers as 20261201000300_catalogue_search_columns.sql.
create or replace function public.catalogue_search(
  p_source text, p_query text default '', p_category text default null, p_colour text default null,
  p_material text default null, p_min_price numeric default null, p_max_price numeric default null,
  p_in_stock boolean default false, p_sort text default 'relevance', p_limit integer default 8,
  p_max_age_seconds integer default null)
returns jsonb language plpgsql stable as $$
declare
  v_limit integer := least(greatest(coalesce(p_limit, 8), 1), 8);
  v_sort text := coalesce(nullif(p_sort, ''), 'relevance');
  v_text text := coalesce(p_query, '');
  v_cat text := btrim(coalesce(p_category, ''));
  v_collections text[];
  v_colour tsquery := ''::tsquery;
  v_material tsquery := ''::tsquery;
  v_filters tsquery;
  v_term record;
  v_tq tsquery;
  v_ts tsquery;
  v_q tsquery[] := '{}';
  v_s tsquery[] := '{}';
  v_any_parts text[] := '{}';
  v_self_parts text[] := '{}';
  v_any tsquery;
  v_self tsquery;
  v_products jsonb;
  v_corrections jsonb := '[]'::jsonb;
  v_sync public.catalogue_sync;
  -- A stock or price filter needs each variant; without one, the product row's cheapest variant.
  v_variant_filters boolean := coalesce(p_in_stock, false) or p_min_price is not null or p_max_price is not null;
begin
  if v_sort not in ('relevance', 'price_asc', 'price_desc') then
    raise exception 'unknown sort %', v_sort using errcode = '22023';
  end if;

  if v_cat <> '' then
    with cat as (select * from public.catalogue_terms(p_source, v_cat)),
    cols as (select distinct c from public.catalogue_products p, unnest(p.collections) c
             where p.source = p_source and p.visible)
    select array_agg(cols.c) into v_collections
    from cols
    where exists (select 1 from cat)
      and not exists (select 1 from cat
                      where not (to_tsvector('french', public.shop_fold(cols.c)) || to_tsvector('english', public.shop_fold(cols.c))
                                 || to_tsvector('simple', public.shop_fold(cols.c))) @@ public.catalogue_words_query(cat.alts, cat.token));
    if v_collections is null then
      if not exists (select 1 from public.catalogue_terms(p_source, v_cat)) then
        return jsonb_build_object('products', '[]'::jsonb, 'corrections', '[]'::jsonb); -- only stop words
      end if;
      v_text := v_text || ' ' || v_cat;
    end if;
  end if;
  if btrim(coalesce(p_colour, '')) <> '' then v_colour := public.catalogue_every_query(p_source, p_colour); end if;
  if btrim(coalesce(p_material, '')) <> '' then v_material := public.catalogue_every_query(p_source, p_material); end if;
  v_filters := v_colour || v_material;

  -- Each query word once, in catalogue_terms' order: its query (any of its meanings), its
  -- self-query (as typed or corrected), and the correction made.
  for v_term in select t.token, t.alts, t.fixed from public.catalogue_terms(p_source, v_text) t loop
    v_tq := public.catalogue_words_query(v_term.alts, v_term.token);
    if v_tq::text <> '' then
      v_ts := public.catalogue_words_query(array_remove(array[v_term.token, v_term.fixed], null), v_term.token);
      v_q := array_append(v_q, v_tq);
      v_s := array_append(v_s, v_ts);
      v_any_parts := array_append(v_any_parts, '(' || v_tq::text || ')');
      if v_ts::text <> '' then v_self_parts := array_append(v_self_parts, '(' || v_ts::text || ')'); end if;
    end if;
    if v_term.fixed is not null then
      v_corrections := v_corrections || jsonb_build_array(jsonb_build_object('from', v_term.token, 'to', v_term.fixed));
    end if;
  end loop;
  v_any := coalesce(nullif(array_to_string(v_any_parts, ' | '), '')::tsquery, ''::tsquery);
  v_self := coalesce(nullif(array_to_string(v_self_parts, ' | '), '')::tsquery, ''::tsquery);

  with eligible as (
    select p.id, p.position, p.name, p.price, p.in_stock, p.preorder, p.search_vector, p.search_ab, p.has_variants,
           case when v_variant_filters then vp.variant_price else p.variant_min_price end as variant_price
    from public.catalogue_products p
    cross join lateral (
      select min(v.price) filter (where (not coalesce(p_in_stock, false) or v.in_stock or p.preorder)
                                    and (p_min_price is null or v.price >= p_min_price)
                                    and (p_max_price is null or v.price <= p_max_price)) as variant_price
      from public.catalogue_variants v where v_variant_filters and p.has_variants and v.product_id = p.id and v.visible) vp
    where p.source = p_source and p.visible
      and (v_collections is null or p.collections && v_collections)
      and (not coalesce(p_in_stock, false) or p.in_stock or p.preorder)
      and (numnode(v_colour) = 0 or p.search_ab @@ v_colour)
      and (numnode(v_material) = 0 or p.search_vector @@ v_material)
      and (cardinality(v_q) = 0 or p.search_vector @@ v_any)
  ),
  priced as (
    select e.*, case when e.has_variants then e.variant_price else e.price end as eff_price
    from eligible e
  ),
  bounded as (
    select * from priced
    where eff_price is not null
      and (p_min_price is null or eff_price >= p_min_price)
      and (p_max_price is null or eff_price <= p_max_price)
  ),
  hit as (
    select b.*, (select count(*) from unnest(v_q) as q(q) where b.search_vector @@ q.q) as hits
    from bounded b
  ),
  -- Only the products with the most query words matched are scored (the others are never picked).
  scored as (
    select h.id, h.position, h.name, h.eff_price, h.in_stock or h.preorder as buyable, h.search_vector, h.hits, m.score, m.self
    from hit h
    cross join lateral (
      select coalesce(sum(case when h.search_ab @@ q.q then 1.0 when h.search_vector @@ q.q then 0.5 else 0 end), 0) as score,
        coalesce(sum(case when h.search_ab @@ q.s then 1.0 when h.search_vector @@ q.s then 0.5 else 0 end), 0) as self
      from unnest(v_q, v_s) as q(q, s)) m
    where cardinality(v_q) = 0 or (h.hits > 0 and h.hits = (select max(hits) from hit))
  ),
  best as (
    select s.*,
      case when numnode(v_self) > 0 then ts_rank(s.search_vector, v_self) else 0 end as rank_self,
      case when numnode(v_any) > 0 then ts_rank(s.search_vector, v_any) else 0 end as rank,
      case when numnode(v_filters) > 0 then ts_rank(s.search_vector, v_filters) else 0 end as filter_rank
    from scored s
  ),
  picked as (
    select * from best
    order by
      case when v_sort = 'price_asc' then eff_price end asc nulls last,
      case when v_sort = 'price_desc' then eff_price end desc nulls last,
      score desc, self desc, filter_rank desc, rank_self desc, rank desc, buyable desc, position, name
    limit v_limit
  )
  select coalesce(jsonb_agg(public.catalogue_product_base_json(p) || jsonb_build_object('matchPrice', x.eff_price::text)
           order by case when v_sort = 'price_asc' then x.eff_price end asc nulls last,
                    case when v_sort = 'price_desc' then x.eff_price end desc nulls last,
                    x.score desc, x.self desc, x.filter_rank desc, x.rank_self desc, x.rank desc, x.buyable desc, x.position, x.name), '[]'::jsonb)
    into v_products
  from picked x join public.catalogue_products p on p.id = x.id;

  select * into v_sync from public.catalogue_sync s where s.source = p_source;
  return jsonb_build_object(
    'products', v_products,
    'corrections', v_corrections,
    'syncedAt', v_sync.synced_at,
    'stale', p_max_age_seconds is not null
             and (v_sync.synced_at is null or v_sync.synced_at < public.app_now() - make_interval(secs => p_max_age_seconds)));
end
$$;


-- Ends a turn (as in 20261130006000_owner_inbox.sql), storing the turn's usage with the reply.
drop function if exists public.chat_turn_finish(uuid, bigint, text, jsonb, jsonb, text, text, text);
create or replace function public.chat_turn_finish(
  p_conversation_id uuid, p_reply_to bigint, p_text text, p_reply jsonb,
  p_meta jsonb default '{}'::jsonb, p_language text default null, p_contact_email text default null,
  p_handoff_reason text default null,
  p_tokens_in integer default null, p_tokens_out integer default null, p_latency_ms integer default null)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_id bigint;
  c public.chat_conversation;
  v_started boolean := false;
begin
  select * into c from public.chat_conversation where id = p_conversation_id for update;
  if not found then
    return jsonb_build_object('message_id', null, 'mode', null, 'handoff_started', false, 'handoff_seq', 0, 'suppressed', true);
  end if;
  if c.mode <> 'bot' then
    update public.chat_conversation
       set language = coalesce(p_language, language), contact_email = coalesce(p_contact_email, contact_email)
     where id = p_conversation_id returning * into c;
    return jsonb_build_object('message_id', null, 'mode', c.mode, 'handoff_started', false, 'handoff_seq', c.handoff_count, 'suppressed', true);
  end if;

  insert into public.chat_message (conversation_id, role, reply_to, content, reply, meta, created_at, tokens_in, tokens_out, latency_ms)
  values (p_conversation_id, 'assistant', p_reply_to, coalesce(p_text, ''), p_reply, coalesce(p_meta, '{}'::jsonb), t,
          p_tokens_in, p_tokens_out, p_latency_ms)
  on conflict (reply_to) where reply_to is not null do nothing
  returning id into v_id;

  if p_handoff_reason is not null then
    update public.chat_conversation
       set mode = 'needs_human', handoff_count = handoff_count + 1, handoff_at = t, waiting_since = t, wait_notice_at = null,
           state_changed_at = t, handoff_reason = left(p_handoff_reason, 500), updated_at = t,
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
  return jsonb_build_object('message_id', v_id, 'mode', c.mode, 'handoff_started', v_started, 'handoff_seq', c.handoff_count, 'suppressed', false);
end
$$;


-- chat_turn_finish with the turn's usage, then the dialogue state (when given). The state is only
-- written when this call stored the reply (a duplicate finish changes nothing).
create or replace function public.chat_turn_finish_dialogue(
  p_conversation_id uuid, p_reply_to bigint, p_text text, p_reply jsonb,
  p_meta jsonb default '{}'::jsonb, p_language text default null, p_contact_email text default null,
  p_handoff_reason text default null, p_dialogue jsonb default null,
  p_tokens_in integer default null, p_tokens_out integer default null, p_latency_ms integer default null)
returns jsonb language plpgsql volatile as $$
declare
  r jsonb;
begin
  if p_dialogue is not null and jsonb_typeof(p_dialogue) <> 'object' then
    raise exception 'p_dialogue must be a json object' using errcode = '22023';
  end if;
  r := public.chat_turn_finish(p_conversation_id => p_conversation_id, p_reply_to => p_reply_to, p_text => p_text,
    p_reply => p_reply, p_meta => p_meta, p_language => p_language, p_contact_email => p_contact_email,
    p_handoff_reason => p_handoff_reason, p_tokens_in => p_tokens_in, p_tokens_out => p_tokens_out,
    p_latency_ms => p_latency_ms);
  if p_dialogue is not null and r->>'message_id' is not null then
    insert into public.chat_dialogue (conversation_id, state, updated_at)
    values (p_conversation_id, p_dialogue, public.app_now())
    on conflict (conversation_id) do update set state = excluded.state, updated_at = excluded.updated_at;
  end if;
  return r;
end
$$;

select public.comptoir_lock_down();
