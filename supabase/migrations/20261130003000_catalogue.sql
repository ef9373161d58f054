-- One catalogue index for both shops (issue 20). The demo shop's products and the mirrored Wix
-- catalogue live in the same tables and are searched by the same functions, in one round trip:
--   catalogue_products / catalogue_variants  the agreed shapes (docs: briefs, lib/shop/types.ts)
--   catalogue_vocabulary                      the catalogue's own words, for typo correction (pg_trgm)
--   catalogue_lexicon                         a small bilingual product vocabulary (data, not code)
--   catalogue_sync                            per-source sync state: last sync, high-water mark, lease
-- The demo catalogue (formerly shop_demo_products) moves here with sizes and colours.

create extension if not exists pg_trgm;

create table if not exists public.catalogue_products (
  id                text primary key,
  source            text not null check (source in ('demo', 'wix')),
  slug              text,
  name              text not null,
  description       text not null default '',
  price             numeric(12,2) not null check (price >= 0),
  compare_at_price  numeric(12,2) check (compare_at_price is null or compare_at_price > price),
  currency          text not null check (currency ~ '^[A-Z]{3}$'),
  in_stock          boolean not null,
  stock             integer check (stock is null or stock >= 0),
  preorder          boolean not null default false,
  visible           boolean not null default true,
  image_url         text,
  url               text,
  collections       text[] not null default '{}',
  options           jsonb not null default '[]' check (jsonb_typeof(options) = 'array'),
  keywords          text not null default '',
  position          integer not null default 0,
  search_vector     tsvector,
  vendor_updated_at timestamptz,
  synced_at         timestamptz
);
create index if not exists catalogue_products_search_idx on public.catalogue_products using gin (search_vector);
create index if not exists catalogue_products_source_idx on public.catalogue_products (source, visible, position);

create table if not exists public.catalogue_variants (
  product_id       text not null references public.catalogue_products (id) on delete cascade,
  id               text not null,
  choices          jsonb not null check (jsonb_typeof(choices) = 'object'),
  price            numeric(12,2) not null check (price >= 0),
  compare_at_price numeric(12,2) check (compare_at_price is null or compare_at_price > price),
  sku              text,
  in_stock         boolean not null,
  stock            integer check (stock is null or stock >= 0),
  visible          boolean not null default true,
  position         integer not null default 0,
  primary key (product_id, id)
);

-- Every word of a source's catalogue (folded), with its French and English stems: the words a
-- misspelt query word is corrected to (trigram similarity).
create table if not exists public.catalogue_vocabulary (
  source  text not null,
  word    text not null,
  stem_fr text,
  stem_en text,
  primary key (source, word)
);
create index if not exists catalogue_vocabulary_trgm_idx on public.catalogue_vocabulary using gin (word gin_trgm_ops);

-- Bilingual product vocabulary: the words of one concept, in French and English, are searched
-- together ("dress" finds "robe", "écharpe" finds "scarf"). Words are folded (no accents, lower
-- case), one word per row. kind: category | colour | material | style | occasion.
create table if not exists public.catalogue_lexicon (
  concept text not null,
  kind    text not null check (kind in ('category', 'colour', 'material', 'style', 'occasion')),
  lang    text not null check (lang in ('fr', 'en')),
  word    text not null check (word ~ '^[a-z0-9]+$'),
  primary key (concept, lang, word)
);
create index if not exists catalogue_lexicon_word_idx on public.catalogue_lexicon (word);

create table if not exists public.catalogue_sync (
  source         text primary key check (source in ('demo', 'wix')),
  synced_at      timestamptz,
  full_synced_at timestamptz,
  high_water     timestamptz,
  lease_until    timestamptz,
  started_at     timestamptz,
  mode           text,
  last_error     text,
  products       integer not null default 0
);

-- Words and stems --------------------------------------------------------------------------

create or replace function public.catalogue_stem(p_lang text, p_word text) returns text
language sql stable parallel safe as $$
  select (ts_lexize(case p_lang when 'french' then 'french_stem'::regdictionary else 'english_stem'::regdictionary end, p_word))[1]
$$;

-- A stop word in French or English ("pour", "the", "with"); never a word of the catalogue itself.
create or replace function public.catalogue_is_stop(p_source text, p_word text) returns boolean
language sql stable parallel safe as $$
  select (coalesce(array_length(ts_lexize('french_stem', p_word), 1), 0) = 0
          or coalesce(array_length(ts_lexize('english_stem', p_word), 1), 0) = 0)
     and not exists (select 1 from public.catalogue_vocabulary v where v.source = p_source and v.word = p_word)
$$;

