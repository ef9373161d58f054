-- Personal-data classification of the catalogue index (see 20261130007010_privacy_classification.sql):
-- product data only.
do $$
declare t text;
begin
  foreach t in array array['catalogue_products', 'catalogue_variants', 'catalogue_vocabulary', 'catalogue_lexicon', 'catalogue_sync'] loop
    if to_regclass('public.' || t) is not null then
      execute format('comment on table public.%I is %L', t, 'personal:none');
    end if;
  end loop;
end
$$;
