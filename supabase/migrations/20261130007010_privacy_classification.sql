-- What each column may hold about a person, as a comment the privacy code and its tests read
-- from the schema (information_schema + pg_description), never from a hand-kept list.
--   comment on column t.c is 'personal:<kind>'   kinds:
--     email     an email address                 phone    a phone number (E.164 or digits)
--     name      a person's name                  user-id  a channel identity (web session id,
--     text      free text written by or about           WhatsApp wa_id/BSUID, Messenger PSID)
--               the person (messages, notes)     key      a key that embeds one of the above
--     link      the id of a person's record (a conversation id held elsewhere)
--     staff     the shop's own people (OWNER_EMAILS, ADMIN_PHONE): not a shopper's data
--     none      holds nothing personal (codes, statuses, product data, provider ids)
--   comment on table t is 'personal:none'   the whole table holds nothing personal.
-- tests/privacy/classification.test.ts fails when a text, jsonb or array column of a public
-- table has no classification: a new column must say what it holds.

create or replace function public.privacy_classify(p_table text, p_kind text, variadic p_columns text[]) returns void
language plpgsql as $$
declare c text;
begin
  if p_kind not in ('email', 'phone', 'name', 'user-id', 'text', 'key', 'link', 'staff', 'none') then
    raise exception 'unknown personal-data kind %', p_kind;
  end if;
  foreach c in array p_columns loop
    execute format('comment on column public.%I.%I is %L', p_table, c, 'personal:' || p_kind);
  end loop;
end
$$;

comment on table public.app_breaker is 'personal:none';
comment on table public.app_cache is 'personal:none';
comment on table public.app_stripe_event is 'personal:none';
comment on table public.comptoir_migrations is 'personal:none';
comment on table public.kb_chunk is 'personal:none';
-- The demo catalogue tables exist only before the catalogue index replaced them.
do $$
declare t text;
begin
  foreach t in array array['shop_demo_collections', 'shop_demo_products', 'shop_demo_product_collections'] loop
    if to_regclass('public.' || t) is not null then
      execute format('comment on table public.%I is %L', t, 'personal:none');
    end if;
  end loop;
end
$$;
comment on table public.shop_demo_coupons is 'personal:none';
-- Webhook message ids, Stripe event ids, notification keys of orders: no identity in them.
comment on table public.app_dedup is 'personal:none';

-- 'chat:session:<id>', 'chat:<channel>:<user id>', 'lead:ip:<address>'
select public.privacy_classify('app_rate_limit', 'key', 'key');

select public.privacy_classify('app_lead', 'email', 'email', 'email_key');
select public.privacy_classify('app_lead', 'name', 'name');
select public.privacy_classify('app_lead', 'phone', 'phone');
select public.privacy_classify('app_lead', 'text', 'message', 'crm_last_error');
select public.privacy_classify('app_lead', 'link', 'conversation_id', 'crm_contact_id');
select public.privacy_classify('app_lead', 'none', 'source', 'crm_sync', 'consent_text', 'consent_channel', 'consent_language');
select public.privacy_classify('app_lead_submission', 'name', 'name');
select public.privacy_classify('app_lead_submission', 'phone', 'phone');
select public.privacy_classify('app_lead_submission', 'text', 'message');
select public.privacy_classify('app_lead_submission', 'link', 'conversation_id');
select public.privacy_classify('app_lead_submission', 'none', 'source');
select public.privacy_classify('app_lead_consent', 'none', 'wording', 'channel', 'language');

-- dedup_key: 'lead:<email>', 'handoff:<conversation>:<n>', 'order-paid:<order>', ...
select public.privacy_classify('app_notification', 'key', 'dedup_key');
select public.privacy_classify('app_notification', 'email', 'recipient', 'reply_to');
select public.privacy_classify('app_notification', 'text', 'subject', 'message', 'fields', 'error');
select public.privacy_classify('app_notification', 'none', 'type', 'channel', 'status', 'transport');
select public.privacy_classify('app_notification_claim', 'key', 'dedup_key');
select public.privacy_classify('app_notification_claim', 'none', 'channel');