-- The searchable text of a product: name (A), collections + keywords + options and variant
-- choices (B), description (C); French- and English-stemmed, plus exact words for A and B.
create or replace function public.catalogue_reindex(p_source text, p_ids text[] default null) returns integer
language plpgsql volatile as $$
declare n integer;
begin
  update public.catalogue_products p set search_vector =
      setweight(to_tsvector('french', x.a), 'A') || setweight(to_tsvector('english', x.a), 'A')
   || setweight(to_tsvector('simple', x.a), 'A')
   || setweight(to_tsvector('french', x.b), 'B') || setweight(to_tsvector('english', x.b), 'B')
   || setweight(to_tsvector('simple', x.b), 'B')
   || setweight(to_tsvector('french', x.c), 'C') || setweight(to_tsvector('english', x.c), 'C')
  from (
    select p2.id,
           public.shop_fold(p2.name) as a,
           public.shop_fold(array_to_string(p2.collections, ' ') || ' ' || p2.keywords || ' '
             || coalesce((select string_agg(o.value ->> 'name' || ' ' || coalesce((select string_agg(c, ' ') from jsonb_array_elements_text(o.value -> 'choices') c), ''), ' ')
                          from jsonb_array_elements(p2.options) o), '')
             || ' ' || coalesce((select string_agg(ch.value, ' ') from public.catalogue_variants v, jsonb_each_text(v.choices) ch
                                 where v.product_id = p2.id and v.visible), '')) as b,
           public.shop_fold(p2.description) as c
    from public.catalogue_products p2
    where p2.source = p_source and (p_ids is null or p2.id = any (p_ids))
  ) x
  where x.id = p.id;
  get diagnostics n = row_count;

  if p_ids is null then
    delete from public.catalogue_vocabulary where source = p_source;
  end if;
  insert into public.catalogue_vocabulary (source, word, stem_fr, stem_en)
  select p_source, w, public.catalogue_stem('french', w), public.catalogue_stem('english', w)
  from (select distinct w
        from public.catalogue_products p,
             regexp_split_to_table(public.shop_fold(p.name || ' ' || array_to_string(p.collections, ' ') || ' ' || p.keywords || ' '
               || p.options::text || ' ' || p.description), '[^a-z0-9]+') w
        where p.source = p_source and p.visible and (p_ids is null or p.id = any (p_ids))
          and length(w) >= 3 and w !~ '^[0-9]+$'
          and coalesce(array_length(ts_lexize('french_stem', w), 1), 0) > 0
          and coalesce(array_length(ts_lexize('english_stem', w), 1), 0) > 0) words
  on conflict (source, word) do nothing;
  return n;
end
$$;

-- Query understanding ------------------------------------------------------------------------

-- The words of a shopper's text, each with what it may mean in this catalogue:
--   token   the folded word as typed;
--   alts    the words searched for it: itself, its bilingual equivalents, and, when the word is
--           unknown to the catalogue and the lexicon, the closest catalogue or lexicon word
--           (trigram similarity >= 0.3, about the same length: "blablabla" is not "black");
--   fixed   the correction made, or null.
-- Stop words (French and English) are dropped unless the catalogue uses them.
create or replace function public.catalogue_terms(p_source text, p_text text)
returns table (token text, alts text[], fixed text)
language plpgsql stable as $$
declare
  t text;
  v_known boolean;
  v_fix text;
  v_alts text[];
begin
  for t in
    select distinct w from regexp_split_to_table(public.shop_fold(coalesce(p_text, '')), '[^a-z0-9]+') w
    where length(w) >= 2 and not public.catalogue_is_stop(p_source, w)
  loop
    v_fix := null;
    v_known := exists (select 1 from public.catalogue_vocabulary v
                       where v.source = p_source
                         and (v.word = t or v.stem_fr = public.catalogue_stem('french', t) or v.stem_en = public.catalogue_stem('english', t)))
            or exists (select 1 from public.catalogue_lexicon l
                       where l.word = t
                          or (l.lang = 'en' and public.catalogue_stem('english', l.word) = public.catalogue_stem('english', t))
                          or (l.lang = 'fr' and public.catalogue_stem('french', l.word) = public.catalogue_stem('french', t)));
    if not v_known and length(t) >= 4 and t !~ '^[0-9]+$' then
      select c.word into v_fix
      from (select v.word, similarity(v.word, t) as s from public.catalogue_vocabulary v
            where v.source = p_source and v.word % t
            union all
            select l.word, similarity(l.word, t) from public.catalogue_lexicon l where l.word % t) c
      where c.s >= 0.3 and abs(length(c.word) - length(t)) <= greatest(2, length(t) / 4)
      order by c.s desc, length(c.word), c.word
      limit 1;
    end if;
    select array_agg(distinct a) into v_alts from (
      select t as a
      union select v_fix where v_fix is not null
      union
      select l2.word
      from public.catalogue_lexicon l1 join public.catalogue_lexicon l2 on l2.concept = l1.concept
      where l1.word in (t, v_fix)
         or (l1.lang = 'en' and public.catalogue_stem('english', l1.word) in (public.catalogue_stem('english', t), public.catalogue_stem('english', v_fix)))
         or (l1.lang = 'fr' and public.catalogue_stem('french', l1.word) in (public.catalogue_stem('french', t), public.catalogue_stem('french', v_fix)))
    ) x where a is not null;
    token := t; alts := v_alts; fixed := v_fix;
    return next;
  end loop;
