-- Catalogue sync, safety: a full sync removes the products it did not see only when it saw at
-- least one (an empty vendor answer never empties the index). The search helpers the third step
-- replaced (catalogue_any_query, catalogue_all_query, catalogue_word_query) go.

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
  -- A full sync that saw no product at all removes nothing: an empty answer from the vendor is
  -- more likely a glitch than a shop that sold off its whole catalogue.
  if s.mode = 'full' and exists (select 1 from public.catalogue_products where source = p_source and synced_at >= p_started_at) then
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

drop function if exists public.catalogue_all_query(text, text);
drop function if exists public.catalogue_any_query(text[]);
drop function if exists public.catalogue_word_query(text);

select public.comptoir_lock_down();
