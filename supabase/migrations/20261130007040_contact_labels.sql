-- The demo shop's contacts carry the same labels as Wix contacts: 'custom.chatbot-lead' for a
-- lead who agreed to hear from the shop, 'custom.chatbot-request' for one kept for their request
-- only; one of the two at a time (a withdrawn consent takes the marketing label away).
drop function if exists public.shop_upsert_contact(text, text, text, text, text);

create or replace function public.shop_upsert_contact(p_email text, p_first_name text default null, p_last_name text default null,
  p_phone text default null, p_source text default null, p_label text default 'custom.chatbot-lead')
returns jsonb language plpgsql volatile as $$
declare
  v_id uuid;
  v_email text := lower(btrim(p_email));
  v_label text := case when p_label = 'custom.chatbot-request' then p_label else 'custom.chatbot-lead' end;
  t timestamptz := public.app_now();
begin
  insert into public.shop_demo_contacts (email, first_name, last_name, phone, source, labels, created_at, updated_at)
  values (v_email, p_first_name, p_last_name, p_phone, p_source, array[v_label], t, t)
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
    labels = array_append(array_remove(array_remove(labels, 'custom.chatbot-lead'), 'custom.chatbot-request'), v_label),
    revision = revision + 1,
    updated_at = t
  where email = v_email
  returning id into v_id;
  return jsonb_build_object('id', v_id, 'action', 'updated');
end
$$;

select public.comptoir_lock_down();
