-- Retention (issue 18): what the daily job deletes, in one call, idempotent.
--   conversations + messages   p_chat_days after the conversation's last message (CHAT_RETENTION_DAYS);
--                              their offers and cool-downs go with them, their Drive transcripts
--                              are marked 'purge' (the job deletes the files, then the rows);
--                              leads, quotes and orders keep their own rows but lose the link.
--   leads                      p_lead_days after the last contact the person initiated (the
--                              last submission or consent answer: LEAD_RETENTION_DAYS), with
--                              their submissions and consents; the demo shop's contacts alike.
--   orders                     past p_chat_days, keep what accounting needs (amount, currency,
--                              items, dates, order id, buyer email) and drop the rest (payment
--                              page url, conversation, errors).
-- Notifications and the send ledgers have their own 90-day cleanup (comms_cleanup_expired,
-- channel_cleanup). A row exactly at the limit is kept; one second past it goes.
-- -> {chat_conversation, chat_message, app_coupon_offer, app_lead, app_lead_submission,
--     app_lead_consent, shop_demo_contacts, app_checkout_order, app_quote, drive_archive}

create or replace function public.privacy_retention(p_chat_days integer, p_lead_days integer, p_limit integer default 5000)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  chat_cut timestamptz := t - make_interval(days => p_chat_days);
  lead_cut timestamptz := t - make_interval(days => p_lead_days);
  v_convs uuid[];
  v_ids text[];
  v_leads uuid[];
  n_conv integer; n_msg integer; n_offer integer; n_lead integer; n_sub integer; n_cons integer;
  n_contact integer; n_order integer; n_quote integer; v_drive jsonb;
begin
  select coalesce(array_agg(c.id), '{}') into v_convs from (
    select c.id from public.chat_conversation c
    where c.updated_at < chat_cut
      and not exists (select 1 from public.chat_message m where m.conversation_id = c.id and m.created_at >= chat_cut)
    order by c.updated_at limit p_limit
  ) c;
  select coalesce(array_agg(x::text), '{}') into v_ids from unnest(v_convs) x;

  select count(*) into n_msg from public.chat_message where conversation_id = any(v_convs);
  delete from public.chat_conversation where id = any(v_convs);
  get diagnostics n_conv = row_count;
  delete from public.app_coupon_cooldown where key = any(select 'conv:' || x from unnest(v_ids) x);
  delete from public.app_coupon_offer where conversation_id = any(v_ids) and status <> 'redeeming';
  get diagnostics n_offer = row_count;
  update public.app_lead set conversation_id = null where conversation_id = any(v_ids);
  update public.app_lead_submission set conversation_id = null where conversation_id = any(v_ids);
  update public.app_quote set conversation_id = null where conversation_id = any(v_ids);
  v_drive := public.drive_archive_mark_purge(v_ids);

  -- Orders past the limit keep the accounting record only.
  update public.app_checkout_order set conversation_id = null, url = null, last_error = null
   where created_at < chat_cut and status not in ('creating', 'pending', 'processing')
     and (conversation_id is not null or url is not null or last_error is not null);
  get diagnostics n_order = row_count;
  update public.app_quote set conversation_id = null
   where created_at < chat_cut and status <> 'open' and conversation_id is not null;
  get diagnostics n_quote = row_count;

  select coalesce(array_agg(l.id), '{}') into v_leads from (
    select l.id from public.app_lead l
    where l.updated_at < lead_cut and (l.crm_sync <> 'syncing' or l.crm_lease_until <= t)
    order by l.updated_at limit p_limit
  ) l;
  select count(*) into n_sub from public.app_lead_submission where lead_id = any(v_leads);
  select count(*) into n_cons from public.app_lead_consent where lead_id = any(v_leads);
  delete from public.app_lead where id = any(v_leads);
  get diagnostics n_lead = row_count;
  delete from public.shop_demo_contacts where updated_at < lead_cut;
  get diagnostics n_contact = row_count;

  return jsonb_build_object(
    'chat_conversation', n_conv, 'chat_message', n_msg, 'app_coupon_offer', n_offer,
    'app_lead', n_lead, 'app_lead_submission', n_sub, 'app_lead_consent', n_cons, 'shop_demo_contacts', n_contact,
    'app_checkout_order', n_order, 'app_quote', n_quote,
    'drive_archive', (v_drive->>'purge')::integer + (v_drive->>'dropped')::integer);
end
$$;

select public.comptoir_lock_down();
