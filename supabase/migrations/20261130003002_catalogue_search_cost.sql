-- Catalogue search, third step (cost), same answers:
--   * the bilingual vocabulary keeps each word's French and English stems (filled by a trigger),
--     so a query word finds its equivalents by index instead of stemming every row;
--   * only the word as typed is matched as a prefix ("bou" -> "bougie"); its equivalents and
--     corrections are matched by stem and exact word, which keeps the index scan small;
--   * the per-word queries are built once as tsquery arrays, the name/keywords part of a
--     product's vector is cut once per product, and ranks are computed only for the products
--     that made the cut.

alter table public.catalogue_lexicon add column if not exists stem_fr text;
alter table public.catalogue_lexicon add column if not exists stem_en text;

create or replace function public.catalogue_lexicon_stems() returns trigger
language plpgsql as $$
begin
  new.stem_fr := public.catalogue_stem('french', new.word);
  new.stem_en := public.catalogue_stem('english', new.word);
  return new;
end
$$;
drop trigger if exists catalogue_lexicon_stems on public.catalogue_lexicon;
create trigger catalogue_lexicon_stems before insert or update of word on public.catalogue_lexicon
  for each row execute function public.catalogue_lexicon_stems();
update public.catalogue_lexicon set stem_fr = public.catalogue_stem('french', word), stem_en = public.catalogue_stem('english', word);
create index if not exists catalogue_lexicon_stem_fr_idx on public.catalogue_lexicon (stem_fr) where lang = 'fr';
create index if not exists catalogue_lexicon_stem_en_idx on public.catalogue_lexicon (stem_en) where lang = 'en';
create index if not exists catalogue_vocabulary_stem_fr_idx on public.catalogue_vocabulary (source, stem_fr);
create index if not exists catalogue_vocabulary_stem_en_idx on public.catalogue_vocabulary (source, stem_en);

-- Same contract as before (token, alts, fixed), by index lookups.
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
    with concepts as (
      select l.concept from public.catalogue_lexicon l where l.word = t or l.word = v_fix
      union select l.concept from public.catalogue_lexicon l where l.lang = 'fr' and l.stem_fr = v_fr
      union select l.concept from public.catalogue_lexicon l where l.lang = 'en' and l.stem_en = v_en
      union select l.concept from public.catalogue_lexicon l
            where v_fix is not null and ((l.lang = 'fr' and l.stem_fr = public.catalogue_stem('french', v_fix))
                                      or (l.lang = 'en' and l.stem_en = public.catalogue_stem('english', v_fix)))
    )
    select array_agg(distinct a order by a) into v_alts from (
      select t as a
      union select v_fix where v_fix is not null
      union select l.word from public.catalogue_lexicon l join concepts c on c.concept = l.concept
    ) x where a is not null;
    token := t; alts := v_alts; fixed := v_fix;
    return next;
  end loop;
end
$$;

-- Any of several words as one query: stems (French, English) and exact words; only
-- `p_prefix_word` (the word as typed) also matches the words it begins.
create or replace function public.catalogue_words_query(p_words text[], p_prefix_word text) returns tsquery
language sql stable parallel safe as $$
  select coalesce(nullif(string_agg(nullif((to_tsquery('french', w) || to_tsquery('english', w)
           || to_tsquery('simple', w || case when w = p_prefix_word and length(w) >= 3 then ':*' else '' end))::text, ''), ' | '), '')::tsquery,
         ''::tsquery)
  from unnest(p_words) w
  where w ~ '^[a-z0-9]+$'
$$;

-- Every word of a text, each by any of its meanings (colour and material filters).
create or replace function public.catalogue_every_query(p_source text, p_text text) returns tsquery
language sql stable as $$
  select coalesce(nullif(string_agg('(' || nullif(public.catalogue_words_query(t.alts, t.token)::text, '') || ')', ' & '), '')::tsquery, ''::tsquery)
  from public.catalogue_terms(p_source, p_text) t
$$;

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
  v_terms jsonb;
  v_q tsquery[];
  v_s tsquery[];
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

  select coalesce(jsonb_agg(jsonb_build_object('token', t.token, 'q', public.catalogue_words_query(t.alts, t.token)::text,
           's', public.catalogue_words_query(array_remove(array[t.token, t.fixed], null), t.token)::text, 'fixed', t.fixed)), '[]'::jsonb)
    into v_terms
  from public.catalogue_terms(p_source, v_text) t;
  select coalesce(jsonb_agg(jsonb_build_object('from', e ->> 'token', 'to', e ->> 'fixed')), '[]'::jsonb) into v_corrections
  from jsonb_array_elements(v_terms) e where e ->> 'fixed' is not null;
  select coalesce(array_agg((e ->> 'q')::tsquery), '{}'), coalesce(array_agg((e ->> 's')::tsquery), '{}')
    into v_q, v_s
  from jsonb_array_elements(v_terms) e where e ->> 'q' <> '';
  select coalesce(nullif(string_agg('(' || q::text || ')', ' | '), '')::tsquery, ''::tsquery) into v_any from unnest(v_q) q;
  select coalesce(nullif(string_agg('(' || s::text || ')', ' | '), '')::tsquery, ''::tsquery) into v_self from unnest(v_s) s where s::text <> '';

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
  scored as (
    select b.id, b.position, b.name, b.eff_price, b.in_stock or b.preorder as buyable, b.search_vector, m.hits, m.score, m.self
    from bounded b
    cross join lateral (select ts_filter(b.search_vector, '{a,b}') as ab) f
    cross join lateral (
      select count(*) filter (where b.search_vector @@ q.q) as hits,
        coalesce(sum(case when f.ab @@ q.q then 1.0 when b.search_vector @@ q.q then 0.5 else 0 end), 0) as score,
        coalesce(sum(case when f.ab @@ q.s then 1.0 when b.search_vector @@ q.s then 0.5 else 0 end), 0) as self
      from unnest(v_q, v_s) as q(q, s)) m
  ),
  best as (
    select s.*,
      case when numnode(v_self) > 0 then ts_rank(s.search_vector, v_self) else 0 end as rank_self,
      case when numnode(v_any) > 0 then ts_rank(s.search_vector, v_any) else 0 end as rank,
      case when numnode(v_filters) > 0 then ts_rank(s.search_vector, v_filters) else 0 end as filter_rank
    from scored s
    where cardinality(v_q) = 0 or (s.hits > 0 and s.hits = (select max(hits) from scored))
  ),
  picked as (
    select * from best
    order by
      case when v_sort = 'price_asc' then eff_price end asc nulls last,
      case when v_sort = 'price_desc' then eff_price end desc nulls last,
      score desc, self desc, filter_rank desc, rank_self desc, rank desc, buyable desc, position, name
    limit v_limit
  )
  select coalesce(jsonb_agg(public.catalogue_product_json(p) || jsonb_build_object('matchPrice', x.eff_price::text)
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

select public.comptoir_lock_down();