end
$$;

-- One word as a full-text query: French and English stems, and the exact word (or, from three
-- letters, any word it begins).
create or replace function public.catalogue_word_query(p_word text) returns tsquery
language sql stable parallel safe as $$
  select to_tsquery('french', p_word) || to_tsquery('english', p_word)
      || to_tsquery('simple', p_word || case when length(p_word) >= 3 then ':*' else '' end)
$$;

-- Any of several words, as one query.
create or replace function public.catalogue_any_query(p_words text[]) returns tsquery
language sql stable parallel safe as $$
  select coalesce(nullif(string_agg(nullif(public.catalogue_word_query(w)::text, ''), ' | '), '')::tsquery, ''::tsquery)
  from unnest(p_words) w
  where w ~ '^[a-z0-9]+$'
$$;

-- All the words of a text, each by any of its meanings (for colour and material filters).
create or replace function public.catalogue_all_query(p_source text, p_text text) returns tsquery
language sql stable as $$
  select coalesce(nullif(string_agg('(' || nullif(public.catalogue_any_query(t.alts)::text, '') || ')', ' & '), '')::tsquery, ''::tsquery)
  from public.catalogue_terms(p_source, p_text) t
$$;

-- Products as the app sees them --------------------------------------------------------------

create or replace function public.catalogue_variant_json(v public.catalogue_variants) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', v.id, 'choices', v.choices, 'price', v.price::text,
    'originalPrice', v.compare_at_price::text, 'sku', v.sku, 'inStock', v.in_stock, 'stock', v.stock, 'visible', v.visible)
$$;

-- One product (money as exact decimal strings). The shop layer resolves relative image paths and
-- the demo's page URLs, and shortens the description.
create or replace function public.catalogue_product_json(p public.catalogue_products, p_with_variants boolean default false) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', p.id, 'source', p.source, 'slug', p.slug, 'name', p.name,
    'price', p.price::text, 'originalPrice', p.compare_at_price::text, 'currency', p.currency,
    'imageUrl', p.image_url, 'url', p.url, 'description', p.description,
    'inStock', p.in_stock or p.preorder, 'stock', p.stock, 'preorder', p.preorder, 'visible', p.visible,
    'collections', to_jsonb(p.collections), 'options', p.options)
  || case when p_with_variants then jsonb_build_object('variants', coalesce(
       (select jsonb_agg(public.catalogue_variant_json(v) order by v.position, v.id)
        from public.catalogue_variants v where v.product_id = p.id and v.visible), '[]'::jsonb))
     else '{}'::jsonb end
$$;

-- One visible product of a source, with its visible variants, or null.
create or replace function public.catalogue_get_product(p_source text, p_id text) returns jsonb
language sql stable as $$
  select public.catalogue_product_json(p, true) from public.catalogue_products p
  where p.id = p_id and p.source = p_source and p.visible
$$;