select public.privacy_classify('app_coupon_offer', 'link', 'conversation_id');
-- the lead's email, or '<channel>:<user id>'
select public.privacy_classify('app_coupon_offer', 'key', 'contact_key');
select public.privacy_classify('app_coupon_offer', 'text', 'reason');
select public.privacy_classify('app_coupon_offer', 'none', 'id', 'source', 'type', 'status', 'coupon');
-- 'conv:<conversation id>', 'contact:<contact key>'
select public.privacy_classify('app_coupon_cooldown', 'key', 'key');
select public.privacy_classify('app_coupon_cooldown', 'none', 'offer_id');

select public.privacy_classify('chat_conversation', 'user-id', 'user_key');
select public.privacy_classify('chat_conversation', 'name', 'user_name');
select public.privacy_classify('chat_conversation', 'email', 'contact_email');
select public.privacy_classify('chat_conversation', 'text', 'handoff_reason');
select public.privacy_classify('chat_conversation', 'none', 'channel', 'mode', 'language');
select public.privacy_classify('chat_message', 'text', 'content', 'payload', 'reply', 'meta');
select public.privacy_classify('chat_message', 'none', 'role', 'external_id');

-- {name?, email?, phone?}
select public.privacy_classify('app_quote', 'text', 'customer', 'note');
select public.privacy_classify('app_quote', 'link', 'conversation_id');
select public.privacy_classify('app_quote', 'none', 'id', 'status', 'currency', 'items', 'channel');
select public.privacy_classify('app_checkout_order', 'email', 'email');
select public.privacy_classify('app_checkout_order', 'link', 'conversation_id');
select public.privacy_classify('app_checkout_order', 'text', 'last_error');
select public.privacy_classify('app_checkout_order', 'none', 'reuse_key', 'cart_hash', 'status', 'session_id', 'url', 'currency',
  'items', 'channel', 'quote_id', 'anomaly', 'paid_currency', 'history', 'followup_state', 'followup_done');

select public.privacy_classify('channel_user', 'user-id', 'user_id');
select public.privacy_classify('channel_user', 'phone', 'phone');
select public.privacy_classify('channel_user', 'name', 'name');
select public.privacy_classify('channel_user', 'none', 'channel');
select public.privacy_classify('channel_inbound', 'user-id', 'user_id');
select public.privacy_classify('channel_inbound', 'text', 'message', 'note', 'last_error');
select public.privacy_classify('channel_inbound', 'none', 'channel', 'message_id', 'action', 'status');
select public.privacy_classify('channel_outbound', 'user-id', 'user_id');
select public.privacy_classify('channel_outbound', 'text', 'body', 'fallback', 'last_error', 'delivery_error');
select public.privacy_classify('channel_outbound', 'none', 'channel', 'source_key', 'kind', 'status', 'provider_message_id',
  'sent_as', 'error_code', 'delivery_status');
select public.privacy_classify('channel_status', 'user-id', 'recipient_id');
select public.privacy_classify('channel_status', 'text', 'errors');
select public.privacy_classify('channel_status', 'none', 'provider_message_id', 'status', 'channel');

-- ref_id: '<conversation id>-<n>' or a quote id; the files themselves are deleted through 'purge'
select public.privacy_classify('drive_archive', 'link', 'ref_id');
select public.privacy_classify('drive_archive', 'none', 'kind', 'status', 'file_id', 'view_url', 'download_url', 'last_error');

-- The demo shop's contact list (the Wix contacts of the demo).
select public.privacy_classify('shop_demo_contacts', 'email', 'email');
select public.privacy_classify('shop_demo_contacts', 'name', 'first_name', 'last_name');
select public.privacy_classify('shop_demo_contacts', 'phone', 'phone');
select public.privacy_classify('shop_demo_contacts', 'none', 'source', 'labels');

select public.comptoir_lock_down();
