-- Demo shop "Maison Lumière": the offline stand-in for Wix when WIX_API_KEY is unset.
-- A small catalogue (collections, products, stock), searched with Postgres full-text search
-- (French stemming + simple prefixes, accents folded without the unaccent extension), and the
-- contacts and coupons the shop records. Same Product shape as the Wix shop (lib/shop).

-- Accent folding in plain SQL (unaccent is not on every server): lower-case, accents removed,
-- ligatures spelled out, apostrophes as spaces. Immutable, so usable in indexes.
create or replace function public.shop_fold(p_text text) returns text
language sql immutable parallel safe as $$
  select lower(translate(
    replace(replace(replace(replace(replace(replace(coalesce(p_text, ''),
      'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'), 'ß', 'ss'), '''', ' '),
    'àáâãäåāçćčèéêëēėęìíîïīñńòóôõöøōùúûüūýÿžÀÁÂÃÄÅĀÇĆČÈÉÊËĒĖĘÌÍÎÏĪÑŃÒÓÔÕÖØŌÙÚÛÜŪÝŸŽ’‘',
    'aaaaaaaccceeeeeeeiiiiinnooooooouuuuuyyzaaaaaaaccceeeeeeeiiiiinnooooooouuuuuyyz  '))
$$;

create table if not exists public.shop_demo_collections (
  id       text primary key,
  slug     text not null unique,
  name     text not null,
  position integer not null default 0
);

create table if not exists public.shop_demo_products (
  id               text primary key,
  slug             text not null unique,
  name             text not null,
  description      text not null default '',
  price            numeric(10,2) not null check (price >= 0),
  compare_at_price numeric(10,2) check (compare_at_price is null or compare_at_price > price),
  currency         text not null default 'EUR' check (currency ~ '^[A-Z]{3}$'),
  stock            integer not null default 0 check (stock >= 0),
  visible          boolean not null default true,
  image_path       text,
  keywords         text not null default '',
  position         integer not null default 0,
  search_vector    tsvector,
  created_at       timestamptz not null default public.app_now()
);
create index if not exists shop_demo_products_search_idx on public.shop_demo_products using gin (search_vector);

create table if not exists public.shop_demo_product_collections (
  product_id    text not null references public.shop_demo_products (id) on delete cascade,
  collection_id text not null references public.shop_demo_collections (id) on delete cascade,
  primary key (product_id, collection_id)
);

create table if not exists public.shop_demo_contacts (
  id         uuid primary key default gen_random_uuid(),
  email      text not null unique check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+$'),
  first_name text,
  last_name  text,
  phone      text check (phone is null or phone ~ '^\+[1-9][0-9]{6,14}$'),
  source     text,
  labels     text[] not null default '{}',
  revision   integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table if not exists public.shop_demo_coupons (
  id            uuid primary key default gen_random_uuid(),
  code          text not null unique check (code ~ '^DEMO-[0-9A-Z]+$'),
  type          text not null check (type in ('PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING')),
  value         numeric(10,2) not null check (value >= 0 and (type <> 'PERCENTAGE' or value <= 100)),
  minimum_order numeric(10,2) check (minimum_order is null or minimum_order >= 0),
  description   text,
  usage_limit   integer not null default 1 check (usage_limit = 1),
  starts_at     timestamptz not null,
  expires_at    timestamptz not null,
  created_at    timestamptz not null,
  check (expires_at - starts_at between interval '1 day' and interval '90 days')
);

-- The catalogue ---------------------------------------------------------------------------

insert into public.shop_demo_collections (id, slug, name, position) values
  ('col-robes', 'robes', 'Robes', 1),
  ('col-chaussures', 'chaussures', 'Chaussures', 2),
  ('col-bougies', 'bougies', 'Bougies', 3),
  ('col-sacs', 'sacs', 'Sacs', 4),
  ('col-foulards', 'foulards-echarpes', 'Foulards & écharpes', 5),
  ('col-maison', 'maison', 'Maison', 6),
  ('col-nouveautes', 'nouveautes', 'Nouveautés', 7),
  ('col-soldes', 'soldes', 'Soldes', 8)
on conflict (id) do update set slug = excluded.slug, name = excluded.name, position = excluded.position;

insert into public.shop_demo_products
  (id, slug, name, price, compare_at_price, stock, visible, image_path, keywords, position, description) values
  ('ml-robe-lin-sable', 'robe-lin-sable', 'Robe en lin Sable', 89.00, null, 12, true, '/demo/robe-lin-sable.svg',
   'robe ete lin naturel', 1,
   'Robe mi-longue en lin lavé, coupe droite et fluide, boutonnée devant avec deux poches discrètes. Tissée au Portugal, elle se froisse juste ce qu''il faut et se porte de mai à septembre.'),
  ('ml-robe-portefeuille-terracotta', 'robe-portefeuille-terracotta', 'Robe portefeuille Terracotta', 79.00, 99.00, 5, true, '/demo/robe-portefeuille-terracotta.svg',
   'robe cache-coeur viscose', 2,
   'Robe portefeuille en viscose fluide, manches courtes et ceinture à nouer. Sa couleur terre cuite réchauffe le teint.'),
  ('ml-robe-longue-fleurie', 'robe-longue-fleurie', 'Robe longue fleurie Jardin d''été', 119.00, null, 3, true, '/demo/robe-longue-fleurie.svg',
   'robe longue fleurs boheme ete', 3,
   'Robe longue imprimée de fleurs des champs, dos smocké et volants au bas. Idéale pour un mariage à la campagne ou une soirée d''été.'),
  ('ml-robe-pull-marine', 'robe-pull-marine', 'Robe pull en maille Marine', 95.00, null, 0, true, '/demo/robe-pull-marine.svg',
   'robe pull maille hiver laine', 4,
   'Robe pull en maille côtelée mélangée laine, col rond et longueur genou. Chaude sans être épaisse.'),
  ('ml-petite-robe-noire', 'petite-robe-noire', 'Petite robe noire Soirée', 139.00, null, 7, true, '/demo/petite-robe-noire.svg',
   'robe noire soiree cocktail', 5,
   'La petite robe noire intemporelle : crêpe souple, encolure bateau, taille marquée. À porter avec des escarpins ou des baskets blanches.'),
  ('ml-escarpins-cuir-camel', 'escarpins-cuir-camel', 'Escarpins en cuir Camel', 129.00, null, 6, true, '/demo/escarpins-cuir-camel.svg',
   'chaussure talon escarpin cuir', 6,
   'Escarpins en cuir pleine fleur, talon de 6 cm confortable, semelle cuir. Fabriqués à Romans-sur-Isère.'),
  ('ml-espadrilles-rayees', 'espadrilles-rayees', 'Espadrilles rayées Biarritz', 45.00, 55.00, 20, true, '/demo/espadrilles-rayees.svg',
   'chaussure espadrille ete toile corde', 7,
   'Espadrilles en toile de coton rayée et semelle en corde de jute, cousues main au Pays basque.'),
  ('ml-bottines-daim-cognac', 'bottines-daim-cognac', 'Bottines en daim Cognac', 159.00, null, 4, true, '/demo/bottines-daim-cognac.svg',
   'chaussure bottine boots daim hiver', 8,
   'Bottines en daim souple avec zip intérieur et talon bloc de 4 cm. Doublure cuir, semelle antidérapante.'),
  ('ml-ballerines-vernies-rouges', 'ballerines-vernies-rouges', 'Ballerines vernies Rouge', 85.00, null, 0, true, '/demo/ballerines-vernies-rouges.svg',
   'chaussure ballerine plate vernis', 9,
   'Ballerines en cuir verni rouge cerise, bout rond et petit nœud. Semelle souple pour marcher toute la journée.'),
  ('ml-sandales-tressees', 'sandales-tressees', 'Sandales tressées Riviera', 69.90, null, 9, true, '/demo/sandales-tressees.svg',
   'chaussure sandale nu-pieds cuir ete', 10,
   'Sandales plates en lanières de cuir tressé, boucle dorée à la cheville.'),
  ('ml-bougie-figue-noire', 'bougie-figue-noire', 'Bougie parfumée Figue noire', 24.90, null, 40, true, '/demo/bougie-figue-noire.svg',
   'bougie parfumee cire vegetale', 11,
   'Bougie en cire végétale coulée à la main à Grasse, notes de figue, de feuille verte et de bois de cèdre. Environ 40 heures de combustion.'),
  ('ml-bougie-fleur-oranger', 'bougie-fleur-oranger', 'Bougie Fleur d''oranger', 24.90, null, 35, true, '/demo/bougie-fleur-oranger.svg',
   'bougie parfumee fleur', 12,
   'Bougie parfumée à la fleur d''oranger et au néroli, dans un verre ambré réutilisable.'),
  ('ml-bougie-feu-de-bois', 'bougie-feu-de-bois', 'Bougie Feu de bois', 29.00, null, 15, true, '/demo/bougie-feu-de-bois.svg',
   'bougie parfumee hiver bois', 13,
   'Une bougie qui sent le feu de cheminée : bois fumé, vétiver et une pointe de vanille. Mèche en bois qui crépite.'),
  ('ml-coffret-trois-bougies', 'coffret-trois-bougies', 'Coffret trois mini-bougies', 39.00, 45.00, 10, true, '/demo/coffret-trois-bougies.svg',
   'bougie coffret cadeau', 14,
   'Trois mini-bougies (figue noire, fleur d''oranger, feu de bois) dans un coffret à offrir.'),
  ('ml-sac-cabas-toile', 'sac-cabas-toile', 'Sac cabas en toile Marinière', 49.00, null, 18, true, '/demo/sac-cabas-toile.svg',
   'sac cabas plage toile', 15,
   'Grand cabas en toile de coton épaisse à rayures marinière, anses en cuir et poche intérieure zippée.'),
  ('ml-sac-bandouliere-cuir', 'sac-bandouliere-cuir', 'Sac bandoulière en cuir Noisette', 189.00, null, 5, true, '/demo/sac-bandouliere-cuir.svg',
   'sac bandouliere besace cuir', 16,
   'Sac bandoulière en cuir tanné végétal, bandoulière réglable, fermoir aimanté. Format idéal pour le quotidien.'),
  ('ml-pochette-soiree-doree', 'pochette-soiree-doree', 'Pochette de soirée Dorée', 59.00, null, 8, true, '/demo/pochette-soiree-doree.svg',
   'sac pochette soiree', 17,
   'Pochette rigide dorée avec chaînette amovible, juste assez grande pour un téléphone et un rouge à lèvres.'),
  ('ml-panier-osier', 'panier-osier', 'Panier en osier Provence', 65.00, null, 6, true, '/demo/panier-osier.svg',
   'sac panier osier marche plage', 18,
   'Panier tressé à la main en osier, anses en cuir. Pour le marché, la plage ou le pique-nique.'),
  ('ml-echarpe-cachemire-grise', 'echarpe-cachemire-grise', 'Écharpe en cachemire Gris perle', 99.00, null, 11, true, '/demo/echarpe-cachemire-grise.svg',
   'echarpe cachemire hiver', 19,
   'Écharpe en pur cachemire, tricotée en Écosse, douce et légère. 180 × 30 cm.'),
  ('ml-foulard-soie-riviera', 'foulard-soie-riviera', 'Foulard en soie imprimé Riviera', 75.00, null, 14, true, '/demo/foulard-soie-riviera.svg',
   'foulard carre soie', 20,
   'Carré de soie twill 90 × 90 cm imprimé à Lyon, motif citrons et mer, bords roulottés main.'),
  ('ml-etole-laine-bordeaux', 'etole-laine-bordeaux', 'Étole en laine Bordeaux', 69.00, 85.00, 7, true, '/demo/etole-laine-bordeaux.svg',
   'etole echarpe laine hiver', 21,
   'Grande étole en laine mérinos, à porter en écharpe ou sur les épaules.'),
  ('ml-plaid-laine-ecru', 'plaid-laine-ecru', 'Plaid en laine Écru', 119.00, null, 5, true, '/demo/plaid-laine-ecru.svg',
   'plaid couverture laine maison', 22,
   'Plaid en laine des Pyrénées tissé dans les Vosges, franges nouées. 130 × 180 cm.'),
  ('ml-diffuseur-lavande', 'diffuseur-lavande', 'Diffuseur de parfum Lavande', 34.00, null, 22, true, '/demo/diffuseur-lavande.svg',
   'diffuseur parfum maison lavande', 23,
   'Diffuseur à bâtonnets, lavande de Haute-Provence et bergamote. Parfume une pièce pendant deux mois.'),
  ('ml-carte-cadeau-50', 'carte-cadeau-50', 'Carte cadeau 50 €', 50.00, null, 999, true, null,
   'carte cadeau bon achat', 24,
   'Une carte cadeau de 50 € valable un an sur toute la boutique, envoyée par e-mail.'),
  ('ml-robe-velours-hiver', 'robe-velours-hiver', 'Robe en velours Collection hiver', 149.00, null, 10, false, '/demo/robe-velours-hiver.svg',
   'robe velours hiver', 25,
   'Pas encore en vente : robe en velours côtelé de la prochaine collection.')
on conflict (id) do update set
  slug = excluded.slug, name = excluded.name, price = excluded.price, compare_at_price = excluded.compare_at_price,
  stock = excluded.stock, visible = excluded.visible, image_path = excluded.image_path, keywords = excluded.keywords,
  position = excluded.position, description = excluded.description;

insert into public.shop_demo_product_collections (product_id, collection_id) values
  ('ml-robe-lin-sable', 'col-robes'), ('ml-robe-lin-sable', 'col-nouveautes'),
  ('ml-robe-portefeuille-terracotta', 'col-robes'), ('ml-robe-portefeuille-terracotta', 'col-soldes'),
  ('ml-robe-longue-fleurie', 'col-robes'),
  ('ml-robe-pull-marine', 'col-robes'),
  ('ml-petite-robe-noire', 'col-robes'),
  ('ml-escarpins-cuir-camel', 'col-chaussures'),
  ('ml-espadrilles-rayees', 'col-chaussures'), ('ml-espadrilles-rayees', 'col-soldes'),
  ('ml-bottines-daim-cognac', 'col-chaussures'), ('ml-bottines-daim-cognac', 'col-nouveautes'),
  ('ml-ballerines-vernies-rouges', 'col-chaussures'),
  ('ml-sandales-tressees', 'col-chaussures'),
  ('ml-bougie-figue-noire', 'col-bougies'),
  ('ml-bougie-fleur-oranger', 'col-bougies'),
  ('ml-bougie-feu-de-bois', 'col-bougies'), ('ml-bougie-feu-de-bois', 'col-nouveautes'),
  ('ml-coffret-trois-bougies', 'col-bougies'), ('ml-coffret-trois-bougies', 'col-soldes'),
  ('ml-sac-cabas-toile', 'col-sacs'),
  ('ml-sac-bandouliere-cuir', 'col-sacs'),
  ('ml-pochette-soiree-doree', 'col-sacs'),
  ('ml-panier-osier', 'col-sacs'),
  ('ml-echarpe-cachemire-grise', 'col-foulards'),
  ('ml-foulard-soie-riviera', 'col-foulards'),
  ('ml-etole-laine-bordeaux', 'col-foulards'), ('ml-etole-laine-bordeaux', 'col-soldes'),
  ('ml-plaid-laine-ecru', 'col-maison'),
  ('ml-diffuseur-lavande', 'col-maison'),
  ('ml-robe-velours-hiver', 'col-robes')
on conflict do nothing;

-- Rebuilds the full-text vectors: name (A), collections + keywords (B), description (C), each in
-- the French (stemmed) and simple (exact words, prefixes) configurations, accents folded.
-- Call it after editing the demo catalogue by hand.
create or replace function public.shop_demo_reindex() returns integer
language plpgsql volatile as $$
declare n integer;
begin
  update public.shop_demo_products p set search_vector =
      setweight(to_tsvector('french', public.shop_fold(p.name)), 'A')
   || setweight(to_tsvector('simple', public.shop_fold(p.name)), 'A')
   || setweight(to_tsvector('french', public.shop_fold(coalesce(c.names, '') || ' ' || p.keywords)), 'B')
   || setweight(to_tsvector('simple', public.shop_fold(coalesce(c.names, '') || ' ' || p.keywords)), 'B')
   || setweight(to_tsvector('french', public.shop_fold(p.description)), 'C')
  from (select p2.id, (select string_agg(col.name, ' ') from public.shop_demo_product_collections pc
                       join public.shop_demo_collections col on col.id = pc.collection_id
                       where pc.product_id = p2.id) as names
        from public.shop_demo_products p2) c
  where c.id = p.id;
  get diagnostics n = row_count;
  return n;
end
$$;

select public.shop_demo_reindex();

-- One product as the app sees it (the Product shape, money as exact decimal strings). The app
-- turns slug and image_path into absolute URLs and shortens the description.
create or replace function public.shop_demo_product_json(p public.shop_demo_products) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', p.id, 'slug', p.slug, 'name', p.name,
    'price', p.price::text, 'originalPrice', p.compare_at_price::text, 'currency', p.currency,
    'imagePath', p.image_path, 'description', p.description,
    'inStock', p.stock > 0, 'stock', p.stock, 'visible', p.visible,
    'collections', coalesce((select jsonb_agg(c.name order by c.position)
                             from public.shop_demo_product_collections pc
                             join public.shop_demo_collections c on c.id = pc.collection_id
                             where pc.product_id = p.id), '[]'::jsonb))
$$;

-- Full-text search over visible products -> jsonb array, best first, at most 8.
--   * every word of the query is folded (accents, case) and matched both stemmed (French:
--     "chaussure" = "chaussures") and as a word prefix (simple); French stop words are dropped;
--   * products matching the most query words win (then rank, in stock first, catalogue order);
--   * p_category restricts to a collection (by slug, name, or stemmed name: "robe" = "Robes");
--     a category matching no collection is searched as words instead;
--   * no words (and no category): the catalogue's first products, in stock first.
create or replace function public.shop_search_products(p_query text, p_category text default null, p_limit integer default 8)
returns jsonb language plpgsql stable as $$
declare
  v_limit integer := least(greatest(coalesce(p_limit, 8), 1), 8);
  v_terms text := coalesce(p_query, '');
  v_collections text[];
  v_tokens text[];
  v_cat text := public.shop_fold(btrim(coalesce(p_category, '')));
  v_result jsonb;
begin
  if v_cat <> '' then
    select array_agg(c.id) into v_collections
    from public.shop_demo_collections c
    where c.slug = regexp_replace(v_cat, '[^a-z0-9]+', '-', 'g')
       or public.shop_fold(c.name) = v_cat
       or (numnode(plainto_tsquery('simple', v_cat)) > 0
           and to_tsvector('french', public.shop_fold(c.name)) @@ plainto_tsquery('french', v_cat));
    if v_collections is null then
      v_terms := v_terms || ' ' || v_cat;
    end if;
  end if;

  select coalesce(array_agg(distinct t), '{}') into v_tokens
  from regexp_split_to_table(public.shop_fold(v_terms), '[^a-z0-9]+') as t
  where length(t) >= 2 and coalesce(array_length(ts_lexize('french_stem', t), 1), 0) > 0;

  if cardinality(v_tokens) = 0 then
    if v_cat <> '' and v_collections is null then
      return '[]'::jsonb; -- the category was only stop words
    end if;
    select coalesce(jsonb_agg(public.shop_demo_product_json(p) order by p.stock > 0 desc, p.position), '[]'::jsonb)
      into v_result
    from (select * from public.shop_demo_products p
          where p.visible
            and (v_collections is null or exists (select 1 from public.shop_demo_product_collections pc
                                                  where pc.product_id = p.id and pc.collection_id = any (v_collections)))
          order by p.stock > 0 desc, p.position
          limit v_limit) p;
    return v_result;
  end if;

  with toks as (
    select t, to_tsquery('french', t) || to_tsquery('simple', t || case when length(t) >= 3 then ':*' else '' end) as q
    from unnest(v_tokens) as t
  ),
  scored as (
    select p.id, count(*) filter (where p.search_vector @@ k.q) as hits, sum(ts_rank(p.search_vector, k.q)) as rank
    from public.shop_demo_products p cross join toks k
    where p.visible
      and (v_collections is null or exists (select 1 from public.shop_demo_product_collections pc
                                            where pc.product_id = p.id and pc.collection_id = any (v_collections)))
    group by p.id
  ),
  best as (
    select s.id, s.rank from scored s
    where s.hits > 0 and s.hits = (select max(hits) from scored)
  ),
  picked as (
    select b.id, b.rank, p.stock, p.position from best b join public.shop_demo_products p on p.id = b.id
    order by b.rank desc, p.stock > 0 desc, p.position
    limit v_limit
  )
  select coalesce(jsonb_agg(public.shop_demo_product_json(p) order by x.rank desc, x.stock > 0 desc, x.position), '[]'::jsonb)
    into v_result
  from picked x join public.shop_demo_products p on p.id = x.id;
  return v_result;
end
$$;

-- One visible product by id, or null.
create or replace function public.shop_get_product(p_id text) returns jsonb
language sql stable as $$
  select public.shop_demo_product_json(p) from public.shop_demo_products p where p.id = p_id and p.visible
$$;

-- Find-or-create a contact by e-mail (race-free) -> {id, action: created|updated}. An update
-- keeps what is not given, bumps the revision, and adds the chatbot-lead label once.
create or replace function public.shop_upsert_contact(p_email text, p_first_name text default null, p_last_name text default null,
  p_phone text default null, p_source text default null)
returns jsonb language plpgsql volatile as $$
declare
  v_id uuid;
  v_email text := lower(btrim(p_email));
  t timestamptz := public.app_now();
begin
  insert into public.shop_demo_contacts (email, first_name, last_name, phone, source, labels, created_at, updated_at)
  values (v_email, p_first_name, p_last_name, p_phone, p_source, array['custom.chatbot-lead'], t, t)
  on conflict (email) do nothing
  returning id into v_id;
  if v_id is not null then
    return jsonb_build_object('id', v_id, 'action', 'created');
  end if;
  update public.shop_demo_contacts set
    first_name = coalesce(p_first_name, first_name),
    last_name = case when p_first_name is not null then coalesce(p_last_name, last_name) else last_name end,
    phone = coalesce(p_phone, phone),
    source = coalesce(p_source, source),
    labels = case when 'custom.chatbot-lead' = any (labels) then labels else array_append(labels, 'custom.chatbot-lead') end,
    revision = revision + 1,
    updated_at = t
  where email = v_email
  returning id into v_id;
  return jsonb_build_object('id', v_id, 'action', 'updated');
end
$$;

-- Records a single-use coupon -> {id, code, type, value, expiresAt}, or null when the code is
-- taken (the caller draws another). The caps are checked again here, whatever the caller did.
create or replace function public.shop_create_coupon(p_code text, p_type text, p_value numeric, p_expiry_days integer,
  p_max_percent numeric, p_max_fixed_amount numeric, p_minimum_order numeric default null, p_description text default null)
returns jsonb language plpgsql volatile as $$
declare
  v_result jsonb;
  t timestamptz := public.app_now();
begin
  if p_expiry_days is null or p_expiry_days < 1 or p_expiry_days > 90 then
    raise exception 'coupon expiry must be 1..90 days' using errcode = '22023';
  end if;
  if p_value is null or p_value < 0
     or (p_type = 'PERCENTAGE' and (p_value <= 0 or p_value > p_max_percent))
     or (p_type = 'FIXED_AMOUNT' and (p_value <= 0 or p_value > p_max_fixed_amount)) then
    raise exception 'coupon value out of bounds' using errcode = '22023';
  end if;
  insert into public.shop_demo_coupons (code, type, value, minimum_order, description, starts_at, expires_at, created_at)
  values (p_code, p_type, case when p_type = 'FREE_SHIPPING' then 0 else p_value end, p_minimum_order, p_description,
          t, t + make_interval(days => p_expiry_days), t)
  on conflict (code) do nothing
  returning jsonb_build_object('id', id, 'code', code, 'type', type, 'value', value, 'expiresAt', expires_at)
  into v_result;
  return v_result;
end
$$;

select public.comptoir_lock_down();