-- Search --------------------------------------------------------------------------------------
--
-- Search over the visible products of one source -> {products, corrections, syncedAt, stale}.
--   * each query word is folded, matched stemmed (French and English) and as a word prefix, by
--     any of its bilingual equivalents (catalogue_lexicon), and a word the catalogue does not know
--     is corrected to its closest catalogue word (pg_trgm);
--   * products matching the most query words win; among them, a word found in the name,
--     collections, keywords or options counts 1, in the description only 1/2; then the words as
--     typed (or corrected) before their equivalents; then full-text rank;
--   * p_category restricts to the collections it names (by words, singular or plural, in either
--     language, misspelt); a category matching no collection is searched as words instead;
--   * p_colour, p_material: every word must match (colour in the name, keywords, collections or a
--     variant's choices; material anywhere);
--   * price bounds apply to the price of a variant (a product qualifies when one variant does);
--     p_in_stock keeps products (and variants) that can be bought now;
--   * p_sort: relevance (default), price_asc, price_desc; p_limit 1..8;
--   * stale: the source was never synced, or longer ago than p_max_age_seconds.
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
  v_terms jsonb;
  v_any tsquery;
  v_self tsquery;
  v_products jsonb;
  v_corrections jsonb;
  v_sync public.catalogue_sync;
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
                                 || to_tsvector('simple', public.shop_fold(cols.c))) @@ public.catalogue_any_query(cat.alts));
    if v_collections is null then
      if not exists (select 1 from public.catalogue_terms(p_source, v_cat)) then
        return jsonb_build_object('products', '[]'::jsonb, 'corrections', '[]'::jsonb); -- only stop words
      end if;
      v_text := v_text || ' ' || v_cat;
    end if;
  end if;
  if btrim(coalesce(p_colour, '')) <> '' then v_colour := public.catalogue_all_query(p_source, p_colour); end if;
  if btrim(coalesce(p_material, '')) <> '' then v_material := public.catalogue_all_query(p_source, p_material); end if;

  select coalesce(jsonb_agg(jsonb_build_object('token', t.token, 'q', public.catalogue_any_query(t.alts)::text,
           's', public.catalogue_any_query(array_remove(array[t.token, t.fixed], null))::text, 'fixed', t.fixed)), '[]'::jsonb)
    into v_terms
  from public.catalogue_terms(p_source, v_text) t;
  select coalesce(jsonb_agg(jsonb_build_object('from', e ->> 'token', 'to', e ->> 'fixed')), '[]'::jsonb) into v_corrections
  from jsonb_array_elements(v_terms) e where e ->> 'fixed' is not null;
  select coalesce(nullif(string_agg('(' || nullif(e ->> 'q', '') || ')', ' | '), '')::tsquery, ''::tsquery),
         coalesce(nullif(string_agg('(' || nullif(e ->> 's', '') || ')', ' | '), '')::tsquery, ''::tsquery)
    into v_any, v_self
  from jsonb_array_elements(v_terms) e;

  with eligible as (
    select p.*,
      (select min(v.price) from public.catalogue_variants v
       where v.product_id = p.id and v.visible
         and (not coalesce(p_in_stock, false) or v.in_stock or p.preorder)
         and (p_min_price is null or v.price >= p_min_price)
         and (p_max_price is null or v.price <= p_max_price)) as variant_price,
      exists (select 1 from public.catalogue_variants v where v.product_id = p.id and v.visible) as has_variants
    from public.catalogue_products p
    where p.source = p_source and p.visible
      and (v_collections is null or p.collections && v_collections)
      and (not coalesce(p_in_stock, false) or p.in_stock or p.preorder)
      and (numnode(v_colour) = 0 or ts_filter(p.search_vector, '{a,b}') @@ v_colour)
      and (numnode(v_material) = 0 or p.search_vector @@ v_material)
      and (jsonb_array_length(v_terms) = 0 or p.search_vector @@ v_any)
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
  scored as (
    select b.id, b.position, b.name, b.eff_price, b.in_stock or b.preorder as buyable, m.hits, m.score, m.self,
      case when numnode(v_self) > 0 then ts_rank(b.search_vector, v_self) else 0 end as rank_self,
      case when numnode(v_any) > 0 then ts_rank(b.search_vector, v_any) else 0 end as rank
    from bounded b
    cross join lateral (
      select count(*) filter (where b.search_vector @@ (t ->> 'q')::tsquery) as hits,
        coalesce(sum(case when ts_filter(b.search_vector, '{a,b}') @@ (t ->> 'q')::tsquery then 1.0
                          when b.search_vector @@ (t ->> 'q')::tsquery then 0.5 else 0 end), 0) as score,
        coalesce(sum(case when ts_filter(b.search_vector, '{a,b}') @@ (t ->> 's')::tsquery then 1.0
                          when b.search_vector @@ (t ->> 's')::tsquery then 0.5 else 0 end), 0) as self
      from jsonb_array_elements(v_terms) t where t ->> 'q' <> '') m
  ),
  best as (
    select * from scored
    where jsonb_array_length(v_terms) = 0 or (hits > 0 and hits = (select max(hits) from scored))
  ),
  picked as (
    select * from best
    order by
      case when v_sort = 'price_asc' then eff_price end asc nulls last,
      case when v_sort = 'price_desc' then eff_price end desc nulls last,
      score desc, self desc, rank_self desc, rank desc, buyable desc, position, name
    limit v_limit
  )
  select coalesce(jsonb_agg(public.catalogue_product_json(p) || jsonb_build_object('matchPrice', x.eff_price::text)
           order by case when v_sort = 'price_asc' then x.eff_price end asc nulls last,
                    case when v_sort = 'price_desc' then x.eff_price end desc nulls last,
                    x.score desc, x.self desc, x.rank_self desc, x.rank desc, x.buyable desc, x.position, x.name), '[]'::jsonb)
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

-- Sync (the Wix mirror) -------------------------------------------------------------------------

-- Claims the sync of a source when it is due: nobody holds a live lease, and the last sync is
-- older than p_max_age_seconds (or p_force). Full when never fully synced or the last full sync
-- is older than p_full_every_seconds; incremental otherwise, from the high-water mark.
-- -> {claimed, mode, since, startedAt}.
create or replace function public.catalogue_sync_claim(p_source text, p_max_age_seconds integer, p_full_every_seconds integer,
  p_lease_seconds integer, p_force boolean default false)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  s public.catalogue_sync;
begin
  insert into public.catalogue_sync (source) values (p_source) on conflict (source) do nothing;
  update public.catalogue_sync c set
    lease_until = t + make_interval(secs => greatest(p_lease_seconds, 1)),
    started_at = t,
    mode = case when c.full_synced_at is null or c.full_synced_at < t - make_interval(secs => p_full_every_seconds)
                     or c.high_water is null then 'full' else 'incremental' end
  where c.source = p_source
    and (c.lease_until is null or c.lease_until <= t)
    and (coalesce(p_force, false) or c.synced_at is null or c.synced_at <= t - make_interval(secs => greatest(p_max_age_seconds, 0)))
  returning * into s;
  if s.source is null then
    return jsonb_build_object('claimed', false);
  end if;
  return jsonb_build_object('claimed', true, 'mode', s.mode, 'since', case when s.mode = 'incremental' then s.high_water end, 'startedAt', s.started_at);
end
$$;

-- Writes one page of products (and their variants) of a source; products it lists as hidden are
-- removed. Each product: {id, slug, name, description, price, compareAtPrice, currency, inStock,
-- stock, preorder, imageUrl, url, collections, options, keywords, vendorUpdatedAt, variants?}.
-- Variants, when given, replace the product's variants. -> {upserted, removed}.
create or replace function public.catalogue_upsert_products(p_source text, p_products jsonb, p_hidden_ids text[] default '{}')
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_ids text[];
  v_removed integer;
begin
  if jsonb_typeof(p_products) <> 'array' then
    raise exception 'p_products must be an array' using errcode = '22023';
  end if;
  if exists (select 1 from public.catalogue_products p
             where p.source <> p_source
               and (p.id = any (coalesce(p_hidden_ids, '{}')) or p.id in (select e ->> 'id' from jsonb_array_elements(p_products) e))) then
    raise exception 'a product id belongs to another source' using errcode = '22023';
  end if;

  with rows as (
    select e ->> 'id' as id, e ->> 'slug' as slug, e ->> 'name' as name, coalesce(e ->> 'description', '') as description,
      (e ->> 'price')::numeric(12,2) as price, (e ->> 'compareAtPrice')::numeric(12,2) as compare_at_price,
      upper(e ->> 'currency') as currency, coalesce((e ->> 'inStock')::boolean, true) as in_stock,
      (e ->> 'stock')::integer as stock, coalesce((e ->> 'preorder')::boolean, false) as preorder,
      e ->> 'imageUrl' as image_url, e ->> 'url' as url,
      coalesce((select array_agg(c) from jsonb_array_elements_text(coalesce(e -> 'collections', '[]')) c), '{}') as collections,
      coalesce(e -> 'options', '[]'::jsonb) as options, coalesce(e ->> 'keywords', '') as keywords,
      coalesce((e ->> 'position')::integer, 0) as position,
      (e ->> 'vendorUpdatedAt')::timestamptz as vendor_updated_at
    from jsonb_array_elements(p_products) e
  )
  insert into public.catalogue_products as p (id, source, slug, name, description, price, compare_at_price, currency, in_stock, stock,
    preorder, visible, image_url, url, collections, options, keywords, position, vendor_updated_at, synced_at)
  select id, p_source, slug, name, description, price,
    case when compare_at_price > price then compare_at_price end, currency, in_stock, stock, preorder, true,
    image_url, url, collections, options, keywords, position, vendor_updated_at, t
  from rows
  on conflict (id) do update set
    slug = excluded.slug, name = excluded.name, description = excluded.description, price = excluded.price,
    compare_at_price = excluded.compare_at_price, currency = excluded.currency, in_stock = excluded.in_stock,
    stock = excluded.stock, preorder = excluded.preorder, visible = true, image_url = excluded.image_url,
    url = excluded.url, collections = excluded.collections, options = excluded.options, keywords = excluded.keywords,
    position = excluded.position, vendor_updated_at = excluded.vendor_updated_at, synced_at = t;

  delete from public.catalogue_variants v
  using jsonb_array_elements(p_products) e
  where v.product_id = e ->> 'id' and jsonb_typeof(e -> 'variants') = 'array';
  insert into public.catalogue_variants (product_id, id, choices, price, compare_at_price, sku, in_stock, stock, visible, position)
  select e ->> 'id', x.v ->> 'id', coalesce(x.v -> 'choices', '{}'::jsonb), (x.v ->> 'price')::numeric(12,2),
    case when (x.v ->> 'compareAtPrice')::numeric(12,2) > (x.v ->> 'price')::numeric(12,2) then (x.v ->> 'compareAtPrice')::numeric(12,2) end,
    x.v ->> 'sku', coalesce((x.v ->> 'inStock')::boolean, true), (x.v ->> 'stock')::integer,
    coalesce((x.v ->> 'visible')::boolean, true), x.n - 1
  from jsonb_array_elements(p_products) e
  cross join lateral jsonb_array_elements(case when jsonb_typeof(e -> 'variants') = 'array' then e -> 'variants' else '[]'::jsonb end)
    with ordinality as x(v, n)
  on conflict (product_id, id) do nothing;

  delete from public.catalogue_products p where p.source = p_source and p.id = any (coalesce(p_hidden_ids, '{}'));
  get diagnostics v_removed = row_count;

  select coalesce(array_agg(e ->> 'id'), '{}') into v_ids from jsonb_array_elements(p_products) e;
  if cardinality(v_ids) > 0 then
    perform public.catalogue_reindex(p_source, v_ids);
  end if;
  return jsonb_build_object('upserted', cardinality(v_ids), 'removed', v_removed);
end
$$;

-- Ends a claimed sync. Success: a full sync removes the source's products it did not see, the
-- vocabulary is rebuilt, the high-water mark moves to the newest vendor update seen. Failure
-- (p_error): the lease is released and the error kept; nothing else changes.
create or replace function public.catalogue_sync_finish(p_source text, p_started_at timestamptz, p_error text default null)
returns jsonb language plpgsql volatile as $$
declare
  s public.catalogue_sync;
  v_removed integer := 0;
  v_count integer;
begin
  select * into s from public.catalogue_sync where source = p_source and started_at = p_started_at for update;
  if s.source is null then
    return jsonb_build_object('finished', false); -- another sync took over after our lease expired
  end if;
  if p_error is not null then
    update public.catalogue_sync set lease_until = null, last_error = left(p_error, 500) where source = p_source;
    return jsonb_build_object('finished', true, 'ok', false);
  end if;
  if s.mode = 'full' then
    delete from public.catalogue_products where source = p_source and (synced_at is null or synced_at < p_started_at);
    get diagnostics v_removed = row_count;
  end if;
  perform public.catalogue_reindex(p_source, null);
  select count(*) into v_count from public.catalogue_products where source = p_source and visible;
  update public.catalogue_sync set
    synced_at = p_started_at,
    full_synced_at = case when s.mode = 'full' then p_started_at else full_synced_at end,
    high_water = coalesce((select max(vendor_updated_at) from public.catalogue_products where source = p_source), high_water),
    lease_until = null, last_error = null, products = v_count
  where source = p_source;
  return jsonb_build_object('finished', true, 'ok', true, 'mode', s.mode, 'removed', v_removed, 'products', v_count);
end
$$;

-- The bilingual product vocabulary ------------------------------------------------------------

insert into public.catalogue_lexicon (concept, kind, lang, word)
with c(concept, kind, fr, en) as (values
  -- concept, kind, French words, English words
  ('dress', 'category', 'robe', 'dress gown frock'),
  ('shoe', 'category', 'chaussure soulier', 'shoe footwear'),
  ('pump', 'category', 'escarpin talon talons', 'pump pumps heel heels stiletto'),
  ('espadrille', 'category', 'espadrille', 'espadrille'),
  ('boot', 'category', 'bottine botte boots', 'boot bootie booties'),
  ('flat', 'category', 'ballerine', 'ballerina flats'),
  ('sandal', 'category', 'sandale nupieds', 'sandal sandals'),
  ('sneaker', 'category', 'basket baskets tennis', 'sneaker sneakers trainers'),
  ('candle', 'category', 'bougie chandelle', 'candle candles'),
  ('bag', 'category', 'sac sacoche', 'bag handbag purse'),
  ('tote', 'category', 'cabas', 'tote shopper'),
  ('crossbody', 'category', 'bandouliere besace', 'crossbody shoulder satchel messenger'),
  ('clutch', 'category', 'pochette', 'clutch'),
  ('basket', 'category', 'panier', 'basket hamper'),
  ('scarf', 'category', 'echarpe foulard etole chale', 'scarf scarves shawl stole wrap'),
  ('throw', 'category', 'plaid couverture', 'throw blanket'),
  ('diffuser', 'category', 'diffuseur', 'diffuser'),
  ('gift', 'category', 'cadeau cadeaux offrir', 'gift gifts present'),
  ('card', 'category', 'carte', 'card voucher'),
  ('box', 'category', 'coffret', 'box set giftset'),
  ('home', 'category', 'maison deco decoration', 'home house decor'),
  ('fragrance', 'category', 'parfum parfume parfumee senteur', 'scent scented fragrance perfume'),
  ('wallet', 'category', 'portefeuille', 'wallet'),
  ('shirt', 'category', 'chemise chemisier blouse', 'shirt blouse'),
  ('tshirt', 'category', 'tshirt teeshirt', 'tshirt tee'),
  ('sweater', 'category', 'pull pullover', 'sweater jumper pullover'),
  ('cardigan', 'category', 'gilet', 'cardigan'),
  ('trousers', 'category', 'pantalon', 'trousers pants'),
  ('jeans', 'category', 'jean jeans', 'jeans denim'),
  ('skirt', 'category', 'jupe', 'skirt'),
  ('jacket', 'category', 'veste blouson', 'jacket'),
  ('coat', 'category', 'manteau', 'coat'),
  ('hat', 'category', 'chapeau bonnet casquette', 'hat beanie cap'),
  ('jewellery', 'category', 'bijou bijoux', 'jewel jewels jewellery jewelry'),
  ('necklace', 'category', 'collier', 'necklace'),
  ('earring', 'category', 'boucle boucles', 'earring earrings'),
  ('ring', 'category', 'bague', 'ring'),
  ('belt', 'category', 'ceinture', 'belt'),
  ('glove', 'category', 'gant gants', 'glove gloves'),
  ('cushion', 'category', 'coussin', 'cushion pillow'),
  ('mug', 'category', 'tasse mug', 'mug cup'),
  ('soap', 'category', 'savon', 'soap'),
  ('black', 'colour', 'noir noire', 'black'),
  ('white', 'colour', 'blanc blanche ecru ivoire', 'white ivory cream'),
  ('grey', 'colour', 'gris grise perle', 'grey gray'),
  ('blue', 'colour', 'bleu bleue marine azur', 'blue navy'),
  ('red', 'colour', 'rouge cerise', 'red cherry'),
  ('burgundy', 'colour', 'bordeaux', 'burgundy maroon wine'),
  ('pink', 'colour', 'rose', 'pink'),
  ('green', 'colour', 'vert verte kaki olive', 'green khaki olive'),
  ('yellow', 'colour', 'jaune moutarde citron', 'yellow mustard lemon'),
  ('orange', 'colour', 'orange terracotta', 'orange terracotta rust'),
  ('brown', 'colour', 'marron brun camel cognac noisette chocolat', 'brown tan camel cognac hazel chocolate'),
  ('beige', 'colour', 'beige sable', 'beige sand nude'),
  ('gold', 'colour', 'dore doree', 'gold golden'),
  ('silver', 'colour', 'argent argente', 'silver'),
  ('purple', 'colour', 'violet mauve lilas', 'purple violet mauve lilac'),
  ('striped', 'style', 'raye rayee rayures mariniere', 'striped stripes stripe'),
  ('floral', 'style', 'fleuri fleurie fleurs', 'floral flower flowers flowery'),
  ('long', 'style', 'long longue', 'long maxi'),
  ('short', 'style', 'court courte', 'short mini'),
  ('wrap', 'style', 'portefeuille', 'wrap'),
  ('knit', 'material', 'maille tricot', 'knit knitted knitwear'),
  ('linen', 'material', 'lin', 'linen'),
  ('leather', 'material', 'cuir', 'leather'),
  ('suede', 'material', 'daim', 'suede'),
  ('wool', 'material', 'laine merinos', 'wool woollen woolen merino'),
  ('cashmere', 'material', 'cachemire', 'cashmere'),
  ('silk', 'material', 'soie', 'silk'),
  ('cotton', 'material', 'coton', 'cotton'),
  ('canvas', 'material', 'toile', 'canvas'),
  ('wicker', 'material', 'osier rotin', 'wicker rattan'),
  ('velvet', 'material', 'velours', 'velvet corduroy'),
  ('viscose', 'material', 'viscose', 'viscose rayon'),
  ('wax', 'material', 'cire', 'wax'),
  ('patent', 'material', 'verni vernie vernis', 'patent'),
  ('rope', 'material', 'corde jute', 'rope jute'),
  ('summer', 'occasion', 'ete estival', 'summer summery'),
  ('winter', 'occasion', 'hiver', 'winter'),
  ('wedding', 'occasion', 'mariage', 'wedding'),
  ('evening', 'occasion', 'soiree cocktail fete', 'evening party cocktail'),
  ('beach', 'occasion', 'plage', 'beach'),
  ('sale', 'occasion', 'soldes promo promotion reduction', 'sale sales discount discounted deal'),
  ('new', 'occasion', 'nouveaute nouveautes nouveau nouvelle', 'new newest latest')
)
select c.concept, c.kind, 'fr', w from c, regexp_split_to_table(c.fr, ' ') w
union all
select c.concept, c.kind, 'en', w from c, regexp_split_to_table(c.en, ' ') w
on conflict do nothing;

-- The demo catalogue moves in -----------------------------------------------------------------

insert into public.catalogue_products
  (id, source, slug, name, description, price, compare_at_price, currency, in_stock, stock, visible, image_url, url,
   collections, keywords, position, synced_at)
select p.id, 'demo', p.slug, p.name, p.description, p.price, p.compare_at_price, p.currency, p.stock > 0, p.stock, p.visible,
  p.image_path, null,
  coalesce((select array_agg(c.name order by c.position) from public.shop_demo_product_collections pc
            join public.shop_demo_collections c on c.id = pc.collection_id where pc.product_id = p.id), '{}'),
  p.keywords, p.position, public.app_now()
from public.shop_demo_products p
on conflict (id) do nothing;

-- Sizes and colours: every dress in 36-44, every pair of shoes in 36-41 (one size out of stock
-- on a dress and on a pair still in stock), the tote in three colours (green costs more).
insert into public.catalogue_variants (product_id, id, choices, price, compare_at_price, sku, in_stock, stock, position)
select v.pid, lower(v.opt) || '-' || lower(c.choice), jsonb_build_object(v.opt, c.choice),
  p.price + coalesce(v.extra[c.n], 0), case when p.compare_at_price is not null then p.compare_at_price + coalesce(v.extra[c.n], 0) end,
  upper(replace(p.slug, '-', '')) || '-' || upper(c.choice), c.stock > 0, c.stock, c.n - 1
from (values
  ('ml-robe-lin-sable', 'Taille', array['36', '38', '40', '42', '44'], array[3, 3, 3, 3, 0], null::numeric[]),
  ('ml-robe-portefeuille-terracotta', 'Taille', array['36', '38', '40', '42', '44'], array[1, 1, 1, 1, 1], null),
  ('ml-robe-longue-fleurie', 'Taille', array['36', '38', '40', '42', '44'], array[0, 1, 1, 1, 0], null),
  ('ml-robe-pull-marine', 'Taille', array['36', '38', '40', '42', '44'], array[0, 0, 0, 0, 0], null),
  ('ml-petite-robe-noire', 'Taille', array['36', '38', '40', '42', '44'], array[1, 2, 2, 1, 1], null),
  ('ml-robe-velours-hiver', 'Taille', array['36', '38', '40', '42', '44'], array[2, 2, 2, 2, 2], null),
  ('ml-escarpins-cuir-camel', 'Taille', array['36', '37', '38', '39', '40', '41'], array[1, 1, 1, 1, 1, 1], null),
  ('ml-espadrilles-rayees', 'Taille', array['36', '37', '38', '39', '40', '41'], array[3, 4, 4, 4, 3, 2], null),
  ('ml-bottines-daim-cognac', 'Taille', array['36', '37', '38', '39', '40', '41'], array[0, 1, 1, 1, 1, 0], null),
  ('ml-ballerines-vernies-rouges', 'Taille', array['36', '37', '38', '39', '40', '41'], array[0, 0, 0, 0, 0, 0], null),
  ('ml-sandales-tressees', 'Taille', array['36', '37', '38', '39', '40', '41'], array[1, 2, 2, 2, 1, 1], null),
  ('ml-sac-cabas-toile', 'Couleur', array['Marine', 'Rouge', 'Vert'], array[8, 6, 4], array[0, 0, 5.00]::numeric[])
) as v(pid, opt, choices, stocks, extra)
cross join lateral unnest(v.choices, v.stocks) with ordinality as c(choice, stock, n)
join public.catalogue_products p on p.id = v.pid
on conflict (product_id, id) do nothing;

update public.catalogue_products p set
  options = jsonb_build_array(jsonb_build_object('name', o.name, 'choices', o.choices)),
  stock = o.stock, in_stock = o.stock > 0, price = o.min_price
from (select v.product_id, min(k.key) as name, jsonb_agg(k.value order by v.position) as choices,
             sum(v.stock)::integer as stock, min(v.price) as min_price
      from public.catalogue_variants v, jsonb_each_text(v.choices) k
      group by v.product_id) o
where o.product_id = p.id and p.source = 'demo';

insert into public.catalogue_sync (source, synced_at, full_synced_at, products)
values ('demo', public.app_now(), public.app_now(), (select count(*) from public.catalogue_products where source = 'demo' and visible))
on conflict (source) do nothing;

select public.catalogue_reindex('demo');

-- The old demo tables and functions give way to the index.
drop function if exists public.shop_search_products(text, text, integer);
drop function if exists public.shop_get_product(text);
drop function if exists public.shop_demo_product_json(public.shop_demo_products);
drop function if exists public.shop_demo_reindex();
drop table if exists public.shop_demo_product_collections;
drop table if exists public.shop_demo_products;
drop table if exists public.shop_demo_collections;

select public.comptoir_lock_down();
