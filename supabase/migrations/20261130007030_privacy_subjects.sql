-- A person's data (issue 18): find everything held about one subject, export it, erase it.
--   privacy_subject_scope   the subject's records, from one identifier (email, phone, PSID or
--                           WhatsApp id, web session id), widened twice through what links them
--                           (a conversation's contact email, a lead's phone, a channel user's phone)
--   privacy_subject_export  everything held, as JSON
--   privacy_subject_erase   deletes it, table by table; orders and paid quotes are anonymised
--                           (accounting records), Drive files marked for deletion; -> a report
--   privacy_conversation_erase  the shopper's own "delete my conversation": that conversation
--                           and what only it holds (leads and orders are unlinked, not deleted)
-- Identifiers match exactly (lower-cased emails, phone digits), never by substring, so another
-- person's look-alike data stays.

create or replace function public.privacy_digits(p text) returns text
language sql immutable as $$
  select nullif(regexp_replace(coalesce(p, ''), '\D', '', 'g'), '')
$$;

create or replace function public.privacy_subject_scope(p_email text default null, p_phone text default null,
  p_psid text default null, p_session_id text default null)
returns jsonb language plpgsql stable as $$
declare
  v_email text := nullif(lower(btrim(p_email)), '');
  v_digits text := public.privacy_digits(p_phone);
  v_psid text := nullif(btrim(p_psid), '');
  v_session text := nullif(btrim(p_session_id), '');
  v_emails text[] := array_remove(array[v_email], null);
  v_phones text[] := array_remove(array[v_digits], null);
  v_users text[] := '{}';
  v_convs uuid[] := '{}';
  v_conv_ids text[] := '{}';
  v_leads uuid[] := '{}';
  v_orders uuid[];
  v_quotes text[];
  i integer;
begin
  if v_psid is not null then v_users := array['whatsapp:' || v_psid, 'messenger:' || v_psid]; end if;
  for i in 1..3 loop
    v_users := array(select distinct x from unnest(v_users
      || array(select 'whatsapp:' || p from unnest(v_phones) p)
      || array(select u.channel || ':' || u.user_id from public.channel_user u where public.privacy_digits(u.phone) = any(v_phones))) x);
    v_convs := array(select c.id from public.chat_conversation c
      where (v_session is not null and c.channel = 'web' and c.user_key = v_session)
         or (c.channel || ':' || c.user_key) = any(v_users)
         or lower(c.contact_email) = any(v_emails)
         or c.id = any(v_convs)
         or c.id::text in (select l.conversation_id from public.app_lead l where l.id = any(v_leads)));
    v_conv_ids := array(select x::text from unnest(v_convs) x);
    v_leads := array(select l.id from public.app_lead l
      where l.email_key = any(v_emails) or public.privacy_digits(l.phone) = any(v_phones) or l.conversation_id = any(v_conv_ids));
    v_emails := array(select distinct e from unnest(v_emails
      || array(select lower(c.contact_email) from public.chat_conversation c where c.id = any(v_convs) and c.contact_email is not null)
      || array(select l.email_key from public.app_lead l where l.id = any(v_leads))) e);
    v_phones := array(select distinct p from unnest(v_phones
      || array(select public.privacy_digits(l.phone) from public.app_lead l where l.id = any(v_leads) and l.phone is not null)
      || array(select public.privacy_digits(u.phone) from public.channel_user u
               where (u.channel || ':' || u.user_id) = any(v_users) and u.phone is not null)
      || array(select public.privacy_digits(s.phone) from public.app_lead_submission s where s.lead_id = any(v_leads) and s.phone is not null)) p);
    v_users := v_users || array(select c.channel || ':' || c.user_key from public.chat_conversation c
      where c.id = any(v_convs) and c.channel <> 'web');
  end loop;
  v_orders := array(select o.id from public.app_checkout_order o
    where lower(o.email) = any(v_emails) or o.conversation_id = any(v_conv_ids));
  v_quotes := array(select q.id from public.app_quote q
    where lower(q.customer->>'email') = any(v_emails) or public.privacy_digits(q.customer->>'phone') = any(v_phones)
       or q.conversation_id = any(v_conv_ids)
       or q.id in (select o.quote_id from public.app_checkout_order o where o.id = any(v_orders)));
  return jsonb_build_object(
    'emails', to_jsonb(v_emails), 'phones', to_jsonb(v_phones), 'users', to_jsonb(v_users),
    'sessions', to_jsonb(array(select c.user_key from public.chat_conversation c where c.id = any(v_convs) and c.channel = 'web')),
    'conversations', to_jsonb(v_conv_ids), 'leads', to_jsonb(v_leads), 'orders', to_jsonb(v_orders), 'quotes', to_jsonb(v_quotes));
end
$$;

create or replace function public.privacy_texts(p jsonb) returns text[]
language sql immutable as $$
  select coalesce(array(select jsonb_array_elements_text(coalesce(p, '[]'::jsonb))), '{}')
$$;

-- Notifications about the subject: by their key ('lead:<email>', 'handoff:<conversation>:<n>',
-- 'order-paid:<order>', 'order-confirmation:<order>', 'quote:<id>', 'handoff-inbound:<channel>:<user>')
-- or sent to / replying to one of their emails.
create or replace function public.privacy_scope_notifications(s jsonb) returns setof uuid
language sql stable as $$
  select n.id from public.app_notification n
  where n.dedup_key = any(array(select 'lead:' || e from unnest(public.privacy_texts(s->'emails')) e))
     or split_part(n.dedup_key, ':', 2) = any(public.privacy_texts(s->'conversations'))
     or (n.dedup_key ~ '^order-' and split_part(n.dedup_key, ':', 2) = any(public.privacy_texts(s->'orders')))
     or n.dedup_key = any(array(select 'quote:' || q from unnest(public.privacy_texts(s->'quotes')) q))
     or n.dedup_key = any(array(select 'handoff-inbound:' || u from unnest(public.privacy_texts(s->'users')) u))
     or lower(n.recipient) = any(public.privacy_texts(s->'emails'))
     or lower(n.reply_to) = any(public.privacy_texts(s->'emails'))
$$;

-- Everything held about one subject, as JSON (the answer to an access request).
create or replace function public.privacy_subject_export(p_email text default null, p_phone text default null,
  p_psid text default null, p_session_id text default null)
returns jsonb language plpgsql stable as $$
declare
  s jsonb := public.privacy_subject_scope(p_email, p_phone, p_psid, p_session_id);
  v_convs text[] := public.privacy_texts(s->'conversations');
  v_users text[] := public.privacy_texts(s->'users');
  v_emails text[] := public.privacy_texts(s->'emails');
begin
  return jsonb_build_object(
    'exported_at', public.app_now(),
    'identifiers', jsonb_build_object('emails', s->'emails', 'phones', s->'phones', 'channel_users', s->'users', 'web_sessions', s->'sessions'),
    'conversations', coalesce((select jsonb_agg(public.chat_conversation_json(c) || jsonb_build_object('messages',
        coalesce((select jsonb_agg(jsonb_build_object('role', m.role, 'content', m.content, 'payload', m.payload, 'reply', m.reply,
                   'created_at', m.created_at) order by m.id) from public.chat_message m where m.conversation_id = c.id), '[]'::jsonb))
        order by c.created_at)
      from public.chat_conversation c where c.id::text = any(v_convs)), '[]'::jsonb),
    'leads', coalesce((select jsonb_agg(public.lead_get(l.id) order by l.created_at)
      from public.app_lead l where l.id::text = any(public.privacy_texts(s->'leads'))), '[]'::jsonb),
    'consents', coalesce((select jsonb_agg(to_jsonb(k) order by k.created_at, k.id)
      from public.app_lead_consent k where k.lead_id::text = any(public.privacy_texts(s->'leads'))), '[]'::jsonb),
    'coupon_offers', coalesce((select jsonb_agg(to_jsonb(o) - 'lease_token' order by o.created_at)
      from public.app_coupon_offer o where o.conversation_id = any(v_convs) or o.contact_key = any(v_emails) or o.contact_key = any(v_users)), '[]'::jsonb),
    'orders', coalesce((select jsonb_agg(public.checkout_order_json(o) order by o.created_at)
      from public.app_checkout_order o where o.id::text = any(public.privacy_texts(s->'orders'))), '[]'::jsonb),
    'quotes', coalesce((select jsonb_agg(public.quote_json(q) order by q.created_at)
      from public.app_quote q where q.id = any(public.privacy_texts(s->'quotes'))), '[]'::jsonb),
    'notifications', coalesce((select jsonb_agg(jsonb_build_object('type', n.type, 'channel', n.channel, 'recipient', n.recipient,
        'reply_to', n.reply_to, 'subject', n.subject, 'message', n.message, 'fields', n.fields, 'status', n.status, 'created_at', n.created_at)
        order by n.seq)
      from public.app_notification n where n.id in (select public.privacy_scope_notifications(s))), '[]'::jsonb),
    'channel_users', coalesce((select jsonb_agg(to_jsonb(u) order by u.created_at)
      from public.channel_user u where (u.channel || ':' || u.user_id) = any(v_users)), '[]'::jsonb),
    'channel_messages_sent', coalesce((select jsonb_agg(jsonb_build_object('channel', o.channel, 'kind', o.kind, 'body', o.body,
        'status', o.status, 'delivery_status', o.delivery_status, 'created_at', o.created_at) order by o.id)
      from public.channel_outbound o where (o.channel || ':' || o.user_id) = any(v_users)), '[]'::jsonb),
    'channel_messages_received', coalesce((select jsonb_agg(jsonb_build_object('channel', i.channel, 'message', i.message,
        'status', i.status, 'received_at', i.received_at) order by i.received_at)
      from public.channel_inbound i where (i.channel || ':' || i.user_id) = any(v_users)), '[]'::jsonb),
    'shop_contacts', coalesce((select jsonb_agg(to_jsonb(d) order by d.created_at)
      from public.shop_demo_contacts d where d.email = any(v_emails) or public.privacy_digits(d.phone) = any(public.privacy_texts(s->'phones'))), '[]'::jsonb),
    'drive_archives', coalesce((select jsonb_agg(jsonb_build_object('kind', a.kind, 'ref_id', a.ref_id, 'status', a.status, 'view_url', a.view_url))
      from public.drive_archive a where (a.kind = 'transcript' and left(a.ref_id, 36) = any(v_convs))
                                     or (a.kind = 'quote' and a.ref_id = any(public.privacy_texts(s->'quotes')))), '[]'::jsonb));
end
$$;

-- Erases a scope (privacy_subject_scope's shape). Orders keep the accounting record (amount,
-- items, dates, order id) without the buyer's email; quotes lose the customer and the note;
-- Drive files are marked for deletion. -> {deleted: {table: n}, anonymised: {table: n},
-- drive: {purge, dropped}, crm_contact_ids: [...], emails: [...]}
create or replace function public.privacy_erase_scope(s jsonb) returns jsonb
language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_convs text[] := public.privacy_texts(s->'conversations');
  v_users text[] := public.privacy_texts(s->'users');
  v_emails text[] := public.privacy_texts(s->'emails');
  v_phones text[] := public.privacy_texts(s->'phones');
  v_leads text[] := public.privacy_texts(s->'leads');
  v_orders text[] := public.privacy_texts(s->'orders');
  v_quotes text[] := public.privacy_texts(s->'quotes');
  v_crm jsonb;
  v_notif uuid[];
  v_provider text[];
  d jsonb := '{}'::jsonb;
  a jsonb := '{}'::jsonb;
  n integer;
  v_drive jsonb;
begin
  select coalesce(jsonb_agg(distinct l.crm_contact_id) filter (where l.crm_contact_id is not null), '[]'::jsonb) into v_crm
    from public.app_lead l where l.id::text = any(v_leads);

  select count(*) into n from public.chat_message where conversation_id::text = any(v_convs);
  d := d || jsonb_build_object('chat_message', n);
  delete from public.chat_conversation where id::text = any(v_convs);
  get diagnostics n = row_count; d := d || jsonb_build_object('chat_conversation', n);

  select count(*) into n from public.app_lead_submission where lead_id::text = any(v_leads);
  d := d || jsonb_build_object('app_lead_submission', n);
  select count(*) into n from public.app_lead_consent where lead_id::text = any(v_leads);
  d := d || jsonb_build_object('app_lead_consent', n);
  delete from public.app_lead where id::text = any(v_leads);
  get diagnostics n = row_count; d := d || jsonb_build_object('app_lead', n);

  delete from public.app_coupon_cooldown where key = any(array(select 'conv:' || x from unnest(v_convs) x))
    or key = any(array(select 'contact:' || x from unnest(v_emails || v_users) x));
  get diagnostics n = row_count; d := d || jsonb_build_object('app_coupon_cooldown', n);
  delete from public.app_coupon_offer where conversation_id = any(v_convs) or contact_key = any(v_emails) or contact_key = any(v_users);
  get diagnostics n = row_count; d := d || jsonb_build_object('app_coupon_offer', n);

  v_notif := array(select public.privacy_scope_notifications(s));
  delete from public.app_notification_claim where notification_id = any(v_notif)
    or dedup_key = any(array(select 'lead:' || e from unnest(v_emails) e));
  get diagnostics n = row_count; d := d || jsonb_build_object('app_notification_claim', n);
  delete from public.app_notification where id = any(v_notif);
  get diagnostics n = row_count; d := d || jsonb_build_object('app_notification', n);

  v_provider := array(select o.provider_message_id from public.channel_outbound o
    where (o.channel || ':' || o.user_id) = any(v_users) and o.provider_message_id is not null);
  delete from public.channel_status where provider_message_id = any(v_provider)
    or recipient_id = any(array(select split_part(u, ':', 2) from unnest(v_users) u)) or public.privacy_digits(recipient_id) = any(v_phones);
  get diagnostics n = row_count; d := d || jsonb_build_object('channel_status', n);
  delete from public.channel_outbound where (channel || ':' || user_id) = any(v_users);
  get diagnostics n = row_count; d := d || jsonb_build_object('channel_outbound', n);
  -- The shopper's own request keeps the inbound claim being worked on (the message asking it).
  delete from public.channel_inbound where (channel || ':' || user_id) = any(v_users)
    and (status <> 'working' or not coalesce((s->>'keep_working_inbound')::boolean, false));
  get diagnostics n = row_count; d := d || jsonb_build_object('channel_inbound', n);
  if coalesce((s->>'keep_channel_user')::boolean, false) then
    -- The shopper's own request on WhatsApp/Messenger: the row that opens the reply window stays
    -- (the confirmation must reach them), without their profile name; the 90-day cleanup ends it.
    update public.channel_user set name = null where (channel || ':' || user_id) = any(v_users) and name is not null;
    get diagnostics n = row_count; a := a || jsonb_build_object('channel_user', n);
  else
    delete from public.channel_user where (channel || ':' || user_id) = any(v_users);
    get diagnostics n = row_count; d := d || jsonb_build_object('channel_user', n);
  end if;

  delete from public.app_rate_limit where key = any(array(select 'chat:session:' || x from unnest(public.privacy_texts(s->'sessions')) x))
    or key = any(array(select 'chat:' || x from unnest(v_users) x));
  get diagnostics n = row_count; d := d || jsonb_build_object('app_rate_limit', n);

  delete from public.shop_demo_contacts where email = any(v_emails) or public.privacy_digits(phone) = any(v_phones);
  get diagnostics n = row_count; d := d || jsonb_build_object('shop_demo_contacts', n);

  update public.app_checkout_order set email = null, conversation_id = null, url = null, last_error = null, updated_at = t
   where id::text = any(v_orders);
  get diagnostics n = row_count; a := a || jsonb_build_object('app_checkout_order', n);
  update public.app_quote set customer = '{}'::jsonb, note = null, conversation_id = null where id = any(v_quotes);
  get diagnostics n = row_count; a := a || jsonb_build_object('app_quote', n);
  update public.app_checkout_order set conversation_id = null where conversation_id = any(v_convs);
  update public.app_quote set conversation_id = null where conversation_id = any(v_convs);
  update public.app_lead set conversation_id = null where conversation_id = any(v_convs);
  update public.app_lead_submission set conversation_id = null where conversation_id = any(v_convs);

  v_drive := public.drive_archive_mark_purge(v_convs, v_quotes);
  return jsonb_build_object('deleted', d, 'anonymised', a, 'drive', v_drive, 'crm_contact_ids', v_crm, 'emails', to_jsonb(v_emails));
end
$$;

create or replace function public.privacy_subject_erase(p_email text default null, p_phone text default null,
  p_psid text default null, p_session_id text default null)
returns jsonb language sql volatile as $$
  select public.privacy_erase_scope(public.privacy_subject_scope(p_email, p_phone, p_psid, p_session_id))
$$;

-- The shopper's own "delete my conversation": the conversation, its messages, offers,
-- hand-off notifications, channel ledgers of that channel user (its row stays, nameless, so
-- the confirmation can still be sent in the reply window) and Drive transcripts. Leads,
-- quotes and orders made from it stay (they answer a request or an accounting duty) and lose
-- the link. -> the same report shape, or null when the conversation is unknown
create or replace function public.privacy_conversation_erase(p_conversation_id uuid) returns jsonb
language plpgsql volatile as $$
declare c public.chat_conversation;
begin
  select * into c from public.chat_conversation where id = p_conversation_id;
  if not found then return null; end if;
  return public.privacy_erase_scope(jsonb_build_object(
    'conversations', jsonb_build_array(c.id::text),
    'users', case when c.channel = 'web' then '[]'::jsonb else jsonb_build_array(c.channel || ':' || c.user_key) end,
    'sessions', case when c.channel = 'web' then jsonb_build_array(c.user_key) else '[]'::jsonb end,
    'emails', '[]'::jsonb, 'phones', '[]'::jsonb, 'leads', '[]'::jsonb,
    'orders', '[]'::jsonb, 'quotes', '[]'::jsonb, 'keep_working_inbound', true, 'keep_channel_user', true));
end
$$;

select public.comptoir_lock_down();
